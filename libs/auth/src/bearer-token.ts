import { createHmac, timingSafeEqual } from 'node:crypto';
import { Actor, isId, isRole, Unauthenticated } from '#shared-kernel';

/**
 * Signed bearer tokens: compact JWS with HS256 (RFC 7515/7519) carrying `sub`, `role`, `iat` and `exp`.
 * Only HS256 is accepted, whatever the header says, so a token cannot choose a weaker algorithm.
 */
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
export const MIN_SECRET_LENGTH = 32;
/** Different characters a secret must hold: 32 spaces, or "a" 32 times, are long but guessable. */
export const MIN_SECRET_DISTINCT = 12;
/** The longest lifetime a token may have (30 days); a longer one is refused when issued and when presented. */
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;
/** How far ahead of the service's clock a token's issue time may be (clocks of two machines differ a little). */
export const CLOCK_SKEW_SECONDS = 60;

/** What is wrong with a secret for signing tokens, or null when it is fit. */
export const secretProblem = (secret: string, name = 'The token secret'): string | null => {
  if (secret.length < MIN_SECRET_LENGTH) return `${name} must be at least ${MIN_SECRET_LENGTH} characters`;
  if (secret.trim() === '' || new Set(secret).size < MIN_SECRET_DISTINCT) return `${name} must mix at least ${MIN_SECRET_DISTINCT} different characters (use a random one: openssl rand -base64 32)`;
  return null;
};

export interface TokenClaims extends Actor {
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export const issueToken = (actor: Actor, secret: string, nowSeconds: number, ttlSeconds: number): string => {
  assertSecret(secret);
  if (!isId(actor.id)) throw new Error(`Invalid subject: ${actor.id}`);
  if (!isRole(actor.role)) throw new Error(`Invalid role: ${String(actor.role)}`);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('The token lifetime must be a positive number of seconds');
  if (ttlSeconds > MAX_TOKEN_LIFETIME_SECONDS) throw new Error(`The token lifetime must be at most ${MAX_TOKEN_LIFETIME_SECONDS} seconds (30 days)`);
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
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new Unauthenticated('The bearer token is issued in the future');
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) throw new Unauthenticated('The bearer token lives longer than the 30 days allowed');
  return { id: sub, role, issuedAt: iat, expiresAt: exp };
};

export const assertSecret = (secret: string): void => {
  const problem = secretProblem(secret);
  if (problem) throw new Error(problem);
};

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}
