export const ROLES = ['rep', 'supervisor', 'manager', 'admin', 'analyst', 'platform'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export interface Actor {
  readonly id: string;
  readonly role: Role;
}

/** Metadata stored with every event. */
export interface EventMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  /** Business time: when it happened in the world (ISO-8601). */
  readonly occurredAt: string;
  /** When the store accepted it (ISO-8601). */
  readonly recordedAt: string;
  readonly schemaVersion: number;
  /** Hash of the request that produced the event, to detect an idempotency key reused for another request. */
  readonly requestHash?: string;
  /** Set on events that did not come from a user's request, e.g. `demo seed 42` for generated demo data. */
  readonly origin?: string;
}
