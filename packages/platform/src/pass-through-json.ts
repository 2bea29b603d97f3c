import { AppError } from './app-error';
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacters } from './plain-text';

/** Deeper than any body we accept (ours are flat objects); far below what would exhaust a recursive walker. */
export const MAX_JSON_DEPTH = 32;
/** Longer than any field a person types (emails, names, passwords); far below a database index row's limit. */
export const MAX_JSON_STRING_LENGTH = 8 * 1024;

/**
 * How deeply the arrays and objects of a JSON text nest, counted without parsing (brackets inside strings do
 * not count), so a hostile body is measured in one linear pass before any recursive code sees it.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* strings(item);
    }
}

/**
 * For routes that hand a JSON body to a library instead of our zod schemas (better-auth's sign-up and sign-in),
 * the rules our schemas would apply, checked on a copy before the library sees it: nesting at most
 * MAX_JSON_DEPTH (better-auth walks bodies recursively and overflowed the stack at 10,000 levels), no control
 * characters (NUL reached PostgreSQL through the sign-in limiter's key) and no string over
 * MAX_JSON_STRING_LENGTH (a 2 MB email did too). Each is a 400 with a message. A body that is not JSON is left
 * to the library, which answers it itself.
 */
export async function assertPassThroughJson(request: Request): Promise<void> {
  if (!request.body) return;
  const text = await request.clone().text();
  if (jsonNestingDepth(text) > MAX_JSON_DEPTH)
    throw new AppError('BAD_REQUEST', 'The request body is nested too deeply.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return;
  }
  for (const value of strings(body)) {
    if (hasControlCharacters(value)) throw new AppError('BAD_REQUEST', CONTROL_CHARACTERS_MESSAGE);
    if (value.length > MAX_JSON_STRING_LENGTH)
      throw new AppError('BAD_REQUEST', 'A value in the request body is too long.');
  }
}
