import type { PreparedEvent } from '#event-store';
import { type DemoOptions, generateDemoDays } from './demo-log';

/** A run of the demo log ready for a bulk import, with where the generator stands. */
export interface PreparedBatch {
  readonly events: readonly PreparedEvent[];
  /** The last business day the batch holds events of. */
  readonly day: string;
  /** Days generated so far out of `options.days`. */
  readonly daysDone: number;
}

/**
 * The same run as one flat array, five cells per event (stream, id, type, data, metadata), cheap to copy between
 * threads. Revisions are counted where the batches are taken (`fromCells`), which keeps the map of every stream off the
 * generator's thread.
 */
export interface CellBatch {
  readonly cells: readonly string[];
  readonly day: string;
  readonly daysDone: number;
}

export const CELLS_PER_EVENT = 5;

/**
 * The demo log with data and metadata serialised, as flat cells, in batches of at least `minEvents` (the last may be
 * smaller) cut at the end of a day, or within a day four times as long. The serialising is here so that it runs wherever the
 * generator runs (in a worker thread, while the store writes).
 */
export function* demoCellBatches(options: DemoOptions, minEvents: number): Generator<CellBatch> {
  let cells: string[] = [];
  let last: { day: string; daysDone: number } | undefined;
  for (const day of generateDemoDays(options)) {
    // Events of one command share their metadata object: serialise it once.
    let lastMetadata: object | undefined;
    let metadataJson = '';
    for (const { streamName, event } of day.events) {
      if (event.metadata !== lastMetadata) {
        lastMetadata = event.metadata;
        metadataJson = JSON.stringify(event.metadata);
      }
      cells.push(streamName, event.id, event.type, JSON.stringify(event.data), metadataJson);
      // A long day (the first, with the telemetry of terms begun before it) goes out in pieces, so the store can write
      // while the rest is prepared.
      if (cells.length >= minEvents * CELLS_PER_EVENT * 4) {
        yield { cells, day: day.day, daysDone: day.index };
        cells = [];
      }
    }
    last = { day: day.day, daysDone: day.index + 1 };
    if (cells.length >= minEvents * CELLS_PER_EVENT) {
      yield { cells, ...last };
      cells = [];
    }
  }
  if (last && cells.length > 0) yield { cells, ...last };
}

/** Prepared events from cells, each given the next revision of its stream (`revisions` carries them across batches). */
export const fromCells = (batch: CellBatch, revisions: Map<string, number>): PreparedBatch => {
  const { cells } = batch;
  const events: PreparedEvent[] = new Array(cells.length / CELLS_PER_EVENT);
  for (let i = 0, e = 0; i < cells.length; i += CELLS_PER_EVENT, e += 1) {
    const streamName = cells[i]!;
    const revision = (revisions.get(streamName) ?? -1) + 1;
    revisions.set(streamName, revision);
    events[e] = { streamName, revision, id: cells[i + 1]!, type: cells[i + 2]!, data: cells[i + 3]!, metadata: cells[i + 4]! };
  }
  return { events, day: batch.day, daysDone: batch.daysDone };
};

/** The demo log as prepared events, batch by batch (see `demoCellBatches`). */
export function* preparedDemoBatches(options: DemoOptions, minEvents: number): Generator<PreparedBatch> {
  const revisions = new Map<string, number>();
  for (const batch of demoCellBatches(options, minEvents)) yield fromCells(batch, revisions);
}
