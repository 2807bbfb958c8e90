// Who may use the codec server: what it decodes is every run's prompts, results and checkpoints.
// A request carries `Authorization: Bearer TOKEN`, where TOKEN is one of the operator's own tokens
// (`--auth-token-file`), or the access token the Temporal UI forwards when its codec setting
// "pass access token" is on: a JWT from the UI's identity provider, checked with jose against that
// provider's JWKS (signature, exp/nbf, audience, and the issuer when one is given).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

export interface CodecAuthOptions {
  /** Bearer tokens that are let in, from `--auth-token-file`. */
  tokens?: string[];
  /** `--jwks-url` with `--audience` (and `--issuer`): JWTs signed by one of these keys. */
  jwt?: { jwksUrl: URL; audience: string; issuer?: string };
}

export type AuthVerdict = { ok: true; who: string } | { ok: false; reason: string };

/** Checks one request's Authorization header. */
export type CodecAuth = (authorization: string | undefined) => Promise<AuthVerdict>;

// Asymmetric only: a JWKS publishes public keys, and a JWT signed with a shared secret is no one's to verify here.
const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export function codecAuth(options: CodecAuthOptions): CodecAuth {
  const digests = (options.tokens ?? []).map(sha256);
  const jwt = options.jwt;
  // Keys are fetched at the first JWT, then cached; an unknown `kid` refetches (at most every 30 s).
  const keys = jwt ? createRemoteJWKSet(jwt.jwksUrl, { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }) : null;
  return async (authorization) => {
    const token = /^Bearer +([^\s]+) *$/i.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, reason: 'no bearer token: send Authorization: Bearer TOKEN' };
    if (digests.length > 0 && matchesOne(digests, sha256(token))) return { ok: true, who: 'a token of --auth-token-file' };
    if (keys && jwt) {
      try {
        const { payload } = await jwtVerify(token, keys, { audience: jwt.audience, issuer: jwt.issuer, algorithms: JWT_ALGORITHMS });
        return { ok: true, who: payload.sub ? `JWT of ${payload.sub}` : 'a JWT' };
      } catch (error) {
        return { ok: false, reason: jwtRefusal(error) };
      }
    }
    return { ok: false, reason: 'the token is not one this server accepts' };
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares against every token, each in constant time, so the answer's timing tells nothing of which or how much matched. */
function matchesOne(digests: Buffer[], digest: Buffer): boolean {
  let found = false;
  for (const candidate of digests) found = timingSafeEqual(candidate, digest) || found;
  return found;
}

/** Why a JWT was refused, in words the person signed in to the UI can act on. */
function jwtRefusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the access token has expired: sign in to the UI again';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'the access token is not meant for this server (its audience does not match --audience)';
    if (error.claim === 'nbf') return 'the access token is not valid yet (nbf)';
    if (error.claim === 'iss') return 'the access token comes from another issuer than --issuer';
    return `the access token's ${error.claim} claim is refused`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return 'the access token is not signed by a key of --jwks-url';
  // A timeout, a refused connection, or an answer that is not a key set.
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError) ||
    /JSON Web Key Set/.test(error.message)
  ) {
    return 'the keys at --jwks-url could not be fetched';
  }
  return 'the token is neither one of --auth-token-file nor a JWT this server accepts';
}
