import { schema, type TDatabase } from '@omg/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';

export interface TSharedFile {
  id: string;
  /** Inside the folder, starting with its own name: "Taxes/2026/receipt.pdf". */
  path: string;
  sizeBytes: number;
  storageKey: string;
  wrappedKey: string;
  updatedAt: Date;
}

const ZRowSchema = z.object({
  id: z.string(),
  path: z.string(),
  sizeBytes: z.coerce.number(),
  storageKey: z.string(),
  wrappedKey: z.string(),
  updatedAt: z.coerce.date(),
});

/**
 * The live documents in a shared folder and every live folder below it, each with its path from the folder
 * (one recursive read; trashed folders and documents, and everything under a trashed folder, left out), in path
 * order. At most `limit` files, so a page listing them stays small.
 */
export async function listSharedFolder(
  db: TDatabase,
  folderId: string,
  limit = 10_000,
): Promise<TSharedFile[]> {
  const d = schema.document;
  const result = await db.execute(sql`
    with recursive tree(id, path) as (
      select "id", "name" from "securevault"."Folder" where "id" = ${folderId} and "trashedAt" is null
      union
      select f."id", tree.path || '/' || f."name"
        from "securevault"."Folder" f join tree on f."parentId" = tree.id
       where f."trashedAt" is null
    )
    select ${d.id} as "id", tree.path || '/' || ${d.name} as "path", ${d.sizeBytes} as "sizeBytes",
           ${d.storageKey} as "storageKey", ${d.wrappedKey} as "wrappedKey", ${d.updatedAt} as "updatedAt"
      from ${d} join tree on ${d.folderId} = tree.id
     where ${d.trashedAt} is null and ${d.state} = 'ready'
       and ${d.storageKey} is not null and ${d.wrappedKey} is not null
     order by 2
     limit ${limit}`);
  return result.rows.map((row) => ZRowSchema.parse(row));
}
