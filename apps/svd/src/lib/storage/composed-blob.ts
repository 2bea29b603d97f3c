import type { Readable } from 'node:stream';
import { assertStorageKey, type TBlobStore } from './blob-store';
import { toBuffer } from './bytes';

/*
 * A composed blob: the SVD1 blob of a resumable upload, left where its parts were stored instead of copied into
 * one object. At the document's storage key sits a small manifest instead of the blob itself:
 *
 *   "SVD-COMPOSED-1\n" | base64 of the SVD1 header | "\n" | part key | "\n" | part key | ... (ASCII)
 *
 * Read in order (header, then every part's bytes), it is exactly the blob a simple upload would have written
 * (the same sealed segments, the same header), so the decryption, and the check of every segment's tag, index
 * and final flag, are the ones every download already does. It is told from an SVD1 blob by its first bytes
 * ("SVD1" and a version byte), which ciphertext never starts with; it holds no plaintext and no key.
 */
const MAGIC = Buffer.from('SVD-COMPOSED-1\n', 'ascii');
/** A manifest lists keys of ~50 bytes, one per part of ~8 MiB: 16 MiB of manifest is a file of petabytes. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export interface TComposedBlob {
  header: Buffer;
  parts: string[];
}

/** The manifest to store at the document's key once every part of the upload is stored. */
export function composedBlobManifest(blob: TComposedBlob): Buffer {
  for (const part of blob.parts) assertStorageKey(part);
  return Buffer.concat([
    MAGIC,
    Buffer.from(`${[blob.header.toString('base64'), ...blob.parts].join('\n')}\n`),
  ]);
}

function parseManifest(bytes: Buffer): TComposedBlob {
  const [header = '', ...parts] = bytes.subarray(MAGIC.length).toString('ascii').split('\n');
  if (parts.pop() !== '') throw new Error('a composed blob manifest must end with a newline');
  for (const part of parts) assertStorageKey(part);
  return { header: Buffer.from(header, 'base64'), parts };
}

/**
 * Reads the start of a stored object: a composed blob's manifest, whole, or the plain object's bytes as a
 * stream again (the bytes read to tell are handed back first). `stream` is consumed either way.
 */
export async function readComposedBlob(
  stream: Readable,
): Promise<{ composed: TComposedBlob } | { plain: AsyncGenerator<Buffer> }> {
  const source = stream[Symbol.asyncIterator]();
  const start: Buffer[] = [];
  let length = 0;
  let ended = false;
  try {
    while (length < MAGIC.length) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        break;
      }
      const bytes = toBuffer(next.value);
      start.push(bytes);
      length += bytes.length;
    }
  } catch (error) {
    stream.destroy();
    throw error;
  }
  const head = Buffer.concat(start, length);
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) {
    async function* plain(): AsyncGenerator<Buffer> {
      try {
        if (head.length > 0) yield head;
        if (ended) return;
        for (let next = await source.next(); !next.done; next = await source.next())
          yield toBuffer(next.value);
      } finally {
        stream.destroy();
      }
    }
    return { plain: plain() };
  }
  const whole: Buffer[] = [head];
  let size = head.length;
  try {
    for (let next = ended ? null : await source.next(); next && !next.done; next = await source.next()) {
      const bytes = toBuffer(next.value);
      size += bytes.length;
      if (size > MAX_MANIFEST_BYTES) throw new Error('a composed blob manifest is too large');
      whole.push(bytes);
    }
  } finally {
    stream.destroy();
  }
  return { composed: parseManifest(Buffer.concat(whole, size)) };
}

/** The stored bytes of a composed blob, in order: its header, then each part, each opened when reached. */
export async function* composedBlobBytes(store: TBlobStore, blob: TComposedBlob): AsyncGenerator<Buffer> {
  yield blob.header;
  for (const part of blob.parts) {
    const stream = await store.get(part);
    try {
      for await (const chunk of stream) yield toBuffer(chunk);
    } finally {
      stream.destroy();
    }
  }
}
