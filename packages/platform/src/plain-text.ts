import { z } from 'zod';

/**
 * Rules for free text a caller sends (names, search terms, query values), shared by both apps.
 *
 * Control characters: C0 and C1 controls (NUL, tab, newline, escape, DEL, …) and lone UTF-16 surrogates. They
 * have no place in a name or a search, PostgreSQL refuses NUL in text outright, and newlines end up in headers
 * and logs.
 *
 * Invisible characters: every Unicode format character (\p{Cf}: the bidirectional embeddings, overrides and
 * isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E/U+200F/U+061C, the zero-width U+200B–U+200D,
 * U+2060 and U+FEFF, the soft hyphen, …) and the blank "filler" letters that render as nothing (U+034F, U+115F,
 * U+1160, U+17B4, U+17B5, U+3164, U+FFA0). With them `invoice‮fdp.exe` shows as `invoiceexe.pdf`: a name could
 * show another extension than it has. (The price: an emoji joined with U+200D loses its joiner.)
 */
const CONTROL = /[\p{Cc}\p{Cs}]/u;
// U+034F (a combining mark) is an alternative of its own, not a class member, so it never joins its neighbour.
const INVISIBLE = /[\p{Cf}\u115f\u1160\u17b4\u17b5\u3164\uffa0]|\u034f/u;
const CONTROL_OR_INVISIBLE_ALL = /[\p{Cc}\p{Cs}\p{Cf}\u115f\u1160\u17b4\u17b5\u3164\uffa0]|\u034f/gu;

export const CONTROL_CHARACTERS_MESSAGE = 'Control characters (such as NUL, tab or newline) are not allowed.';
export const INVISIBLE_CHARACTERS_MESSAGE =
  'Invisible formatting characters (such as right-to-left overrides or zero-width spaces) are not allowed.';

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

export function hasInvisibleCharacters(value: string): boolean {
  return INVISIBLE.test(value);
}

/** For text we would rather keep than refuse (an uploaded file's own name): drops both kinds. */
export function stripControlAndInvisible(value: string): string {
  return value.replace(CONTROL_OR_INVISIBLE_ALL, '');
}

/** A search term or query value: any visible text, never a control character (400 with a message). */
export const ZPlainTextSchema = z.string().refine((value) => !hasControlCharacters(value), {
  message: CONTROL_CHARACTERS_MESSAGE,
});

/** A name a person typed: neither control nor invisible characters (400 naming which). */
export const ZTypedNameSchema = ZPlainTextSchema.refine((value) => !hasInvisibleCharacters(value), {
  message: INVISIBLE_CHARACTERS_MESSAGE,
});
