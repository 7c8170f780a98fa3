import type { RecordedEvent } from '#event-store';
import { type Doc, projectInMemory, type Projection, type ProjectionContext, type WorkingSet } from '#read-store';

export interface EventInput {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly streamName?: string;
}

/** A plausible stream for test events, so revisions count per stream as they would in the store. */
const defaultStream = (input: EventInput): string => {
  const d = input.data;
  if (input.type.startsWith('DailyUsage')) return `usage-${String(d.customerId)}.${String(d.day)}`;
  if (input.type.startsWith('DailySpend')) return `spend-${String(d.customerId)}.${String(d.day)}`;
  if (typeof d.customerId === 'string') return `customer-${d.customerId}`;
  if (typeof d.repId === 'string') return `rep-${d.repId}`;
  if (typeof d.groupId === 'string') return `group-${d.groupId}`;
  return `test-${input.type}`;
};

const BASE_INSTANT = Date.parse('2024-01-01T00:00:00.000Z');

/** Events as the store would return them: increasing positions, per-stream revisions from 0, deterministic ids and metadata. */
export const recorded = (events: readonly EventInput[], startPosition: bigint | number = 1n): RecordedEvent[] => {
  const revisions = new Map<string, bigint>();
  const start = BigInt(startPosition);
  return events.map((input, index) => {
    const streamName = input.streamName ?? defaultStream(input);
    const revision = revisions.get(streamName) ?? 0n;
    revisions.set(streamName, revision + 1n);
    const position = start + BigInt(index);
    const instant = new Date(BASE_INSTANT + index * 1000).toISOString();
    const commandId = `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`;
    return {
      id: `10000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
      streamName,
      revision,
      position,
      type: input.type,
      data: input.data,
      metadata: {
        commandId,
        correlationId: commandId,
        causationId: commandId,
        actor: { id: 'test-actor', role: input.type.startsWith('Daily') ? 'platform' : 'rep' },
        occurredAt: instant,
        recordedAt: instant,
        schemaVersion: 1,
      },
    };
  });
};

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
};

/** The projection with every document it receives or returns frozen, so a mutation of `current` throws. */
const frozen = <D extends Doc>(projection: Projection<D>): Projection<D> => ({
  ...projection,
  touches: (event) => projection.touches(event),
  evolve: (current, event, ref, context) => deepFreeze(projection.evolve(deepFreeze(current), event, ref, context)),
  ...(projection.settle ? { settle: (doc: D, collection: string, context: ProjectionContext) => deepFreeze(projection.settle!(deepFreeze(doc), collection, context)) } : {}),
});

/** A working set as plain data: key → document and position, for deep comparison. */
const snapshot = (working: WorkingSet): Record<string, { doc: unknown; position: string }> => {
  const out: Record<string, { doc: unknown; position: string }> = {};
  for (const key of [...working.keys()].sort()) {
    const stored = working.get(key)!;
    out[key] = { doc: structuredClone(stored.doc), position: stored.position.toString() };
  }
  return out;
};

/**
 * Projects the events once and checks that replaying them changes nothing, that projecting them in two
 * halves (and re-reading the whole log after the first half, as after a crash) gives the same documents,
 * that `evolve` never mutates its input, and that every document is plain JSON. Returns the working set.
 */
export const expectReplaySafe = <D extends Doc>(projection: Projection<D>, events: readonly RecordedEvent[]): WorkingSet => {
  const guarded = frozen(projection) as unknown as Projection;
  const once = projectInMemory(guarded, events);
  const expected = snapshot(once);

  projectInMemory(guarded, events, once);
  expect(snapshot(once)).toStrictEqual(expected);

  const middle = Math.floor(events.length / 2);
  const halves = projectInMemory(guarded, events.slice(0, middle));
  projectInMemory(guarded, events.slice(middle), halves);
  expect(snapshot(halves)).toStrictEqual(expected);

  const overlapping = projectInMemory(guarded, events.slice(0, middle));
  projectInMemory(guarded, events, overlapping);
  expect(snapshot(overlapping)).toStrictEqual(expected);

  for (const stored of once.values()) expect(JSON.parse(JSON.stringify(stored.doc))).toStrictEqual(stored.doc);
  return once;
};
