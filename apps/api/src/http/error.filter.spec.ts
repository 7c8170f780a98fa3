import { AppendOutcomeUnknownError, AppendTooLargeError, EventStoreUnavailableError } from '#event-store';
import { toErrorBody } from './error.filter';

describe('toErrorBody', () => {
  it('answers an append the store did not confirm with 503 and says a retry with the same key is safe', () => {
    expect(toErrorBody(new AppendOutcomeUnknownError('deadline exceeded'))).toStrictEqual({
      statusCode: 503,
      code: 'APPEND_OUTCOME_UNKNOWN',
      message:
        'The event store did not confirm the write: it may have been stored. Retry with the same Idempotency-Key; if it was stored, the retry answers its outcome and stores nothing again',
    });
    // An unreachable store is a different answer: nothing was written.
    expect(toErrorBody(new EventStoreUnavailableError('down'))).toMatchObject({ statusCode: 503, code: 'EVENT_STORE_UNAVAILABLE' });
  });

  it('answers a batch larger than the store takes with 413, naming the sizes it knows', () => {
    expect(toErrorBody(new AppendTooLargeError(300, 200))).toStrictEqual({
      statusCode: 413,
      code: 'APPEND_TOO_LARGE',
      message: 'The batch is 300 bytes, more than the 200 bytes the event store accepts in one append; nothing was stored. Send it in smaller batches.',
      details: { bytes: 300, maxBytes: 200 },
    });
    expect(toErrorBody(new AppendTooLargeError(-1, 200))).toMatchObject({ statusCode: 413, details: { maxBytes: 200 } });
    expect(toErrorBody(new AppendTooLargeError(-1, -1))).not.toHaveProperty('details');
  });
});
