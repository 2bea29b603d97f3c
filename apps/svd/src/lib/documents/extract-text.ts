import type { Readable } from 'node:stream';
import { extractText, getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { formatBytes } from '../format-bytes';
import { documentKind, processingUnits, type TDocumentKind } from './processing-units';

/** Larger PDFs are not parsed: PDF.js needs the whole file in memory, plus its own parsed structures. */
export const MAX_PDF_BYTES_FOR_EXTRACTION = 50 * 1024 * 1024;
/** Text kept for search is capped so one huge log file can't bloat the search index or a row. */
export const MAX_INDEXED_TEXT_CHARS = 1_000_000;

export interface TExtraction {
  kind: TDocumentKind;
  /** What processing this document costs. */
  units: number;
  /** Normalised text for full-text search; null for 'other' or when extraction failed. */
  text: string | null;
  /** PDFs only. */
  pages: number | null;
  /** Human-readable when text could not be extracted. */
  skippedReason: string | null;
}

/** Limits are parameters so tests can exercise them without generating 50 MB documents. */
export interface TExtractionOptions {
  maxPdfBytes?: number;
  maxTextChars?: number;
}

export interface TExtractionInput {
  /** The decrypted plaintext of an already-stored document. Consumed or destroyed in every case. */
  source: Readable;
  mimeType: string;
  fileName: string;
  sizeBytes: number;
}

/**
 * Extracts searchable text and prices the processing. Never rejects because of the document's content
 * (corrupt, encrypted, mislabelled, binary): those come back with text null and a skippedReason. It does
 * reject when the source stream itself errors or PDF.js cannot be loaded, because then the failure is
 * ours, not the document's, and silently storing documents as "not indexed" would hide it.
 */
export async function extractDocumentText(
  input: TExtractionInput,
  options: TExtractionOptions = {},
): Promise<TExtraction> {
  const maxPdfBytes = options.maxPdfBytes ?? MAX_PDF_BYTES_FOR_EXTRACTION;
  const maxTextChars = options.maxTextChars ?? MAX_INDEXED_TEXT_CHARS;
  const { source } = input;
  try {
    const kind = documentKind(input.mimeType, input.fileName);
    if (kind === 'text') return await extractPlainText(source, maxTextChars);
    if (kind === 'pdf') return await extractPdf(source, input.sizeBytes, maxPdfBytes, maxTextChars);
    return otherFile(null);
  } finally {
    // Unread streams (other files, oversized PDFs) would otherwise keep the storage download open.
    if (!source.destroyed) source.destroy();
  }
}

function otherFile(skippedReason: string | null): TExtraction {
  return { kind: 'other', units: processingUnits({ kind: 'other' }), text: null, pages: null, skippedReason };
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('document stream must yield bytes');
}

// ---------------------------------------------------------------------------------------------------
// Plain text

async function extractPlainText(source: Readable, maxChars: number): Promise<TExtraction> {
  const collector = new TextCollector(maxChars);
  let bytes = 0;
  let decoder: TextDecoder | null = null;
  // The encoding is chosen from the BOM, which may straddle chunk boundaries.
  let head: Uint8Array = new Uint8Array(0);

  for await (const chunk of source) {
    const data = toBytes(chunk);
    // Every byte is billed, even past the indexing cap, so reading continues after the cap is reached.
    bytes += data.byteLength;
    if (collector.full) continue;
    let pending = data;
    if (decoder === null) {
      head = concatBytes(head, data);
      if (head.byteLength < 3) continue;
      decoder = decoderFor(head);
      pending = head;
    }
    collector.push(decoder.decode(pending, { stream: true }));
  }
  if (decoder === null && head.byteLength > 0) {
    decoder = decoderFor(head);
    collector.push(decoder.decode(head, { stream: true }));
  }
  // Flushes a sequence truncated at the end of the file (as U+FFFD).
  if (decoder !== null && !collector.full) collector.push(decoder.decode());

  return {
    kind: 'text',
    units: processingUnits({ kind: 'text', textBytes: bytes }),
    text: collector.finish(),
    pages: null,
    skippedReason: null,
  };
}

/**
 * UTF-8 unless a UTF-16 BOM says otherwise (Windows tools still write "Unicode" text as UTF-16).
 * TextDecoder strips the BOM itself and, being non-fatal, turns invalid sequences into U+FFFD.
 */
function decoderFor(head: Uint8Array): TextDecoder {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le');
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be');
  return new TextDecoder('utf-8');
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

// Whitespace, NUL and other control characters all become single spaces: PostgreSQL `text` rejects
// NUL, and the rest carry no meaning for search.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SEPARATORS = /[\s\u0000-\u001f\u007f-\u009f]+/g;
// Lone surrogates can't be encoded as UTF-8; PDF text in particular can contain them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Normalises text incrementally and keeps at most `maxChars` UTF-16 code units of it. */
class TextCollector {
  private readonly parts: string[] = [];
  private length = 0;
  // Starts true so leading whitespace is dropped (trim start).
  private endsWithSpace = true;
  full = false;

  constructor(private readonly maxChars: number) {}

  push(raw: string): void {
    if (this.full || raw.length === 0) return;
    let text = raw.replace(SEPARATORS, ' ').replace(LONE_SURROGATE, '\uFFFD');
    // Runs of whitespace split across chunks must still collapse into one space.
    if (this.endsWithSpace && text.startsWith(' ')) text = text.slice(1);
    if (text.length === 0) return;
    const room = this.maxChars - this.length;
    if (text.length >= room) {
      text = text.slice(0, room);
      // Don't cut a surrogate pair in half.
      if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
      this.full = true;
    }
    this.parts.push(text);
    this.length += text.length;
    this.endsWithSpace = text.endsWith(' ');
  }

  finish(): string {
    return this.parts.join('').trimEnd();
  }
}

// ---------------------------------------------------------------------------------------------------
// PDF

// PDF.js looks for the header within the first 1024 bytes; so do we, before buffering the whole file.
const PDF_HEADER_WINDOW = 1024;
const PDF_HEADER = Buffer.from('%PDF-', 'latin1');

function hasPdfHeader(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PDF_HEADER_WINDOW)).includes(
    PDF_HEADER,
  );
}

function pdfSkipped(skippedReason: string, pages: number | null = null): TExtraction {
  return { kind: 'pdf', units: 1, text: null, pages, skippedReason };
}

function tooLargePdf(maxPdfBytes: number): TExtraction {
  return pdfSkipped(`PDF larger than ${formatBytes(maxPdfBytes)} is not indexed`);
}

const NOT_A_PDF = 'File is not a valid PDF';

async function extractPdf(
  source: Readable,
  sizeBytes: number,
  maxPdfBytes: number,
  maxChars: number,
): Promise<TExtraction> {
  if (sizeBytes > maxPdfBytes) return tooLargePdf(maxPdfBytes);

  // Copy straight into one buffer sized from the stored size, so a 50 MB PDF costs ~50 MB rather than
  // chunks plus a concatenated copy. sizeBytes is only a hint: the stream decides.
  let buffer = new Uint8Array(Math.max(0, Math.floor(sizeBytes)));
  let total = 0;
  let headerChecked = false;
  for await (const chunk of source) {
    const data = toBytes(chunk);
    const needed = total + data.byteLength;
    // Returning from the loop destroys the stream, so nothing more is read.
    if (needed > maxPdfBytes) return tooLargePdf(maxPdfBytes);
    if (needed > buffer.byteLength) {
      const grown = new Uint8Array(Math.min(maxPdfBytes, Math.max(needed, buffer.byteLength * 2)));
      grown.set(buffer.subarray(0, total));
      buffer = grown;
    }
    buffer.set(data, total);
    total = needed;
    if (!headerChecked && total >= PDF_HEADER_WINDOW) {
      // A mislabelled file (e.g. a renamed image) is not worth buffering.
      if (!hasPdfHeader(buffer.subarray(0, total))) return otherFile(NOT_A_PDF);
      headerChecked = true;
    }
  }
  // PDF.js copies a view that doesn't span its whole ArrayBuffer; an exact-size array is used as is.
  const bytes = total === buffer.byteLength ? buffer : buffer.slice(0, total);
  if (!headerChecked && !hasPdfHeader(bytes)) return otherFile(NOT_A_PDF);

  // Loaded outside the try below: if the PDF.js bundle can't load (e.g. a bundler mangled it), that's a
  // deployment fault that must surface, not a reason to mark every PDF "not indexed".
  await getResolvedPDFJS();

  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | null = null;
  try {
    try {
      pdf = await getDocumentProxy(bytes, {
        // PDF.js logs warnings about damaged files to the console; results and errors are what matter.
        verbosity: 0,
        disableFontFace: true,
        isEvalSupported: false,
      });
    } catch (error) {
      return pdfSkipped(openFailureReason(error));
    }
    const pages = pdf.numPages;
    let text: string;
    try {
      ({ text } = await extractText(pdf, { mergePages: true }));
    } catch {
      // The page count is known, but nothing was indexed, so only the minimum is billed.
      return pdfSkipped('PDF text could not be extracted (the file may be damaged)', pages);
    }
    const collector = new TextCollector(maxChars);
    collector.push(text);
    return {
      kind: 'pdf',
      units: processingUnits({ kind: 'pdf', pages }),
      text: collector.finish(),
      pages,
      skippedReason: null,
    };
  } finally {
    // extractText only cleans up documents it opened itself; this one holds the parsed file in memory.
    await pdf?.destroy().catch(() => undefined);
  }
}

function openFailureReason(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return 'PDF is encrypted';
  if (name === 'InvalidPDFException') return NOT_A_PDF;
  return 'PDF could not be read (the file may be damaged)';
}
