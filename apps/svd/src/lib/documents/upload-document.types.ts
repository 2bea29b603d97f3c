import { z } from 'zod';

/** `POST /api/uploads?vaultId=…&name=…[&size=…]`: where the raw body goes and, optionally, how large it is. */
export const ZUploadQuerySchema = z.object({
  vaultId: z.string().uuid('Choose a vault to upload to.'),
  name: z.string().min(1, 'The file needs a name.'),
  size: z.coerce.number().int().nonnegative('The file size must be a whole number of bytes.').optional(),
});
