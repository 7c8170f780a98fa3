import { AppendOutcomeUnknownError, AppendTooLargeError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port';
import {
  appendBytes,
  assertAppendFits,
  assertDistinctIgnoringCase,
  connectionStringProblem,
  DEFAULT_MAX_APPEND_BYTES,
  fromCurrentState,
  fromStoredMetadata,
  fromPortPosition,
  fromRecordedEvent,
  isNotLeader,
  isOutcomeUnknown,
  isSystemEvent,
  mapClientError,
  planServerFilter,
  redactUrl,
  serverTooOld,
  supportsMultiStreamAppend,
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

    const request = (name: string, data: Record<string, unknown>) => ({
      streamName: name,
      expected: 'any' as const,
      events: [{ id: name, type: 'T', data, metadata }],
    });

    it('counts an append in UTF-8 bytes, as the server does: a Chinese character is 3 bytes, not 1', () => {
      const latin = appendBytes([request('s-1', { name: 'abc' })]);
      const chinese = appendBytes([request('s-1', { name: '康裕航' })]);
      expect(chinese - latin).toBe(6);
      expect(appendBytes([])).toBe(0);
      // Stream name, id, type, data and every property count.
      const one = appendBytes([request('s-1', {})]);
      expect(one).toBe(
        3 + 16 + 1 + 2 + Object.entries(toStoredProperties(metadata)).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0),
      );
      expect(appendBytes([request('s-1', {}), request('s-2', {})])).toBe(2 * one);
    });

    it('sends one batch as one append up to the limit, and refuses a larger one whole, saying by how much', () => {
      const requests = [request('a', { pad: 'x'.repeat(300) }), request('b', { pad: 'x'.repeat(300) })];
      const bytes = appendBytes(requests);
      expect(() => assertAppendFits(requests, bytes)).not.toThrow();
      expect(() => assertAppendFits(requests, bytes - 1)).toThrow(AppendTooLargeError);
      try {
        assertAppendFits(requests, bytes - 1);
      } catch (error) {
        expect(error).toMatchObject({ code: 'APPEND_TOO_LARGE', bytes, maxBytes: bytes - 1 });
        expect((error as Error).message).toBe(
          `The batch is ${bytes} bytes, more than the ${bytes - 1} bytes the event store accepts in one append; nothing was stored. Send it in smaller batches.`,
        );
      }
      // The server's default since 25.1: a 10,000-record telemetry batch is far below it.
      expect(DEFAULT_MAX_APPEND_BYTES).toBe(256 * 1024 * 1024);
      const telemetry = Array.from({ length: 10_000 }, (_, i) => request(`usage-c-${i}.2026-03-01`, { customerId: `c-${i}`, day: '2026-03-01', logins: 3, inquiriesReceived: 2 }));
      expect(() => assertAppendFits(telemetry, DEFAULT_MAX_APPEND_BYTES)).not.toThrow();
    });

    it('refuses stream names that differ only in case, which are one stream to the server', () => {
      expect(() => assertDistinctIgnoringCase([request('usage-C-1', {}), request('usage-c-1', {})])).toThrow(
        new RangeError('appendMany names streams usage-C-1 and usage-c-1, which differ only in case and are one stream to KurrentDB'),
      );
      expect(() => assertDistinctIgnoringCase([request('usage-c-1', {}), request('usage-c-2', {})])).not.toThrow();
      expect(() => assertDistinctIgnoringCase([])).not.toThrow();
    });
  });

  describe('the server', () => {
    it('has multi-stream append from KurrentDB 25.1 on, and not before or when its version is unknown', () => {
      expect(supportsMultiStreamAppend('25.1.0.2187')).toBe(true);
      expect(supportsMultiStreamAppend('25.1')).toBe(true);
      expect(supportsMultiStreamAppend('25.2.0')).toBe(true);
      expect(supportsMultiStreamAppend('26.0.0')).toBe(true);
      expect(supportsMultiStreamAppend('25.0.1')).toBe(false);
      expect(supportsMultiStreamAppend('24.10.0')).toBe(false);
      expect(supportsMultiStreamAppend('23.10.1')).toBe(false);
      expect(supportsMultiStreamAppend('unknown')).toBe(false);
      expect(supportsMultiStreamAppend('')).toBe(false);
    });

    it('says which version it found and which it needs, without credentials', () => {
      const error = serverTooOld('24.10.0', 'esdb://admin:changeit@db:2113');
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect(error.message).toBe(
        'The event store at esdb://***@db:2113 is version 24.10.0; this service needs KurrentDB 25.1 or later (a telemetry batch is one multi-stream append, which EventStoreDB 23/24 and KurrentDB 25.0 do not have). Upgrade the server, or run without EVENTSTORE_URL on the embedded store.',
      );
      expect(serverTooOld('', 'kurrentdb://db:2113').message).toContain('is of an unknown version;');
    });

    it('accepts the schemes the client reads and refuses the others, and throwOnAppendFailure=false', () => {
      for (const url of ['kurrentdb://db:2113?tls=false', 'kurrent://db:2113', 'kdb://db', 'esdb://db:2113', 'kurrentdb+discover://db:2113', 'KurrentDB://db', 'kurrentdb://db?throwOnAppendFailure=true']) {
        expect(connectionStringProblem(url)).toBeNull();
      }
      const scheme =
        'EVENTSTORE_URL must start with kurrentdb://, kurrent://, kdb:// or esdb:// (each optionally +discover), e.g. kurrentdb://localhost:2113?tls=false';
      expect(connectionStringProblem('eventstoredb://db:2113')).toBe(scheme);
      expect(connectionStringProblem('http://db:2113')).toBe(scheme);
      expect(connectionStringProblem('kurrentdb:db')).toBe(scheme);
      const failures =
        'EVENTSTORE_URL must not set throwOnAppendFailure=false: a failed append would then look stored, and conflicts and duplicates would go unseen';
      expect(connectionStringProblem('kurrentdb://db:2113?tls=false&throwOnAppendFailure=false')).toBe(failures);
      expect(connectionStringProblem('kurrentdb://db:2113?ThrowOnAppendFailure=False')).toBe(failures);
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

    it('maps an append that may have been written to an outcome-unknown error: deadline, commit timeout, INTERNAL, DATA_LOSS', () => {
      const cases = [
        { type: 'deadline-exceeded', message: 'Deadline exceeded' },
        { type: 'timeout', message: 'commit timeout' },
        { type: 'unavailable', code: 13, message: '13 INTERNAL: boom' },
        { type: 'unavailable', code: 15, message: '15 DATA_LOSS: lost' },
        Object.assign(new Error('4 DEADLINE_EXCEEDED: too slow'), { code: 4 }),
      ];
      for (const error of cases) {
        expect(isOutcomeUnknown(error)).toBe(true);
        const mapped = mapClientError(error, { streamName: 'customer-1', appending: true });
        expect(mapped).toBeInstanceOf(AppendOutcomeUnknownError);
        expect(mapped).toMatchObject({ code: 'APPEND_OUTCOME_UNKNOWN', cause: error });
        expect((mapped as Error).message).toContain('The event store did not confirm the append to customer-1');
        expect((mapped as Error).message).toContain('it may have been written. Retry the command with the same Idempotency-Key');
      }
      // Reading, the same errors only mean the server did not answer.
      expect(mapClientError(cases[0], {})).toBeInstanceOf(EventStoreUnavailableError);
      // An unreachable server never took the append.
      expect(isOutcomeUnknown({ type: 'unavailable', code: 14 })).toBe(false);
      expect(mapClientError({ type: 'unavailable', code: 14, message: 'down' }, { appending: true })).toBeInstanceOf(EventStoreUnavailableError);
      expect(isOutcomeUnknown({ type: 'wrong-expected-version' })).toBe(false);
      expect(isOutcomeUnknown(null)).toBe(false);
    });

    it('maps the server refusing an append for its size to the same refusal, with the sizes it gives', () => {
      expect(mapClientError({ type: 'transaction-max-size-exceeded', size: 300, maxSize: 200 }, { appending: true })).toStrictEqual(new AppendTooLargeError(300, 200));
      expect(mapClientError({ type: 'append-record-size-exceeded', size: 90, maxSize: 80, stream: 's', recordId: 'r' }, {})).toMatchObject({ bytes: 90, maxBytes: 80 });
      const configured = mapClientError({ type: 'maximum-append-size-exceeded', maxAppendSize: 1_048_576 }, { appending: true }) as AppendTooLargeError;
      expect(configured).toMatchObject({ code: 'APPEND_TOO_LARGE', bytes: -1, maxBytes: 1_048_576 });
      expect(configured.message).toBe('The batch is more than the 1048576 bytes the event store accepts in one append; nothing was stored. Send it in smaller batches.');
      expect(new AppendTooLargeError(-1, -1).message).toBe('The batch is more than the event store accepts in one append; nothing was stored. Send it in smaller batches.');
    });

    it('recognises a not-leader answer, which refused the append without running it', () => {
      expect(isNotLeader({ type: 'not-leader' })).toBe(true);
      expect(isNotLeader({ type: 'unavailable' })).toBe(false);
      expect(isNotLeader(undefined)).toBe(false);
    });

    it('redacts credentials from connection strings', () => {
      expect(redactUrl('esdb://user:pw@host:2113')).toBe('esdb://***@host:2113');
      expect(redactUrl('kurrentdb://host:2113?tls=false')).toBe('kurrentdb://host:2113?tls=false');
    });
  });
});
