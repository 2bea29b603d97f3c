import type { Readable } from 'node:stream';

/**
 * Reads at least `bytes` bytes (fewer only when the stream ends first) without losing any: `rest` yields every
 * byte of the stream from the start, the head included, so the caller can sniff and then still send it all.
 */
export async function readHead(
  source: Readable,
  bytes: number,
): Promise<{ head: Buffer; rest: AsyncGenerator<Buffer>; ended: boolean }> {
  const iterator: AsyncIterator<Buffer | string> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  return { head, rest: rest(), ended };
}
