import { z } from 'zod';
import { ZOnNameConflictSchema } from '../versions/versions.types';

/** `POST /api/uploads?vaultId=…&name=…[&size=…]`: where the raw body goes and, optionally, how large it is. */
export const ZUploadQuerySchema = z.object({
  vaultId: z.string().uuid('Choose a vault to upload to.'),
  name: z.string().min(1, 'The file needs a name.'),
  /** A live folder of that vault (issue 16); absent = the vault's root. */
  folderId: z.string().uuid('That folder does not exist.').optional(),
  size: z.coerce.number().int().nonnegative('The file size must be a whole number of bytes.').optional(),
  /** A live document of the same name in the folder: 'ask' (409 with the choice), 'version' or 'keep_both'. */
  onConflict: ZOnNameConflictSchema.default('ask'),
});
