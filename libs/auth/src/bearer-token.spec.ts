import { Unauthenticated } from '#shared-kernel';
import { createHmac } from 'node:crypto';
import { issueToken, secretProblem, verifyToken } from './bearer-token';

/** A token signed with `secret` carrying exactly these claims (a token the service did not issue itself). */
const forge = (claims: Record<string, unknown>, secret: string): string => {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
};

describe('bearer tokens', () => {
  const secret = 'a-test-secret-that-is-long-enough-123';
  const now = 1_800_000_000;

  it('round-trips the subject and role', () => {
    const token = issueToken({ id: 'rep-1', role: 'rep' }, secret, now, 3600);
    expect(verifyToken(token, secret, now + 10)).toEqual({ id: 'rep-1', role: 'rep', issuedAt: now, expiresAt: now + 3600 });
  });

  it('rejects a token signed with another secret', () => {
    const token = issueToken({ id: 'rep-1', role: 'rep' }, `${secret}-other`, now, 3600);
    expect(() => verifyToken(token, secret, now)).toThrow('signature is invalid');
  });

  it('rejects an expired token', () => {
    const token = issueToken({ id: 'rep-1', role: 'rep' }, secret, now, 60);
    expect(() => verifyToken(token, secret, now + 60)).toThrow('expired');
  });

  it('rejects a payload changed after signing (a rep making itself admin)', () => {
    const [h, , s] = issueToken({ id: 'rep-1', role: 'rep' }, secret, now, 60).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'rep-1', role: 'admin', iat: now, exp: now + 60 })).toString('base64url');
    expect(() => verifyToken(`${h}.${forged}.${s}`, secret, now)).toThrow(Unauthenticated);
  });

  it('rejects malformed tokens and unknown roles', () => {
    expect(() => verifyToken('abc', secret, now)).toThrow('malformed');
    expect(() => issueToken({ id: 'x', role: 'root' as never }, secret, now, 60)).toThrow('Invalid role');
  });

  it('refuses a short secret', () => {
    expect(() => issueToken({ id: 'rep-1', role: 'rep' }, 'short', now, 60)).toThrow('at least 32');
  });

  it.each([' '.repeat(32), 'a'.repeat(32), 'abababababababababababababababab', '0123456789a0123456789a0123456789'])('refuses a long but guessable secret (%j)', (weak) => {
    expect(secretProblem(weak)).toBe('The token secret must mix at least 12 different characters (use a random one: openssl rand -base64 32)');
    expect(() => issueToken({ id: 'rep-1', role: 'rep' }, weak, now, 60)).toThrow('at least 12 different characters');
  });

  it('takes a secret with 12 different characters, and a random one', () => {
    expect(secretProblem('0123456789ab0123456789ab01234567')).toBeNull();
    expect(secretProblem('0123456789a0123456789a0123456789')).not.toBeNull();
    expect(secretProblem(secret)).toBeNull();
  });

  it('issues tokens for at most 30 days', () => {
    expect(verifyToken(issueToken({ id: 'rep-1', role: 'rep' }, secret, now, 30 * 86_400), secret, now).expiresAt).toBe(now + 30 * 86_400);
    expect(() => issueToken({ id: 'rep-1', role: 'rep' }, secret, now, 30 * 86_400 + 1)).toThrow('at most 2592000 seconds (30 days)');
  });

  it('refuses a validly signed token that lives longer than 30 days', () => {
    const token = forge({ sub: 'rep-1', role: 'rep', iat: now, exp: now + 30 * 86_400 + 1 }, secret);
    expect(() => verifyToken(token, secret, now)).toThrow('The bearer token lives longer than the 30 days allowed');
    expect(verifyToken(forge({ sub: 'rep-1', role: 'rep', iat: now, exp: now + 30 * 86_400 }, secret), secret, now).id).toBe('rep-1');
  });

  it('refuses a token issued in the future, beyond a minute of clock skew', () => {
    expect(() => verifyToken(forge({ sub: 'rep-1', role: 'rep', iat: now + 61, exp: now + 3600 }, secret), secret, now)).toThrow('The bearer token is issued in the future');
    expect(verifyToken(forge({ sub: 'rep-1', role: 'rep', iat: now + 60, exp: now + 3600 }, secret), secret, now).issuedAt).toBe(now + 60);
  });

  it.each(['null', '[]', '7', '"sub"'])('refuses a validly signed token whose payload is %s as malformed', (payload) => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(payload).toString('base64url');
    const token = `${header}.${body}.${createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url')}`;
    expect(() => verifyToken(token, secret, now)).toThrow(new Unauthenticated('The bearer token is malformed'));
  });
});
