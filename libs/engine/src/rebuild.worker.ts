import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { ProjectionRebuilder } from '#read-store';
import { projectionsFor } from '#views';
import { openEventStore, openReadStore } from './open-stores';
import type { FromRebuildThread, RebuildThreadInput, ToRebuildThread } from './rebuild-threads';

/**
 * A rebuild thread (see `RebuildThreads`): opens the configured stores, then rebuilds the projections the parent
 * names, one at a time, posting progress and each result or failure; closes the stores when told to.
 */
const { stores, rules } = workerData as RebuildThreadInput;
const port = parentPort!;
const post = (message: FromRebuildThread) => port.postMessage(message);
// The parent logs what a rebuild does; the stores' opening lines would only repeat its own.
Logger.overrideLogger(false);
const opened = Promise.all([openEventStore(stores), openReadStore(stores)]);
// Failing to open is reported to the rebuild that asked, not thrown from here.
opened.catch(() => undefined);
const projections = new Map(projectionsFor(rules).map((projection) => [projection.name, projection]));

port.on('message', (message: ToRebuildThread) => {
  void (async () => {
    if (message.kind === 'close') {
      const [events, store] = await opened.catch(() => [undefined, undefined] as const);
      await Promise.allSettled([events?.close(), store?.close()]);
      post({ kind: 'closed' });
      port.close();
      return;
    }
    try {
      const projection = projections.get(message.name);
      if (!projection) throw new Error(`No projection named ${message.name}`);
      const [events, store] = await opened;
      const result = await new ProjectionRebuilder(events, store).rebuild(projection, { ...message.options, onProgress: (progress) => post({ kind: 'progress', progress }) });
      post({ kind: 'done', result });
    } catch (error) {
      post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
});
