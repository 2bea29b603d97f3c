import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { addressBucket, clientAddressHeader, clientAddressOf } from '@omg/platform';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { organization } from 'better-auth/plugins/organization';
import { twoFactor } from 'better-auth/plugins/two-factor';
import { eq } from 'drizzle-orm';
import { createElement } from 'react';
import { ConfirmNewEmailEmail, confirmNewEmailSubject } from '@/emails/confirm-new-email-email';
import {
  OrganizationInvitationEmail,
  organizationInvitationSubject,
} from '@/emails/organization-invitation-email';
import { ResetPasswordEmail, resetPasswordSubject } from '@/emails/reset-password-email';
import { SignUpAttemptEmail, signUpAttemptSubject } from '@/emails/sign-up-attempt-email';
import { VerifyEmailEmail, verifyEmailSubject } from '@/emails/verify-email-email';
import { syncStripeCustomerEmail } from '../account/sync-stripe-customer-email';
import { db } from '../db';
import { env } from '../env';
import { sendHubEmail } from '../mail/send-hub-email';
import { organizationAccessControl, organizationRoles } from '../organizations/access-control';
import { invitationUrl, ORGANIZATION_INVITATION_DAYS } from '../organizations/invitation-url';
import { consumeRateLimit, releaseRateLimit, type TRateLimitRule } from '../rate-limit/consume-rate-limit';
import { retryPhrase } from '../rate-limit/rate-limited-response';
import { RATE_LIMITS } from '../rate-limit/rules';
import { stripe } from '../stripe/client';
import { hubPasskeys } from './passkeys/passkey-plugin';
import { createPasswordHash } from './password-hash';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy';
import { refuseBannedSignIn } from './refuse-banned-sign-in';
import {
  beginTwoFactorAttempt,
  settleTwoFactorAttempt,
  TWO_FACTOR_CODE_PATHS,
  withholdVerificationSignIn,
} from './two-factor-attempts';

const SEVEN_DAYS = 60 * 60 * 24 * 7;
const ONE_HOUR = 60 * 60;

/** Counts one attempt; over the limit, better-auth answers 429 with Retry-After and a message saying when. */
async function enforce(
  database: TDatabase,
  rule: TRateLimitRule,
  subject: string,
  message: (when: string) => string,
): Promise<void> {
  const counted = await consumeRateLimit(database, rule, subject);
  if (counted.allowed) return;
  throw new APIError(
    'TOO_MANY_REQUESTS',
    { code: 'RATE_LIMITED', message: message(retryPhrase(counted.retryAfterSeconds)) },
    { 'Retry-After': String(counted.retryAfterSeconds) },
  );
}

const emailOf = (body: unknown) =>
  String((body as { email?: unknown } | undefined)?.email ?? '')
    .trim()
    .toLowerCase();

/** The body a new sign-up answers with, for an email that is taken (a fresh id, nothing from the real account). */
function syntheticSignUp(email: string, body: unknown) {
  const now = new Date();
  const name = String((body as { name?: unknown } | undefined)?.name ?? '');
  return {
    token: null,
    user: {
      name,
      email,
      emailVerified: false,
      image: null,
      createdAt: now,
      updatedAt: now,
      accountType: 'personal',
      twoFactorEnabled: false,
      id: randomUUID(),
    },
  };
}

/**
 * The Hub's better-auth. `database` is the Hub's pool; tests pass another pool to run a second instance on the
 * same database (limits must hold across instances).
 */
export function createAuth(database: TDatabase = db()) {
  const { HUB_URL, BETTER_AUTH_SECRET } = env();
  return betterAuth({
    appName: 'OMG System',
    baseURL: HUB_URL,
    secret: BETTER_AUTH_SECRET,
    trustedOrigins: [HUB_URL],
    telemetry: { enabled: false },
    // An error that is not better-auth's own (the database away mid-sign-in) reaches apiRoute, which answers it
    // like every other route (503 "temporarily unavailable"), instead of becoming an empty 500 inside better-auth.
    onAPIError: { throw: true },
    database: drizzleAdapter(database, {
      provider: 'pg',
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        rateLimit: schema.rateLimit,
        twoFactor: schema.twoFactor,
        organization: schema.organization,
        membership: schema.membership,
        invitation: schema.invitation,
      },
    }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      // argon2id at OWASP's parameters; former scrypt hashes still verify and become argon2id on that sign-in.
      password: createPasswordHash(database),
      // A single-use link (better-auth consumes the token with the new password), valid for an hour.
      resetPasswordTokenExpiresIn: ONE_HOUR,
      // Whoever had the old password is signed out everywhere; SVD's sessions follow the Hub's (single logout).
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => {
        await sendHubEmail(
          {
            kind: 'reset-password',
            to: user.email,
            userId: user.id,
            subject: resetPasswordSubject,
            body: createElement(ResetPasswordEmail, { name: user.name, url }),
          },
          database,
        );
      },
    },
    // Sign-up mails a link; an unverified account can use everything and sees a reminder with "resend".
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user, url }) => {
        // A change of email (POST /api/account/email) verifies the new address, which the account does not have yet.
        const [stored] = await database
          .select({ email: schema.user.email })
          .from(schema.user)
          .where(eq(schema.user.id, user.id));
        if (stored && stored.email !== user.email) {
          await sendHubEmail(
            {
              kind: 'confirm-new-email',
              to: user.email,
              userId: user.id,
              subject: confirmNewEmailSubject,
              body: createElement(ConfirmNewEmailEmail, { name: user.name, url }),
            },
            database,
          );
          return;
        }
        await sendHubEmail(
          {
            kind: 'verify-email',
            to: user.email,
            userId: user.id,
            subject: verifyEmailSubject,
            body: createElement(VerifyEmailEmail, { name: user.name, url }),
          },
          database,
        );
      },
    },
    user: {
      // Verified through the new address; only the Account page's route starts it (it asks for the password).
      changeEmail: { enabled: true },
      additionalFields: {
        accountType: { type: 'string', required: false, defaultValue: 'personal', input: false },
      },
    },
    session: { expiresIn: SEVEN_DAYS, updateAge: 60 * 60 * 24 },
    // After the password, an account with 2FA on gets no session, only a 10-minute signed challenge cookie: a code
    // from the authenticator app (or a single-use backup code) turns it into the session. Passkeys
    // (/passkey/*, hubPasskeys) sign in on their own, through the same session machinery.
    plugins: [
      twoFactor({ issuer: 'OMG System' }),
      hubPasskeys(database),
      // Business accounts (issue 15) on core."Organization", core."Membership" and core."Invitation"; the active
      // one is core."Session"."activeOrganizationId". Browsers reach it only through /api/organizations/*
      // (lib/organizations), which add the Hub's rules: one owner, ownership by transfer, roles from a list.
      organization({
        ac: organizationAccessControl,
        roles: organizationRoles,
        creatorRole: 'owner',
        // A subscription hangs off the organization (task F): it is never deleted from a page.
        disableOrganizationDeletion: true,
        organizationLimit: 50,
        membershipLimit: 10_000,
        invitationExpiresIn: ORGANIZATION_INVITATION_DAYS * 24 * 60 * 60,
        // Inviting an address again replaces its pending invitation (new role, new expiry, new mail).
        cancelPendingInvitationsOnReInvite: true,
        // The invitation's id is a random UUID (122 bits) that only the invited mailbox and the inviter see, as
        // the plugin's own opaque ids are; a colleague who signs up from the link accepts before verifying.
        requireEmailVerificationOnInvitation: false,
        schema: {
          member: { modelName: 'membership' },
          organization: {
            additionalFields: { billingEmail: { type: 'string', required: true, input: true } },
          },
        },
        sendInvitationEmail: async ({ id, email, role, organization: invitedTo, inviter }) => {
          await sendHubEmail(
            {
              kind: 'organization-invitation',
              to: email,
              subject: organizationInvitationSubject(invitedTo.name),
              body: createElement(OrganizationInvitationEmail, {
                organizationName: invitedTo.name,
                inviterName: inviter.user.name || inviter.user.email,
                role,
                url: invitationUrl(id),
              }),
            },
            database,
          );
        },
      }),
    ],
    // better-auth's own per-address limit on every auth route, counted by the Hub's limiter (PostgreSQL). Sign-in
    // and sign-up have the Hub's stricter limits in the hooks below (per address and per account, with messages).
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      // Code attempts have the Hub's per-account limits (two-factor-attempts) and better-auth's per-challenge ones;
      // its 3 per 10 s per address would refuse a household signing in together.
      customRules: {
        '/sign-in/email': false,
        '/sign-up/email': false,
        '/two-factor/*': { window: 60, max: 20 },
      },
      customStorage: {
        consume: async (key, rule) => {
          const counted = await consumeRateLimit(
            database,
            { name: 'auth', limit: rule.max, windowSeconds: rule.window },
            key,
          );
          return { allowed: counted.allowed, retryAfter: counted.allowed ? null : counted.retryAfterSeconds };
        },
      },
    },
    advanced: {
      useSecureCookies: HUB_URL.startsWith('https://'),
      // The address the server stamped under TRUSTED_PROXY_HOPS (client-address-recorder), never X-Forwarded-For.
      ipAddress: { ipAddressHeaders: [clientAddressHeader()], ipv6Subnet: 64 },
      // The contract wants UUIDs: the same user id in every app.
      database: { generateId: () => randomUUID() },
    },
    databaseHooks: {
      user: {
        update: {
          // Opening the link to a new address commits the email change (one UPDATE, no transaction around it);
          // the Stripe customer then follows, best-effort: a Stripe failure is logged and the change stands.
          after: async (user, ctx) => {
            if (ctx?.path !== '/verify-email') return;
            await syncStripeCustomerEmail(database, stripe, { userId: user.id, email: user.email });
          },
        },
      },
      session: {
        create: {
          // The session records the client's full address (better-auth's own would be the /64 of an IPv6 one).
          // A banned account gets none, whichever way it signs in (refuseBannedSignIn).
          before: async (session, ctx) => {
            await refuseBannedSignIn(database, session.userId);
            return {
              data: {
                ...session,
                ipAddress: ctx?.request ? (clientAddressOf(ctx.request.headers) ?? '') : '',
              },
            };
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (TWO_FACTOR_CODE_PATHS.has(ctx.path) && ctx.request) {
          await beginTwoFactorAttempt(database, ctx);
          return;
        }
        if (ctx.path.startsWith('/organization/') && ctx.request) {
          // The organization plugin's endpoints are called by lib/organizations only (auth.api.*, no request),
          // which adds the Hub's rules; straight from a browser they would skip them.
          throw new APIError('NOT_FOUND', {
            code: 'NOT_FOUND',
            message: 'Manage business accounts on /organizations.',
          });
        }
        if (ctx.path === '/change-email' && ctx.request) {
          // POST /api/account/email asks for the password and tells the current address; this endpoint does neither.
          throw new APIError('NOT_FOUND', {
            code: 'NOT_FOUND',
            message: 'Change your email on the Account page.',
          });
        }
        if (ctx.path === '/change-password') {
          // Only the Account page's route (POST /api/account/password) changes a password: it ends every other
          // session and keeps this one. Called straight from a client, better-auth's endpoint could leave them.
          if (ctx.request) {
            throw new APIError('NOT_FOUND', {
              code: 'NOT_FOUND',
              message: 'Change your password on the Account page.',
            });
          }
          const problem = passwordProblem(String(ctx.body?.newPassword ?? ''));
          if (problem) throw new APIError('BAD_REQUEST', { code: 'PASSWORD_TOO_WEAK', message: problem });
          return;
        }
        if (ctx.path === '/reset-password') {
          // A new password obeys the same rules as one chosen at sign-up.
          const problem = passwordProblem(String(ctx.body?.newPassword ?? ''));
          if (problem) throw new APIError('BAD_REQUEST', { code: 'PASSWORD_TOO_WEAK', message: problem });
          return;
        }
        if (ctx.path !== '/sign-up/email' && ctx.path !== '/sign-in/email') return;
        if (ctx.path === '/sign-up/email') {
          const problem = passwordProblem(String(ctx.body?.password ?? ''));
          if (problem) throw new APIError('BAD_REQUEST', { code: 'PASSWORD_TOO_WEAK', message: problem });
        }
        // Limits are for clients; the Hub's own server-side calls (auth.api.*) carry no request.
        if (!ctx.request) return;
        const bucket = addressBucket(clientAddressOf(ctx.request.headers));
        if (ctx.path === '/sign-in/email') {
          await enforce(
            database,
            RATE_LIMITS.signInPerAddress,
            bucket,
            (when) => `Too many sign-in attempts from your network. Please try again ${when}.`,
          );
          // Counted before the password is checked (so parallel guesses cannot all slip in), given back on success.
          await enforce(
            database,
            RATE_LIMITS.signInFailuresPerAccount,
            emailOf(ctx.body),
            (when) => `Too many failed sign-ins for this email. To protect the account, try again ${when}.`,
          );
          return;
        }
        await enforce(
          database,
          RATE_LIMITS.signUpPerAddress,
          bucket,
          (when) => `Too many sign-up attempts from your network. Please try again ${when}.`,
        );
        // A taken email answers like a new account that has a step left (no session), so sign-up does not tell
        // whether an email has an account, and nobody is signed in to the existing one. The password is hashed
        // as a new sign-up's is, and a mail is queued as a new sign-up's verification mail is, so the time taken
        // does not tell either. The owner is told by mail that someone tried, with the way back in.
        const email = emailOf(ctx.body);
        const existing = await ctx.context.internalAdapter.findUserByEmail(email);
        if (!existing) return;
        await ctx.context.password.hash(String(ctx.body?.password ?? ''));
        await sendHubEmail(
          {
            kind: 'sign-up-attempt',
            to: existing.user.email,
            userId: existing.user.id,
            subject: signUpAttemptSubject,
            body: createElement(SignUpAttemptEmail, {
              loginUrl: `${HUB_URL}/login`,
              resetUrl: `${HUB_URL}/forgot-password`,
            }),
          },
          database,
        );
        return ctx.json(syntheticSignUp(email, ctx.body));
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (TWO_FACTOR_CODE_PATHS.has(ctx.path) && ctx.request) await settleTwoFactorAttempt(database, ctx);
        if (ctx.path === '/verify-email') await withholdVerificationSignIn(ctx);
        if (ctx.path === '/sign-in/email' && ctx.request && ctx.context.newSession) {
          await releaseRateLimit(database, RATE_LIMITS.signInFailuresPerAccount, emailOf(ctx.body));
        }
        // The session travels in its httpOnly cookie only: the body of a new sign-up is then the same shape as a
        // taken email's (token null), and the form asks for the session to know which it was.
        const returned = ctx.context.returned as { token?: unknown; user?: unknown } | undefined;
        if (ctx.path === '/sign-up/email' && ctx.request && returned?.user && returned.token) {
          return ctx.json({ ...returned, token: null });
        }
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
