import type { schema } from '@omg/db';
import { z } from 'zod';

/** `/api/folders/[id]`: an id that is not even a UUID is as missing as an unknown one. */
export const ZFolderParamsSchema = z.object({ id: z.string().uuid('That folder does not exist.') });

export interface TFolderView {
  id: string;
  vaultId: string;
  parentId: string | null;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export function toFolderView(row: typeof schema.folder.$inferSelect): TFolderView {
  return {
    id: row.id,
    vaultId: row.vaultId,
    parentId: row.parentId,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
