import { schema } from '@omg/db';
import { isNull } from 'drizzle-orm';

/**
 * Issue 16's trash: a row with trashedAt set is in the trash. Every listing, search, share-link resolution and
 * preview shows only live rows (the trash page excepted); storage sums count both, since trashed bytes are kept.
 */
export const liveDocument = isNull(schema.document.trashedAt);
export const liveFolder = isNull(schema.folder.trashedAt);

/** How long an item stays in the trash before `npm run svd:empty-trash` deletes it for good. */
export const TRASH_RETENTION_DAYS = 30;
export const TRASH_RETENTION_MS = TRASH_RETENTION_DAYS * 86_400_000;
