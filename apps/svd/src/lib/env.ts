import { ZSsoSecretSchema } from '@omg/contract';
import { parseEnv, ZTrustedProxyHopsSchema } from '@omg/platform';
import { z } from 'zod';

const ZSvdEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  SVD_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  SSO_SECRET: ZSsoSecretSchema,
  HUB_URL: z.url().default('http://localhost:3000'),
  SVD_URL: z.url().default('http://localhost:3001'),
  /** Proxies in front of the app that append to X-Forwarded-For; 0 = clients connect directly (README). */
  TRUSTED_PROXY_HOPS: ZTrustedProxyHopsSchema,
  /** 32 bytes, base64: wraps every document's own data key. */
  STORAGE_MASTER_KEY: z
    .string()
    .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  /** Local-disk storage folder (used unless S3_BUCKET is set). */
  STORAGE_DIR: z.string().min(1).default('.data/storage'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
});

export type TSvdEnv = z.infer<typeof ZSvdEnvSchema>;

let cached: TSvdEnv | undefined;

/** SVD's environment, validated on first use (at start-up, from instrumentation.ts). */
export function env(): TSvdEnv {
  cached ??= parseEnv('SecureVault Docs', ZSvdEnvSchema);
  return cached;
}
