import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { IntegrityError } from './blob-store';
import { toBuffer } from './bytes';

/*
 * Blob format "SVD1" (the STREAM construction, as in age and Tink):
 *
 *   header   "SVD1" | version (1 byte) | segment size (uint32 BE) | nonce prefix (8 random bytes)   = 17 bytes
 *   segments ciphertext | GCM tag (16 bytes), each sealing SEGMENT_SIZE bytes of plaintext except the last,
 *            which seals 0..SEGMENT_SIZE bytes (an empty file is one empty final segment)
 *
 * Segment i is AES-256-GCM under the document's data key with IV = nonce prefix | uint32 BE i and
 * AAD = header | uint32 BE i | final flag (1 byte). The index stops reordering, the final flag stops truncation
 * at a segment boundary and appending, and the header in the AAD authenticates the header itself.
 */

export const SEGMENT_SIZE = 64 * 1024;
const TAG_BYTES = 16;
const MAGIC = Buffer.from('SVD1', 'ascii');
const FORMAT_VERSION = 1;
const NONCE_PREFIX_BYTES = 8;
const SIZE_OFFSET = MAGIC.length + 1;
const NONCE_OFFSET = SIZE_OFFSET + 4;
export const HEADER_BYTES = NONCE_OFFSET + NONCE_PREFIX_BYTES;
export const SEALED_SEGMENT_BYTES = SEGMENT_SIZE + TAG_BYTES;

/** A fresh header: a blob written piece by piece (a resumable upload) draws it once and keeps it. */
export function createSegmentHeader(): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header[MAGIC.length] = FORMAT_VERSION;
  header.writeUInt32BE(SEGMENT_SIZE, SIZE_OFFSET);
  randomBytes(NONCE_PREFIX_BYTES).copy(header, NONCE_OFFSET);
  return header;
}

/** Version 1 always uses 64 KiB segments; the size is in the header so a later version can change it. */
function isSupportedHeader(header: Buffer): boolean {
  return (
    header.subarray(0, MAGIC.length).equals(MAGIC) &&
    header[MAGIC.length] === FORMAT_VERSION &&
    header.readUInt32BE(SIZE_OFFSET) === SEGMENT_SIZE
  );
}

/** writeUInt32BE refuses an index past 2^32 - 1, so an IV can never repeat within a blob. */
function segmentParameters(header: Buffer, index: number, final: boolean): { iv: Buffer; aad: Buffer } {
  const iv = Buffer.alloc(NONCE_PREFIX_BYTES + 4);
  header.copy(iv, 0, NONCE_OFFSET, HEADER_BYTES);
  iv.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  const aad = Buffer.alloc(HEADER_BYTES + 5);
  header.copy(aad);
  aad.writeUInt32BE(index, HEADER_BYTES);
  aad[HEADER_BYTES + 4] = final ? 1 : 0;
  return { iv, aad };
}

/**
 * Seals segment `index` of a blob whose header is `header`. Callers that know the plaintext's total length up
 * front (a resumable upload: tus declares it) seal each segment as soon as it is complete, `final` for the last.
 */
export function sealSegment(
  dataKey: Buffer,
  header: Buffer,
  index: number,
  final: boolean,
  plaintext: Buffer,
): Buffer {
  const { iv, aad } = segmentParameters(header, index, final);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function open(dataKey: Buffer, header: Buffer, index: number, final: boolean, sealed: Buffer): Buffer {
  const { iv, aad } = segmentParameters(header, index, final);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new IntegrityError();
  }
}

/** Encrypts a plaintext byte stream into an SVD1 blob, holding at most one segment of plaintext. */
export async function* encryptSegments(
  plaintext: AsyncIterable<unknown>,
  dataKey: Buffer,
): AsyncGenerator<Buffer> {
  const header = createSegmentHeader();
  yield header;
  const pending = Buffer.allocUnsafe(SEGMENT_SIZE);
  let filled = 0;
  let index = 0;
  for await (const chunk of plaintext) {
    const bytes = toBuffer(chunk);
    for (let offset = 0; offset < bytes.length; ) {
      // A full segment is sealed only once more input proves it is not the last one.
      if (filled === SEGMENT_SIZE) {
        yield sealSegment(dataKey, header, index++, false, pending);
        filled = 0;
      }
      const copied = bytes.copy(pending, filled, offset);
      filled += copied;
      offset += copied;
    }
  }
  yield sealSegment(dataKey, header, index, true, pending.subarray(0, filled));
}

/** How many segments a plaintext of `bytes` is sealed into (an empty file is one empty final segment). */
export function segmentCount(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / SEGMENT_SIZE));
}

/** Hands out exact-length slices of a byte stream, pulling only as much as it needs. */
class ByteReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;

  constructor(private readonly source: AsyncIterator<unknown>) {}

  /** Reads until at least `count` bytes are buffered or the source ends; returns how many are buffered. */
  async fill(count: number): Promise<number> {
    while (this.buffered < count && !this.ended) {
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
      } else {
        const chunk = toBuffer(next.value);
        this.chunks.push(chunk);
        this.buffered += chunk.length;
      }
    }
    return this.buffered;
  }

  /** Removes and returns the first `count` bytes; `fill` must have buffered them. */
  take(count: number): Buffer {
    const taken = Buffer.allocUnsafe(count);
    let copied = 0;
    while (copied < count) {
      const chunk = this.chunks.shift();
      if (!chunk) throw new RangeError(`take(${count}) beyond the ${this.buffered} buffered bytes`);
      const used = chunk.copy(taken, copied, 0, count - copied);
      copied += used;
      if (used < chunk.length) this.chunks.unshift(chunk.subarray(used));
    }
    this.buffered -= count;
    return taken;
  }
}

/**
 * Decrypts an SVD1 blob segment by segment, yielding each segment's plaintext only after its tag is checked.
 * Any damage (bad header, failed tag, wrong order, missing or extra segments) throws IntegrityError; errors from
 * reading the blob itself pass through unchanged. The blob stream is destroyed when this generator finishes.
 */
export async function* decryptSegments(blob: Readable, dataKey: Buffer): AsyncGenerator<Buffer> {
  const reader = new ByteReader(blob[Symbol.asyncIterator]());
  try {
    if ((await reader.fill(HEADER_BYTES)) < HEADER_BYTES) throw new IntegrityError();
    const header = reader.take(HEADER_BYTES);
    if (!isSupportedHeader(header)) throw new IntegrityError();
    for (let index = 0; ; index++) {
      // One byte beyond a full segment shows whether another follows, i.e. whether this one must be the final one.
      const available = await reader.fill(SEALED_SEGMENT_BYTES + 1);
      const final = available <= SEALED_SEGMENT_BYTES;
      if (available < TAG_BYTES) throw new IntegrityError();
      const plaintext = open(
        dataKey,
        header,
        index,
        final,
        reader.take(final ? available : SEALED_SEGMENT_BYTES),
      );
      if (plaintext.length > 0) yield plaintext;
      if (final) return;
    }
  } finally {
    blob.destroy();
  }
}

/**
 * Passes an SVD1 blob through unchanged, segment by segment, but only after checking each one's tag and place
 * (as decryptSegments does), handing its plaintext to `inspect`. A resumable upload assembles its blob from
 * parts stored over many requests: this proves the assembled blob whole and measures and hashes its plaintext
 * while it is written, without a second pass. Throws IntegrityError as decryptSegments does.
 */
export async function* verifySegments(
  blob: AsyncIterable<unknown>,
  dataKey: Buffer,
  inspect: (plaintext: Buffer) => void,
): AsyncGenerator<Buffer> {
  const reader = new ByteReader(blob[Symbol.asyncIterator]());
  if ((await reader.fill(HEADER_BYTES)) < HEADER_BYTES) throw new IntegrityError();
  const header = reader.take(HEADER_BYTES);
  if (!isSupportedHeader(header)) throw new IntegrityError();
  yield header;
  for (let index = 0; ; index++) {
    const available = await reader.fill(SEALED_SEGMENT_BYTES + 1);
    const final = available <= SEALED_SEGMENT_BYTES;
    if (available < TAG_BYTES) throw new IntegrityError();
    const sealed = reader.take(final ? available : SEALED_SEGMENT_BYTES);
    inspect(open(dataKey, header, index, final, sealed));
    yield sealed;
    if (final) return;
  }
}
