import { fileFamily, type TFileFamily } from '@/lib/documents/file-family';

const LOOK: Record<TFileFamily, { label: string; color: string; glyph: string }> = {
  pdf: { label: 'PDF', color: 'text-rose-600', glyph: 'M7 11h6M7 14h4' },
  image: { label: 'Image', color: 'text-emerald-600', glyph: 'M6 15l3-4 2 2.5 1.5-1.5L14 15z' },
  text: { label: 'Text', color: 'text-slate-500', glyph: 'M7 9h6M7 12h6M7 15h4' },
  spreadsheet: { label: 'Spreadsheet', color: 'text-green-700', glyph: 'M6 9h8v7H6zM6 12.5h8M10 9v7' },
  archive: { label: 'Archive', color: 'text-amber-600', glyph: 'M10 3v2M10 6v2M10 9v2M9 12h2v3H9z' },
  other: { label: 'File', color: 'text-slate-400', glyph: '' },
};

/** A row's file-type icon (issue 16): inline SVG, one page outline and a mark per family; no icon font. */
export function FileIcon({ mimeType, name }: { mimeType: string; name: string }) {
  const family = fileFamily(mimeType, name);
  const look = LOOK[family];
  return (
    <svg
      viewBox="0 0 20 20"
      role="img"
      aria-label={look.label}
      data-testid="file-icon"
      data-family={family}
      className={`inline-block h-5 w-5 shrink-0 ${look.color}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinejoin="round"
    >
      <path d="M5 2h7l3 3v13H5z" />
      <path d="M12 2v3h3" />
      {family === 'pdf' ? (
        <text
          x="10"
          y="14.5"
          textAnchor="middle"
          fontSize="5"
          fontWeight="700"
          fill="currentColor"
          stroke="none"
        >
          PDF
        </text>
      ) : (
        look.glyph && <path d={look.glyph} />
      )}
    </svg>
  );
}
