import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import { drizzleExecutor, MAIL_QUEUE, MAIL_RETRY, PG_BOSS_SCHEMA } from './queue';
import { ZSendConditionSchema } from './send-condition';

export const ZOutgoingEmailSchema = z.object({
  kind: z.string().min(1),
  userId: z.string().nullable().default(null),
  from: z.string().min(3),
  to: z.email(),
  subject: z.string().min(1),
  html: z.string().min(1),
  text: z.string().min(1),
  /** Sends it once per key: a second enqueue with the same key writes and queues nothing. */
  idempotencyKey: z.string().min(1).nullable().default(null),
  /** A reminder queued ahead: it leaves no earlier than this (recorded on the row, and the job starts then). */
  sendAfter: z.date().nullable().default(null),
  /** Sent only if this still holds when the worker takes it; otherwise the row is marked `withdrawn`. */
  sendIf: ZSendConditionSchema.nullable().default(null),
});
export type TOutgoingEmail = z.input<typeof ZOutgoingEmailSchema>;

export const ZMailJobSchema = z.object({
  outgoingEmailId: z.string().min(1),
  sendIf: ZSendConditionSchema.nullable().default(null),
});
export type TMailJob = z.infer<typeof ZMailJobSchema>;

/** Retry policy per job, and the queue; tests pass short delays and a queue of their own. */
export type TMailRetry = { retryLimit: number; retryDelay: number; retryBackoff: boolean };
export type TEnqueueOptions = { retry?: TMailRetry; queue?: string };

/**
 * Records a mail in the outbox and queues its delivery, both in one transaction: pass the transaction of what
 * caused the mail (it is then sent only if that commits), or the database for a transaction of its own.
 * Returns the outbox row's id; with an `idempotencyKey` already used, the id of that earlier row (nothing queued).
 */
export async function enqueueEmail(
  database: TDatabase | TTransaction,
  message: TOutgoingEmail,
  options: TEnqueueOptions = {},
): Promise<string> {
  const { sendIf, ...mail } = ZOutgoingEmailSchema.parse(message);
  return database.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.outgoingEmail)
      .values(mail)
      .onConflictDoNothing({ target: schema.outgoingEmail.idempotencyKey })
      .returning({ id: schema.outgoingEmail.id });
    if (!row && mail.idempotencyKey) {
      const [earlier] = await tx
        .select({ id: schema.outgoingEmail.id })
        .from(schema.outgoingEmail)
        .where(eq(schema.outgoingEmail.idempotencyKey, mail.idempotencyKey));
      if (earlier) return earlier.id;
    }
    if (!row) throw new Error('the outbox row was not written');
    const executor = drizzleExecutor(tx);
    // A pg-boss instance over the transaction only: it opens no pool and is never started.
    const boss = new PgBoss({ db: executor, schema: PG_BOSS_SCHEMA });
    const job: TMailJob = { outgoingEmailId: row.id, sendIf };
    await boss.send(options.queue ?? MAIL_QUEUE, job, {
      ...(options.retry ?? MAIL_RETRY),
      ...(mail.sendAfter ? { startAfter: mail.sendAfter } : {}),
      db: executor,
    });
    return row.id;
  });
}
