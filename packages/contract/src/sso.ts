import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { CATALOG } from './catalog';
import type { TAppId } from './constants';
import {
  type TIssuedLaunchToken,
  type TIssueLaunchTokenInput,
  type TLaunchClaims,
  type TLaunchTokenFailure,
  type TVerifyLaunchTokenOptions,
  type TVerifyLaunchTokenResult,
  ZLaunchClaimsSchema,
} from './sso.types';

export * from './sso.types';

/** HS256 keys shorter than the hash output weaken the MAC (RFC 7518 §3.2). */
export const MIN_SSO_SECRET_BYTES = 32;
/** SPEC §4: `exp` at most 5 minutes after `iat`, which bounds how long a leaked token is worth anything. */
export const MAX_LAUNCH_TOKEN_TTL_SECONDS = 300;
export const DEFAULT_LAUNCH_TOKEN_TTL_SECONDS = 120;
export const DEFAULT_LAUNCH_CLOCK_TOLERANCE_SECONDS = 30;

const ALGORITHM = 'HS256';
// Real launch tokens are well under 1 KB; refusing anything huge keeps a hostile form POST from making us
// base64-decode and JSON-parse megabytes before the signature check fails.
const MAX_TOKEN_LENGTH = 4096;

/** Turns `SSO_SECRET` into an HMAC key, refusing secrets too short to be safe so misconfiguration fails loudly. */
export function ssoSecretKey(secret: string): Uint8Array {
  // The value usually comes straight from process.env, where "unset" arrives as undefined despite the type.
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new Error(`SSO_SECRET is not set; it must be at least ${MIN_SSO_SECRET_BYTES} bytes.`);
  }
  const key = new TextEncoder().encode(secret);
  if (key.byteLength < MIN_SSO_SECRET_BYTES) {
    throw new Error(
      `SSO_SECRET is too short: ${key.byteLength} bytes; it must be at least ${MIN_SSO_SECRET_BYTES} bytes ` +
        '(e.g. `openssl rand -base64 48`).',
    );
  }
  return key;
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/**
 * `SSO_SECRET` as an HMAC-SHA-256 key, imported once per process and secret: given the raw bytes, jose imports
 * them again for every token it signs or verifies, a WebCrypto call per hand-off on both sides.
 */
function ssoHmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    // ssoSecretKey refuses a short secret; a cached one has passed.
    const bytes = new Uint8Array(ssoSecretKey(secret));
    key = crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(secret, key);
  }
  return key;
}

/**
 * `SSO_SECRET` as each app's environment schema checks it at start-up: the same rule as `ssoSecretKey`, so an
 * app refuses to boot with a secret the token functions would refuse later.
 */
export const ZSsoSecretSchema = z
  .string()
  .refine(
    (secret) => new TextEncoder().encode(secret).byteLength >= MIN_SSO_SECRET_BYTES,
    `must be at least ${MIN_SSO_SECRET_BYTES} bytes`,
  );

const toEpochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Signs the token the Hub hands to an app at launch. Throws on bad input: that is a Hub bug, not a user error. */
export async function issueLaunchToken(input: TIssueLaunchTokenInput): Promise<TIssuedLaunchToken> {
  const { secret, issuer, audience, user, sessionId, ttlSeconds = DEFAULT_LAUNCH_TOKEN_TTL_SECONDS } = input;
  const key = await ssoHmacKey(secret);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_LAUNCH_TOKEN_TTL_SECONDS) {
    throw new Error(
      `Launch token ttlSeconds must be a whole number between 1 and ${MAX_LAUNCH_TOKEN_TTL_SECONDS}, got ${ttlSeconds}.`,
    );
  }
  const now = input.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new Error('Launch token `now` is an invalid Date.');

  const iat = toEpochSeconds(now);
  const claims: TLaunchClaims = {
    iss: issuer,
    aud: audience,
    sub: user.id,
    email: user.email,
    name: user.name,
    accountType: user.accountType,
    sid: sessionId,
    jti: crypto.randomUUID(),
    iat,
    exp: iat + ttlSeconds,
    ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
    ...(input.organization === undefined
      ? {}
      : { organizationId: input.organization.id, organizationRole: input.organization.role }),
  };
  // Same schema as the verifier, so the Hub can never mint a token every app would then reject.
  const parsed = ZLaunchClaimsSchema.safeParse(claims);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new Error(`Cannot issue launch token: invalid ${fields}.`);
  }

  const token = await new SignJWT({ ...parsed.data })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .sign(key);
  return { token, jti: claims.jti, expiresAt: new Date(claims.exp * 1000) };
}

const appName = (audience: TAppId): string =>
  CATALOG.find((product) => product.appId === audience)?.name ?? 'the app';

/** Text for the user-facing error page; deliberately free of token internals. */
export function launchTokenFailureMessage(reason: TLaunchTokenFailure, audience: TAppId): string {
  const app = appName(audience);
  const relaunch = `launch ${app} again from your portal.`;
  switch (reason) {
    case 'missing':
      return `This sign-in link is incomplete — ${relaunch}`;
    case 'malformed':
      return `This sign-in link is damaged or incomplete — ${relaunch}`;
    case 'expired':
      return `This sign-in link has expired — ${relaunch}`;
    case 'bad_signature':
      return `This sign-in link could not be verified — ${relaunch}`;
    case 'wrong_audience':
      return `This sign-in link was issued for a different app — launch ${app} from your portal.`;
    case 'wrong_issuer':
      return `This sign-in link did not come from your portal — launch ${app} from your portal.`;
    case 'invalid_claims':
      return `This sign-in link is missing required information — ${relaunch}`;
  }
}

function classifyJoseError(error: unknown): TLaunchTokenFailure {
  // JWTExpired is checked first because it carries a `claim` too and must not fall into the generic branch.
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    // A wrong value is a mismatch; an absent one is simply an incomplete token.
    if (error.reason !== 'missing' && error.claim === 'aud') return 'wrong_audience';
    if (error.reason !== 'missing' && error.claim === 'iss') return 'wrong_issuer';
    return 'invalid_claims';
  }
  // A different algorithm (alg: none, HS512, RS256…) is reported as an unverifiable signature: whoever made the
  // token did not hold our HS256 key, and naming the mismatch would only help an attacker iterate.
  if (error instanceof errors.JOSEAlgNotAllowed) return 'bad_signature';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  // JWSInvalid, JWTInvalid, JOSENotSupported (unknown `crit`), and anything else thrown while decoding input we
  // already validated the configuration for: the token itself is garbage, and the user must get a page, not a 500.
  return 'malformed';
}

/**
 * Verifies a launch token (SPEC §4.3): HS256 only, `iss`, `aud`, `exp` with clock skew, `exp - iat` within the
 * TTL cap and the claim shape. Never throws for a bad token; throws only for bad configuration (short secret,
 * invalid tolerance), which should stop the app rather than show users an error page. Single use of `jti` is
 * the caller's job, as it needs the database.
 */
export async function verifyLaunchToken(
  token: string | null | undefined,
  options: TVerifyLaunchTokenOptions,
): Promise<TVerifyLaunchTokenResult> {
  const {
    secret,
    issuer,
    audience,
    clockToleranceSeconds = DEFAULT_LAUNCH_CLOCK_TOLERANCE_SECONDS,
  } = options;
  const key = await ssoHmacKey(secret);
  if (!Number.isFinite(clockToleranceSeconds) || clockToleranceSeconds < 0) {
    throw new Error(`clockToleranceSeconds must be a non-negative number, got ${clockToleranceSeconds}.`);
  }
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new Error('Launch token `now` is an invalid Date.');

  const fail = (reason: TLaunchTokenFailure): TVerifyLaunchTokenResult => ({
    ok: false,
    reason,
    message: launchTokenFailureMessage(reason, audience),
  });

  // Form posts and query strings can hand us non-strings (repeated params, files) whatever the type says.
  if (token === null || token === undefined) return fail('missing');
  if (typeof token !== 'string') return fail('malformed');
  const trimmed = token.trim();
  if (trimmed === '') return fail('missing');
  if (trimmed.length > MAX_TOKEN_LENGTH) return fail('malformed');

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(trimmed, key, {
      algorithms: [ALGORITHM],
      issuer,
      audience,
      clockTolerance: clockToleranceSeconds,
      currentDate: now,
    }));
  } catch (error) {
    return fail(classifyJoseError(error));
  }

  const parsed = ZLaunchClaimsSchema.safeParse(payload);
  if (!parsed.success) return fail('invalid_claims');
  const claims = parsed.data;

  // jose only checks `exp` against the clock; a correctly signed token living longer than the cap would still
  // be a Hub bug (or a leaked secret), so it is refused rather than trusted for its whole lifetime.
  if (claims.exp - claims.iat > MAX_LAUNCH_TOKEN_TTL_SECONDS) return fail('invalid_claims');
  // An `iat` in the future beyond the skew allowance means the issuer's clock (or the token) is wrong, and the
  // TTL cap above would be meaningless for it.
  if (claims.iat > toEpochSeconds(now) + clockToleranceSeconds) return fail('invalid_claims');

  return { ok: true, claims };
}
