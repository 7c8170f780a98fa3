import type { ReadModelRef } from '#read-store';
import type { GroupKind, RepRole } from '../domain/staff';

/** What the `staff` projection keeps: reps with their group history, and groups. */
export interface RepDoc {
  readonly id: string;
  readonly name: string;
  readonly role: RepRole;
  /** The group now. */
  readonly groupId: string;
  readonly registeredOn: string;
  /** Group history, oldest first; each entry holds from `from` (inclusive) until the next one's `from`. */
  readonly groups: readonly { readonly groupId: string; readonly from: string }[];
}

export interface GroupDoc {
  readonly id: string;
  readonly name: string;
  readonly kind: GroupKind;
}

export const STAFF_PROJECTION = 'staff';

/** The documents' shape queries read: a new version is rebuilt beside the live one and read once swapped in. */
export const STAFF_READ_MODEL: ReadModelRef = { projection: STAFF_PROJECTION, version: 1 };

export const REPS_COLLECTION = 'reps';
export const GROUPS_COLLECTION = 'groups';
