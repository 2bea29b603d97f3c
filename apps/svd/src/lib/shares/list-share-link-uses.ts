import { schema, type TDatabase } from '@omg/db';
import { AppError } from '@omg/platform';
import { and, desc, eq } from 'drizzle-orm';
import { requireSpaceAction, type TSpace } from '../spaces/space';
import { shareLinksOf } from './share-links-of';

export interface TShareLinkUseView {
  at: string;
  ipAddress: string | null;
  outcome: string;
}

/** The uses of one link the user sees (shareLinksOf), newest first; someone else's link is a 404. */
export async function listShareLinkUses(
  db: TDatabase,
  input: TSpace & { linkId: string },
): Promise<TShareLinkUseView[]> {
  requireSpaceAction(input, 'read');
  const [link] = await db
    .select({ id: schema.shareLink.id })
    .from(schema.shareLink)
    .where(and(eq(schema.shareLink.id, input.linkId), shareLinksOf(input)));
  if (!link) throw new AppError('NOT_FOUND', 'That link does not exist.');
  const u = schema.shareLinkUse;
  const rows = await db
    .select()
    .from(u)
    .where(eq(u.shareLinkId, link.id))
    .orderBy(desc(u.createdAt), desc(u.id))
    .limit(500);
  return rows.map((row) => ({
    at: row.createdAt.toISOString(),
    ipAddress: row.ipAddress,
    outcome: row.outcome,
  }));
}
