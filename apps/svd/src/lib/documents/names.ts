import { stripControlAndInvisible, ZTypedNameSchema } from '@omg/platform';
import { z } from 'zod';

// Path separators never belong in a name we show or send back in a header: a name is the file's own name.
const lastSegment = (name: string) => name.split(/[/\\]/).pop() ?? '';

const ZDocumentNameLengthSchema = z
  .string()
  .min(1, 'A document needs a name.')
  .max(255, 'Names can be at most 255 characters.');

/**
 * An uploaded file's name, as the browser reports it: kept rather than refused, so control characters and
 * invisible format characters (bidi overrides, zero-width spaces; see @omg/platform plain-text) are dropped,
 * then any path, then surrounding spaces. `invoice\u202Efdp.exe` is stored as `invoicefdp.exe`, which shows
 * the extension it really has. 1–255 characters remain or the upload is refused.
 */
export const ZDocumentNameSchema = z
  .string()
  .transform((name) => lastSegment(stripControlAndInvisible(name)).trim())
  .pipe(ZDocumentNameLengthSchema);

/**
 * A new name typed for a document: control or invisible characters are refused with a 400 that says so (the
 * person can see and fix what they typed); a path is still reduced to its last segment.
 */
export const ZDocumentRenameSchema = ZTypedNameSchema.transform((name) => lastSegment(name).trim()).pipe(
  ZDocumentNameLengthSchema,
);

export const VAULT_NAME_TAKEN_MESSAGE = 'A vault with that name already exists.';

/** A vault name, typed: control or invisible characters refused; slashes become spaces, runs of spaces one. */
export const ZVaultNameSchema = ZTypedNameSchema.transform((name) =>
  name.replace(/[/\\]/g, ' ').replace(/\s+/g, ' ').trim(),
).pipe(z.string().min(1, 'A vault needs a name.').max(80, 'Vault names can be at most 80 characters.'));
