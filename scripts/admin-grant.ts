/**
 * `npm run admin:grant -- <email> [--role admin|support|user] [--reason "..."]` (issue 14): gives an account a role
 * on the operator's console at the Hub's /admin (admin by default; `--role user` takes it away). The only way to
 * grant a role: no page can. Every change is written to hub."AuditLog" as actor 'system:cli', with the reason
 * given or 'granted from the command line by <os user>'. The operation is the Hub's (`grantRole` from
 * @omg/hub/maintenance); this file reads the arguments and prints.
 *
 * Settings, from the shell or else the .env.local `npm run dev` wrote: HUB_DATABASE_URL (or DATABASE_URL).
 * Exit code: 0 when the account has the role, 1 when the account is unknown or deleted, 2 on bad usage or setup.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createDatabase } from '@omg/db';
import { grantRole } from '@omg/hub/maintenance';
import { AppError } from '@omg/platform';
import { readLocalEnv } from './lib/env-file';

const USAGE = 'Usage: npm run admin:grant -- <email> [--role admin|support|user] [--reason "why"]';
const ROLES = ['admin', 'support', 'user'] as const;

class UsageError extends Error {}

function readOptions() {
  const { values, positionals } = parseArgs({
    options: { role: { type: 'string', default: 'admin' }, reason: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [email, ...extra] = positionals;
  if (!email || extra.length > 0) throw new UsageError(USAGE);
  const role = ROLES.find((r) => r === values.role);
  if (!role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}.\n${USAGE}`);
  if (values.reason !== undefined && values.reason.trim() === '') {
    throw new UsageError('--reason cannot be empty: the audit log keeps why every role was granted.');
  }
  const reason = values.reason ?? `granted from the command line by ${os.userInfo().username}`;
  return { email, role, reason };
}

async function main(): Promise<number> {
  const options = readOptions();
  for (const [name, value] of Object.entries(readLocalEnv())) process.env[name] ||= value;
  const url = process.env.HUB_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) throw new UsageError('Set HUB_DATABASE_URL (or run `npm run dev` once to write .env.local).');
  const handle = createDatabase(url, { max: 1, applicationName: 'omg-admin-grant' });
  try {
    const result = await grantRole(handle.db, { ...options, actor: 'system:cli' });
    console.log(
      result.changed
        ? `[admin] ${result.email} is now ${result.after} (was ${result.before}); audit entry ${result.auditId}`
        : `[admin] ${result.email} already has the role ${result.after}; nothing changed`,
    );
    return 0;
  } finally {
    await handle.pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(`[admin] ${error instanceof Error ? error.message : error}`);
    process.exit(error instanceof AppError ? 1 : 2);
  },
);
