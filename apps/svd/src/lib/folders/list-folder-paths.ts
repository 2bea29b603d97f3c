import { schema, type TDatabase } from '@omg/db';
import { and } from 'drizzle-orm';
import type { TSpace } from '../spaces/space';
import { liveFolder } from '../trash/live';
import { foldersOf } from './folders-of';

/**
 * Every live folder of the space as its path ("Taxes / 2026"), keyed by id — for showing where a search hit
 * sits. One read of the space's folders (names and parents only); the paths are built here.
 */
export async function listFolderPaths(db: TDatabase, space: TSpace): Promise<Record<string, string>> {
  const f = schema.folder;
  const rows = await db
    .select({ id: f.id, name: f.name, parentId: f.parentId })
    .from(f)
    .where(and(foldersOf(space), liveFolder));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const paths: Record<string, string> = {};
  const pathOf = (id: string, depth = 0): string => {
    const cached = paths[id];
    if (cached !== undefined) return cached;
    const row = byId.get(id);
    if (!row) return '';
    const parent = row.parentId && depth < 1000 ? pathOf(row.parentId, depth + 1) : '';
    paths[id] = parent ? `${parent} / ${row.name}` : row.name;
    return paths[id];
  };
  for (const row of rows) pathOf(row.id);
  return paths;
}
