import { ZSsoSecretSchema } from '@omg/contract';
import { parseEnv, ZTrustedProxyHopsSchema } from '@omg/platform';
import { z } from 'zod';

const ZHubEnvSchema = z.object({
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
  /** One or more webhook signing secrets, comma-separated during rotation. */
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
});

export type THubEnv = z.infer<typeof ZHubEnvSchema>;

let cached: THubEnv | undefined;

/** The Hub's environment, validated on first use (at start-up, from instrumentation.ts). */
export function env(): THubEnv {
  cached ??= parseEnv('OMG Hub', ZHubEnvSchema);
  return cached;
}
