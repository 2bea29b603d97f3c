/**
 * The child process of renderInChild (started by it, never imported): reads one request over IPC, decrypts the
 * stored document in memory, checks its first bytes against its stored type, draws the thumbnail and answers
 * over IPC, then exits. It has SVD's environment (the storage and its master key); the parent holds the limits.
 */

import { serveInChild } from '../child-process/serve-in-child';
import { previewKindOf } from '../previews/preview-kind';
import { BlobNotFoundError, IntegrityError, openDecrypted } from '../storage';
import { vaultStorage } from '../vault-storage';
import { type TRenderReply, type TRenderRequest, ZRenderRequestSchema } from './render-in-child';
import { renderThumbnail, UnrenderableError } from './render-thumbnail';
import { mayHaveThumbnail } from './thumbnail-types';

async function answer(request: TRenderRequest): Promise<TRenderReply> {
  try {
    const { store, masterKey } = vaultStorage();
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of await openDecrypted(store, masterKey, request)) {
      length += chunk.length;
      if (length > request.sizeBytes)
        return { ok: false, permanent: true, message: 'the file is larger than recorded' };
      chunks.push(chunk);
    }
    const source = Buffer.concat(chunks);
    const kind = mayHaveThumbnail(request.mimeType) ? previewKindOf(request.mimeType, source) : null;
    if (!kind) return { ok: false, permanent: true, message: 'the file is not what its type says' };
    const thumbnail = await renderThumbnail(source, kind);
    return {
      ok: true,
      webp: thumbnail.webp.toString('base64'),
      width: thumbnail.width,
      height: thumbnail.height,
    };
  } catch (error) {
    return {
      ok: false,
      // A missing or damaged blob, or a file that cannot be drawn, stays so: another attempt reads the same bytes.
      permanent:
        error instanceof UnrenderableError ||
        error instanceof BlobNotFoundError ||
        error instanceof IntegrityError,
      message: error instanceof UnrenderableError ? error.message : 'the file could not be read',
    };
  }
}

serveInChild(ZRenderRequestSchema, answer);
