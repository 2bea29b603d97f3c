import { schema, type TDatabase, type TTransaction } from '@omg/db';
import { ZPlainTextSchema } from '@omg/platform';
import { and, asc, desc, eq, getTableColumns, gte, ilike, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { documentsOf, type TSpace, vaultsOf } from '../spaces/space';
import { type TDocumentView, toDocumentView } from './document-view';
import { parseSearch, type TDocumentType, ZDocumentTypeSchema, ZUtcDaySchema } from './search-query';

export const ZListDocumentsSchema = z.object({
  vaultId: z.string().uuid().optional(),
  // NUL and other control characters are a 400 with a message, before PostgreSQL (which refuses NUL) sees them.
  q: ZPlainTextSchema.trim().max(200, 'Search at most 200 characters.').optional(),
  sort: z.enum(['name', 'createdAt', 'sizeBytes']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Filters (issue 16): the kind of file, and the UTC days it was uploaded on or after / on or before. */
  type: ZDocumentTypeSchema.optional(),
  from: ZUtcDaySchema.optional(),
  to: ZUtcDaySchema.optional(),
});
export type TListDocumentsInput = z.infer<typeof ZListDocumentsSchema>;

/** Whether the input asks a search (words or a filter) rather than a vault's listing: a search covers every vault. */
export const isSearch = (input: Partial<TListDocumentsInput>) =>
  Boolean(input.q || input.type || input.vaultId || input.from || input.to);

/** How alike a name must be to the search (pg_trgm's word similarity) to be found without matching it. */
const WORD_SIMILARITY = 0.5;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A name with an extension in this list is an image whatever MIME type the browser sent. */
const IMAGE_EXTENSIONS = [
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'bmp',
  'tif',
  'tiff',
  'heic',
  'heif',
  'avif',
  'svg',
];
/** documentKind's text rules (processing-units.ts), as SQL over the stored MIME type and name. */
const TEXT_MIME_TYPES = [
  'application/json',
  'application/xml',
  'application/x-yaml',
  'application/yaml',
  'application/x-ndjson',
  'application/csv',
];
const TEXT_EXTENSIONS = ['txt', 'text', 'md', 'markdown', 'csv', 'tsv', 'json', 'xml', 'log', 'yaml', 'yml'];

function typeCondition(type: TDocumentType): SQL {
  const d = schema.document;
  // The MIME type without parameters ("; charset=utf-8"), and the name's extension, both lower-cased.
  const mime = sql`lower(split_part(${d.mimeType}, ';', 1))`;
  const ext = sql`coalesce(lower(substring(${d.name} from '\\.([^./\\\\]+)$')), '')`;
  const pdf = sql`(${mime} in ('application/pdf', 'application/x-pdf') or ${ext} = 'pdf')`;
  const image = sql`(${mime} like 'image/%' or ${ext} in ${IMAGE_EXTENSIONS})`;
  const text = sql`(${mime} like 'text/%' or ${mime} in ${TEXT_MIME_TYPES} or ${mime} like '%+json' or ${mime} like '%+xml' or ${ext} in ${TEXT_EXTENSIONS})`;
  // One family per document, in this order: a PDF is a PDF whatever else it says; an SVG (image/svg+xml, which
  // documentKind reads as text) is listed with the images, as people think of it.
  if (type === 'pdf') return pdf;
  if (type === 'image') return sql`(not ${pdf} and ${image})`;
  if (type === 'text') return sql`(not ${pdf} and not ${image} and ${text})`;
  return sql`(not ${pdf} and not ${image} and not ${text})`;
}

/**
 * The user's ready documents, in one vault or all, sorted, and — with `q` — matched by name or by the text
 * extracted from them: every word as a prefix ("kanga" finds "kangaroo", PostgreSQL full-text search), the
 * whole search within the name, or a name like it (pg_trgm's word similarity, so "kangroo" finds
 * "kangaroo.txt"). Name matches come first, then the best text matches. Filters narrow by type and upload day.
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
  // Trashed documents (issue 16) are on the trash page only, never listed or found here.
  const filters: SQL[] = [documentsOf(input), eq(d.state, 'ready'), isNull(d.trashedAt)];
  if (input.vaultId) filters.push(eq(d.vaultId, input.vaultId));
  if (input.vaultOrFirst !== undefined) {
    const asked = input.vaultOrFirst
      ? sql`(select ${v.id} from ${v} where ${v.id} = ${input.vaultOrFirst} and ${vaultsOf(input)})`
      : sql`null`;
    const firstVault = sql`(select ${v.id} from ${v} where ${vaultsOf(input)} order by ${v.createdAt} asc, ${v.name} asc limit 1)`;
    filters.push(sql`${d.vaultId} = coalesce(${asked}, ${firstVault})`);
  }
  if (input.type) filters.push(typeCondition(input.type));
  if (input.from) filters.push(gte(d.createdAt, new Date(`${input.from}T00:00:00Z`)));
  if (input.to) filters.push(lt(d.createdAt, new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000)));
  const column = { name: d.name, createdAt: d.createdAt, sizeBytes: d.sizeBytes }[input.sort];
  const ordering = input.order === 'asc' ? asc(column) : desc(column);
  const relevance: SQL[] = [];
  const query = input.q?.length ? input.q : null;
  const { words, tsQuery: text } = parseSearch(query ?? '');
  const phrase = words.join(' ');
  if (query) {
    const inName = ilike(d.name, `%${escapeLike(query)}%`);
    const matches: SQL[] = [inName];
    let nameRank = sql`case when ${inName} then 3`;
    if (text) {
      // Bound as a parameter and read by to_tsquery only in the quoted form parseSearch builds.
      const tsQuery = sql`to_tsquery('simple', ${text})`;
      matches.push(sql`${d.searchVector} @@ ${tsQuery}`);
      nameRank = sql`${nameRank} when to_tsvector('simple', ${d.name}) @@ ${tsQuery} then 2`;
      relevance.push(desc(sql`ts_rank(${d.searchVector}, ${tsQuery})`));
    }
    // Fewer than three letters have no trigram worth comparing: "ab" would be "like" half the names.
    if (phrase.length >= 3) {
      // `<%` is pg_trgm's word similarity above pg_trgm.word_similarity_threshold, which the statement's
      // transaction sets (below); Document_name_trgm_idx answers it.
      const similar = sql`${phrase} <% ${d.name}`;
      matches.push(similar);
      nameRank = sql`${nameRank} when ${similar} then 1`;
    }
    relevance.unshift(desc(sql`${nameRank} else 0 end`));
    filters.push(or(...matches) as SQL);
  }
  // Everything but the extracted text and its vector: a view never shows them, and they are most of the bytes.
  const { textContent: _text, searchVector: _vector, ...columns } = getTableColumns(d);
  const select = (tx: TDatabase | TTransaction) =>
    tx
      .select(columns)
      .from(d)
      .where(and(...filters))
      .orderBy(...relevance, ordering)
      .limit(500);
  if (phrase.length < 3) return (await select(db)).map(toDocumentView);
  // The default threshold (0.6) misses a letter left out of a short word: word_similarity('kangroo',
  // 'kangaroo.jpg') is 0.55. Set for this transaction only, so no other statement on the connection sees it.
  const rows = await db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY)}, true)`,
    );
    return select(tx);
  });
  return rows.map(toDocumentView);
}
