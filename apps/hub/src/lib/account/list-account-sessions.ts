import { schema, type TDatabase } from '@omg/db';
import { and, desc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { describeDevice } from './describe-device';

/** One signed-in device as the Account page shows it; never the session's token. */
export const ZAccountSessionSchema = z.object({
  id: z.string(),
  device: z.string(),
  ipAddress: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});
export type TAccountSession = z.infer<typeof ZAccountSessionSchema>;

/**
 * The account's live Hub sessions, this device first, then the most recently seen. "Last seen" is better-auth's
 * `updatedAt`, which it moves when it refreshes a session (at most daily), so it is a day's precision at best.
 * SVD's sessions are not listed here: the Hub's role may not read `securevault."Session"`, and each SVD session
 * lives only while the Hub session it was launched from does, so ending a device here ends its SVD sessions too.
 */
export async function listAccountSessions(
  database: TDatabase,
  userId: string,
  currentSessionId: string,
): Promise<TAccountSession[]> {
  const rows = await database
    .select({
      id: schema.session.id,
      userAgent: schema.session.userAgent,
      ipAddress: schema.session.ipAddress,
      createdAt: schema.session.createdAt,
      updatedAt: schema.session.updatedAt,
    })
    .from(schema.session)
    .where(and(eq(schema.session.userId, userId), gt(schema.session.expiresAt, new Date())))
    .orderBy(desc(schema.session.updatedAt));
  const sessions = rows.map((row) => ({
    id: row.id,
    device: describeDevice(row.userAgent),
    ipAddress: row.ipAddress || null,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.updatedAt.toISOString(),
    current: row.id === currentSessionId,
  }));
  return [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];
}
