import type { Readable } from 'node:stream';
import type { TDatabase } from '@omg/db';
import type Stripe from 'stripe';
import { migrateSimpleLines } from './migrate-simple-lines';
// Relative imports only: `npm run svd:migrate` runs this outside Next.js (through maintenance.ts).
import { migrateSvdCustomer } from './migrate-svd-customer';
import type { TMigrationHooks, TMigrationOutcome, TMigrationRowResult } from './migration.types';
import { readSvdExport } from './read-svd-export';
import type { TSvdExportRow } from './svd-export-row';

/** Plain lines sent to PostgreSQL in one round trip (each still its own transaction). */
const BATCH_LINES = 25;

export interface TMigrateSvdCustomersInput {
  /** The export (CSV), read as a stream. */
  source: Readable;
  dryRun?: boolean;
  resolveConflicts?: boolean;
  /**
   * Lines (or batches of plain lines) in flight at once, each line its own transaction; the pool should hold at
   * least this many connections.
   */
  concurrency?: number;
  hooks?: TMigrationHooks;
  /** Called once per line as it finishes (in completion order, not line order): the report is written from it. */
  onRow?: (result: TMigrationRowResult) => void;
}

export interface TMigrationSummary {
  dryRun: boolean;
  rows: number;
  counts: Record<TMigrationOutcome, number>;
  /** Conflicts `--resolve-conflicts` resolved (canceled and refunded the newer subscription). */
  conflictsResolved: number;
  usersCreated: number;
  invitesQueued: number;
  documents: { imported: number; skipped: number; rejected: number };
  /** Lines that need the operator: rejected ones, and conflicts. Ordered by line. */
  problems: TMigrationRowResult[];
}

/**
 * `npm run svd:migrate` (SPEC §7): streams the export and migrates each line with migrateSvdCustomer (plain lines
 * of a real run batched through migrateSimpleLines), a few in flight at once, each line its own transaction, so a
 * large export finishes in a minute; memory stays flat because
 * only the lines in flight and the problem lines are held. A bad line never stops the others. Emails, Stripe
 * customers and subscriptions repeated in the file are refused while reading, so no two lines in flight ever
 * touch the same customer.
 */
export async function migrateSvdCustomers(
  db: TDatabase,
  stripe: Stripe | null,
  input: TMigrateSvdCustomersInput,
): Promise<TMigrationSummary> {
  const dryRun = input.dryRun ?? false;
  const summary: TMigrationSummary = {
    dryRun,
    rows: 0,
    counts: { created: 0, updated: 0, unchanged: 0, rejected: 0, conflict: 0 },
    conflictsResolved: 0,
    usersCreated: 0,
    invitesQueued: 0,
    documents: { imported: 0, skipped: 0, rejected: 0 },
    problems: [],
  };
  const finish = (result: TMigrationRowResult) => {
    summary.rows += 1;
    summary.counts[result.outcome] += 1;
    if (result.conflict?.resolution) summary.conflictsResolved += 1;
    if (result.userCreated) summary.usersCreated += 1;
    if (result.invite?.queued) summary.invitesQueued += 1;
    if (result.documents) {
      summary.documents.imported += result.documents.imported.length;
      summary.documents.skipped += result.documents.skipped.length;
      summary.documents.rejected += result.documents.rejected.length;
    }
    if (result.outcome === 'rejected' || result.outcome === 'conflict') summary.problems.push(result);
    input.onRow?.(result);
  };

  const inFlight = new Set<Promise<void>>();
  const concurrency = Math.max(1, input.concurrency ?? 1);
  try {
    await readAll();
  } finally {
    // A file that stops being readable halfway still lets the lines already started finish (and be reported).
    await Promise.allSettled(inFlight);
  }
  summary.problems.sort((a, b) => a.line - b.line);
  return summary;

  function track(task: Promise<void>): Promise<void> | undefined {
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    // Reading waits while the pool is busy: backpressure keeps the rest of the file on disk.
    return inFlight.size >= concurrency ? Promise.race(inFlight) : undefined;
  }

  function migrateOne(line: number, row: TSvdExportRow): Promise<void> {
    return migrateSvdCustomer(db, stripe, {
      line,
      row,
      dryRun,
      resolveConflicts: input.resolveConflicts ?? false,
      hooks: input.hooks,
    }).then(finish);
  }

  /** Plain lines go to PostgreSQL together; any that need more take the one-line path. */
  async function migrateBatch(lines: Array<{ line: number; row: TSvdExportRow }>): Promise<void> {
    const results = await migrateSimpleLines(db, lines).catch(() => lines.map(() => null));
    await Promise.all(
      lines.map(({ line, row }, index) => {
        const result = results[index];
        if (!result) return migrateOne(line, row);
        finish(result);
        return undefined;
      }),
    );
  }

  async function readAll() {
    // Batches serve plain lines on a real run; a dry run must roll back, and an invite or a documents import
    // belongs to one line, so those go one by one.
    const batching = !dryRun && !input.hooks?.sendInvite && !input.hooks?.importDocuments;
    let batch: Array<{ line: number; row: TSvdExportRow }> = [];
    for await (const record of readSvdExport(input.source)) {
      if (!('row' in record)) {
        finish({ line: record.line, email: record.email, outcome: 'rejected', reason: record.reason });
        continue;
      }
      const { line, row } = record;
      if (batching && !row.stripeCustomerId && !row.stripeSubscriptionId) {
        batch.push({ line, row });
        if (batch.length < BATCH_LINES) continue;
        const full = batch;
        batch = [];
        await track(migrateBatch(full));
      } else await track(migrateOne(line, row));
    }
    if (batch.length > 0) await track(migrateBatch(batch));
  }
}
