import { parseEnv } from '@omg/platform';
import { z } from 'zod';

const ZSvdEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  SVD_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  SSO_SECRET: z.string().refine((s) => Buffer.byteLength(s, 'utf8') >= 32, 'must be at least 32 bytes'),
  HUB_URL: z.url().default('http://localhost:3000'),
  SVD_URL: z.url().default('http://localhost:3001'),
});

export type TSvdEnv = z.infer<typeof ZSvdEnvSchema>;

let cached: TSvdEnv | undefined;

/** SVD's environment, validated on first use (at start-up, from instrumentation.ts). */
export function env(): TSvdEnv {
  cached ??= parseEnv('SecureVault Docs', ZSvdEnvSchema);
  return cached;
}
