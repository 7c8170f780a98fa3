import { addDays, isoWeekday } from '#shared-kernel';

/** The demo's days by index from its first day, computed once: the generator asks for them millions of times. */
export class Calendar {
  private readonly days: string[] = [];
  private readonly working: boolean[] = [];

  constructor(readonly startDay: string) {}

  day(index: number): string {
    if (index < 0) return addDays(this.startDay, index);
    let day = this.days[index];
    if (day === undefined) {
      day = addDays(this.startDay, index);
      this.days[index] = day;
      const weekday = isoWeekday(day);
      this.working[index] = weekday <= 5;
    }
    return day;
  }

  /** Monday to Friday. */
  isWorking(index: number): boolean {
    this.day(index);
    return this.working[index] ?? true;
  }
}
