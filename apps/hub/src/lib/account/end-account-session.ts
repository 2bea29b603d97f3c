import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, eq } from 'drizzle-orm';

/**
 * Signs one device of the account out of the Hub. Its SVD sessions end with it: SVD checks on every request that
 * the Hub session an SVD session came from still exists (findSvdSession). Another account's session id, or one
 * already ended, is "not found" — the same answer, so ids of other accounts cannot be probed.
 */
export async function endAccountSession(
  database: TDatabase,
  userId: string,
  sessionId: string,
): Promise<void> {
  const ended = await database
    .delete(schema.session)
    .where(and(eq(schema.session.id, sessionId), eq(schema.session.userId, userId)))
    .returning({ id: schema.session.id });
  if (ended.length === 0) {
    throw new AppError('NOT_FOUND', 'That session has already ended.');
  }
}
