import type { TTransaction } from '@omg/db';

export type TMigrationOutcome = 'created' | 'updated' | 'unchanged' | 'rejected' | 'conflict';

/** A customer who would pay twice: the Hub already has a live SVD subscription, and the export names another. */
export interface TMigrationConflict {
  userId: string;
  /** The live subscription the Hub's row tracks. */
  hubStripeSubscriptionId: string;
  /** The export's subscription; null when the customer pays SVD outside Stripe. */
  exportStripeSubscriptionId: string | null;
  /** The one `--resolve-conflicts` cancels and refunds (the newer by Stripe's creation time); null: only by hand. */
  newerStripeSubscriptionId: string | null;
  /** What the operator should do. */
  advice: string;
  /** With `--resolve-conflicts`: what was canceled and refunded. */
  resolution?: { canceledStripeSubscriptionId: string; refundedCents: number; summary: string };
  /** With `--resolve-conflicts`: why it could not be resolved automatically. */
  resolutionError?: string;
}

export interface TDocumentImportResult {
  imported: string[];
  skipped: string[];
  rejected: { file: string; reason: string }[];
}

/** What happened to one line of the export; the JSON report holds one of these per line. */
export interface TMigrationRowResult {
  line: number;
  email: string | null;
  outcome: TMigrationOutcome;
  /** Why a line was rejected. */
  reason?: string;
  userId?: string;
  /** True when this run created the core."User" (no password yet: they claim the account by email). */
  userCreated?: boolean;
  plan?: string;
  status?: string;
  grandfatheredPriceCents?: number;
  stripeSubscriptionId?: string | null;
  /** With `updated`: what changed (column names, `customer`, `legacyPrice`). */
  changes?: string[];
  /** A Stripe price outside the catalog and the plan it is recorded as. */
  legacyPrice?: { stripePriceId: string; plan: string };
  conflict?: TMigrationConflict;
  /** With `--send-invites`: whether a welcome was queued now (false: one was queued by an earlier run). */
  invite?: { queued: boolean };
  /** With `--documents`: the customer's files imported, skipped (already there) and refused. */
  documents?: TDocumentImportResult;
  /** Anything else the operator should know about the line. */
  note?: string;
}

/** What the migration does beyond hub.* and core."User", supplied by the caller (the Hub's mail, SVD's vault). */
export interface TMigrationHooks {
  /** Queues the welcome with the claim link inside the row's transaction, once per user however often it runs. */
  sendInvite?: (tx: TTransaction, input: { userId: string }) => Promise<{ queued: boolean }>;
  /** Imports the customer's files once their row has committed (or checks them, in a dry run). */
  importDocuments?: (input: {
    userId: string;
    email: string;
    dryRun: boolean;
  }) => Promise<TDocumentImportResult>;
}
