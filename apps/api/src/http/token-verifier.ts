import { Inject, Injectable } from '@nestjs/common';
import { TokenClaims, verifyToken } from '#auth';
import { Clock, CLOCK, Unauthenticated } from '#shared-kernel';
import { APP_CONFIG, AppConfig } from '#engine';

const VERIFIED_CACHE_SIZE = 10_000;

/** Checks a request's `Authorization: Bearer <token>` header; throws Unauthenticated saying what is wrong. */
@Injectable()
export class TokenVerifier {
  /** Tokens already verified, until they expire: a client sends the same token with every request. */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  claimsOf(header: string | undefined): TokenClaims {
    if (!header) throw new Unauthenticated('A bearer token is required (Authorization: Bearer <token>)');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new Unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    const now = Math.floor(this.clock.now().getTime() / 1000);
    let claims = this.verified.get(token);
    if (!claims || claims.expiresAt <= now) {
      this.verified.delete(token);
      claims = verifyToken(token, this.config.authTokenSecret, now);
      this.verified.set(token, claims);
      if (this.verified.size > VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    }
    return claims;
  }
}
