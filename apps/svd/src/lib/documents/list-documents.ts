import { schema, type TDatabase } from '@omg/db';
import { ZPlainTextSchema } from '@omg/platform';
import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { documentsOf, type TSpace, vaultsOf } from '../spaces/space';
import { type TDocumentView, toDocumentView } from './document-view';

export const ZListDocumentsSchema = z.object({
  vaultId: z.string().uuid().optional(),
  // NUL and other control characters are a 400 with a message, before PostgreSQL (which refuses NUL) sees them.
  q: ZPlainTextSchema.trim().max(200, 'Search at most 200 characters.').optional(),
  sort: z.enum(['name', 'createdAt', 'sizeBytes']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type TListDocumentsInput = z.infer<typeof ZListDocumentsSchema>;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The user's ready documents, in one vault or all, sorted, and — with `q` — matched by name or by the text
 * extracted from them (PostgreSQL full-text search), best matches first.
 */
export async function listDocuments(
  db: TDatabase,
  input: TListDocumentsInput &
    TSpace & {
      /**
       * The vault page's choice: this vault when it is one of the user's, otherwise their first one (listVaults'
       * order), chosen inside the same statement so the page need not wait for the vault list before this read.
       */
      vaultOrFirst?: string | null;
    },
): Promise<TDocumentView[]> {
  const d = schema.document;
  const v = schema.vault;
  const filters: SQL[] = [documentsOf(input), eq(d.state, 'ready')];
  if (input.vaultId) filters.push(eq(d.vaultId, input.vaultId));
  if (input.vaultOrFirst !== undefined) {
    const asked = input.vaultOrFirst
      ? sql`(select ${v.id} from ${v} where ${v.id} = ${input.vaultOrFirst} and ${vaultsOf(input)})`
      : sql`null`;
    const firstVault = sql`(select ${v.id} from ${v} where ${vaultsOf(input)} order by ${v.createdAt} asc, ${v.name} asc limit 1)`;
    filters.push(sql`${d.vaultId} = coalesce(${asked}, ${firstVault})`);
  }
  const query = input.q?.length ? input.q : null;
  const tsQuery = query ? sql`websearch_to_tsquery('simple', ${query})` : null;
  if (query && tsQuery) {
    const match = or(sql`${d.searchVector} @@ ${tsQuery}`, ilike(d.name, `%${escapeLike(query)}%`));
    if (match) filters.push(match);
  }
  const column = { name: d.name, createdAt: d.createdAt, sizeBytes: d.sizeBytes }[input.sort];
  const ordering = input.order === 'asc' ? asc(column) : desc(column);
  const rows = await db
    .select()
    .from(d)
    .where(and(...filters))
    .orderBy(...(tsQuery ? [desc(sql`ts_rank(${d.searchVector}, ${tsQuery})`), ordering] : [ordering]))
    .limit(500);
  return rows.map(toDocumentView);
}
