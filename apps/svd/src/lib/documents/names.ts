import { z } from 'zod';

// Control characters and path separators never belong in a name we show or send back in a header.
const UNSAFE = /[\p{Cc}/\\]/gu;

/** A document name: the file's own name without any path, trimmed, 1–255 characters. */
export const ZDocumentNameSchema = z
  .string()
  .transform((name) => (name.split(/[/\\]/).pop() ?? '').replace(UNSAFE, '').trim())
  .pipe(z.string().min(1, 'A document needs a name.').max(255, 'Names can be at most 255 characters.'));

export const ZVaultNameSchema = z
  .string()
  .transform((name) => name.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'A vault needs a name.').max(80, 'Vault names can be at most 80 characters.'));
