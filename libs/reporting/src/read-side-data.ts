import { Inject, Injectable } from '@nestjs/common';
import type { CustomerFactsDoc } from '../../customer/src/read-models/customer-facts.doc';
import { CUSTOMER_FACTS_PROJECTION, CUSTOMERS_COLLECTION } from '../../customer/src/read-models/customer-facts.doc';
import type { CollectionView } from '../../read-store/src/read-model-reader';
import { ReadModelReader } from '../../read-store/src/read-model-reader';
import { churnLookBackStart } from '../../customer/src/read-models/churn-risk';
import { SERVICE_RULES } from './tokens';
import type { ServiceRules } from '../../shared-kernel/src/service-rules';
import type { RepDayDoc } from '../../staff/src/read-models/rep-activity.doc';
import { REP_ACTIVITY_PROJECTION, REP_DAYS_COLLECTION } from '../../staff/src/read-models/rep-activity.doc';
import type { GroupDoc, RepDoc } from '../../staff/src/read-models/staff.doc';
import { GROUPS_COLLECTION, REPS_COLLECTION, STAFF_PROJECTION } from '../../staff/src/read-models/staff.doc';
import { monthsCovering, spendSeries, usageSeries, type SpendSeries, type UsageSeries } from '../../telemetry/src/read-models/daily-series';
import type { SpendMonthDoc, UsageMonthDoc } from '../../telemetry/src/read-models/telemetry-months.doc';
import { SPEND_MONTHS_COLLECTION, TELEMETRY_PROJECTION, USAGE_MONTHS_COLLECTION } from '../../telemetry/src/read-models/telemetry-months.doc';

/** One customer's telemetry over a range of months, with a version stamp for memoising what is derived from it. */
export interface CustomerTelemetry {
  readonly usage: UsageSeries;
  readonly spend: SpendSeries;
  readonly version: string;
}

/** The month documents of a date range, by customer. */
export class TelemetryWindow {
  private readonly empty: CustomerTelemetry = { usage: usageSeries([]), spend: spendSeries([]), version: '' };
  private readonly cache = new Map<string, CustomerTelemetry>();

  constructor(
    private readonly usage: readonly CollectionView<UsageMonthDoc & { id: string }>[],
    private readonly spend: readonly CollectionView<SpendMonthDoc & { id: string }>[],
    private readonly months: readonly string[],
  ) {}

  of(customerId: string): CustomerTelemetry {
    const cached = this.cache.get(customerId);
    if (cached) return cached;
    const usage: UsageMonthDoc[] = [];
    const spend: SpendMonthDoc[] = [];
    const stamps: string[] = [];
    this.months.forEach((month, i) => {
      const id = `${customerId}:${month}`;
      const u = this.usage[i]!.docs.get(id);
      const s = this.spend[i]!.docs.get(id);
      if (u) usage.push(u);
      if (s) spend.push(s);
      stamps.push(`${this.usage[i]!.positionOf(id)}/${this.spend[i]!.positionOf(id)}`);
    });
    const result = usage.length === 0 && spend.length === 0 ? this.empty : { usage: usageSeries(usage), spend: spendSeries(spend), version: stamps.join(',') };
    this.cache.set(customerId, result);
    return result;
  }
}

/** Typed access to the live read models the views are computed from. */
@Injectable()
export class ReadSideData {
  constructor(
    private readonly reader: ReadModelReader,
    @Inject(SERVICE_RULES) readonly rules: ServiceRules,
  ) {}

  customers(): Promise<CollectionView<CustomerFactsDoc>> {
    return this.reader.view<CustomerFactsDoc>(CUSTOMER_FACTS_PROJECTION, CUSTOMERS_COLLECTION);
  }

  reps(): Promise<CollectionView<RepDoc>> {
    return this.reader.view<RepDoc>(STAFF_PROJECTION, REPS_COLLECTION);
  }

  groups(): Promise<CollectionView<GroupDoc>> {
    return this.reader.view<GroupDoc>(STAFF_PROJECTION, GROUPS_COLLECTION);
  }

  repDays(): Promise<CollectionView<RepDayDoc>> {
    return this.reader.view<RepDayDoc>(REP_ACTIVITY_PROJECTION, REP_DAYS_COLLECTION);
  }

  /** Telemetry for the days from `from` to `to`, one partition per month. */
  async telemetry(from: string, to: string): Promise<TelemetryWindow> {
    const months = monthsCovering(from, to);
    const usage = await Promise.all(
      months.map((month) => this.reader.view<UsageMonthDoc & { id: string }>(TELEMETRY_PROJECTION, USAGE_MONTHS_COLLECTION, { field: 'month', value: month })),
    );
    const spend = await Promise.all(
      months.map((month) => this.reader.view<SpendMonthDoc & { id: string }>(TELEMETRY_PROJECTION, SPEND_MONTHS_COLLECTION, { field: 'month', value: month })),
    );
    return new TelemetryWindow(usage, spend, months);
  }

  /** The telemetry days churn risk and the worklist look at for `asOf`. */
  churnTelemetry(asOf: string): Promise<TelemetryWindow> {
    return this.telemetry(churnLookBackStart(asOf, this.rules), asOf);
  }
}
