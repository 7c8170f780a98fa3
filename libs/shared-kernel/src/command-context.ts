import type { Actor } from './metadata';

/** Who gives a command, when it takes effect, and how it ties to the request that carried it. */
export interface CommandContext {
  /** Unique per command; derived from the Idempotency-Key when the client sends one. */
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  /** Business time of the command (ISO-8601 instant). */
  readonly occurredAt: string;
  /** The business date of `occurredAt` in the business time zone. */
  readonly businessDate: string;
  /** Hash of the request, to tell a retry from a different request reusing an idempotency key. */
  readonly requestHash: string;
  /** True when `commandId` came from a client Idempotency-Key. */
  readonly idempotent: boolean;
}
