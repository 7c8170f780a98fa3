import type { DemoEvent } from '#demo';
import type { AppendRequest } from '#event-store';

/** One demo day's events as one multi-stream append (each stream's events in order). */
export const toRequests = (events: readonly DemoEvent[]): AppendRequest[] => {
  const byStream = new Map<string, DemoEvent['event'][]>();
  for (const { streamName, event } of events) byStream.set(streamName, [...(byStream.get(streamName) ?? []), event]);
  return [...byStream].map(([streamName, list]) => ({ streamName, events: list, expected: 'any' as const }));
};

/** An answer, or the error it threw as its class name and message, so answers and refusals compare alike. */
export const outcome = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    return await run();
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
};
