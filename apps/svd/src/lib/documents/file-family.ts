/** The families a row's icon shows (issue 16); the search's type filter groups spreadsheets and archives as text/other. */
export type TFileFamily = 'pdf' | 'image' | 'text' | 'spreadsheet' | 'archive' | 'other';

const EXTENSIONS: Record<string, TFileFamily> = {
  pdf: 'pdf',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
  tif: 'image',
  tiff: 'image',
  heic: 'image',
  heif: 'image',
  avif: 'image',
  svg: 'image',
  csv: 'spreadsheet',
  tsv: 'spreadsheet',
  xls: 'spreadsheet',
  xlsx: 'spreadsheet',
  ods: 'spreadsheet',
  numbers: 'spreadsheet',
  zip: 'archive',
  gz: 'archive',
  tgz: 'archive',
  tar: 'archive',
  '7z': 'archive',
  rar: 'archive',
  bz2: 'archive',
  xz: 'archive',
  txt: 'text',
  text: 'text',
  md: 'text',
  markdown: 'text',
  json: 'text',
  xml: 'text',
  log: 'text',
  yaml: 'text',
  yml: 'text',
  rtf: 'text',
  doc: 'text',
  docx: 'text',
  odt: 'text',
};

const SPREADSHEET_MIME = /spreadsheet|excel|csv|tab-separated/;
const ARCHIVE_MIME = /zip|x-tar|gzip|x-7z|rar|x-bzip|x-xz|compressed/;

/** Which icon a document gets, from its MIME type first and its name's extension when the type says little. */
export function fileFamily(mimeType: string, name: string): TFileFamily {
  const mime = (mimeType.split(';')[0] ?? '').trim().toLowerCase();
  if (mime === 'application/pdf' || mime === 'application/x-pdf') return 'pdf';
  if (mime.startsWith('image/')) return 'image';
  if (SPREADSHEET_MIME.test(mime)) return 'spreadsheet';
  if (ARCHIVE_MIME.test(mime)) return 'archive';
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const byName = dot > 0 ? EXTENSIONS[base.slice(dot + 1).toLowerCase()] : undefined;
  if (byName) return byName;
  if (
    mime.startsWith('text/') ||
    mime.endsWith('+json') ||
    mime.endsWith('+xml') ||
    mime === 'application/json'
  )
    return 'text';
  return 'other';
}
