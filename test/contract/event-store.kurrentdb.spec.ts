import { connectKurrentDb } from '#event-store';
import { eventStoreContract } from '#testing';

const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreContract(`KurrentDB (${url.replace(/\/\/([^@/]*)@/, '//***@')})`, async () => {
    const store = await connectKurrentDb({ url });
    return { store, dispose: () => store.close() };
  });
} else {
  describe('EventStore contract: KurrentDB', () => {
    it.skip('SKIPPED: EVENTSTORE_URL is not set, so no EventStoreDB/KurrentDB server to run against (start one with `docker compose up -d kurrentdb`, then EVENTSTORE_URL=kurrentdb://localhost:2113?tls=false npm test)', () => undefined);
  });
  // eslint-disable-next-line no-console
  console.warn(
    'EventStore contract suite for KurrentDB SKIPPED: EVENTSTORE_URL is not set. ' +
      'Run `docker compose up -d kurrentdb` and set EVENTSTORE_URL=kurrentdb://localhost:2113?tls=false to run it.',
  );
}
