import { describe, expect, it } from 'vitest';
import { readLimitedText } from './read-limited-text';

const LIMIT = 1024;

function streamOf(chunks: number, size: number, onPull?: () => void) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull?.();
      if (sent >= chunks) return controller.close();
      sent += 1;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request('http://localhost/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readLimitedText', () => {
  it('returns a body up to the limit exactly, multi-byte characters intact', async () => {
    expect(await readLimitedText(post('a'.repeat(LIMIT)), LIMIT)).toHaveLength(LIMIT);
    expect(await readLimitedText(post('é✓'.repeat(100)), LIMIT)).toBe('é✓'.repeat(100));
    expect(await readLimitedText(post(null), LIMIT)).toBe('');
  });

  it('refuses a declared Content-Length over the limit before reading anything', async () => {
    let pulls = 0;
    const request = post(
      streamOf(1000, 1024, () => (pulls += 1)),
      { 'content-length': String(LIMIT + 1) },
    );
    await expect(readLimitedText(request, LIMIT)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(pulls).toBeLessThanOrEqual(1);
  });

  it('stops reading an undeclared (chunked) body as soon as it passes the limit', async () => {
    let pulls = 0;
    const endless = post(streamOf(Number.POSITIVE_INFINITY, 300, () => (pulls += 1)));
    await expect(readLimitedText(endless, LIMIT)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
    });
    expect(pulls).toBeLessThan(10);
    await expect(readLimitedText(post('a'.repeat(LIMIT + 1)), LIMIT)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });
});
