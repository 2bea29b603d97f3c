import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { schema, type TDatabase } from '@omg/db';
import type { Lock, Locker } from '@tus/server';
import { and, eq, isNull, or, sql } from 'drizzle-orm';

export interface TUploadLeaseOptions {
  /** How long a lease lasts without renewal: a crashed instance's upload is free again after this. */
  leaseMs?: number;
  /** How long a request waits for a busy upload before it is refused with 423 Locked. */
  waitMs?: number;
}

/** tus's own errors are thrown as `{ status_code, body }`; 423 is what tusd answers, and tus-js-client retries. */
export const UPLOAD_LOCKED = {
  status_code: 423,
  body: 'This upload is receiving data in another request. Try again in a moment.\n',
};

/**
 * tus locking across instances: a lease on the upload's own row (lockToken, lockedUntil), taken with one
 * conditional UPDATE in PostgreSQL, renewed while the request runs, released at its end. Every instance behind
 * the load balancer sees the same row, so two PATCHes of one upload can never interleave wherever they land;
 * a second one waits briefly, then gets 423. A lease rather than an advisory lock, because a PATCH may run for
 * hours and must not pin a pooled connection; if its instance dies, the lease lapses after `leaseMs`.
 * An id without a row (a deleted upload) needs no lock: the store answers 404 for it.
 */
export function createUploadLeaseLocker(db: () => TDatabase, options: TUploadLeaseOptions = {}): Locker {
  const leaseMs = options.leaseMs ?? 30_000;
  const waitMs = options.waitMs ?? 3_000;
  const u = schema.resumableUpload;
  return {
    newLock(id: string): Lock {
      const token = randomBytes(16).toString('hex');
      let renewal: NodeJS.Timeout | undefined;
      const until = sql`now() + ${`${leaseMs} milliseconds`}::interval`;
      return {
        async lock(signal) {
          const deadline = Date.now() + waitMs;
          for (;;) {
            const taken = await db()
              .update(u)
              .set({ lockToken: token, lockedUntil: until })
              .where(and(eq(u.id, id), or(isNull(u.lockedUntil), sql`${u.lockedUntil} < now()`)))
              .returning({ id: u.id });
            if (taken.length > 0) break;
            const [exists] = await db().select({ id: u.id }).from(u).where(eq(u.id, id));
            if (!exists) return;
            if (Date.now() >= deadline || signal.aborted) throw UPLOAD_LOCKED;
            await sleep(100);
          }
          renewal = setInterval(() => {
            db()
              .update(u)
              .set({ lockedUntil: until })
              .where(and(eq(u.id, id), eq(u.lockToken, token)))
              .catch(() => {
                // A missed renewal only shortens the lease; the offset's compare-and-set still guards the data.
              });
          }, leaseMs / 3);
          renewal.unref();
        },
        async unlock() {
          clearInterval(renewal);
          renewal = undefined;
          await db()
            .update(u)
            .set({ lockToken: null, lockedUntil: null })
            .where(and(eq(u.id, id), eq(u.lockToken, token)));
        },
      };
    },
  };
}
