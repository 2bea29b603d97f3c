import { schema, type TDatabase } from '@omg/db';
import type { TLogger } from '@omg/platform';
import { asc, lt } from 'drizzle-orm';
import type { TBlobStore } from '../storage';
import { discardResumableUpload } from './discard-resumable-upload';

export interface TUploadSweepReport {
  /** Unfinished uploads past their deadline: reservation released, parts deleted. */
  released: string[];
  /** Finished uploads whose row was only kept so a late client could learn they were done. */
  forgotten: number;
}

/**
 * `npm run svd:sweep-uploads` (and tus's cleanUpExpiredUploads): every resumable upload past its deadline (a
 * day without progress) is discarded — an unfinished one releases its quota reservation and its stored parts —
 * oldest first. Safe to run at any time and any number of times, on any instance: an upload a PATCH is
 * writing right now holds a live lease and is skipped.
 */
export async function sweepExpiredUploads(
  db: TDatabase,
  store: TBlobStore,
  options: { log: TLogger },
): Promise<TUploadSweepReport> {
  const u = schema.resumableUpload;
  const expired = await db
    .select({ id: u.id, completedAt: u.completedAt })
    .from(u)
    .where(lt(u.expiresAt, new Date()))
    .orderBy(asc(u.expiresAt));
  const report: TUploadSweepReport = { released: [], forgotten: 0 };
  for (const upload of expired) {
    const released = await discardResumableUpload(db, store, {
      uploadId: upload.id,
      why: 'expired',
      log: options.log,
    });
    if (released) report.released.push(upload.id);
    else if (upload.completedAt) report.forgotten += 1;
  }
  return report;
}
