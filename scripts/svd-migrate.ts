/**
 * `npm run svd:migrate -- --file export.csv [--dry-run] [--documents DIR] [--send-invites] [--resolve-conflicts]
 * [--report out.json] [--concurrency N]` (SPEC §7, README "Migrating SecureVault's existing customers"): brings
 * SVD's direct customers into the Hub from SVD's export. The operation lives in the Hub (`migrateSvdCustomers`
 * from @omg/hub/maintenance); this file reads the settings, prints, and writes the JSON report.
 *
 * Settings, from the shell or else the .env.local `npm run dev` wrote: HUB_DATABASE_URL (or DATABASE_URL);
 * STRIPE_SECRET_KEY and STRIPE_API_BASE when lines carry Stripe ids (for the emulator of `npm run dev`:
 * STRIPE_API_BASE=http://127.0.0.1:12111 STRIPE_SECRET_KEY=sk_test_omg_local_emulator); HUB_URL and MAIL_FROM for
 * the welcome mail; SVD's own settings (SVD_DATABASE_URL, STORAGE_DIR or S3_*, STORAGE_MASTER_KEY) for --documents.
 *
 * Exit code: 0 when every line was migrated (or already was), 1 when lines were rejected, conflicts remain or
 * documents were refused, 2 on bad setup or an unusable file (header, unreadable).
 */
import { createReadStream, createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { createStripeClient } from '@omg/billing';
import { formatPrice } from '@omg/contract';
import { createDatabase } from '@omg/db';
import {
  migrateSvdCustomers,
  sendMigrationInvite,
  type TMigrationHooks,
  type TMigrationRowResult,
  type TMigrationSummary,
} from '@omg/hub/maintenance';
import { createLogger } from '@omg/platform';
import { SingleBar } from 'cli-progress';
import { REPO_ROOT, readLocalEnv } from './lib/env-file';
import { migrationDatabaseUrl } from './lib/migration-connection';

const USAGE =
  'Usage: npm run svd:migrate -- --file export.csv [--dry-run] [--documents DIR] [--send-invites] [--resolve-conflicts] [--report out.json] [--concurrency N]';
/** Problem lines printed on the terminal; the JSON report always has every line. */
const PRINT_LIMIT = 50;

class SetupError extends Error {}

function readOptions() {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      documents: { type: 'string' },
      'send-invites': { type: 'boolean', default: false },
      'resolve-conflicts': { type: 'boolean', default: false },
      report: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.file) throw new SetupError(`--file is required.\n${USAGE}`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new SetupError('--concurrency must be a whole number from 1 to 64.');
  }
  // npm runs scripts from the repository root; paths are meant from where the operator typed the command.
  const from = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
  const file = from(values.file);
  if (!existsSync(file) || !statSync(file).isFile()) throw new SetupError(`No such file: ${file}`);
  const documents = values.documents ? from(values.documents) : undefined;
  if (documents && !(existsSync(documents) && statSync(documents).isDirectory())) {
    throw new SetupError(`--documents must be a folder: ${documents}`);
  }
  const dryRun = values['dry-run'];
  const defaultReport = `${file.replace(/\.csv$/i, '')}.${dryRun ? 'dry-run.' : ''}report.json`;
  return {
    file,
    dryRun,
    documents,
    sendInvites: values['send-invites'],
    resolveConflicts: values['resolve-conflicts'],
    report: values.report ? from(values.report) : defaultReport,
    concurrency,
  };
}

/** DIR/<email>/…: folder names matched case-insensitively, as emails are. */
function documentFolders(dir: string): Map<string, string> {
  const folders = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) folders.set(entry.name.trim().toLowerCase(), path.join(dir, entry.name));
  }
  return folders;
}

async function documentHooks(
  dir: string,
): Promise<{ hook: TMigrationHooks['importDocuments']; close: () => Promise<void> }> {
  // SVD's settings resolve relative to apps/svd, as they do for the running app (STORAGE_DIR).
  process.chdir(path.join(REPO_ROOT, 'apps', 'svd'));
  const { database, importUserDocuments, vaultStorage } = await import('@omg/svd/maintenance');
  const svd = database();
  const storage = vaultStorage();
  const folders = documentFolders(dir);
  const log = createLogger('svd-migrate');
  return {
    hook: ({ userId, email, dryRun }) =>
      importUserDocuments(svd.db, storage, {
        userId,
        dir: folders.get(email) ?? path.join(dir, email),
        dryRun,
        log,
      }),
    close: () => svd.pool.end(),
  };
}

/** The JSON report, written as lines finish so a 100,000-line export never sits in memory. */
function openReport(file: string, header: Record<string, unknown>) {
  const out = createWriteStream(file);
  const head = JSON.stringify(header, null, 2);
  out.write(`${head.slice(0, -2)},\n  "rows": [`);
  let first = true;
  return {
    row(result: TMigrationRowResult) {
      out.write(`${first ? '\n' : ',\n'}    ${JSON.stringify(result)}`);
      first = false;
    },
    close(summary: Record<string, unknown>): Promise<void> {
      const tail = JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ');
      out.end(`\n  ],\n  "summary": ${tail}\n}\n`);
      return new Promise((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
      });
    },
  };
}

function printSummary(summary: TMigrationSummary, options: ReturnType<typeof readOptions>, seconds: number) {
  const out = (line = '') => console.log(line);
  const { counts } = summary;
  out();
  out(
    `SVD customer migration${summary.dryRun ? ' (dry run: nothing written)' : ''}: ${summary.rows} line(s) in ${seconds.toFixed(1)} s`,
  );
  out(`  created    ${counts.created}`);
  out(`  updated    ${counts.updated}`);
  out(`  unchanged  ${counts.unchanged}`);
  out(`  rejected   ${counts.rejected}`);
  out(
    `  conflicts  ${counts.conflict}${summary.conflictsResolved ? ` (${summary.conflictsResolved} resolved)` : ''}`,
  );
  out(`  new Hub accounts: ${summary.usersCreated}`);
  if (options.sendInvites) out(`  welcome mails queued: ${summary.invitesQueued}`);
  if (options.documents) {
    const d = summary.documents;
    out(`  documents: ${d.imported} imported, ${d.skipped} already there, ${d.rejected} refused`);
  }
  const rejected = summary.problems.filter((p) => p.outcome === 'rejected');
  if (rejected.length > 0) {
    out();
    out(`Rejected lines (${rejected.length}):`);
    for (const r of rejected.slice(0, PRINT_LIMIT)) out(`  line ${r.line}  ${r.email ?? '-'}: ${r.reason}`);
  }
  const conflicts = summary.problems.filter((p) => p.outcome === 'conflict');
  if (conflicts.length > 0) {
    out();
    out(`Conflicts: customers who would pay twice (${conflicts.length}):`);
    for (const { line, email, conflict } of conflicts.slice(0, PRINT_LIMIT)) {
      if (!conflict) continue;
      out(`  line ${line}  ${email}  user ${conflict.userId}`);
      out(
        `      Hub subscription ${conflict.hubStripeSubscriptionId}, export ${conflict.exportStripeSubscriptionId ?? '(paid outside Stripe)'}`,
      );
      if (conflict.resolution) {
        out(
          `      resolved: ${conflict.resolution.summary} (${formatPrice(conflict.resolution.refundedCents)} refunded)`,
        );
      } else {
        if (conflict.resolutionError) out(`      not resolved: ${conflict.resolutionError}`);
        out(`      what to do: ${conflict.advice}`);
      }
    }
  }
  if (rejected.length > PRINT_LIMIT || conflicts.length > PRINT_LIMIT)
    out(`  … every line is in the report.`);
  out();
  out(`Report: ${options.report}`);
}

async function main(): Promise<number> {
  const options = readOptions();
  const stored = readLocalEnv();
  for (const [name, value] of Object.entries(stored)) process.env[name] ||= value;
  const databaseUrl = process.env.HUB_DATABASE_URL || process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new SetupError('No database: set HUB_DATABASE_URL or DATABASE_URL, or run `npm run dev` once.');
  const stripe = process.env.STRIPE_SECRET_KEY
    ? createStripeClient(process.env.STRIPE_SECRET_KEY, process.env.STRIPE_API_BASE || undefined)
    : null;
  if (options.resolveConflicts && !stripe) {
    throw new SetupError(
      '--resolve-conflicts needs Stripe: set STRIPE_SECRET_KEY (and STRIPE_API_BASE for the emulator).',
    );
  }

  const hub = createDatabase(migrationDatabaseUrl(databaseUrl), {
    max: options.concurrency + 2,
    applicationName: 'svd-migrate',
  });
  const documents = options.documents ? await documentHooks(options.documents) : null;
  const hooks: TMigrationHooks = {
    ...(options.sendInvites ? { sendInvite: (tx, { userId }) => sendMigrationInvite(tx, { userId }) } : {}),
    ...(documents ? { importDocuments: documents.hook } : {}),
  };

  const size = statSync(options.file).size;
  let bytesRead = 0;
  const counted = createReadStream(options.file).pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytesRead += chunk.length;
        done(null, chunk);
      },
    }),
  );
  const bar = process.stdout.isTTY
    ? new SingleBar({
        format: 'migrating [{bar}] {percentage}% | {rows} lines | {eta_formatted} left',
        hideCursor: true,
      })
    : null;
  bar?.start(size, 0, { rows: 0 });
  const report = openReport(options.report, {
    file: options.file,
    startedAt: new Date().toISOString(),
    dryRun: options.dryRun,
    options: {
      documents: options.documents ?? null,
      sendInvites: options.sendInvites,
      resolveConflicts: options.resolveConflicts,
    },
  });
  let rows = 0;
  const started = performance.now();
  try {
    const summary = await migrateSvdCustomers(hub.db, stripe, {
      source: counted,
      dryRun: options.dryRun,
      resolveConflicts: options.resolveConflicts,
      concurrency: options.concurrency,
      hooks,
      onRow: (result) => {
        rows += 1;
        report.row(result);
        bar?.update(bytesRead, { rows });
      },
    });
    bar?.update(size, { rows });
    bar?.stop();
    const { problems, ...counts } = summary;
    await report.close({ ...counts, finishedAt: new Date().toISOString() } as Omit<
      TMigrationSummary,
      'problems'
    >);
    printSummary(summary, options, (performance.now() - started) / 1000);
    const needsAttention =
      summary.counts.rejected > 0 ||
      summary.counts.conflict > summary.conflictsResolved ||
      summary.documents.rejected > 0;
    return needsAttention ? 1 : 0;
  } finally {
    bar?.stop();
    await hub.pool.end();
    await documents?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const code = (error as { code?: string })?.code ?? '';
    const setup = error instanceof SetupError || code === 'BAD_REQUEST' || code.startsWith('ERR_PARSE_ARGS');
    console.error(
      `[svd:migrate] ${setup ? '' : 'failed: '}${error instanceof Error ? error.message : error}`,
    );
    process.exit(2);
  },
);
