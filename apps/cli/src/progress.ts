import type { RebuildProgress } from '#read-store';

const WIDTH = 24;

/** What one progress line shows: a label, how far along, what has been done, the rate and the time left. */
export interface ProgressState {
  readonly label: string;
  /** 0…1 */
  readonly fraction: number;
  readonly detail: string;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number | null;
}

const rate = (perSecond: number): string => (perSecond >= 10_000 ? `${Math.round(perSecond / 1000)}k` : String(perSecond));
const duration = (seconds: number | null): string => {
  if (seconds === null) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
};

export const fromRebuild = (p: RebuildProgress): ProgressState => ({
  label: p.projection,
  fraction: p.fraction,
  detail: `position ${p.position}/${p.head}`,
  eventsPerSecond: p.eventsPerSecond,
  etaSeconds: p.etaSeconds,
});

/**
 * One line for rebuilds running side by side (in threads): how many are done, the whole job's fraction (a projection
 * done counts whole, one not started as nothing), each running one's percentage, their events/s summed, and the time
 * left once none waits to start (the longest of those running).
 */
export const fromRebuilds = (names: readonly string[], running: ReadonlyMap<string, RebuildProgress>, done: ReadonlySet<string>): ProgressState => {
  const fraction = names.reduce((sum, name) => sum + (done.has(name) ? 1 : (running.get(name)?.fraction ?? 0)), 0) / Math.max(1, names.length);
  const active = [...running.values()].filter((p) => !done.has(p.projection));
  const waiting = names.length - done.size - active.length;
  const etas = active.map((p) => p.etaSeconds);
  return {
    label: `${done.size}/${names.length} built`,
    fraction,
    detail: [active.map((p) => `${p.projection} ${Math.floor(p.fraction * 100)}%`).join(', '), waiting > 0 ? `(${waiting} waiting)` : ''].filter((part) => part !== '').join(' '),
    eventsPerSecond: active.reduce((sum, p) => sum + p.eventsPerSecond, 0),
    etaSeconds: waiting > 0 || etas.some((eta) => eta === null) ? null : Math.max(0, ...(etas as number[])),
  };
};

/** One line of progress: a bar, what has been done, events/s and the time left. */
export const progressLine = (p: ProgressState): string => {
  const filled = Math.round(Math.min(1, Math.max(0, p.fraction)) * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  return `${p.label.padEnd(16)} ${bar} ${String(Math.floor(p.fraction * 100)).padStart(3)}%  ${p.detail}  ${rate(p.eventsPerSecond)} events/s  ETA ${duration(p.etaSeconds)}`;
};

/**
 * Redraws one line on a terminal; elsewhere (CI logs, pipes) prints a line at most every few seconds, so a
 * long run still shows it is moving without flooding the log.
 */
export const progressReporter = (stream: NodeJS.WriteStream = process.stderr, everyMs = 5000) => {
  let last = 0;
  let printed = '';
  return {
    update(p: ProgressState): void {
      if (stream.isTTY) {
        stream.write(`\r${progressLine(p)}\u001b[K`);
        return;
      }
      const now = Date.now();
      if (now - last >= everyMs) {
        last = now;
        printed = progressLine(p);
        stream.write(`${printed}\n`);
      }
    },
    done(p: ProgressState | null): void {
      if (!p) return;
      if (stream.isTTY) stream.write(`\r${progressLine(p)}\u001b[K\n`);
      else if (progressLine(p) !== printed) stream.write(`${progressLine(p)}\n`);
    },
  };
};
