import type { Readable } from 'node:stream';
import type { TDatabase } from '@omg/db';
import type Stripe from 'stripe';
// Relative imports only: `npm run svd:migrate` runs this outside Next.js (through maintenance.ts).
import { migrateSvdCustomer } from './migrate-svd-customer';
import type { TMigrationHooks, TMigrationOutcome, TMigrationRowResult } from './migration.types';
import { readSvdExport } from './read-svd-export';

export interface TMigrateSvdCustomersInput {
  /** The export (CSV), read as a stream. */
  source: Readable;
  dryRun?: boolean;
  resolveConflicts?: boolean;
  /** Lines in flight at once, each in its own transaction; the pool should hold at least this many connections. */
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
 * `npm run svd:migrate` (SPEC §7): streams the export and migrates each line with migrateSvdCustomer, a few lines
 * in flight at once (each its own transaction) so a large export finishes in minutes; memory stays flat because
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

  async function readAll() {
    for await (const record of readSvdExport(input.source)) {
      if (!('row' in record)) {
        finish({ line: record.line, email: record.email, outcome: 'rejected', reason: record.reason });
        continue;
      }
      const task = migrateSvdCustomer(db, stripe, {
        line: record.line,
        row: record.row,
        dryRun,
        resolveConflicts: input.resolveConflicts ?? false,
        hooks: input.hooks,
      }).then(finish);
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      // Reading waits while the pool is busy: backpressure keeps the rest of the file on disk.
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  }
}
