import { z } from 'zod';

/** The search's type filter: what the vault page's "Type" menu offers (file-icon.tsx draws the same families). */
export const DOCUMENT_TYPES = ['pdf', 'image', 'text', 'other'] as const;
export const ZDocumentTypeSchema = z.enum(DOCUMENT_TYPES);
export type TDocumentType = z.infer<typeof ZDocumentTypeSchema>;

/** A UTC day, YYYY-MM-DD; one that does not exist (2026-02-30) is refused rather than rolled into the next month. */
export const ZUtcDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give dates as YYYY-MM-DD.')
  .refine((day) => {
    const parsed = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
  }, 'That date does not exist.');

/** More words than this add nothing a person types, and each one is another index probe. */
const MAX_TERMS = 16;

/** The words of a search: letters and digits only, lower-cased, in the order typed, without repeats. */
function searchWords(q: string): string[] {
  const words = q
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  return [...new Set(words)].slice(0, MAX_TERMS);
}

/**
 * A search as the database reads it: its words, and the text of a tsquery in which every word is a prefix
 * ("kanga" → `'kanga':*`), all of them required — null when it has no word at all (only punctuation). The user's
 * text never reaches
 * to_tsquery's syntax: operators (& | ! ( ) : * <->), quotes and backslashes are separators here, so each word
 * is letters and digits, and it is still quoted (quotes doubled) so no word can be read as an operator.
 */
export function parseSearch(q: string): { words: string[]; tsQuery: string | null } {
  const words = searchWords(q);
  if (words.length === 0) return { words, tsQuery: null };
  const quoted = words.map((word) => `'${word.replace(/'/g, "''").replace(/\\/g, '\\\\')}':*`);
  return { words, tsQuery: quoted.join(' & ') };
}
