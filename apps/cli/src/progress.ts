import type { RebuildProgress } from '../../../libs/read-store/src/projection-rebuilder';

const WIDTH = 24;

const rate = (perSecond: number): string => (perSecond >= 10_000 ? `${Math.round(perSecond / 1000)}k` : String(perSecond));
const duration = (seconds: number | null): string => {
  if (seconds === null) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
};

/** One line of progress: a bar, the position against the head, events/s and the time left. */
export const progressLine = (p: RebuildProgress): string => {
  const filled = Math.round(p.fraction * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  return `${p.projection.padEnd(16)} ${bar} ${String(Math.floor(p.fraction * 100)).padStart(3)}%  position ${p.position}/${p.head}  ${rate(p.eventsPerSecond)} events/s  ETA ${duration(p.etaSeconds)}`;
};

/**
 * Redraws one line on a terminal; elsewhere (CI logs, pipes) prints a line at most every few seconds, so a
 * long rebuild still shows it is moving without flooding the log.
 */
export const progressReporter = (stream: NodeJS.WriteStream = process.stderr, everyMs = 5000) => {
  let last = 0;
  let printed = '';
  return {
    update(p: RebuildProgress): void {
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
    done(p: RebuildProgress | null): void {
      if (!p) return;
      if (stream.isTTY) stream.write(`\r${progressLine(p)}\u001b[K\n`);
      else if (progressLine(p) !== printed) stream.write(`${progressLine(p)}\n`);
    },
  };
};
