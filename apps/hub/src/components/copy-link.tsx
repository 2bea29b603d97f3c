'use client';

import { useState } from 'react';

/** An invitation link to pass on by hand (the mail's fallback): readable, selectable, and a Copy button. */
export function CopyLink({ url, label }: { url: string; label: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Without clipboard access (an insecure origin, a denied permission) the field is there to select.
      setCopied(false);
    }
  }
  return (
    <div className="flex min-w-0 gap-2">
      <input
        readOnly
        value={url}
        aria-label={label}
        onFocus={(event) => event.currentTarget.select()}
        className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-700"
      />
      <button
        type="button"
        onClick={copy}
        className="shrink-0 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
      >
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </div>
  );
}
