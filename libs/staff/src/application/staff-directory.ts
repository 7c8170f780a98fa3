import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, streamName } from '#event-store';
import { evolveGroup, evolveRep, GROUP_CATEGORY, GroupEvent, GroupState, REP_CATEGORY, RepEvent, RepState } from '../domain/staff';
import type { RepDirectory } from '#customer';

/** Reads reps and groups straight from their (short) streams, for checks on the write side. */
@Injectable()
export class StaffDirectory implements RepDirectory {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async rep(repId: string): Promise<RepState> {
    const events = await this.store.readStream(streamName(REP_CATEGORY, repId));
    return events.reduce<RepState>((s, e) => evolveRep(s, e as unknown as RepEvent), { status: 'unknown' });
  }

  async group(groupId: string): Promise<GroupState> {
    const events = await this.store.readStream(streamName(GROUP_CATEGORY, groupId));
    return events.reduce<GroupState>((s, e) => evolveGroup(s, e as unknown as GroupEvent), { status: 'unknown' });
  }

  async groupOf(repId: string): Promise<string | undefined> {
    const rep = await this.rep(repId);
    return rep.status === 'registered' ? rep.groupId : undefined;
  }
}
