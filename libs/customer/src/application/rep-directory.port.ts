/**
 * What customer commands need to know of the staff: whether a rep is registered, in which role and group. The
 * staff context provides it; the customer context names only this port, so it does not depend on staff.
 */
export type DirectoryRep = { readonly status: 'unknown' } | { readonly status: 'registered'; readonly role: string; readonly groupId: string };

export interface RepDirectory {
  rep(repId: string): Promise<DirectoryRep>;
  /** The rep's group now; undefined for an unknown rep. */
  groupOf(repId: string): Promise<string | undefined>;
}

export const REP_DIRECTORY = Symbol('RepDirectory');
