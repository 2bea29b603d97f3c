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
  files: TFolderFile[] | null;
}

interface TFolderFile {
  path: string;
  sizeBytes: number;
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
export function DownloadForm({
  token,
  password,
  label = 'Download',
}: {
  token: string;
  password: string | null;
  label?: string;
}) {
  return (
    <form method="post" action={`/api/shares/public/${encodeURIComponent(token)}/download`} className="mt-6">
      {password !== null && <input type="hidden" name="password" value={password} />}
      <button
        type="submit"
        className="w-full rounded-md bg-vault-600 px-4 py-2.5 font-medium text-white hover:bg-vault-700"
      >
        {label}
      </button>
    </form>
  );
}

/** What a shared folder holds, as the ZIP will: each file's path from the folder and its size. */
export function FolderFiles({ files }: { files: TFolderFile[] }) {
  if (files.length === 0) return <p className="mt-4 text-sm text-slate-600">This folder is empty.</p>;
  return (
    <ul
      className="mt-4 max-h-64 overflow-y-auto rounded-md border border-slate-200 text-sm"
      data-testid="shared-files"
    >
      {files.map((file) => (
        <li
          key={file.path}
          className="flex justify-between gap-4 border-b border-slate-100 px-3 py-1.5 last:border-0"
        >
          <span className="break-all">{file.path}</span>
          <span className="whitespace-nowrap text-slate-500">{formatBytes(file.sizeBytes)}</span>
        </li>
      ))}
    </ul>
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
          <dd data-testid="shared-expiry">{dateFormat.format(new Date(info.expiresAt))} UTC</dd>
          {info.downloadsLeft !== null && (
            <>
              <dt>Downloads left</dt>
              <dd>{info.downloadsLeft}</dd>
            </>
          )}
        </dl>
        {info.files && <FolderFiles files={info.files} />}
        <DownloadForm
          token={token}
          password={password}
          label={info.kind === 'folder' ? 'Download as ZIP' : 'Download'}
        />
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
