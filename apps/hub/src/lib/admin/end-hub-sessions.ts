import { schema, type TTransaction } from '@omg/db';
import { eq } from 'drizzle-orm';

/**
 * Deletes every Hub session of a user in the caller's transaction (end all sessions, a ban) and answers how many
 * there were. SVD needs nothing more: each SVD request checks that the Hub session behind it is alive (single
 * logout).
 */
export async function endHubSessions(tx: TTransaction, userId: string): Promise<number> {
  const ended = await tx
    .delete(schema.session)
    .where(eq(schema.session.userId, userId))
    .returning({ id: schema.session.id });
  return ended.length;
}
