import { describe, expect, it } from 'vitest';
import { documentKind, processingUnits, TEXT_UNIT_BYTES } from './processing-units';

describe('processingUnits', () => {
  it('bills PDFs per started page, at least 1', () => {
    expect(processingUnits({ kind: 'pdf', pages: 1 })).toBe(1);
    expect(processingUnits({ kind: 'pdf', pages: 3 })).toBe(3);
    expect(processingUnits({ kind: 'pdf', pages: 0 })).toBe(1);
    expect(processingUnits({ kind: 'pdf' })).toBe(1);
  });

  it('bills text per started 100 KB, at least 1', () => {
    expect(TEXT_UNIT_BYTES).toBe(102_400);
    expect(processingUnits({ kind: 'text', textBytes: 0 })).toBe(1);
    expect(processingUnits({ kind: 'text', textBytes: 1 })).toBe(1);
    expect(processingUnits({ kind: 'text', textBytes: 100 * 1024 })).toBe(1);
    expect(processingUnits({ kind: 'text', textBytes: 100 * 1024 + 1 })).toBe(2);
    expect(processingUnits({ kind: 'text', textBytes: 250 * 1024 })).toBe(3);
    expect(processingUnits({ kind: 'text' })).toBe(1);
  });

  it('bills other files 1 whatever their size', () => {
    expect(processingUnits({ kind: 'other' })).toBe(1);
    expect(processingUnits({ kind: 'other', textBytes: 10 * TEXT_UNIT_BYTES, pages: 7 })).toBe(1);
  });

  it('bills the minimum for nonsensical counts instead of NaN', () => {
    expect(processingUnits({ kind: 'pdf', pages: Number.NaN })).toBe(1);
    expect(processingUnits({ kind: 'pdf', pages: -4 })).toBe(1);
    expect(processingUnits({ kind: 'text', textBytes: Number.POSITIVE_INFINITY })).toBe(1);
    expect(processingUnits({ kind: 'text', textBytes: -1 })).toBe(1);
  });
});

describe('documentKind', () => {
  it('recognises PDFs by MIME type or by name', () => {
    expect(documentKind('application/pdf', 'scan')).toBe('pdf');
    expect(documentKind('application/x-pdf', 'scan.bin')).toBe('pdf');
    expect(documentKind('APPLICATION/PDF', 'x')).toBe('pdf');
    expect(documentKind('application/octet-stream', 'Invoice 2024.PDF')).toBe('pdf');
    expect(documentKind('', 'contract.pdf')).toBe('pdf');
    // A PDF signal wins; extractDocumentText checks the body and demotes non-PDFs.
    expect(documentKind('text/plain', 'notes.pdf')).toBe('pdf');
  });

  it('recognises text by MIME type', () => {
    expect(documentKind('text/plain', 'notes')).toBe('text');
    expect(documentKind('text/plain; charset=utf-8', 'notes')).toBe('text');
    expect(documentKind('text/csv', 'export')).toBe('text');
    expect(documentKind('application/json', 'data')).toBe('text');
    expect(documentKind('application/xml', 'data')).toBe('text');
    expect(documentKind('application/vnd.api+json', 'data')).toBe('text');
    expect(documentKind('image/svg+xml', 'logo')).toBe('text');
  });

  it('recognises text by extension when the MIME type is generic', () => {
    for (const name of ['a.md', 'a.csv', 'a.txt', 'a.json', 'a.xml', 'a.log', 'a.yaml', 'a.yml', 'A.TXT']) {
      expect(documentKind('application/octet-stream', name), name).toBe('text');
    }
    expect(documentKind('', 'C:\\Users\\me\\notes.txt')).toBe('text');
  });

  it('treats everything else as other', () => {
    expect(documentKind('image/png', 'photo.png')).toBe('other');
    expect(documentKind('application/octet-stream', 'archive.zip')).toBe('other');
    expect(
      documentKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'cv.docx'),
    ).toBe('other');
    expect(documentKind('', 'README')).toBe('other');
    expect(documentKind('', '.txt')).toBe('other');
    expect(documentKind('', 'trailing.')).toBe('other');
    expect(documentKind('application/octet-stream', 'txt.exe')).toBe('other');
  });
});
