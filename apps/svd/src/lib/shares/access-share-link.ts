import { randomUUID } from 'node:crypto';
import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { eq } from 'drizzle-orm';
import { consumeRateLimit, releaseRateLimit } from './consume-rate-limit';
import { linkNotAvailable, shareLinkStatus, type TShareLinkStatus } from './share-link-view';
import { verifySharePassword } from './share-password';
import { limitShareRequest, SHARE_RATE_LIMITS, tooManyAttempts } from './share-rate-limits';
import { hashShareToken } from './share-token';

export type TShareUseOutcome =
  | 'downloaded'
  | 'wrong_password'
  | 'expired'
  | 'revoked'
  | 'exhausted'
  | 'unavailable';

/** A live link and what it shares: a document, or a folder (exactly one is set). */
export interface TOpenShare {
  link: typeof schema.shareLink.$inferSelect;
  document: typeof schema.document.$inferSelect | null;
  folder: typeof schema.folder.$inferSelect | null;
}

const OUTCOME_OF: Record<Exclude<TShareLinkStatus, 'active'>, TShareUseOutcome> = {
  expired: 'expired',
  revoked: 'revoked',
  exhausted: 'exhausted',
  in_trash: 'unavailable',
};

export async function recordShareUse(
  db: TDatabase,
  linkId: string,
  outcome: TShareUseOutcome,
  address: string | null,
): Promise<void> {
  await db
    .insert(schema.shareLinkUse)
    .values({ id: randomUUID(), shareLinkId: linkId, outcome, ipAddress: address });
}

/**
 * A recipient's request for a link: counted against the rate limits, then answered for a live link only. Unknown,
 * malformed, expired, revoked, exhausted and trashed links and a wrong password all get the same refusal (404
 * "This link is not available."), and every request that carries a password spends one argon2 verify — against a
 * dummy hash when there is no link — so neither the answer nor its timing tells them apart. A live link with a
 * password asked without one answers 401: only someone holding a working token learns that it wants a password.
 * `logUse`: whether a refusal of an existing link is written to its use log (checks and downloads; not page views).
 */
export async function accessShareLink(
  db: TDatabase,
  input: { token: string; password?: string | null; address: string | null; logUse: boolean; now?: Date },
): Promise<TOpenShare> {
  const now = input.now ?? new Date();
  await limitShareRequest(db, input.token, input.address);
  const [row] = await db
    .select({ link: schema.shareLink, document: schema.document, folder: schema.folder })
    .from(schema.shareLink)
    .leftJoin(schema.document, eq(schema.document.id, schema.shareLink.documentId))
    .leftJoin(schema.folder, eq(schema.folder.id, schema.shareLink.folderId))
    .where(eq(schema.shareLink.tokenHash, hashShareToken(input.token)));
  const offered = input.password ?? null;
  let passwordOk = false;
  if (offered !== null) {
    const failures = await consumeRateLimit(db, SHARE_RATE_LIMITS.passwordFailuresPerLink, input.token);
    if (!failures.allowed) throw tooManyAttempts(failures.retryAfterSeconds);
    passwordOk = await verifySharePassword(row?.link.passwordHash ?? null, offered);
    if (passwordOk) await releaseRateLimit(db, SHARE_RATE_LIMITS.passwordFailuresPerLink, input.token);
  }
  if (!row) throw linkNotAvailable();
  const gone = row.document
    ? row.document.state !== 'ready' || row.document.trashedAt !== null
    : !row.folder || row.folder.trashedAt !== null;
  const status = shareLinkStatus(row.link, gone, now);
  if (status !== 'active') {
    if (input.logUse) await recordShareUse(db, row.link.id, OUTCOME_OF[status], input.address);
    throw linkNotAvailable();
  }
  if (row.link.passwordHash !== null && !passwordOk) {
    if (offered === null) throw new AppError('UNAUTHORIZED', 'This link needs its password.');
    if (input.logUse) await recordShareUse(db, row.link.id, 'wrong_password', input.address);
    throw linkNotAvailable();
  }
  return row;
}
