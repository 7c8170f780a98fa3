import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type Actor, BadRequest, Clock, CLOCK, type CommandContext, dateInZone, deterministicUuid, newId, stableHash } from '#shared-kernel';
import { APP_CONFIG, AppConfig } from '#engine';

const HEADER_VALUE = /^[\x21-\x7e]{1,200}$/;
/** Business time may be back-dated (a visit recorded the next morning) but not ahead of the clock. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Builds the metadata a command carries from the HTTP request: ids, actor, business time, request hash. */
@Injectable()
export class CommandContextFactory {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  create(request: FastifyRequest, actor: Actor, occurredAt?: string): CommandContext {
    const key = this.header(request, 'idempotency-key');
    // A key is the caller's own: two users may use the same key for different requests.
    const commandId = key ? deterministicUuid('idempotency-key', actor.id, key) : newId();
    const now = this.clock.now();
    const at = occurredAt ?? now.toISOString();
    if (Date.parse(at) > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw new BadRequest('OCCURRED_IN_FUTURE', `occurredAt ${at} is in the future`, { field: 'occurredAt' });
    }
    const instant = new Date(at).toISOString();
    return {
      commandId,
      // The request id (the caller's X-Request-Id, or one made for the request) ties the events to the request's logs.
      correlationId: this.header(request, 'x-correlation-id') ?? request.id,
      causationId: this.header(request, 'x-causation-id') ?? commandId,
      actor,
      occurredAt: instant,
      businessDate: dateInZone(instant, this.config.businessTimeZone),
      // Only a request with an Idempotency-Key can be replayed, so only it needs a fingerprint.
      requestHash: key ? stableHash({ method: request.method, path: request.url.split('?')[0], body: request.body ?? null, actor: actor.id }) : '',
      idempotent: key !== undefined,
    };
  }

  private header(request: FastifyRequest, name: string): string | undefined {
    const value = request.headers[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      throw new BadRequest('INVALID_HEADER', `${name} must be 1–200 printable ASCII characters`, { header: name });
    }
    return value;
  }
}
