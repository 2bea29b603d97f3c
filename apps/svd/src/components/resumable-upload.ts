import type { DetailedError, PreviousUpload } from 'tus-js-client';
import { TUS_PATH } from '@/lib/uploads/resumable-upload-paths';
import { nameConflictOf, type TNameConflict, type TNameConflictChoice } from './name-conflict';

/**
 * tus-js-client (about 16 KB gzipped) is loaded when it is needed, not with /vault: most visits upload nothing
 * above the simple upload's size, and the page's JavaScript budget (issue 13) has no room for it.
 */
const loadTus = () => import('tus-js-client');

/** The prefix under which tus-js-client's URL storage keeps unfinished uploads in localStorage. */
const TUS_STORAGE_PREFIX = 'tus::';

/**
 * PATCH size: a multiple of the 64 KiB encryption segment, so every request ends on a segment boundary, and
 * small enough that a proxy buffering request bodies never holds much that a dropped connection would lose.
 */
const CHUNK_BYTES = 32 * 1024 * 1024;

export interface TResumableCallbacks {
  onProgress: (sent: number) => void;
  onSuccess: () => void;
  /** `conflict`: the name is taken in the folder; start again with the user's choice (startResumableUpload). */
  onError: (message: string, conflict?: TNameConflict) => void;
}

export interface TResumableHandle {
  pause: () => void;
  resume: () => void;
}

/** An upload this browser started and did not finish (tus-js-client keeps them in localStorage). */
export interface TInterruptedUpload {
  key: string;
  url: string;
  name: string;
  vaultId: string;
  size: number;
}

/** Same vault, same file (name, type, size, modification time) → same fingerprint → the upload resumes. */
function fingerprintOf(file: File, vaultId: string): string {
  return ['svd-tus', vaultId, file.name, file.type, file.size, file.lastModified].join(':');
}

/** The message of SVD's JSON error, tus's own text, or the connection's failure, for the upload's row. */
function messageOf(error: Error | DetailedError): string {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  const body = response?.getBody() ?? '';
  try {
    const message = JSON.parse(body)?.error?.message;
    if (typeof message === 'string') return message;
  } catch {}
  if (response && body.trim()) return `Upload failed (HTTP ${response.getStatus()}): ${body.trim()}`;
  return 'The connection was lost. Choose the same file again to resume where it stopped.';
}

function conflictOf(error: Error | DetailedError): TNameConflict | null {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  return response ? nameConflictOf(response.getStatus(), response.getBody() ?? '') : null;
}

/** tus-js-client's own rule (anything but a 4xx, or 409/423, while online), kept for everything else. */
function isRetryable(error: Error | DetailedError): boolean {
  const status = 'originalResponse' in error ? (error.originalResponse?.getStatus() ?? 0) : 0;
  const online = typeof navigator === 'undefined' || navigator.onLine !== false;
  return (!(status >= 400 && status < 500) || status === 409 || status === 423) && online;
}

/**
 * Sends `file` with the tus protocol, resuming an earlier upload of the same file to the same vault if this
 * browser has one (after a dropped connection, a reload or a restart). Retries on its own after network errors
 * and 409/423 answers (it then asks the server for the offset, HEAD, and continues from there).
 */
export async function startResumableUpload(
  file: File,
  vaultId: string,
  callbacks: TResumableCallbacks,
  onConflict?: TNameConflictChoice,
  /** The folder to upload into (issue 16); null or absent = the vault's root. */
  folderId?: string | null,
): Promise<TResumableHandle> {
  const { Upload } = await loadTus();
  const upload = new Upload(file, {
    endpoint: TUS_PATH,
    chunkSize: CHUNK_BYTES,
    retryDelays: [0, 1000, 3000, 5000, 10_000],
    metadata: {
      vaultId,
      filename: file.name,
      filetype: file.type || 'application/octet-stream',
      ...(onConflict ? { onConflict } : {}),
      ...(folderId ? { folderId } : {}),
    },
    fingerprint: async () => fingerprintOf(file, vaultId),
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    onProgress: (sent) => callbacks.onProgress(sent),
    onSuccess: () => callbacks.onSuccess(),
    // A taken name is a question for the user, not a conflict of offsets to retry.
    onShouldRetry: (error) => !conflictOf(error) && isRetryable(error),
    onError: (error) => callbacks.onError(messageOf(error), conflictOf(error) ?? undefined),
  });
  const [previous] = await upload.findPreviousUploads();
  if (previous) upload.resumeFromPreviousUpload(previous);
  upload.start();
  return {
    pause: () => void upload.abort(),
    resume: () => upload.start(),
  };
}

/** This browser's unfinished uploads to `vaultId`, for "Resume" after a reload. */
export async function findInterruptedUploads(vaultId: string): Promise<TInterruptedUpload[]> {
  // Without any unfinished upload in this browser there is nothing to find: the library is not even loaded.
  if (!hasStoredUploads()) return [];
  const { defaultOptions } = await loadTus();
  const stored: PreviousUpload[] = await defaultOptions.urlStorage.findAllUploads().catch(() => []);
  return stored.flatMap((entry) =>
    entry.uploadUrl && entry.metadata?.vaultId === vaultId && entry.metadata.filename
      ? [
          {
            key: entry.urlStorageKey,
            url: entry.uploadUrl,
            name: entry.metadata.filename,
            vaultId,
            size: entry.size ?? 0,
          },
        ]
      : [],
  );
}

/** How far the server has an interrupted upload (HEAD); null when it is gone (expired, finished elsewhere). */
export async function interruptedOffset(upload: TInterruptedUpload): Promise<number | null> {
  const response = await fetch(upload.url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
  if (!response.ok) {
    if (response.status >= 400 && response.status < 500) await forgetInterruptedUpload(upload);
    return null;
  }
  return Number(response.headers.get('upload-offset') ?? 0);
}

export async function forgetInterruptedUpload(upload: TInterruptedUpload): Promise<void> {
  const { defaultOptions } = await loadTus();
  return defaultOptions.urlStorage.removeUpload(upload.key);
}

function hasStoredUploads(): boolean {
  try {
    for (let index = 0; index < window.localStorage.length; index += 1) {
      if (window.localStorage.key(index)?.startsWith(TUS_STORAGE_PREFIX)) return true;
    }
    return false;
  } catch {
    // Storage refused (private mode, a policy): tus-js-client cannot have stored anything either.
    return false;
  }
}

/** Discard: the server drops the upload and releases its reserved storage; this browser forgets it. */
export async function discardInterruptedUpload(upload: TInterruptedUpload): Promise<void> {
  const { Upload } = await loadTus();
  await Upload.terminate(upload.url, { retryDelays: [0, 1000] }).catch(() => {});
  await forgetInterruptedUpload(upload);
}
