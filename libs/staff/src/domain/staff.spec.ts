import { deciderSpec } from '#testing';
import { decideGroup, decideRep, evolveGroup, evolveRep, GroupState, RepState } from './staff';

describe('groups', () => {
  const spec = deciderSpec({ decide: decideGroup, evolve: evolveGroup, initialState: { status: 'unknown' } as GroupState });
  const create = { type: 'CreateGroup', data: { groupId: 'bidding-1', name: 'Bidding group 1', kind: 'bidding' } } as const;
  it('creates a group', () => spec.given([]).when(create).then([{ type: 'GroupCreated', data: create.data }]));
  it('rejects creating it twice', () => spec.given([{ type: 'GroupCreated', data: create.data }]).when(create).thenRejects('GROUP_ALREADY_EXISTS'));
});

describe('reps', () => {
  const spec = deciderSpec({ decide: decideRep, evolve: evolveRep, initialState: { status: 'unknown' } as RepState });
  const registered = {
    type: 'RepRegistered',
    data: { repId: 'rep-1', name: 'Zhang San', role: 'service', groupId: 'bidding-1', registeredOn: '2026-01-02' },
  } as const;
  it('registers a rep in a group', () =>
    spec
      .given([])
      .when({ type: 'RegisterRep', data: { repId: 'rep-1', name: 'Zhang San', role: 'service', groupId: 'bidding-1', on: '2026-01-02' } })
      .then([registered]));
  it('rejects registering twice', () =>
    spec
      .given([registered])
      .when({ type: 'RegisterRep', data: { repId: 'rep-1', name: 'x', role: 'sales', groupId: 'g', on: '2026-01-03' } })
      .thenRejects('REP_ALREADY_REGISTERED'));
  it('moves a rep to another group', () =>
    spec
      .given([registered])
      .when({ type: 'MoveRepToGroup', data: { repId: 'rep-1', groupId: 'key-accounts', on: '2026-02-01' } })
      .then([{ type: 'RepMovedToGroup', data: { repId: 'rep-1', groupId: 'key-accounts', previousGroupId: 'bidding-1', movedOn: '2026-02-01' } }]));
  it('does nothing when moved to the group it is in', () =>
    spec.given([registered]).when({ type: 'MoveRepToGroup', data: { repId: 'rep-1', groupId: 'bidding-1', on: '2026-02-01' } }).thenNothing());
  it('rejects moving an unknown rep', () =>
    spec.given([]).when({ type: 'MoveRepToGroup', data: { repId: 'rep-9', groupId: 'g', on: '2026-02-01' } }).thenRejects('REP_NOT_FOUND'));
});
