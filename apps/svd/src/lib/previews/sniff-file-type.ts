/** What the first bytes of a file prove it to be, among the types SVD previews; anything else is null. */
export type TSniffedType = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'text';

/** How many leading bytes sniffFileType needs to decide (text is judged on up to this much). */
export const SNIFF_BYTES = 4096;

const startsWith = (head: Uint8Array, signature: readonly number[], offset = 0) =>
  head.length >= offset + signature.length && signature.every((byte, i) => head[offset + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const PDF = ascii('%PDF-');
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');

/**
 * The type the leading bytes (magic numbers) prove, strictly at offset 0 — no scanning for a signature further
 * in, which is how polyglots get past lenient sniffers. Text is UTF-8 (a BOM allowed) without NULs or other
 * control characters besides tab, line feed, form feed and carriage return, and without a markup opener at its
 * start (`<!doctype`, `<html`, `<svg`, `<?xml`, `<script`, …): HTML, SVG and XML are never text to us, whatever
 * they are called. Empty input proves nothing.
 */
export function sniffFileType(head: Uint8Array): TSniffedType | null {
  if (head.length === 0) return null;
  if (startsWith(head, PDF)) return 'pdf';
  if (startsWith(head, PNG)) return 'png';
  if (startsWith(head, JPEG)) return 'jpeg';
  if (startsWith(head, GIF87) || startsWith(head, GIF89)) return 'gif';
  if (startsWith(head, RIFF) && startsWith(head, WEBP, 8)) return 'webp';
  return isPlainText(head.subarray(0, SNIFF_BYTES)) ? 'text' : null;
}

/** Tab, line feed, form feed, carriage return. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);
const MARKUP_START = /^\s*<\s*(?:[!?]|\/|[a-z][a-z0-9:-]*(?:[\s/>]|$))/i;

function isPlainText(head: Uint8Array): boolean {
  const text = decodeUtf8Prefix(head);
  if (text === null) return false;
  // Tab, LF, FF and CR are text; every other C0 control (NUL included) and DEL mean binary.
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !TEXT_CONTROLS.has(code)) || code === 0x7f) return false;
  }
  return !MARKUP_START.test(text.replace(/^\ufeff/, ''));
}

/**
 * How many of `bytes` end on a whole UTF-8 character: a sequence cut off at the end (a preview's or a sniff's
 * cut) is left out, so decoding or serving the prefix never produces half a character.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  // Step back over a trailing incomplete sequence (at most 3 continuation bytes after its lead byte).
  for (let i = 1; i <= Math.min(4, bytes.length); i += 1) {
    const byte = bytes[bytes.length - i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > i ? bytes.length - i : bytes.length;
  }
  return bytes.length;
}

/** The text of `bytes` as strict UTF-8, ignoring a character cut off at the end; null when it is not UTF-8. */
export function decodeUtf8Prefix(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      bytes.subarray(0, completeUtf8Length(bytes)),
    );
  } catch {
    return null;
  }
}
