import { type SQL, sql } from 'drizzle-orm';

/**
 * `(select id …)`: the folder and every folder below it, trashed or not — for `inArray`/`in` conditions. Cycles
 * cannot occur (moveFolder refuses them under the vault's lock), and UNION (not UNION ALL) would stop one anyway.
 */
export function folderSubtree(folderId: string | SQL): SQL {
  return sql`(with recursive tree(id) as (
      select "id" from "securevault"."Folder" where "id" = ${folderId}
      union
      select f."id" from "securevault"."Folder" f join tree on f."parentId" = tree.id
    ) select id from tree)`;
}

/** `(select id …)`: the folder and every folder above it up to the vault's root. */
export function folderAncestry(folderId: string): SQL {
  return sql`(with recursive up(id, "parentId", depth) as (
      select "id", "parentId", 0 from "securevault"."Folder" where "id" = ${folderId}
      union
      select f."id", f."parentId", up.depth + 1 from "securevault"."Folder" f join up on f."id" = up."parentId"
    ) select id from up)`;
}
