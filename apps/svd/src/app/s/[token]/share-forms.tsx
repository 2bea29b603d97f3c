'use client';

import { FetchJsonError, fetchJson } from '@omg/platform/client';
import { useState } from 'react';
import { formatBytes } from '@/lib/format-bytes';

interface TSharedInfo {
  kind: 'document' | 'folder';
  name: string;
  sizeBytes: number | null;
  expiresAt: string;
  downloadsLeft: number | null;
}

const dateFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/**
 * The download itself: a form POST the browser turns into a file (Content-Disposition: attachment). The password,
 * when the link has one, travels in the form body, never in the URL.
 */
export function DownloadForm({ token, password }: { token: string; password: string | null }) {
  return (
    <form method="post" action={`/api/shares/public/${encodeURIComponent(token)}/download`} className="mt-6">
      {password !== null && <input type="hidden" name="password" value={password} />}
      <button
        type="submit"
        className="w-full rounded-md bg-vault-600 px-4 py-2.5 font-medium text-white hover:bg-vault-700"
      >
        Download
      </button>
    </form>
  );
}

/**
 * A protected link's password form. A wrong password and a link that died meanwhile get the same answer, as on
 * the server; the hint names both.
 */
export function UnlockForm({ token, failed }: { token: string; failed: boolean }) {
  const [password, setPassword] = useState('');
  const [info, setInfo] = useState<TSharedInfo | null>(null);
  const [error, setError] = useState<string | null>(
    failed ? 'This link is not available, or the password is wrong.' : null,
  );
  const [pending, setPending] = useState(false);

  if (info) {
    return (
      <div>
        <p className="mt-4 break-words font-medium text-slate-900" data-testid="unlocked-name">
          {info.name}
        </p>
        <dl className="mt-2 grid grid-cols-[8rem_1fr] gap-y-1 text-sm text-slate-600">
          {info.sizeBytes !== null && (
            <>
              <dt>Size</dt>
              <dd>{formatBytes(info.sizeBytes)}</dd>
            </>
          )}
          <dt>Link expires</dt>
          <dd>{dateFormat.format(new Date(info.expiresAt))} UTC</dd>
          {info.downloadsLeft !== null && (
            <>
              <dt>Downloads left</dt>
              <dd>{info.downloadsLeft}</dd>
            </>
          )}
        </dl>
        <DownloadForm token={token} password={password} />
      </div>
    );
  }
  return (
    <form
      className="mt-4 space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        if (pending) return;
        setPending(true);
        setError(null);
        try {
          setInfo(
            await fetchJson<TSharedInfo>(`/api/shares/public/${encodeURIComponent(token)}`, {
              method: 'POST',
              body: { password },
            }),
          );
        } catch (e) {
          const status = e instanceof FetchJsonError ? e.status : 0;
          setError(
            status === 404
              ? 'This link is not available, or the password is wrong.'
              : e instanceof Error
                ? e.message
                : String(e),
          );
        } finally {
          setPending(false);
        }
      }}
    >
      <label className="block text-sm text-slate-700">
        Password
        <input
          type="password"
          required
          autoComplete="off"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-vault-600 px-4 py-2.5 font-medium text-white disabled:opacity-60"
      >
        {pending ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );
}
