/**
 * HS256 bearer tokens: issuing and verifying the tokens the API and the CLI accept.
 *
 * The lib's public surface: what other libs, the apps, the tests and the benchmarks import (as `#auth`).
 */
export { issueToken, MAX_TOKEN_LIFETIME_SECONDS, MIN_SECRET_LENGTH, secretProblem, TokenClaims, verifyToken } from './bearer-token';
