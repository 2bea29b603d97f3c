import { hasControlCharacters, hasInvisibleCharacters } from '@omg/platform';
import { z } from 'zod';

export const ORGANIZATION_NAME_MAX_LENGTH = 80;

/**
 * A business account's name as a person typed it: any visible text (unicode, `<b>`, quotes — React shows it as
 * text), trimmed, 1–80 characters, no control or invisible characters.
 */
export const ZOrganizationNameSchema = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(ORGANIZATION_NAME_MAX_LENGTH, `A name has at most ${ORGANIZATION_NAME_MAX_LENGTH} characters.`)
  .refine((value) => !hasControlCharacters(value), 'Control characters (such as newlines) are not allowed.')
  .refine((value) => !hasInvisibleCharacters(value), 'Invisible formatting characters are not allowed.');

/** An address to mail (invitations, invoices): normalized to lower case, as core."User" compares them. */
export const ZOrganizationEmailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .max(254, 'An email address has at most 254 characters.')
  .pipe(z.email('Enter a valid email address.'))
  .transform((email) => email.toLowerCase());

/**
 * A URL-safe slug from a name: accents folded (Café → cafe), anything else to dashes, at most 40 characters;
 * "team" when nothing is left (a name in another script). The caller adds a suffix when it is taken.
 */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug || 'team';
}
