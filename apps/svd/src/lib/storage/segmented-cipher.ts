import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
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

/**
 * Writes segment `index`'s IV and AAD into `iv` (12 bytes) and `aad` (header + 5 bytes). writeUInt32BE refuses
 * an index past 2^32 - 1, so an IV can never repeat within a blob.
 */
function writeSegmentParameters(
  header: Buffer,
  index: number,
  final: boolean,
  iv: Buffer,
  aad: Buffer,
): void {
  header.copy(iv, 0, NONCE_OFFSET, HEADER_BYTES);
  iv.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  header.copy(aad);
  aad.writeUInt32BE(index, HEADER_BYTES);
  aad[HEADER_BYTES + 4] = final ? 1 : 0;
}

function segmentParameters(header: Buffer, index: number, final: boolean): { iv: Buffer; aad: Buffer } {
  const iv = Buffer.alloc(NONCE_PREFIX_BYTES + 4);
  const aad = Buffer.alloc(HEADER_BYTES + 5);
  writeSegmentParameters(header, index, final, iv, aad);
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

/**
 * Opens a sealed segment that arrived in pieces (subarrays of the blob's read chunks) without first copying it
 * into one buffer: each piece goes to the decipher as it is, only the 16-byte tag is joined when it straddles
 * two pieces. Returns the plaintext pieces, to be released only now that the tag has checked.
 */
function openPieces(
  key: KeyObject,
  iv: Buffer,
  aad: Buffer,
  sealed: Buffer[],
  sealedBytes: number,
): Buffer[] {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    const ciphertextBytes = sealedBytes - TAG_BYTES;
    const plaintext: Buffer[] = [];
    const tag: Buffer[] = [];
    let offset = 0;
    for (const piece of sealed) {
      const body = piece.subarray(0, Math.max(0, ciphertextBytes - offset));
      if (body.length > 0) plaintext.push(decipher.update(body));
      if (body.length < piece.length) tag.push(piece.subarray(body.length));
      offset += piece.length;
    }
    decipher.setAuthTag(tag.length === 1 ? (tag[0] as Buffer) : Buffer.concat(tag));
    decipher.final();
    return plaintext;
  } catch {
    throw new IntegrityError();
  }
}

/** Sealed segments gathered into one write (about 1 MiB): fewer, larger writes and stream chunks than one per segment. */
const SEGMENTS_PER_WRITE = 16;

/**
 * Encrypts a plaintext byte stream into an SVD1 blob, holding at most one segment of plaintext beyond the chunk
 * being read. Each segment is encrypted straight from the input's chunks (no gathering copy) into an output
 * buffer of SEGMENTS_PER_WRITE sealed segments, which is handed on when full. `inspect` sees every plaintext
 * chunk before it is encrypted (to count and hash it; what it throws ends the stream).
 */
export async function* encryptSegments(
  plaintext: AsyncIterable<unknown>,
  dataKey: Buffer,
  inspect?: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  const header = createSegmentHeader();
  const capacity = SEGMENTS_PER_WRITE * SEALED_SEGMENT_BYTES;
  let output = Buffer.allocUnsafe(HEADER_BYTES + capacity);
  let written = header.copy(output);
  const pending: Buffer[] = [];
  let buffered = 0;
  let index = 0;
  // One key object and one IV and AAD buffer for the whole blob, rewritten per segment, instead of a key
  // import and two allocations for each of its 4,096 segments per 256 MB: createCipheriv copies the IV and
  // setAAD consumes the AAD before they are rewritten.
  const key = createSecretKey(dataKey);
  const iv = Buffer.alloc(NONCE_PREFIX_BYTES + 4);
  const aad = Buffer.alloc(HEADER_BYTES + 5);

  /** Seals the first `count` pending bytes as segment `index` into the output. */
  const sealPending = (count: number, final: boolean) => {
    writeSegmentParameters(header, index++, final, iv, aad);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    for (let left = count; left > 0; ) {
      const piece = pending[0] as Buffer;
      const used = piece.length <= left ? piece : piece.subarray(0, left);
      written += cipher.update(used).copy(output, written);
      if (used === piece) pending.shift();
      else pending[0] = piece.subarray(left);
      left -= used.length;
    }
    buffered -= count;
    written += cipher.final().copy(output, written);
    written += cipher.getAuthTag().copy(output, written);
  };

  for await (const chunk of plaintext) {
    const bytes = toBuffer(chunk);
    inspect?.(bytes);
    if (bytes.length === 0) continue;
    pending.push(bytes);
    buffered += bytes.length;
    // A full segment is sealed only once more input proves it is not the last one.
    while (buffered > SEGMENT_SIZE) {
      if (output.length - written < SEALED_SEGMENT_BYTES) {
        yield output.subarray(0, written);
        output = Buffer.allocUnsafe(capacity);
        written = 0;
      }
      sealPending(SEGMENT_SIZE, false);
    }
  }
  if (output.length - written < SEALED_SEGMENT_BYTES) {
    yield output.subarray(0, written);
    output = Buffer.allocUnsafe(SEALED_SEGMENT_BYTES);
    written = 0;
  }
  sealPending(buffered, true);
  yield output.subarray(0, written);
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

  /** Whether `count` bytes can be had without waiting for another read: buffered already, or the source ended. */
  has(count: number): boolean {
    return this.buffered >= count || this.ended;
  }

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

  /** Removes the first `count` bytes, as the pieces they are buffered in (no copy); `fill` must have buffered them. */
  takePieces(count: number): Buffer[] {
    const pieces: Buffer[] = [];
    let taken = 0;
    while (taken < count) {
      const chunk = this.chunks.shift();
      if (!chunk) throw new RangeError(`takePieces(${count}) beyond the ${this.buffered} buffered bytes`);
      const wanted = count - taken;
      if (chunk.length > wanted) {
        pieces.push(chunk.subarray(0, wanted));
        this.chunks.unshift(chunk.subarray(wanted));
        taken += wanted;
      } else {
        pieces.push(chunk);
        taken += chunk.length;
      }
    }
    this.buffered -= count;
    return pieces;
  }
}

/**
 * Decrypts an SVD1 blob segment by segment, yielding plaintext only after its segment's tag is checked. The
 * segments that the bytes already read hold (about 16 from a 1 MiB read) are opened one after the other and
 * released together as one chunk, before the next read is awaited: a checked segment never waits for I/O, and
 * the stream downstream (the response) carries 1 MiB chunks instead of 64 KiB ones. Any damage (bad header,
 * failed tag, wrong order, missing or extra segments) throws IntegrityError, and nothing of the failing segment
 * or after it is released; errors from reading the blob itself pass through unchanged. The blob stream is
 * destroyed when this generator finishes.
 */
export async function* decryptSegments(blob: Readable, dataKey: Buffer): AsyncGenerator<Buffer> {
  const reader = new ByteReader(blob[Symbol.asyncIterator]());
  try {
    if ((await reader.fill(HEADER_BYTES)) < HEADER_BYTES) throw new IntegrityError();
    const header = reader.take(HEADER_BYTES);
    if (!isSupportedHeader(header)) throw new IntegrityError();
    // As in encryptSegments: one key object, and the IV and AAD rewritten in place for each segment.
    const key = createSecretKey(dataKey);
    const iv = Buffer.alloc(NONCE_PREFIX_BYTES + 4);
    const aad = Buffer.alloc(HEADER_BYTES + 5);
    let checked: Buffer[] = [];
    let checkedBytes = 0;
    const release = () =>
      checked.length === 1 ? (checked[0] as Buffer) : Buffer.concat(checked, checkedBytes);
    for (let index = 0; ; index++) {
      let final: boolean;
      let plaintext: Buffer[];
      try {
        // One byte beyond a full segment shows whether another follows, i.e. whether this one must be the final one.
        const available = await reader.fill(SEALED_SEGMENT_BYTES + 1);
        final = available <= SEALED_SEGMENT_BYTES;
        if (available < TAG_BYTES) throw new IntegrityError();
        const sealedBytes = final ? available : SEALED_SEGMENT_BYTES;
        writeSegmentParameters(header, index, final, iv, aad);
        plaintext = openPieces(key, iv, aad, reader.takePieces(sealedBytes), sealedBytes);
      } catch (error) {
        // The segments checked before this one still leave, as they would have one by one; nothing after.
        if (checkedBytes > 0) yield release();
        throw error;
      }
      for (const piece of plaintext) {
        checked.push(piece);
        checkedBytes += piece.length;
      }
      if (!final && reader.has(SEALED_SEGMENT_BYTES + 1)) continue;
      // The next segment needs another read (or this was the last): release what is checked before waiting.
      if (checkedBytes > 0) yield release();
      checked = [];
      checkedBytes = 0;
      if (final) return;
    }
  } finally {
    blob.destroy();
  }
}

/**
 * Passes an SVD1 blob through unchanged, segment by segment, but only after checking each one's tag and place
 * (as decryptSegments does), handing its plaintext to `inspect`. A resumable upload begun before its hash was
 * kept with its offset is hashed from its parts this way at completion (complete-resumable-upload.ts), every
 * segment proved on the way. Throws IntegrityError as decryptSegments does.
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
