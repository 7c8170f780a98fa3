import { Unauthenticated } from '../../shared-kernel/src/errors';
import { issueToken, verifyToken } from './bearer-token';

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
});
