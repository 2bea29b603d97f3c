'use client';

/** The server's answer when the folder already has a live document of the uploaded file's name (409). */
export interface TNameConflict {
  documentId: string;
  name: string;
  keepBothName: string;
}

export type TNameConflictChoice = 'version' | 'keep_both';

/** The name conflict in an upload's error answer (simple or tus), or null for any other answer. */
export function nameConflictOf(status: number, body: string): TNameConflict | null {
  if (status !== 409) return null;
  try {
    const details = JSON.parse(body)?.error?.details;
    if (details?.reason !== 'name_taken') return null;
    const { documentId, name, keepBothName } = details;
    return typeof documentId === 'string' && typeof name === 'string' && typeof keepBothName === 'string'
      ? { documentId, name, keepBothName }
      : null;
  } catch {
    return null;
  }
}

/**
 * The choice an upload row offers when its name is taken: "Upload as new version" (the document keeps its
 * name, links and place; what it held becomes a former version) or "Keep both" (the upload is stored as
 * "name (2).ext"). Cancel drops the upload; nothing was stored.
 */
export function NameConflictChoice(props: {
  conflict: TNameConflict;
  onChoose: (choice: TNameConflictChoice) => void;
  onCancel: () => void;
}) {
  return (
    <div className="mt-2 flex flex-wrap items-center gap-3" data-testid="name-conflict">
      <span className="text-slate-700">“{props.conflict.name}” already exists here.</span>
      <button
        type="button"
        onClick={() => props.onChoose('version')}
        className="rounded-md bg-vault-600 px-3 py-1 font-medium text-white hover:bg-vault-700"
      >
        Upload as new version
      </button>
      <button
        type="button"
        onClick={() => props.onChoose('keep_both')}
        className="rounded-md border border-slate-300 px-3 py-1"
        title={`Stored as “${props.conflict.keepBothName}”`}
      >
        Keep both
      </button>
      <button type="button" onClick={props.onCancel} className="text-xs text-slate-600 hover:underline">
        Cancel
      </button>
    </div>
  );
}

/** A simple upload refused because the name is taken: the row asks the user instead of failing. */
export class NameConflictError extends Error {
  constructor(readonly conflict: TNameConflict) {
    super(`“${conflict.name}” already exists here.`);
    this.name = 'NameConflictError';
  }
}
