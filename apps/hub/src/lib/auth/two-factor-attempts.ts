import type { TDatabase } from '@omg/db';
import type { GenericEndpointContext, HookEndpointContext } from 'better-auth';
import { APIError, getSessionFromCtx } from 'better-auth/api';
import { deleteSessionCookie } from 'better-auth/cookies';
import { consumeRateLimit, releaseRateLimit, type TRateLimitRule } from '../rate-limit/consume-rate-limit';
import { retryPhrase } from '../rate-limit/rate-limited-response';

/** The sign-in steps that check a second factor (better-auth's twoFactor plugin). */
export const TWO_FACTOR_CODE_PATHS = new Set(['/two-factor/verify-totp', '/two-factor/verify-backup-code']);

/**
 * Wrong codes for one account, across challenges and addresses: counted before the code is checked (parallel
 * guesses cannot all slip in), given back when it was right. better-auth also ends a challenge after 5 wrong codes
 * and locks the account's second factor after 10 in a row; this one says when to try again.
 */
const FAILURES_PER_ACCOUNT: TRateLimitRule = {
  name: 'two-factor:account',
  limit: 10,
  windowSeconds: 15 * 60,
};

/**
 * An authenticator code is accepted for its 30-second step and one step either side (better-auth's window), so a
 * code seen over someone's shoulder would work for up to 90 s: each (account, code) is claimed once for that long.
 */
const TOTP_CODE_USED: TRateLimitRule = { name: 'two-factor:totp-used', limit: 1, windowSeconds: 90 };

/** The account whose sign-in waits for a second factor: the signed two_factor cookie names its challenge. */
async function challengedUserId(ctx: HookEndpointContext): Promise<string | null> {
  const cookie = ctx.context.createAuthCookie('two_factor');
  const identifier = await ctx.getSignedCookie?.(cookie.name, ctx.context.secret);
  if (!identifier) return null;
  const challenge = await ctx.context.internalAdapter.findVerificationValue(identifier);
  return challenge && challenge.expiresAt > new Date() ? challenge.value : null;
}

const codeOf = (ctx: HookEndpointContext) =>
  String((ctx.body as { code?: unknown } | undefined)?.code ?? '').trim();

/** Before a sign-in code is checked: the per-account limit (429), then a TOTP code seen before is refused (401). */
export async function beginTwoFactorAttempt(database: TDatabase, ctx: HookEndpointContext): Promise<void> {
  // Confirming a code while signed in (turning 2FA on) is no sign-in; better-auth's per-address limit covers it.
  const userId = await challengedUserId(ctx);
  if (!userId) return;
  const counted = await consumeRateLimit(database, FAILURES_PER_ACCOUNT, userId);
  if (!counted.allowed) {
    throw new APIError(
      'TOO_MANY_REQUESTS',
      {
        code: 'RATE_LIMITED',
        message: `Too many wrong codes for this account. To protect it, try again ${retryPhrase(counted.retryAfterSeconds)}.`,
      },
      { 'Retry-After': String(counted.retryAfterSeconds) },
    );
  }
  if (ctx.path !== '/two-factor/verify-totp') return;
  const claimed = await consumeRateLimit(database, TOTP_CODE_USED, `${userId}:${codeOf(ctx)}`);
  if (!claimed.allowed) {
    throw new APIError('UNAUTHORIZED', {
      code: 'TOTP_CODE_ALREADY_USED',
      message: 'This code was already used. Wait for the next code in your authenticator app.',
    });
  }
}

/** After the check: a right code gives its attempt back; a wrong TOTP code is not kept as "used". */
export async function settleTwoFactorAttempt(database: TDatabase, ctx: HookEndpointContext): Promise<void> {
  const signedIn = ctx.context.newSession?.user.id;
  if (signedIn) {
    await releaseRateLimit(database, FAILURES_PER_ACCOUNT, signedIn);
    return;
  }
  if (ctx.path !== '/two-factor/verify-totp') return;
  // After 5 wrong codes the challenge is gone; its last wrong code then stays claimed for 90 s, which is harmless.
  const userId = await challengedUserId(ctx);
  if (userId) await releaseRateLimit(database, TOTP_CODE_USED, `${userId}:${codeOf(ctx)}`);
}

/**
 * A verification link signs in whoever opens it (autoSignInAfterVerification): for an account with 2FA on that
 * would skip the password and the code, so the session it made is ended unless this browser was already signed in.
 */
export async function withholdVerificationSignIn(ctx: HookEndpointContext): Promise<void> {
  const made = ctx.context.newSession;
  if (!made?.user.twoFactorEnabled) return;
  // At run time an after hook gets the endpoint's whole context; the hook type only marks `method` optional.
  const endpoint = ctx as GenericEndpointContext;
  const already = await getSessionFromCtx(endpoint).catch(() => null);
  if (already?.session.id === made.session.id) return;
  await ctx.context.internalAdapter.deleteSession(made.session.token);
  ctx.context.setNewSession(null);
  deleteSessionCookie(endpoint);
}
