/** Events per second over the last few seconds, in one-second buckets. */
export class RateMeter {
  private readonly buckets = new Map<number, number>();

  constructor(private readonly windowSeconds = 5) {}

  record(nowMs: number, count: number): void {
    const second = Math.floor(nowMs / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + count);
    for (const key of this.buckets.keys()) if (key <= second - this.windowSeconds) this.buckets.delete(key);
  }

  perSecond(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (const [key, count] of this.buckets) if (key > second - this.windowSeconds) total += count;
    return Math.round(total / this.windowSeconds);
  }
}
