import { schema, type TDatabase } from '@omg/db';
import { eq } from 'drizzle-orm';

type TAppRow = typeof schema.app.$inferSelect;

/** How long a process trusts its copy of an app's row: a deploy's new launch URL is in use within a minute. */
const TTL_MS = 60_000;

const copies = new WeakMap<TDatabase, Map<string, { row: TAppRow; until: number }>>();

/**
 * hub."App" by slug, remembered in this process for a minute. The catalog changes only when a deploy seeds it
 * (seedCatalog), yet every hand-off read it: one of the launch's round trips for an answer that is always the
 * same. Only apps that exist are remembered, so unknown slugs cannot grow the map; they are read every time.
 */
export async function findCatalogApp(db: TDatabase, slug: string): Promise<TAppRow | null> {
  let bySlug = copies.get(db);
  if (!bySlug) {
    bySlug = new Map();
    copies.set(db, bySlug);
  }
  const now = Date.now();
  const copy = bySlug.get(slug);
  if (copy && copy.until > now) return copy.row;
  const [row] = await db.select().from(schema.app).where(eq(schema.app.slug, slug));
  if (!row) return null;
  bySlug.set(slug, { row, until: now + TTL_MS });
  return row;
}
