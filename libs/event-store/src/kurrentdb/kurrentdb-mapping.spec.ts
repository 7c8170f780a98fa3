import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port';
import {
  chunkAppendRequests,
  fromCurrentState,
  fromStoredMetadata,
  fromPortPosition,
  fromRecordedEvent,
  isSystemEvent,
  mapClientError,
  planServerFilter,
  redactUrl,
  toPortPosition,
  toStoredMetadata,
  toStoredProperties,
  toStreamState,
} from './kurrentdb-mapping';

describe('KurrentDB mapping', () => {
  describe('positions', () => {
    it('packs commit and prepare losslessly and round-trips', () => {
      const position = { commit: 123_456_789n, prepare: 123_456_700n };
      expect(fromPortPosition(toPortPosition(position))).toEqual(position);
      expect(fromPortPosition(toPortPosition({ commit: 0n, prepare: 0n }))).toEqual({ commit: 0n, prepare: 0n });
    });

    it('keeps $all order: by commit, then by prepare within one commit', () => {
      const a = toPortPosition({ commit: 100n, prepare: 90n });
      const b = toPortPosition({ commit: 100n, prepare: 95n });
      const c = toPortPosition({ commit: 101n, prepare: 0n });
      expect(a < b && b < c).toBe(true);
    });

    it('rejects negative and out-of-range positions', () => {
      expect(() => toPortPosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
      expect(() => toPortPosition({ commit: 1n << 64n, prepare: 0n })).toThrow(RangeError);
      expect(() => fromPortPosition(-1n)).toThrow(RangeError);
    });
  });

  describe('revisions and stream states', () => {
    it('maps each expected revision to the client streamState', () => {
      expect(toStreamState('any')).toBe('any');
      expect(toStreamState('no_stream')).toBe('no_stream');
      expect(toStreamState('stream_exists')).toBe('stream_exists');
      expect(toStreamState(7n)).toBe(7n);
      expect(() => toStreamState(-1n)).toThrow(RangeError);
    });

    it('maps the current state back: no_stream is -1, a revision is itself, anything else unknown', () => {
      expect(fromCurrentState('no_stream')).toBe(-1n);
      expect(fromCurrentState(4n)).toBe(4n);
      expect(fromCurrentState(4)).toBe(4n);
      expect(fromCurrentState(undefined)).toBeUndefined();
    });
  });

  describe('events', () => {
    const metadata = {
      commandId: 'c1',
      correlationId: 'corr',
      causationId: 'cause',
      actor: { id: 'u1', role: 'rep' as const },
      occurredAt: '2026-03-01T00:00:00.000Z',
      schemaVersion: 1,
    };

    it('stores correlation and causation also under the server reserved names', () => {
      expect(toStoredMetadata(metadata)).toEqual({ ...metadata, $correlationId: 'corr', $causationId: 'cause' });
    });

    it('reads a recorded event: strips reserved keys, takes recordedAt from the server, packs the position', () => {
      const created = new Date('2026-03-01T00:00:01.000Z');
      const event = fromRecordedEvent({
        streamId: 'customer-1',
        id: 'a8f1c7f0-0000-4000-8000-000000000000',
        revision: 3n,
        type: 'VisitRecorded',
        created,
        isJson: true,
        data: { visitId: 'v1' },
        metadata: toStoredMetadata(metadata),
        position: { commit: 10n, prepare: 9n },
      });
      expect(event).toEqual({
        id: 'a8f1c7f0-0000-4000-8000-000000000000',
        streamName: 'customer-1',
        revision: 3n,
        position: toPortPosition({ commit: 10n, prepare: 9n }),
        type: 'VisitRecorded',
        data: { visitId: 'v1' },
        metadata: { ...metadata, recordedAt: created.toISOString() },
      });
    });

    it('decodes JSON stored as bytes', () => {
      const event = fromRecordedEvent({
        streamId: 's-1',
        id: 'x',
        revision: 0n,
        type: 'T',
        created: new Date(0),
        isJson: false,
        data: Buffer.from('{"a":1}'),
        metadata: Buffer.from(JSON.stringify(metadata)),
      });
      expect(event.data).toEqual({ a: 1 });
      expect(event.metadata.commandId).toBe('c1');
      expect(event.position).toBe(-1n);
    });

    it('recognises system events', () => {
      expect(isSystemEvent('$stats-1', 'x')).toBe(true);
      expect(isSystemEvent('customer-1', '$metadata')).toBe(true);
      expect(isSystemEvent('customer-1', 'VisitRecorded')).toBe(false);
    });
  });

  describe('multi-stream append', () => {
    const metadata = {
      commandId: 'cmd-1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { id: 'platform', role: 'platform' as const },
      occurredAt: '2026-03-02T01:00:00.000Z',
      schemaVersion: 2,
      origin: 'demo seed 7',
    };

    it('flattens metadata into string properties, as the multi-stream append requires', () => {
      const properties = toStoredProperties(metadata);
      expect(Object.values(properties).every((value) => typeof value === 'string')).toBe(true);
      expect(properties).toMatchObject({ actorId: 'platform', actorRole: 'platform', schemaVersion: '2', origin: 'demo seed 7', $correlationId: 'corr-1' });
      expect(properties).not.toHaveProperty('requestHash');
    });

    it('reads flat properties and nested metadata back to the same port metadata', () => {
      const fromFlat = fromStoredMetadata({ ...toStoredProperties(metadata), '$schema.name': 'DailySpendReported' });
      const fromNested = fromStoredMetadata(toStoredMetadata(metadata));
      expect(fromFlat).toEqual(metadata);
      expect(fromNested).toEqual(metadata);
    });

    it('chunks whole requests under the byte cap, keeping their order; an oversized request goes alone', () => {
      const request = (name: string, size: number) => ({
        streamName: name,
        expected: 'any' as const,
        events: [{ id: name, type: 'T', data: { pad: 'x'.repeat(size) }, metadata }],
      });
      const requests = [request('a', 300), request('b', 300), request('c', 5_000), request('d', 10)];
      const chunks = chunkAppendRequests(requests, 1_200);
      expect(chunks.map((chunk) => chunk.map((r) => r.streamName))).toEqual([['a', 'b'], ['c'], ['d']]);
      expect(chunkAppendRequests([], 1_200)).toEqual([]);
    });
  });

  describe('server filters', () => {
    it('prefers event types, then stream prefixes, else excludes system events', () => {
      expect(planServerFilter({ eventTypes: ['A'], streamNamePrefixes: ['s-'] })).toEqual({
        kind: 'event-type-prefixes',
        prefixes: ['A'],
      });
      expect(planServerFilter({ streamNamePrefixes: ['s-'] })).toEqual({ kind: 'stream-prefixes', prefixes: ['s-'] });
      expect(planServerFilter(undefined)).toEqual({ kind: 'exclude-system' });
      expect(planServerFilter({ eventTypes: [] })).toEqual({ kind: 'exclude-system' });
    });
  });

  describe('errors', () => {
    it('maps WrongExpectedVersion to the port concurrency error with the actual revision', () => {
      const clientError = Object.assign(new Error('wrong'), {
        type: 'wrong-expected-version',
        streamName: 'customer-9',
        expectedState: 2n,
        actualState: 5n,
      });
      const mapped = mapClientError(clientError, { expected: 2n });
      expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
      expect(mapped).toMatchObject({ streamName: 'customer-9', expected: 2n, actual: 5n });
    });

    it('maps a no_stream actual state to -1', () => {
      const mapped = mapClientError(
        { type: 'wrong-expected-version', streamName: 's-1', actualState: 'no_stream' },
        { expected: 'stream_exists' },
      );
      expect(mapped).toMatchObject({ actual: -1n });
    });

    it('maps an unreachable server (plain Error with gRPC code 14) to a clear unavailable error without credentials', () => {
      const clientError = Object.assign(new Error('14 UNAVAILABLE: No connection established\nmore'), { code: 14 });
      const mapped = mapClientError(clientError, { url: 'kurrentdb://admin:changeit@db:2113?tls=false' });
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      const message = (mapped as Error).message;
      expect(message).toContain('EventStoreDB is unreachable at kurrentdb://***@db:2113');
      expect(message).toContain('EVENTSTORE_URL');
      expect(message).not.toContain('changeit');
    });

    it('maps the client UnavailableError type too, and passes other errors through', () => {
      expect(mapClientError({ type: 'unavailable', message: 'down' }, {})).toBeInstanceOf(EventStoreUnavailableError);
      const other = new Error('boom');
      expect(mapClientError(other, {})).toBe(other);
    });

    it('redacts credentials from connection strings', () => {
      expect(redactUrl('esdb://user:pw@host:2113')).toBe('esdb://***@host:2113');
      expect(redactUrl('kurrentdb://host:2113?tls=false')).toBe('kurrentdb://host:2113?tls=false');
    });
  });
});
