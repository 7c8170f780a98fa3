import { docsOf, projectInMemory } from '#read-store';
import { type EventInput, expectReplaySafe, recorded } from '#testing';
import { GROUPS_COLLECTION, REPS_COLLECTION, type GroupDoc, type RepDoc } from './staff.doc';
import { staffProjection as projection } from './staff.projection';

const group = (groupId: string, name: string, kind = 'bidding'): EventInput => ({ type: 'GroupCreated', data: { groupId, name, kind } });
const registered: EventInput = {
  type: 'RepRegistered',
  data: { repId: 'rep-1', name: 'Zhang Min', role: 'service', groupId: 'g1', registeredOn: '2024-01-02' },
};
const moved = (groupId: string, previousGroupId: string, movedOn: string): EventInput => ({
  type: 'RepMovedToGroup',
  data: { repId: 'rep-1', groupId, previousGroupId, movedOn },
});

describe('staff projection', () => {
  it('GroupCreated creates the group document', () => {
    const working = expectReplaySafe(projection, recorded([group('g1', 'Bidding 1'), group('ka', 'Key accounts', 'key_account')]));
    const groups = docsOf<GroupDoc>(working, GROUPS_COLLECTION);
    expect(groups.get('g1')).toStrictEqual({ id: 'g1', name: 'Bidding 1', kind: 'bidding' });
    expect(groups.get('ka')).toStrictEqual({ id: 'ka', name: 'Key accounts', kind: 'key_account' });
    expect(docsOf(working, REPS_COLLECTION).size).toBe(0);
  });

  it('RepRegistered creates the rep in its first group, history starting on the registration day', () => {
    const working = expectReplaySafe(projection, recorded([group('g1', 'Bidding 1'), registered]));
    expect(docsOf<RepDoc>(working, REPS_COLLECTION).get('rep-1')).toStrictEqual({
      id: 'rep-1',
      name: 'Zhang Min',
      role: 'service',
      groupId: 'g1',
      registeredOn: '2024-01-02',
      groups: [{ groupId: 'g1', from: '2024-01-02' }],
    });
  });

  it('RepMovedToGroup moves the rep to another group and keeps the dated history', () => {
    const events = recorded([group('g1', 'Bidding 1'), group('g2', 'Bidding 2'), registered, moved('g2', 'g1', '2024-04-01'), moved('g1', 'g2', '2024-09-15')]);
    const rep = docsOf<RepDoc>(expectReplaySafe(projection, events), REPS_COLLECTION).get('rep-1')!;
    expect(rep.groupId).toBe('g1');
    expect(rep.groups).toStrictEqual([
      { groupId: 'g1', from: '2024-01-02' },
      { groupId: 'g2', from: '2024-04-01' },
      { groupId: 'g1', from: '2024-09-15' },
    ]);
    expect(rep.registeredOn).toBe('2024-01-02');
  });

  it('ignores events it does not handle', () => {
    const [visit] = recorded([{ type: 'VisitRecorded', data: { customerId: 'c1', repId: 'rep-1', visitedOn: '2024-01-02' } }]);
    expect(projection.touches(visit!)).toEqual([]);
  });

  it('fails loudly, naming the event and position, on a malformed event or a move of an unknown rep', () => {
    expect(() => projectInMemory(projection, recorded([moved('g2', 'g1', '2024-04-01')], 5))).toThrow('RepMovedToGroup at position 5: repId is not a registered rep');
    expect(() => projectInMemory(projection, recorded([group('g1', 'Bidding 1', 'vip')], 3))).toThrow('GroupCreated at position 3: kind is not one of');
    const noDay = { ...registered, data: { ...registered.data, registeredOn: undefined } };
    expect(() => projectInMemory(projection, recorded([noDay], 8))).toThrow('RepRegistered at position 8: registeredOn is not an ISO day');
  });

  it('declares its name, version, event types and indexes', () => {
    expect(projection.name).toBe('staff');
    expect(projection.version).toBe(1);
    expect(projection.eventTypes).toEqual(['GroupCreated', 'RepRegistered', 'RepMovedToGroup']);
    expect(projection.collections.map((c) => [c.name, c.indexes.map((i) => i.fields)])).toEqual([
      ['reps', [[['groupId', 1]]]],
      ['groups', []],
    ]);
  });
});
