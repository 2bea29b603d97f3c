import { ZTypedNameSchema } from '@omg/platform';
import { z } from 'zod';

export const FOLDER_NAME_TAKEN_MESSAGE = 'A folder with that name already exists here.';

/**
 * A folder name, typed (issue 16): refused with a 400 that says why rather than silently changed — control and
 * invisible characters (as a document's typed name), a slash or backslash (a folder name is one path segment;
 * moving is a separate action), "." and "..". Stored NFC-normalised and trimmed, so "Café" typed with a combining
 * accent and "Café" precomposed are the same name, and the case-insensitive uniqueness among live siblings (the
 * database's unique index on lower(name)) sees them as one.
 */
export const ZFolderNameSchema = ZTypedNameSchema.transform((name) => name.normalize('NFC').trim()).pipe(
  z
    .string()
    .min(1, 'A folder needs a name.')
    .max(255, 'Folder names can be at most 255 characters.')
    .refine((name) => !/[/\\]/.test(name), 'A folder name cannot contain / or \\.')
    .refine((name) => name !== '.' && name !== '..', 'A folder cannot be called “.” or “..”.'),
);
