/**
 * Processing-unit metering (SPEC §3): extracting a document's text for search costs 1 unit per started
 * PDF page or per started 100 KB of text; any other file costs 1.
 */

export const TEXT_UNIT_BYTES = 100 * 1024;

export type TDocumentKind = 'pdf' | 'text' | 'other';

const PDF_MIME_TYPES = new Set(['application/pdf', 'application/x-pdf']);
const TEXT_MIME_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/x-yaml',
  'application/yaml',
  'application/x-ndjson',
  'application/csv',
]);
const TEXT_EXTENSIONS = new Set([
  'txt',
  'text',
  'md',
  'markdown',
  'csv',
  'tsv',
  'json',
  'xml',
  'log',
  'yaml',
  'yml',
]);

/**
 * Which extractor applies, from MIME type and file name. Either signal is enough: browsers send
 * `application/octet-stream` for unknown extensions, and renamed files keep their MIME type. The body
 * decides in the end — extractDocumentText sniffs the PDF header and reports 'other' when it is missing.
 */
export function documentKind(mimeType: string, fileName: string): TDocumentKind {
  // Parameters such as "; charset=utf-8" don't change the kind.
  const mime = (mimeType.split(';')[0] ?? '').trim().toLowerCase();
  const ext = extensionOf(fileName);
  if (PDF_MIME_TYPES.has(mime) || ext === 'pdf') return 'pdf';
  if (
    mime.startsWith('text/') ||
    TEXT_MIME_TYPES.has(mime) ||
    mime.endsWith('+json') ||
    mime.endsWith('+xml') ||
    (ext !== null && TEXT_EXTENSIONS.has(ext))
  ) {
    return 'text';
  }
  return 'other';
}

function extensionOf(fileName: string): string | null {
  // Uploads may carry a client path; only the last segment names the file.
  const base = fileName.split(/[\\/]/).pop()?.trim() ?? '';
  const dot = base.lastIndexOf('.');
  // A leading dot is a hidden file (".env"), not an extension.
  if (dot <= 0 || dot === base.length - 1) return null;
  return base.slice(dot + 1).toLowerCase();
}

/** 1 per started page for PDFs (min 1), 1 per started 100 KB of text bytes (min 1), 1 for other files. */
export function processingUnits(input: { kind: TDocumentKind; pages?: number; textBytes?: number }): number {
  switch (input.kind) {
    case 'pdf':
      return Math.max(1, Math.ceil(validCount(input.pages)));
    case 'text':
      return Math.max(1, Math.ceil(validCount(input.textBytes) / TEXT_UNIT_BYTES));
    case 'other':
      return 1;
  }
}

/** Unknown or nonsensical counts bill the minimum instead of NaN, which would poison the monthly sum. */
function validCount(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : 0;
}
