import { schema, type TDatabase, type TTransaction, withAdvisoryLock } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq, lt, notExists, sql } from 'drizzle-orm';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { findFolder } from '../folders/find-folder';
import { formatBytes } from '../format-bytes';
import { isTeam, pooledDocumentsOf, quotaLockKey, requireSpaceAction, type TSpace } from '../spaces/space';
import { storedBytesOf } from '../versions/stored-bytes';
import { findVault } from './find-vault';

/**
 * A simple upload's reservation older than this belongs to an upload that died; its bytes stop counting against
 * the quota. Resumable (tus) uploads are exempt: they expire on their own clock (sweep-expired-uploads).
 */
const STALE_UPLOAD_MS = 60 * 60 * 1000;

export interface TReserveUploadInput extends TSpace {
  vaultId: string;
  /** The live folder of that vault to upload into (issue 16), checked in the reservation; null = the root. */
  folderId?: string | null;
  documentId: string;
  storageKey: string;
  /** Already validated (ZDocumentNameSchema). */
  name: string;
  mimeType: string;
  /** What the client says it will send: the largest-file limit and the quota are checked against it. */
  declaredBytes: number;
  /** The document's data key, wrapped, when it is drawn at reservation (resumable uploads). */
  wrappedKey?: string;
  /** Runs inside the reservation's transaction, so what it writes exists exactly when the reservation does. */
  withReservation?: (tx: TTransaction) => Promise<void>;
}

/**
 * Every upload's gate (SPEC §6), before any byte is stored: the vault is the user's, uploads are not blocked
 * (read-only plan, over storage), the declared size is within the plan's largest-file limit, and it fits the
 * storage quota — reserved as a securevault."Document" row in state 'uploading' at the declared size, in a
 * transaction serialised per user, so concurrent uploads (simple or resumable) cannot overshoot it.
 * Returns the storage keys of dead reservations it released, for the caller to discard.
 */
export async function reserveUpload(db: TDatabase, input: TReserveUploadInput): Promise<string[]> {
  await findVault(db, input);
  requireSpaceAction(input, 'write');
  // A team's uploads all draw on the organization's plan and its pooled storage (issue 15).
  const space: TSpace = { userId: input.userId, organizationId: input.organizationId, role: input.role };
  const status = await getVaultStatus(db, space);
  if (status.uploadBlockedReason) throw new AppError('FORBIDDEN', status.uploadBlockedReason);
  const { limits } = status.entitlement;
  if (input.declaredBytes > limits.maxFileBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `“${input.name}” is ${formatBytes(input.declaredBytes)}; the ${limits.name} plan allows files up to ${formatBytes(limits.maxFileBytes)}.`,
    );
  }

  // One lock per user, or per team (every member's reservation waits its turn), so the sum below cannot go stale.
  return withAdvisoryLock(db, quotaLockKey(space), async (tx) => {
    const d = schema.document;
    const r = schema.resumableUpload;
    const stale = await tx
      .delete(d)
      .where(
        and(
          pooledDocumentsOf(space),
          eq(d.state, 'uploading'),
          lt(d.createdAt, new Date(Date.now() - STALE_UPLOAD_MS)),
          notExists(tx.select({ one: sql`1` }).from(r).where(eq(r.documentId, d.id))),
        ),
      )
      .returning({ storageKey: d.storageKey });
    // Documents, reservations and former versions: the same sum getVaultStatus shows (storedBytesOf).
    const [usage] = await tx.select({ used: storedBytesOf(space) }).from(sql`(select 1) as "one"`);
    const used = Number(usage?.used ?? 0);
    const free = Math.max(0, limits.storageBytes - used);
    if (input.declaredBytes > free) {
      throw new AppError(
        'FORBIDDEN',
        `Not enough storage for “${input.name}” (${formatBytes(input.declaredBytes)}): ${formatBytes(free)} of ${isTeam(space) ? 'the team’s' : 'your'} ${limits.name} plan's ${formatBytes(limits.storageBytes)} is free.`,
        { details: { reason: 'storage_quota', freeBytes: free } },
      );
    }
    // Inside the reservation, so a folder deleted to the trash a moment ago is refused (404), not filled.
    if (input.folderId) await findFolder(tx, { ...space, folderId: input.folderId, vaultId: input.vaultId });
    await tx.insert(d).values({
      id: input.documentId,
      userId: input.userId,
      organizationId: isTeam(space) ? space.organizationId : null,
      vaultId: input.vaultId,
      folderId: input.folderId ?? null,
      name: input.name,
      mimeType: input.mimeType,
      sizeBytes: input.declaredBytes,
      state: 'uploading',
      storageKey: input.storageKey,
      wrappedKey: input.wrappedKey,
    });
    await input.withReservation?.(tx);
    return stale.flatMap((row) => (row.storageKey ? [row.storageKey] : []));
  });
}
