/**
 * The `n`th name of a file that already exists: "report.pdf" → "report (2).pdf", "archive.tar.gz" →
 * "archive (2).tar.gz" is not attempted (only the last extension moves), a dotfile or a name without an
 * extension gets the number at its end: ".env" → ".env (2)", "README" → "README (2)". Used for "Keep both"
 * uploads and for duplicate names inside a ZIP, so both read the way desktop file managers number copies.
 */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return `${name} (${n})`;
  return `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}
