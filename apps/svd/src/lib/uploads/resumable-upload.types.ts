import { z } from 'zod';
import { ZOnNameConflictSchema } from '../versions/versions.types';

export { RESUMABLE_THRESHOLD_BYTES, TUS_PATH } from './resumable-upload-paths';

/** An unfinished upload expires after a day without progress: every stored part moves the deadline forward. */
export const UPLOAD_EXPIRY_MS = 24 * 60 * 60 * 1000;

/**
 * Sealed segments per stored part: 127 × (64 KiB + 16) bytes stays under the S3 store's 8 MiB part size, so each
 * part is one PutObject, and a cut connection loses at most the part in flight (which is still stored: the
 * stream ends cleanly at the cut and its sealed segments are kept).
 */
export const PART_SEGMENTS = 127;

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * tus Upload-Metadata at creation (tus-js-client's `metadata` option): which vault, the file's name and type.
 * Values arrive base64-decoded; a key without a value arrives as null, which is refused like a missing one.
 */
export const ZResumableUploadMetadataSchema = z.object({
  vaultId: z.string('Choose a vault to upload to.').uuid('Choose a vault to upload to.'),
  filename: z.string('The file needs a name.').min(1, 'The file needs a name.'),
  /** A live folder of that vault (issue 16); absent or empty = the vault's root. */
  folderId: z.string().uuid('That folder does not exist.').nullish(),
  filetype: z
    .string()
    .trim()
    .toLowerCase()
    .transform((type) => type.split(';')[0]?.trim() ?? '')
    .refine((type) => type === '' || MIME_TYPE.test(type), 'The file type is not a valid media type.')
    .transform((type) => type || 'application/octet-stream')
    .optional(),
  /** A live document of the same name in the folder: 'ask' (409, the default), 'version' or 'keep_both'. */
  onConflict: ZOnNameConflictSchema.default('ask'),
});
export type TResumableUploadMetadata = z.infer<typeof ZResumableUploadMetadataSchema>;
