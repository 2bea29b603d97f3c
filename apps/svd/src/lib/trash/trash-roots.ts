import { schema } from '@omg/db';
import { type SQL, sql } from 'drizzle-orm';

/**
 * What the trash page lists: each deletion once. A trashed document is its own entry unless it went with its
 * folder (the folder has the same trashedAt stamp); likewise a trashed folder unless it went with its parent.
 */
export function trashedDocumentRoot(): SQL {
  const d = schema.document;
  const f = schema.folder;
  return sql`(${d.trashedAt} is not null and not exists (
    select 1 from ${f} where ${f.id} = ${d.folderId} and ${f.trashedAt} = ${d.trashedAt}))`;
}

export function trashedFolderRoot(): SQL {
  return sql`("securevault"."Folder"."trashedAt" is not null and not exists (
    select 1 from "securevault"."Folder" p
    where p."id" = "securevault"."Folder"."parentId" and p."trashedAt" = "securevault"."Folder"."trashedAt"))`;
}
