import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BusinessCalendar } from '#calendar';
import { EVENT_STORE, EventStore } from '#event-store';
import { Clock, CLOCK } from '#shared-kernel';
import { APP_CONFIG, AppConfig, businessToday } from '#engine';

const logger = new Logger('BusinessCalendar');

/** How often the service looks whether a new business day has begun in the business time zone. */
export const CALENDAR_CHECK_MS = 30_000;

/**
 * Starts each business day in the log: the missed days at start-up, then each new day within half a minute of
 * midnight in the business time zone. Every instance does it; the calendar's expected revision makes it once.
 */
@Injectable()
export class BusinessCalendarTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly calendar: BusinessCalendar;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.calendar = new BusinessCalendar(store);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), CALENDAR_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Appends the days up to today; a failure is logged and retried at the next check, never fatal. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      const now = this.clock.now();
      try {
        const days = await this.calendar.startDaysThrough(businessToday(this.clock, this.config.businessTimeZone), this.config.businessTimeZone, now.toISOString());
        if (days.length > 0) logger.log(`Business day ${days.length === 1 ? days[0] : `${days[0]} to ${days[days.length - 1]} (${days.length} days)`} started`);
      } catch (error) {
        logger.warn(`Could not start the business day, retrying in ${CALENDAR_CHECK_MS / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return this.running;
  }
}
