import type { TDatabase } from '@omg/db';
import { AppError, addressBucket, clientAddressOf } from '@omg/platform';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { z } from 'zod';
import { consumeRateLimit, releaseRateLimit, type TRateLimitRule } from '../../rate-limit/consume-rate-limit';
import { retryPhrase } from '../../rate-limit/rate-limited-response';
import { RATE_LIMITS } from '../../rate-limit/rules';
import { PASSWORD_MAX_LENGTH } from '../password-policy';
import { finishPasskeyRegistration, ZFinishPasskeyRegistrationSchema } from './finish-passkey-registration';
import { finishPasskeySignIn, ZFinishPasskeySignInSchema } from './finish-passkey-sign-in';
import { removePasskey, ZRemovePasskeySchema } from './remove-passkey';
import { renamePasskey, ZRenamePasskeySchema } from './rename-passkey';
import { startPasskeyRegistration } from './start-passkey-registration';
import { startPasskeySignIn } from './start-passkey-sign-in';

/** Wrong passwords before adding a passkey, per account: the password is the gate, so guesses are bounded. */
export const PASSKEY_PASSWORD_FAILURES: TRateLimitRule = {
  name: 'passkey-password:account',
  limit: 10,
  windowSeconds: 15 * 60,
};

/** The body of POST /api/auth/passkey/register-options: the account's current password. */
export const ZStartPasskeyRegistrationSchema = z.object({
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

const API_STATUS = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
} as const;

/** An operation's AppError as better-auth answers errors ({ code, message }), so the client reads them alike. */
async function answering<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code in API_STATUS) {
      const reason = error.details?.reason;
      throw new APIError(API_STATUS[error.code as keyof typeof API_STATUS], {
        code: typeof reason === 'string' ? reason : error.code,
        message: error.message,
      });
    }
    throw error;
  }
}

async function limit(
  database: TDatabase,
  rule: TRateLimitRule,
  subject: string,
  message: (when: string) => string,
) {
  const counted = await consumeRateLimit(database, rule, subject);
  if (counted.allowed) return;
  throw new APIError(
    'TOO_MANY_REQUESTS',
    { code: 'RATE_LIMITED', message: message(retryPhrase(counted.retryAfterSeconds)) },
    { 'Retry-After': String(counted.retryAfterSeconds) },
  );
}

/**
 * Passkey sign-in for the Hub, as a better-auth plugin over @simplewebauthn/server (better-auth's own passkey
 * plugin does not match our better-auth release). Its routes live under /api/auth/passkey/*, so a passkey
 * sign-in makes a session the way a password does (better-auth's session row and cookie: the session list,
 * single logout with SVD and better-auth's per-address limit all apply). Challenges are kept in
 * core."Verification", never in memory, so any Hub instance can finish a ceremony another one started.
 */
export function hubPasskeys(database: TDatabase) {
  return {
    id: 'hub-passkeys',
    endpoints: {
      /**
       * Adding a passkey asks for the current password, not only a session: a passkey signs in on its own and
       * outlives password changes, so a session left open on a shared computer (or a stolen cookie) must not be
       * able to plant one. Changing the password and turning on 2FA ask the same.
       */
      passkeyRegisterOptions: createAuthEndpoint(
        '/passkey/register-options',
        { method: 'POST', body: ZStartPasskeyRegistrationSchema, use: [sessionMiddleware] },
        async (ctx) => {
          const { user } = ctx.context.session;
          await limit(
            database,
            PASSKEY_PASSWORD_FAILURES,
            user.id,
            (when) => `Too many wrong passwords. To protect the account, try again ${when}.`,
          );
          const credential = await ctx.context.internalAdapter.findCredentialAccount(user.id);
          const right =
            Boolean(credential?.password) &&
            (await ctx.context.password.verify({
              hash: credential?.password ?? '',
              password: ctx.body.password,
            }));
          if (!right) {
            throw new APIError('BAD_REQUEST', {
              code: 'INVALID_PASSWORD',
              message: 'The password is incorrect.',
            });
          }
          await releaseRateLimit(database, PASSKEY_PASSWORD_FAILURES, user.id);
          return ctx.json(await startPasskeyRegistration(database, user));
        },
      ),
      passkeyRegister: createAuthEndpoint(
        '/passkey/register',
        { method: 'POST', body: ZFinishPasskeyRegistrationSchema, use: [sessionMiddleware] },
        async (ctx) => {
          const userAgent = ctx.request?.headers.get('user-agent') ?? ctx.headers?.get('user-agent') ?? null;
          const added = await answering(() =>
            finishPasskeyRegistration(database, ctx.context.session.user, ctx.body, userAgent),
          );
          return ctx.json(added);
        },
      ),
      passkeySignInOptions: createAuthEndpoint('/passkey/sign-in-options', { method: 'POST' }, async (ctx) =>
        ctx.json(await startPasskeySignIn(database)),
      ),
      /**
       * A passkey is possession of the device plus its screen lock (user verification) or at least presence: it
       * counts as both factors, so an account with 2FA on is not asked for a code (twoFactor's hook only watches
       * the password sign-in paths). Counted like a password sign-in, per address.
       */
      passkeySignIn: createAuthEndpoint(
        '/passkey/sign-in',
        { method: 'POST', body: ZFinishPasskeySignInSchema },
        async (ctx) => {
          if (ctx.request) {
            await limit(
              database,
              RATE_LIMITS.signInPerAddress,
              addressBucket(clientAddressOf(ctx.request.headers)),
              (when) => `Too many sign-in attempts from your network. Please try again ${when}.`,
            );
          }
          const { userId } = await answering(() => finishPasskeySignIn(database, ctx.body));
          const user = await ctx.context.internalAdapter.findUserById(userId);
          if (!user)
            throw new APIError('UNAUTHORIZED', { code: 'PASSKEY_NOT_FOUND', message: 'Unknown account.' });
          const session = await ctx.context.internalAdapter.createSession(userId);
          await setSessionCookie(ctx, { session, user });
          // Like the other sign-ins' answers here: the session travels in its httpOnly cookie only.
          return ctx.json({ token: null, user: { id: user.id, email: user.email, name: user.name } });
        },
      ),
      passkeyRename: createAuthEndpoint(
        '/passkey/rename',
        { method: 'POST', body: ZRenamePasskeySchema, use: [sessionMiddleware] },
        async (ctx) => {
          await answering(() => renamePasskey(database, ctx.context.session.user.id, ctx.body));
          return ctx.json({ ok: true });
        },
      ),
      passkeyRemove: createAuthEndpoint(
        '/passkey/remove',
        { method: 'POST', body: ZRemovePasskeySchema, use: [sessionMiddleware] },
        async (ctx) => {
          await answering(() => removePasskey(database, ctx.context.session.user.id, ctx.body));
          return ctx.json({ ok: true });
        },
      ),
    },
  } satisfies BetterAuthPlugin;
}
