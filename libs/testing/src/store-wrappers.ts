import type { EventStore } from '#event-store';

/** The same store with its `append` replaced, to simulate other writers or failures in tests. */
export const withAppend = (store: EventStore, append: EventStore['append']): EventStore => ({
  append,
  appendMany: store.appendMany.bind(store),
  readStream: store.readStream.bind(store),
  readAll: store.readAll.bind(store),
  headPosition: store.headPosition.bind(store),
  subscribeToAll: store.subscribeToAll.bind(store),
  close: store.close.bind(store),
});
