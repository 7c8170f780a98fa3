import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Product } from '../../../customer/src/domain/customer.events';
import { churnRisk, compareRisk, type ChurnRisk, type ChurnRiskLevel } from '../../../customer/src/read-models/churn-risk';
import type { CustomerFactsDoc } from '../../../customer/src/read-models/customer-facts.doc';
import { isChurnedAsOf, repAssignedAt } from '../../../customer/src/read-models/customer-timeline';
import type { Actor } from '../../../shared-kernel/src/metadata';
import { ReadSideData, type CustomerTelemetry } from '../read-side-data';
import { groupOfRepAt, inScope, viewerScope } from '../viewer-scope';
import { pageOf, type Page, type Paging } from './paging';

export interface ChurnRiskFilter {
  readonly asOf: string;
  readonly repId?: string;
  readonly groupId?: string;
  readonly level?: ChurnRiskLevel;
  readonly product?: Product;
}

export interface ChurnRiskRow extends ChurnRisk {
  readonly companyName: string;
  readonly product: Product;
  readonly keyAccount: boolean;
  readonly serviceRepId: string;
  readonly groupId: string | null;
}

export class GetChurnRisk extends Query<Page<ChurnRiskRow> & { readonly asOf: string }> {
  constructor(
    readonly actor: Actor,
    readonly filter: ChurnRiskFilter,
    readonly paging: Paging,
  ) {
    super();
  }
}

/**
 * Customers by churn risk on `asOf`, riskiest first. A score is a pure function of the customer's facts and
 * telemetry, so it is memoised per customer against the positions of the documents it was computed from.
 */
@QueryHandler(GetChurnRisk)
export class GetChurnRiskHandler implements IQueryHandler<GetChurnRisk> {
  private readonly memo = new Map<string, { key: string; risk: ChurnRisk }>();

  constructor(private readonly data: ReadSideData) {}

  async execute({ actor, filter, paging }: GetChurnRisk): Promise<Page<ChurnRiskRow> & { readonly asOf: string }> {
    const [customers, reps] = await Promise.all([this.data.customers(), this.data.reps()]);
    const scope = viewerScope(actor, reps);
    const telemetry = await this.data.churnTelemetry(filter.asOf);
    const rows: ChurnRiskRow[] = [];
    for (const doc of customers.docs.values()) {
      if (doc.signedOn > filter.asOf || (filter.product && doc.product !== filter.product)) continue;
      const repId = repAssignedAt(doc, filter.asOf);
      if (!repId || !inScope(scope, repId) || (filter.repId && repId !== filter.repId)) continue;
      const groupId = groupOfRepAt(reps.docs.get(repId), filter.asOf) ?? null;
      if (filter.groupId && groupId !== filter.groupId) continue;
      if (isChurnedAsOf(doc, filter.asOf)) continue;
      const risk = this.riskOf(doc, customers.positionOf(doc.id), telemetry.of(doc.id), filter.asOf);
      if (filter.level && risk.level !== filter.level) continue;
      rows.push({ ...risk, companyName: doc.companyName, product: doc.product, keyAccount: doc.keyAccount, serviceRepId: repId, groupId });
    }
    rows.sort(compareRisk);
    return { asOf: filter.asOf, ...pageOf(rows, paging) };
  }

  riskOf(doc: CustomerFactsDoc, position: bigint, telemetry: CustomerTelemetry, asOf: string): ChurnRisk {
    const key = `${asOf}|${position}|${telemetry.version}`;
    const memo = this.memo.get(doc.id);
    if (memo?.key === key) return memo.risk;
    const risk = churnRisk(doc, telemetry.usage, telemetry.spend, this.data.rules, asOf);
    this.memo.set(doc.id, { key, risk });
    return risk;
  }
}
