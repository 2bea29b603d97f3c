import { type DetailedError, defaultOptions, type PreviousUpload, Upload } from 'tus-js-client';
import { TUS_PATH } from '@/lib/uploads/resumable-upload.types';

/**
 * PATCH size: a multiple of the 64 KiB encryption segment, so every request ends on a segment boundary, and
 * small enough that a proxy buffering request bodies never holds much that a dropped connection would lose.
 */
const CHUNK_BYTES = 32 * 1024 * 1024;

export interface TResumableCallbacks {
  onProgress: (sent: number) => void;
  onSuccess: () => void;
  onError: (message: string) => void;
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

/**
 * Sends `file` with the tus protocol, resuming an earlier upload of the same file to the same vault if this
 * browser has one (after a dropped connection, a reload or a restart). Retries on its own after network errors
 * and 409/423 answers (it then asks the server for the offset, HEAD, and continues from there).
 */
export async function startResumableUpload(
  file: File,
  vaultId: string,
  callbacks: TResumableCallbacks,
): Promise<TResumableHandle> {
  const upload = new Upload(file, {
    endpoint: TUS_PATH,
    chunkSize: CHUNK_BYTES,
    retryDelays: [0, 1000, 3000, 5000, 10_000],
    metadata: { vaultId, filename: file.name, filetype: file.type || 'application/octet-stream' },
    fingerprint: async () => fingerprintOf(file, vaultId),
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    onProgress: (sent) => callbacks.onProgress(sent),
    onSuccess: () => callbacks.onSuccess(),
    onError: (error) => callbacks.onError(messageOf(error)),
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

export function forgetInterruptedUpload(upload: TInterruptedUpload): Promise<void> {
  return defaultOptions.urlStorage.removeUpload(upload.key);
}

/** Discard: the server drops the upload and releases its reserved storage; this browser forgets it. */
export async function discardInterruptedUpload(upload: TInterruptedUpload): Promise<void> {
  await Upload.terminate(upload.url, { retryDelays: [0, 1000] }).catch(() => {});
  await forgetInterruptedUpload(upload);
}
