import { type DocRef, failOn as fail, type Projection, type Recorded, typedProjection } from '#read-store';
import { GROUP_EVENT_SHAPES, REP_EVENT_SHAPES, type GroupEvent, type RepEvent } from '../domain/staff';
import { GROUPS_COLLECTION, REPS_COLLECTION, STAFF_PROJECTION, STAFF_READ_MODEL, type GroupDoc, type RepDoc } from './staff.doc';

const EVENT_TYPES = ['GroupCreated', 'RepRegistered', 'RepMovedToGroup'] as const satisfies readonly (GroupEvent | RepEvent)['type'][];
type StaffEvent = Recorded<GroupEvent | RepEvent>;

type StaffDoc = RepDoc | GroupDoc;

const refOf = (event: StaffEvent): DocRef => {
  switch (event.type) {
    case 'GroupCreated':
      return { collection: GROUPS_COLLECTION, id: event.data.groupId };
    case 'RepRegistered':
    case 'RepMovedToGroup':
      return { collection: REPS_COLLECTION, id: event.data.repId };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

export const staffProjection: Projection<StaffDoc> = typedProjection<StaffDoc, GroupEvent | RepEvent>({ ...GROUP_EVENT_SHAPES, ...REP_EVENT_SHAPES }, {
  name: STAFF_PROJECTION,
  version: STAFF_READ_MODEL.version,
  description: 'Groups, and reps with the group they are in now and their dated group history',
  eventTypes: EVENT_TYPES,
  collections: [
    { name: REPS_COLLECTION, indexes: [{ name: 'by_group', fields: [['groupId', 1]] }] },
    { name: GROUPS_COLLECTION, indexes: [] },
  ],
  touches: (event) => [refOf(event)],
  evolve: (current, event) => {
    switch (event.type) {
      case 'GroupCreated': {
        if (current !== null) fail(event, 'groupId', 'a new group');
        const { groupId, name, kind } = event.data;
        const group: GroupDoc = { id: groupId, name, kind };
        return group;
      }
      case 'RepRegistered': {
        if (current !== null) fail(event, 'repId', 'a new rep');
        const { repId, name, role, groupId, registeredOn } = event.data;
        const rep: RepDoc = { id: repId, name, role, groupId, registeredOn, groups: [{ groupId, from: registeredOn }] };
        return rep;
      }
      case 'RepMovedToGroup': {
        if (current === null) return fail(event, 'repId', 'a registered rep');
        const rep = current as RepDoc;
        const { groupId, movedOn } = event.data;
        return { ...rep, groupId, groups: [...rep.groups, { groupId, from: movedOn }] };
      }
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
});
