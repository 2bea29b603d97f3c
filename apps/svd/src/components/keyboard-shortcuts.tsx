'use client';

import { useEffect, useRef } from 'react';

/** The shortcuts the help dialog lists; the page marks their targets with data-shortcut. */
const SHORTCUTS: [key: string, what: string][] = [
  ['/', 'Search documents'],
  ['u', 'Upload files'],
  ['?', 'Show these shortcuts'],
  ['Esc', 'Close a dialog'],
];

/** Typing in a field (the search box, a rename, a date) is never a shortcut. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Keyboard shortcuts for the vault's common actions (issue 16): `/` focuses the search, `u` opens the file
 * picker, `?` lists them in a small dialog, Esc closes it (the native dialog's own Escape). None fires while
 * typing in a field or with Ctrl, Alt or Cmd held, so the browser's and the screen reader's keys stay theirs.
 */
export function KeyboardShortcuts() {
  const help = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target))
        return;
      if (document.querySelector('[role="dialog"], dialog[open]')) return;
      const target = (name: string) => document.querySelector<HTMLElement>(`[data-shortcut="${name}"]`);
      if (event.key === '/') {
        const search = target('search');
        if (!search) return;
        event.preventDefault();
        search.focus();
      } else if (event.key === 'u') {
        const upload = target('upload');
        if (!upload) return;
        event.preventDefault();
        upload.click();
      } else if (event.key === '?') {
        event.preventDefault();
        help.current?.showModal();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => help.current?.showModal()}
        aria-keyshortcuts="?"
        className="hidden shrink-0 text-xs text-slate-500 hover:underline sm:inline"
      >
        Keyboard shortcuts
      </button>
      <dialog
        ref={help}
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-dialog"
        className="m-auto w-full max-w-sm rounded-2xl bg-white p-6 shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id="shortcuts-title" className="text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <dl className="mt-3 space-y-2 text-sm">
          {SHORTCUTS.map(([key, what]) => (
            <div key={key} className="flex items-center justify-between gap-4">
              <dt className="text-slate-600">{what}</dt>
              <dd>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">
                  {key}
                </kbd>
              </dd>
            </div>
          ))}
        </dl>
        {/* A plain button, not a method="dialog" form: the dialog may sit inside the search form. */}
        <div className="mt-5 flex justify-end">
          <button
            type="button"
            onClick={() => help.current?.close()}
            className="rounded-md border border-slate-300 px-4 py-2 text-sm"
          >
            Close
          </button>
        </div>
      </dialog>
    </>
  );
}
