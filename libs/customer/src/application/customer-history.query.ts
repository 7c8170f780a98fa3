import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '#event-store';
import { type Actor, Forbidden, NotFound } from '#shared-kernel';
import { customerStream } from './customer-commands';

export interface AuditEntry {
  readonly revision: string;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly actor: Actor;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly schemaVersion: number;
}

export interface CustomerHistoryPage {
  readonly customerId: string;
  readonly stream: string;
  readonly events: readonly AuditEntry[];
  /** Pass as `fromRevision` for the next page; null when this page reaches the end. */
  readonly nextFromRevision: string | null;
}

export class GetCustomerHistory extends Query<CustomerHistoryPage> {
  constructor(
    readonly actor: Actor,
    readonly customerId: string,
    readonly fromRevision: bigint,
    readonly limit: number,
  ) {
    super();
  }
}

/** The admin's audit: a customer's whole history read straight from the event store, not from a projection. */
@QueryHandler(GetCustomerHistory)
export class GetCustomerHistoryHandler implements IQueryHandler<GetCustomerHistory, CustomerHistoryPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ actor, customerId, fromRevision, limit }: GetCustomerHistory): Promise<CustomerHistoryPage> {
    if (actor.role !== 'admin') throw new Forbidden('Only admins may read the audit history');
    const stream = customerStream(customerId);
    const events = await this.store.readStream(stream, { fromRevision, maxCount: limit + 1 });
    if (events.length === 0 && fromRevision === 0n) throw new NotFound(`Customer ${customerId} does not exist`);
    const page = events.slice(0, limit);
    return {
      customerId,
      stream,
      events: page.map((event) => ({
        revision: event.revision.toString(),
        position: event.position.toString(),
        eventId: event.id,
        type: event.type,
        data: event.data,
        actor: event.metadata.actor,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.metadata.recordedAt,
        commandId: event.metadata.commandId,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.causationId,
        schemaVersion: event.metadata.schemaVersion,
      })),
      nextFromRevision: events.length > limit ? events[limit]!.revision.toString() : null,
    };
  }
}
