import type { RecordedEvent } from '#event-store';
import { dayField as day, type DocRef, failOn as fail, oneOfField as oneOf, type Projection, stringField as str } from '#read-store';
import { GROUP_KINDS, REP_ROLES, type GroupEvent, type RepEvent } from '../domain/staff';
import { GROUPS_COLLECTION, REPS_COLLECTION, STAFF_PROJECTION, type GroupDoc, type RepDoc } from './staff.doc';

const EVENT_TYPES = ['GroupCreated', 'RepRegistered', 'RepMovedToGroup'] as const satisfies readonly (GroupEvent | RepEvent)['type'][];
type HandledType = (typeof EVENT_TYPES)[number];
const isHandled = (type: string): type is HandledType => (EVENT_TYPES as readonly string[]).includes(type);

type StaffDoc = RepDoc | GroupDoc;

const refOf = (event: RecordedEvent, type: HandledType): DocRef => {
  switch (type) {
    case 'GroupCreated':
      return { collection: GROUPS_COLLECTION, id: str(event, 'groupId') };
    case 'RepRegistered':
    case 'RepMovedToGroup':
      return { collection: REPS_COLLECTION, id: str(event, 'repId') };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
};

export const staffProjection: Projection<StaffDoc> = {
  name: STAFF_PROJECTION,
  version: 1,
  description: 'Groups, and reps with the group they are in now and their dated group history',
  eventTypes: EVENT_TYPES,
  collections: [
    { name: REPS_COLLECTION, indexes: [{ name: 'by_group', fields: [['groupId', 1]] }] },
    { name: GROUPS_COLLECTION, indexes: [] },
  ],
  touches: (event: RecordedEvent): readonly DocRef[] => (isHandled(event.type) ? [refOf(event, event.type)] : []),
  evolve: (current, event) => {
    const type = event.type;
    if (!isHandled(type)) throw new Error(`${type} at position ${event.position} is not a staff event`);
    switch (type) {
      case 'GroupCreated': {
        if (current !== null) fail(event, 'groupId', 'a new group');
        const group: GroupDoc = { id: str(event, 'groupId'), name: str(event, 'name'), kind: oneOf(event, 'kind', GROUP_KINDS) };
        return group;
      }
      case 'RepRegistered': {
        if (current !== null) fail(event, 'repId', 'a new rep');
        const groupId = str(event, 'groupId');
        const registeredOn = day(event, 'registeredOn');
        const rep: RepDoc = {
          id: str(event, 'repId'),
          name: str(event, 'name'),
          role: oneOf(event, 'role', REP_ROLES),
          groupId,
          registeredOn,
          groups: [{ groupId, from: registeredOn }],
        };
        return rep;
      }
      case 'RepMovedToGroup': {
        if (current === null) return fail(event, 'repId', 'a registered rep');
        const rep = current as RepDoc;
        const groupId = str(event, 'groupId');
        return { ...rep, groupId, groups: [...rep.groups, { groupId, from: day(event, 'movedOn') }] };
      }
      default: {
        const unreachable: never = type;
        return unreachable;
      }
    }
  },
};
