import { createHmac, timingSafeEqual } from 'node:crypto';
import { Unauthenticated } from '../../shared-kernel/src/errors';
import { isId } from '../../shared-kernel/src/ids';
import { Actor, isRole } from '../../shared-kernel/src/metadata';

/**
 * Signed bearer tokens: compact JWS with HS256 (RFC 7515/7519) carrying `sub`, `role`, `iat` and `exp`.
 * Only HS256 is accepted, whatever the header says, so a token cannot choose a weaker algorithm.
 */
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
export const MIN_SECRET_LENGTH = 32;

export interface TokenClaims extends Actor {
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export const issueToken = (actor: Actor, secret: string, nowSeconds: number, ttlSeconds: number): string => {
  assertSecret(secret);
  if (!isId(actor.id)) throw new Error(`Invalid subject: ${actor.id}`);
  if (!isRole(actor.role)) throw new Error(`Invalid role: ${String(actor.role)}`);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('The token lifetime must be a positive number of seconds');
  const payload = base64url(JSON.stringify({ sub: actor.id, role: actor.role, iat: nowSeconds, exp: nowSeconds + ttlSeconds }));
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, secret)}`;
};

export const verifyToken = (token: string, secret: string, nowSeconds: number): TokenClaims => {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Unauthenticated('The bearer token is malformed');
  const [header, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Unauthenticated('The bearer token signature is invalid');
  let claims: Record<string, unknown>;
  try {
    const decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (decodedHeader.alg !== 'HS256') throw new Error('alg');
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('claims');
  } catch {
    throw new Unauthenticated('The bearer token is malformed');
  }
  const { sub, role, iat, exp } = claims;
  if (!isId(sub) || !isRole(role) || typeof iat !== 'number' || typeof exp !== 'number') {
    throw new Unauthenticated('The bearer token lacks a valid sub, role, iat or exp');
  }
  if (exp <= nowSeconds) throw new Unauthenticated('The bearer token has expired');
  return { id: sub, role, issuedAt: iat, expiresAt: exp };
};

export const assertSecret = (secret: string): void => {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`The token secret must be at least ${MIN_SECRET_LENGTH} characters`);
};

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}
