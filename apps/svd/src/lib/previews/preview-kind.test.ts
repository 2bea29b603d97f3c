import { describe, expect, it } from 'vitest';
import { mayPreview, previewKindOf } from './preview-kind';
import { completeUtf8Length, sniffFileType } from './sniff-file-type';

const bytes = (text: string) => new TextEncoder().encode(text);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('sniffFileType', () => {
  it('reads the magic numbers at offset 0 only', () => {
    expect(sniffFileType(bytes('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffFileType(PNG)).toBe('png');
    expect(sniffFileType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffFileType(bytes('GIF89a..'))).toBe('gif');
    expect(sniffFileType(bytes('GIF87a..'))).toBe('gif');
    expect(sniffFileType(bytes('RIFF\u0010\u0000\u0000\u0000WEBPVP8 '))).toBe('webp');
    expect(sniffFileType(bytes('RIFF\u0010\u0000\u0000\u0000WAVEfmt '))).toBeNull();
    // A signature further in is no signature (a lenient sniffer's polyglot).
    expect(sniffFileType(bytes(' %PDF-1.7'))).toBe('text');
    expect(sniffFileType(bytes('<html>%PDF-1.7'))).toBeNull();
  });

  it('takes UTF-8 without control characters or a markup start as text, and nothing else', () => {
    expect(sniffFileType(bytes('Grüße, plain notes\r\n\tindented\f'))).toBe('text');
    expect(sniffFileType(bytes('\ufeffwith a BOM'))).toBe('text');
    expect(sniffFileType(bytes('a < b and <b>bold</b> later'))).toBe('text');
    for (const markup of [
      '<!doctype html><p>',
      '<html>',
      '  \n<HTML lang="en">',
      '\ufeff<svg xmlns="http://www.w3.org/2000/svg">',
      '<?xml version="1.0"?>',
      '<script>alert(1)</script>',
      '<!-- comment -->',
      '</p>',
      '<a:b>',
      '<body',
    ]) {
      expect(sniffFileType(bytes(markup)), markup).toBeNull();
    }
    expect(sniffFileType(bytes('NUL \u0000 inside'))).toBeNull();
    expect(sniffFileType(bytes('escape \u001b[31m'))).toBeNull();
    expect(sniffFileType(new Uint8Array([0x61, 0xc3, 0x28]))).toBeNull();
    expect(sniffFileType(new Uint8Array([]))).toBeNull();
  });

  it('does not count a character cut off at the end of the sniffed bytes against text', () => {
    const cut = bytes('naïve €').subarray(0, -1);
    expect(sniffFileType(cut)).toBe('text');
    expect(completeUtf8Length(cut)).toBe(bytes('naïve ').length);
    expect(completeUtf8Length(bytes('naïve €'))).toBe(bytes('naïve €').length);
  });
});

describe('previewKindOf', () => {
  it('previews only when the stored type and the bytes agree', () => {
    expect(previewKindOf('application/pdf', bytes('%PDF-1.4'))).toBe('pdf');
    expect(previewKindOf('IMAGE/PNG; charset=binary', PNG)).toBe('png');
    expect(previewKindOf('text/plain', bytes('hello'))).toBe('text');
    expect(previewKindOf('application/pdf', bytes('<html>'))).toBeNull();
    expect(previewKindOf('image/png', bytes('<svg>'))).toBeNull();
    expect(previewKindOf('image/jpeg', PNG)).toBeNull();
    expect(previewKindOf('text/plain', bytes('%PDF-1.4'))).toBeNull();
    expect(previewKindOf('text/html', bytes('hello'))).toBeNull();
    expect(previewKindOf('image/svg+xml', PNG)).toBeNull();
    expect(previewKindOf('application/octet-stream', bytes('%PDF-1.4'))).toBeNull();
  });

  it('offers a preview only for the stored types it can serve', () => {
    expect(
      ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain'].every(
        mayPreview,
      ),
    ).toBe(true);
    expect(
      ['text/html', 'image/svg+xml', 'application/xml', 'text/javascript', 'text/csv', ''].some(mayPreview),
    ).toBe(false);
  });
});
