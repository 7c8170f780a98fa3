import { DomainError, type EventShapes, isoDay, object, oneOf, text } from '#shared-kernel';

/** Reps and groups: who serves, in which group (bidding groups 1–4, key accounts, after-sales teams). */
export const GROUP_KINDS = ['bidding', 'key_account', 'after_sales', 'sales'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export const REP_ROLES = ['service', 'sales', 'supervisor'] as const;
export type RepRole = (typeof REP_ROLES)[number];

export const GROUP_CATEGORY = 'group';
export const REP_CATEGORY = 'rep';

export type GroupEvent = { readonly type: 'GroupCreated'; readonly data: { readonly groupId: string; readonly name: string; readonly kind: GroupKind } };
export type GroupCommand = { readonly type: 'CreateGroup'; readonly data: { readonly groupId: string; readonly name: string; readonly kind: GroupKind } };
export type GroupState = { readonly status: 'unknown' } | { readonly status: 'created'; readonly groupId: string; readonly name: string; readonly kind: GroupKind };

export const evolveGroup = (_state: GroupState, event: GroupEvent): GroupState => ({ status: 'created', ...event.data });

export const decideGroup = (command: GroupCommand, state: GroupState): readonly GroupEvent[] | DomainError => {
  if (state.status !== 'unknown') {
    return new DomainError('GROUP_ALREADY_EXISTS', `Group ${command.data.groupId} already exists`, { groupId: command.data.groupId });
  }
  return [{ type: 'GroupCreated', data: command.data }];
};

export type RepEvent =
  | {
      readonly type: 'RepRegistered';
      readonly data: { readonly repId: string; readonly name: string; readonly role: RepRole; readonly groupId: string; readonly registeredOn: string };
    }
  | { readonly type: 'RepMovedToGroup'; readonly data: { readonly repId: string; readonly groupId: string; readonly previousGroupId: string; readonly movedOn: string } };

export type RepCommand =
  | { readonly type: 'RegisterRep'; readonly data: { readonly repId: string; readonly name: string; readonly role: RepRole; readonly groupId: string; readonly on: string } }
  | { readonly type: 'MoveRepToGroup'; readonly data: { readonly repId: string; readonly groupId: string; readonly on: string } };

export type RepState =
  | { readonly status: 'unknown' }
  | { readonly status: 'registered'; readonly repId: string; readonly role: RepRole; readonly groupId: string };

export const evolveRep = (state: RepState, event: RepEvent): RepState => {
  switch (event.type) {
    case 'RepRegistered':
      return { status: 'registered', repId: event.data.repId, role: event.data.role, groupId: event.data.groupId };
    case 'RepMovedToGroup':
      return state.status === 'registered' ? { ...state, groupId: event.data.groupId } : state;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

export const decideRep = (command: RepCommand, state: RepState): readonly RepEvent[] | DomainError => {
  switch (command.type) {
    case 'RegisterRep': {
      if (state.status !== 'unknown') {
        return new DomainError('REP_ALREADY_REGISTERED', `Rep ${command.data.repId} is already registered`, { repId: command.data.repId });
      }
      const { on, ...rest } = command.data;
      return [{ type: 'RepRegistered', data: { ...rest, registeredOn: on } }];
    }
    case 'MoveRepToGroup': {
      if (state.status === 'unknown') return new DomainError('REP_NOT_FOUND', `Rep ${command.data.repId} does not exist`, { repId: command.data.repId });
      if (state.groupId === command.data.groupId) return [];
      return [
        {
          type: 'RepMovedToGroup',
          data: { repId: command.data.repId, groupId: command.data.groupId, previousGroupId: state.groupId, movedOn: command.data.on },
        },
      ];
    }
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
};

/** What each staff event carries, checked when a projection reads it. */
export const GROUP_EVENT_SHAPES = {
  GroupCreated: object({ groupId: text, name: text, kind: oneOf(GROUP_KINDS) }),
} as const satisfies EventShapes<GroupEvent>;

export const REP_EVENT_SHAPES = {
  RepRegistered: object({ repId: text, name: text, role: oneOf(REP_ROLES), groupId: text, registeredOn: isoDay }),
  RepMovedToGroup: object({ repId: text, groupId: text, previousGroupId: text, movedOn: isoDay }),
} as const satisfies EventShapes<RepEvent>;
