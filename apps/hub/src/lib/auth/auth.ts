import { randomUUID } from 'node:crypto';
import { schema } from '@omg/db';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { db } from '../db';
import { env } from '../env';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy';

const SEVEN_DAYS = 60 * 60 * 24 * 7;

function createAuth() {
  const { HUB_URL, BETTER_AUTH_SECRET } = env();
  return betterAuth({
    appName: 'OMG System',
    baseURL: HUB_URL,
    secret: BETTER_AUTH_SECRET,
    trustedOrigins: [HUB_URL],
    telemetry: { enabled: false },
    database: drizzleAdapter(db(), {
      provider: 'pg',
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        rateLimit: schema.rateLimit,
      },
    }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
    },
    user: {
      additionalFields: {
        accountType: { type: 'string', required: false, defaultValue: 'personal', input: false },
      },
    },
    session: { expiresIn: SEVEN_DAYS, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/email': { window: 60, max: 5 },
        '/sign-up/email': { window: 60, max: 5 },
      },
    },
    advanced: {
      useSecureCookies: HUB_URL.startsWith('https://'),
      // The contract wants UUIDs: the same user id in every app.
      database: { generateId: () => randomUUID() },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-up/email') return;
        const problem = passwordProblem(String(ctx.body?.password ?? ''));
        if (problem) throw new APIError('BAD_REQUEST', { code: 'PASSWORD_TOO_WEAK', message: problem });
      }),
    },
  });
}

export type TAuth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { hubAuth?: TAuth };

export function auth(): TAuth {
  globalForAuth.hubAuth ??= createAuth();
  return globalForAuth.hubAuth;
}
