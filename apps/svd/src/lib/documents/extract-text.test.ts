import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { extractDocumentText, MAX_INDEXED_TEXT_CHARS, type TExtraction } from './extract-text';
import { buildMinimalPdf } from './fixtures/minimal-pdf';

/** A source that records how many chunks were pulled, to prove what was (not) read. */
function sourceOf(bytes: Uint8Array, chunkSize = 64 * 1024) {
  const state = { pulledChunks: 0, totalChunks: Math.ceil(bytes.byteLength / chunkSize) };
  function* chunks() {
    for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
      state.pulledChunks++;
      yield Buffer.from(bytes.subarray(offset, offset + chunkSize));
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false });
  return { stream, state };
}

async function extract(
  bytes: Uint8Array,
  meta: { mimeType: string; fileName: string; sizeBytes?: number; chunkSize?: number },
  options?: Parameters<typeof extractDocumentText>[1],
) {
  const { stream, state } = sourceOf(bytes, meta.chunkSize);
  const result = await extractDocumentText(
    {
      source: stream,
      mimeType: meta.mimeType,
      fileName: meta.fileName,
      sizeBytes: meta.sizeBytes ?? bytes.byteLength,
    },
    options,
  );
  // Every path must leave the source finished, or the storage download behind it stays open.
  expect(stream.destroyed).toBe(true);
  return { result, state };
}

function expectSkipped(result: TExtraction, kind: TExtraction['kind']) {
  expect(result.kind).toBe(kind);
  expect(result.text).toBeNull();
  expect(result.units).toBe(1);
  expect(result.skippedReason).toEqual(expect.any(String));
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('extractDocumentText: text files', () => {
  it('decodes UTF-8 with a BOM and non-ASCII, even when characters straddle chunks', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      utf8('  Grüße aus Köln\r\n\tzweite   Zeile 😀 \n'),
    ]);
    const { result, state } = await extract(bytes, {
      mimeType: 'text/plain',
      fileName: 'gruss.txt',
      chunkSize: 1,
    });
    expect(result).toEqual({
      kind: 'text',
      units: 1,
      text: 'Grüße aus Köln zweite Zeile 😀',
      pages: null,
      skippedReason: null,
    });
    expect(state.pulledChunks).toBe(bytes.byteLength);
  });

  it('bills all bytes of a 250 KB file and keeps all of its text under the default cap', async () => {
    const bytes = utf8('word '.repeat((250 * 1024) / 5));
    expect(bytes.byteLength).toBe(250 * 1024);
    const { result } = await extract(bytes, { mimeType: 'application/octet-stream', fileName: 'big.log' });
    expect(result.kind).toBe('text');
    expect(result.units).toBe(3);
    // The trailing space is trimmed.
    expect(result.text).toHaveLength(250 * 1024 - 1);
  });

  it('caps the kept text but still bills and reads every byte', async () => {
    const bytes = utf8('word '.repeat((250 * 1024) / 5));
    const { result, state } = await extract(
      bytes,
      { mimeType: 'text/plain', fileName: 'big.txt', chunkSize: 1000 },
      { maxTextChars: 1000 },
    );
    expect(result.units).toBe(3);
    expect(result.text?.length).toBeLessThanOrEqual(1000);
    expect(result.text?.length).toBeGreaterThanOrEqual(999);
    expect(result.text?.startsWith('word word word')).toBe(true);
    expect(state.pulledChunks).toBe(state.totalChunks);
  });

  it('applies MAX_INDEXED_TEXT_CHARS by default', async () => {
    const bytes = utf8('abcdefghi '.repeat(120_000));
    const { result } = await extract(bytes, { mimeType: 'text/plain', fileName: 'huge.txt' });
    expect(result.units).toBe(Math.ceil(1_200_000 / 102_400));
    expect(result.text?.length).toBeLessThanOrEqual(MAX_INDEXED_TEXT_CHARS);
    expect(result.text?.length).toBeGreaterThanOrEqual(MAX_INDEXED_TEXT_CHARS - 1);
  });

  it('does not split a surrogate pair at the cap', async () => {
    const { result } = await extract(
      utf8('ab😀cd'),
      { mimeType: 'text/plain', fileName: 'e.txt' },
      { maxTextChars: 3 },
    );
    expect(result.text).toBe('ab');
  });

  it('replaces invalid UTF-8, drops NULs and control characters, without throwing', async () => {
    const bytes = Buffer.concat([
      utf8('abc'),
      Buffer.from([0xff, 0xc3, 0x28]),
      utf8('def\u0000\u0000ghi\u0007jkl\u0000'),
      // Truncated 3-byte sequence at end of file.
      Buffer.from([0xe2, 0x82]),
    ]);
    const { result } = await extract(bytes, { mimeType: 'text/csv', fileName: 'broken.csv', chunkSize: 2 });
    expect(result.text).toBe('abc\uFFFD\uFFFD(def ghi jkl \uFFFD');
    expect(result.text).not.toContain('\u0000');
    expect(result.units).toBe(1);
    expect(result.skippedReason).toBeNull();
  });

  it('decodes UTF-16 text that carries a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Größe: 42\r\n', 'utf16le')]);
    const { result } = await extract(bytes, { mimeType: 'text/plain', fileName: 'win.txt', chunkSize: 3 });
    expect(result.text).toBe('Größe: 42');
  });

  it('handles empty and tiny files', async () => {
    expect((await extract(new Uint8Array(0), { mimeType: 'text/plain', fileName: 'e.txt' })).result).toEqual({
      kind: 'text',
      units: 1,
      text: '',
      pages: null,
      skippedReason: null,
    });
    expect((await extract(utf8('hi'), { mimeType: 'text/plain', fileName: 'e.txt' })).result.text).toBe('hi');
  });
});

describe('extractDocumentText: PDFs', () => {
  const pages = [
    ['Quarterly report alpha', 'Revenue (EUR) grew'],
    ['Second page bravo'],
    ['Third page charlie', 'Signed, delta'],
  ];

  it('extracts page count and text from a multi-page PDF, billing per page', async () => {
    const pdf = buildMinimalPdf(pages);
    const { result, state } = await extract(pdf, {
      mimeType: 'application/pdf',
      fileName: 'report.pdf',
      chunkSize: 100,
    });
    expect(result.kind).toBe('pdf');
    expect(result.pages).toBe(3);
    expect(result.units).toBe(3);
    expect(result.skippedReason).toBeNull();
    for (const word of ['Quarterly', 'alpha', 'Revenue (EUR) grew', 'bravo', 'charlie', 'Signed, delta']) {
      expect(result.text).toContain(word);
    }
    expect(result.text).not.toMatch(/\s{2,}|\n/);
    expect(state.pulledChunks).toBe(state.totalChunks);
  });

  it('works when the stored size understates the stream (buffer grows)', async () => {
    const pdf = buildMinimalPdf([['only page echo']]);
    const { result } = await extract(pdf, {
      mimeType: 'application/pdf',
      fileName: 'a.pdf',
      sizeBytes: 10,
      chunkSize: 50,
    });
    expect(result).toMatchObject({ kind: 'pdf', pages: 1, units: 1, text: 'only page echo' });
  });

  it('detects a PDF by name when the MIME type is generic', async () => {
    const { result } = await extract(buildMinimalPdf([['x'], ['y']]), {
      mimeType: 'application/octet-stream',
      fileName: 'X.PDF',
    });
    expect(result).toMatchObject({ kind: 'pdf', pages: 2, units: 2 });
  });

  it('caps PDF text like plain text', async () => {
    const { result } = await extract(
      buildMinimalPdf(pages),
      { mimeType: 'application/pdf', fileName: 'r.pdf' },
      { maxTextChars: 9 },
    );
    expect(result.text).toBe('Quarterly');
    expect(result.units).toBe(3);
  });

  it('reports a .pdf that is not a PDF as other, without buffering it', async () => {
    const small = await extract(utf8('just some text, honest'), {
      mimeType: 'application/pdf',
      fileName: 'fake.pdf',
    });
    expectSkipped(small.result, 'other');
    expect(small.result.skippedReason).toBe('File is not a valid PDF');
    expect(small.result.pages).toBeNull();

    const large = await extract(Buffer.alloc(20_000, 0x41), {
      mimeType: 'application/pdf',
      fileName: 'fake.pdf',
      chunkSize: 1024,
    });
    expectSkipped(large.result, 'other');
    expect(large.state.pulledChunks).toBe(1);
  });

  it('reports a damaged PDF without throwing', async () => {
    const { result } = await extract(utf8('%PDF-1.7\nthis is garbage, no objects, no xref'), {
      mimeType: 'application/pdf',
      fileName: 'broken.pdf',
    });
    expectSkipped(result, 'pdf');
    expect(result.skippedReason).toBe('File is not a valid PDF');
  });

  it('reports a truncated PDF without throwing', async () => {
    const pdf = buildMinimalPdf(pages);
    const { result } = await extract(pdf.subarray(0, Math.floor(pdf.byteLength * 0.6)), {
      mimeType: 'application/pdf',
      fileName: 'cut.pdf',
    });
    expectSkipped(result, 'pdf');
    expect(result.pages).toBeNull();
  });

  it('reports a password-protected PDF', async () => {
    const { result } = await extract(buildMinimalPdf([['secret']], { passwordProtected: true }), {
      mimeType: 'application/pdf',
      fileName: 'locked.pdf',
    });
    expectSkipped(result, 'pdf');
    expect(result.skippedReason).toBe('PDF is encrypted');
    expect(result.pages).toBeNull();
  });

  it('does not read or parse a PDF whose stored size is above the limit', async () => {
    const pdf = buildMinimalPdf(pages);
    const { result, state } = await extract(
      pdf,
      { mimeType: 'application/pdf', fileName: 'big.pdf' },
      { maxPdfBytes: pdf.byteLength - 1 },
    );
    expectSkipped(result, 'pdf');
    expect(result.pages).toBeNull();
    expect(result.skippedReason).toMatch(/^PDF larger than .+ is not indexed$/);
    expect(state.pulledChunks).toBe(0);
  });

  it('names the default 50 MB limit', async () => {
    const { result, state } = await extract(buildMinimalPdf([['a']]), {
      mimeType: 'application/pdf',
      fileName: 'big.pdf',
      sizeBytes: 50 * 1024 * 1024 + 1,
    });
    expect(result.skippedReason).toBe('PDF larger than 50 MB is not indexed');
    expect(state.pulledChunks).toBe(0);
  });

  it('stops reading when the stream outgrows the limit despite a small stored size', async () => {
    const pdf = Buffer.concat([buildMinimalPdf(pages), Buffer.alloc(10_000, 0x20)]);
    const { result, state } = await extract(
      pdf,
      { mimeType: 'application/pdf', fileName: 'liar.pdf', sizeBytes: 100, chunkSize: 500 },
      { maxPdfBytes: 2_000 },
    );
    expectSkipped(result, 'pdf');
    expect(result.skippedReason).toMatch(/is not indexed$/);
    expect(state.pulledChunks).toBeLessThan(state.totalChunks);
  });
});

describe('extractDocumentText: other files and failures', () => {
  it('bills other binaries 1 and does not read them', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const { result, state } = await extract(png, { mimeType: 'image/png', fileName: 'photo.png' });
    expect(result).toEqual({ kind: 'other', units: 1, text: null, pages: null, skippedReason: null });
    expect(state.pulledChunks).toBe(0);
  });

  it('rejects when the source stream itself fails, and leaves it destroyed', async () => {
    for (const meta of [
      { mimeType: 'text/plain', fileName: 'a.txt' },
      { mimeType: 'application/pdf', fileName: 'a.pdf' },
    ]) {
      const source = new Readable({
        read() {
          this.destroy(new Error('decryption failed'));
        },
      });
      await expect(extractDocumentText({ source, ...meta, sizeBytes: 10 })).rejects.toThrow(
        'decryption failed',
      );
      expect(source.destroyed).toBe(true);
    }
  });
});
