import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LOCAL_ENV_FILE = path.join(REPO_ROOT, '.env.local');

/** Development secrets generated on first run; production sets them itself. */
export const GENERATED_SECRETS = [
  'BETTER_AUTH_SECRET',
  'SSO_SECRET',
  'EMBEDDED_PG_PASSWORD',
  'HUB_DB_PASSWORD',
  'SVD_DB_PASSWORD',
  'STORAGE_MASTER_KEY',
  'STRIPE_WEBHOOK_SECRET',
] as const;

export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!match?.[1]) continue;
    values[match[1]] = (match[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return values;
}

export function readLocalEnv(): Record<string, string> {
  return existsSync(LOCAL_ENV_FILE) ? parseEnvFile(readFileSync(LOCAL_ENV_FILE, 'utf8')) : {};
}

/** Fills in any missing development secret, keeping the ones already there (sessions survive restarts). */
export function withGeneratedSecrets(values: Record<string, string>): Record<string, string> {
  const next = { ...values };
  for (const key of GENERATED_SECRETS) next[key] ||= generateSecret();
  return next;
}

export function writeLocalEnv(values: Record<string, string>): void {
  const lines = [
    '# Written by `npm run dev`: development secrets (generated once) and the database URLs in use.',
    '# Git-ignored. Never commit it; production sets these variables itself.',
    ...Object.entries(values)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key}=${value}`),
  ];
  writeFileSync(LOCAL_ENV_FILE, `${lines.join('\n')}\n`, { mode: 0o600 });
}
