import { ZStripeMaxNetworkRetriesSchema, ZStripeTimeoutMsSchema } from '@omg/billing';
import { ZSsoSecretSchema } from '@omg/contract';
import { parseEnv, ZTrustedProxyHopsSchema } from '@omg/platform';
import { z } from 'zod';

const ZHubEnvBaseSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HUB_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters'),
  SSO_SECRET: ZSsoSecretSchema,
  HUB_URL: z.url().default('http://localhost:3000'),
  SVD_URL: z.url().default('http://localhost:3001'),
  /** Proxies in front of the app that append to X-Forwarded-For; 0 = clients connect directly (README). */
  TRUSTED_PROXY_HOPS: ZTrustedProxyHopsSchema,
  /** Real Stripe, or the local emulator's key in development (then STRIPE_API_BASE points at it). */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_/, 'must be a Stripe secret key (sk_…)')
    .optional(),
  STRIPE_API_BASE: z.url().optional(),
  /** Budget of one Stripe call: its timeout and the SDK's retries (README "When Stripe is slow or down"). */
  STRIPE_TIMEOUT_MS: ZStripeTimeoutMsSchema,
  STRIPE_MAX_NETWORK_RETRIES: ZStripeMaxNetworkRetriesSchema,
  /** One or more webhook signing secrets, comma-separated during rotation. */
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** Where the mail worker delivers the Hub's mail (smtp:// or smtps://, credentials in the URL). */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** The sender of every mail the Hub sends. */
  MAIL_FROM: z.string().min(3).default('OMG System <no-reply@localhost>'),
});

/** Password reset and email verification are mail: a production Hub without an SMTP server refuses to start. */
export const ZHubEnvSchema = ZHubEnvBaseSchema.refine((e) => e.NODE_ENV !== 'production' || e.SMTP_URL, {
  path: ['SMTP_URL'],
  error: 'is required in production (password reset and email verification are sent by mail)',
});

export type THubEnv = z.infer<typeof ZHubEnvSchema>;

let cached: THubEnv | undefined;

/** The Hub's environment, validated on first use (at start-up, from instrumentation.ts). */
export function env(): THubEnv {
  cached ??= parseEnv('OMG Hub', ZHubEnvSchema);
  return cached;
}

/**
 * Only what the Hub's links and mail need (HUB_URL, MAIL_FROM), with env()'s rules and defaults: for operations
 * that scripts also run (the migration's welcome mail), which have no BETTER_AUTH_SECRET or SSO_SECRET to give.
 */
export function mailLinkEnv(): Pick<THubEnv, 'HUB_URL' | 'MAIL_FROM'> {
  return parseEnv('OMG Hub', ZHubEnvBaseSchema.pick({ HUB_URL: true, MAIL_FROM: true }));
}
