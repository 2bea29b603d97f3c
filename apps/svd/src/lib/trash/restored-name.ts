/**
 * The name a restored item takes when a live sibling already has its name: "report (restored).pdf", then
 * "report (restored 2).pdf", … — the extension kept for a document, so it still opens with the right program.
 * Cut to 255 characters from the stem, never from the suffix that tells the person what happened.
 */
export function restoredName(name: string, attempt: number, kind: 'document' | 'folder'): string {
  const suffix = attempt <= 1 ? ' (restored)' : ` (restored ${attempt})`;
  const dot = kind === 'document' ? name.lastIndexOf('.') : -1;
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const room = Math.max(1, 255 - suffix.length - extension.length);
  return `${stem.slice(0, room)}${suffix}${extension}`;
}
