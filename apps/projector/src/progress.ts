import type { ProjectionStatus } from '#reporting';

/**
 * One line on how far the projections are behind the log while they catch up (the one furthest behind decides), or
 * null when every running projection is level with it. A stopped or failed projection is reported by the full
 * status, not here.
 */
export const catchUpLine = (statuses: readonly Pick<ProjectionStatus, 'name' | 'state' | 'lagEvents' | 'eventsPerSecond' | 'head'>[]): string | null => {
  const running = statuses.filter((s) => s.state === 'catching_up' || s.state === 'live' || s.state === 'starting');
  const behind = running.filter((s) => s.lagEvents > 0);
  if (behind.length === 0) return null;
  const last = behind.reduce((worst, s) => (s.lagEvents > worst.lagEvents ? s : worst));
  const rate = last.eventsPerSecond ?? 0;
  const left = rate > 0 ? `, about ${formatDuration(last.lagEvents / rate)} left` : '';
  const others = behind.length > 1 ? ` (${behind.length} of ${running.length} projections behind)` : '';
  return `Catching up with the log (head ${last.head}): ${last.name} is ${last.lagEvents.toLocaleString('en-US')} events behind at ${rate.toLocaleString('en-US')} events/s${left}${others}`;
};

const formatDuration = (seconds: number): string => (seconds < 90 ? `${Math.max(1, Math.round(seconds))} s` : `${Math.round(seconds / 60)} min`);
