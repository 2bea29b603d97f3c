'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useEffect, useState } from 'react';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The share dialog of a document or folder row (ShareButton): the link's expiry (required, 7 days unless changed,
 * at most 90), an optional password and download limit; Create shows the link once, to copy (only its hash is
 * kept). Its own module, loaded on the first click, so the vault page does not carry it (issue 13's budget).
 */
export function ShareDialog({
  target,
  onClose,
}: {
  target: { documentId?: string; folderId?: string; name: string };
  onClose: () => void;
}) {
  const { name } = target;
  const [days, setDays] = useState('7');
  const [password, setPassword] = useState('');
  const [limit, setLimit] = useState('');
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const { pending, error, run, setError } = useAction();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !pending) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, pending]);

  async function create() {
    const dayCount = Number(days);
    if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 90) {
      setError('Choose an expiry between 1 and 90 days.');
      return;
    }
    const downloadLimit = limit.trim() === '' ? null : Number(limit);
    if (downloadLimit !== null && (!Number.isInteger(downloadLimit) || downloadLimit < 1)) {
      setError('The download limit is a whole number of at least 1, or empty for none.');
      return;
    }
    await run(async () => {
      const answer = await fetchJson<{ url: string }>('/api/shares', {
        method: 'POST',
        body: {
          ...(target.folderId ? { folderId: target.folderId } : { documentId: target.documentId }),
          // A few seconds short of the full days, so the server (which allows at most 90) never sees it as longer.
          expiresAt: new Date(Date.now() + dayCount * DAY_MS - 5_000).toISOString(),
          password: password === '' ? null : password,
          downloadLimit,
        },
      });
      setUrl(answer.url);
    });
  }

  const input = 'mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm';
  return (
    <div className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40 p-4" role="presentation">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="share-title"
        className="w-full max-w-md rounded-2xl bg-white p-6 text-left shadow-xl"
      >
        <h2 id="share-title" className="text-lg font-semibold">
          Share “{name}”
        </h2>
        {url ? (
          <div className="mt-4 space-y-3 text-sm">
            <p className="text-slate-600">
              Anyone with this link can download {target.folderId ? 'the folder' : 'the document'} until it
              expires. It is shown only now: copy it.
            </p>
            <input
              readOnly
              value={url}
              aria-label="Share link"
              className={input}
              data-testid="share-link-url"
            />
            <div className="flex justify-end gap-3">
              <button
                type="button"
                onClick={async () => {
                  await navigator.clipboard?.writeText(url).catch(() => undefined);
                  setCopied(true);
                }}
                className="rounded-md border border-slate-300 px-4 py-2"
              >
                {copied ? 'Copied' : 'Copy link'}
              </button>
              <button
                type="button"
                onClick={onClose}
                className="rounded-md bg-vault-600 px-4 py-2 text-white"
              >
                Done
              </button>
            </div>
          </div>
        ) : (
          <form
            className="mt-4 space-y-3 text-sm"
            onSubmit={(event) => {
              event.preventDefault();
              void create();
            }}
          >
            <label className="block">
              Expires in (days, at most 90)
              <input
                type="number"
                min={1}
                max={90}
                required
                value={days}
                onChange={(event) => setDays(event.target.value)}
                className={input}
              />
            </label>
            <label className="block">
              Password (optional)
              <input
                type="password"
                autoComplete="new-password"
                maxLength={256}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                className={input}
              />
            </label>
            <label className="block">
              Download limit (optional)
              <input
                type="number"
                min={1}
                value={limit}
                onChange={(event) => setLimit(event.target.value)}
                className={input}
              />
            </label>
            {error && (
              <p
                role="alert"
                className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-rose-700"
              >
                {error}
              </p>
            )}
            <div className="flex justify-end gap-3 pt-2">
              <button
                type="button"
                onClick={onClose}
                className="rounded-md border border-slate-300 px-4 py-2"
              >
                Cancel
              </button>
              <button
                type="submit"
                disabled={pending}
                className="rounded-md bg-vault-600 px-4 py-2 font-medium text-white disabled:opacity-60"
              >
                {pending ? 'Creating…' : 'Create link'}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
