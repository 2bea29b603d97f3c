import { describe, expect, it } from 'vitest';
import { fileFamily } from './file-family';

describe('fileFamily: the icon of a row (issue 16)', () => {
  it.each([
    ['application/pdf', 'lease.pdf', 'pdf'],
    ['application/octet-stream', 'Scan.PDF', 'pdf'],
    ['image/jpeg', 'kangaroo.jpg', 'image'],
    ['application/octet-stream', 'photo.heic', 'image'],
    ['text/plain; charset=utf-8', 'notes.txt', 'text'],
    ['text/csv', 'march.csv', 'spreadsheet'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'budget.xlsx', 'spreadsheet'],
    ['application/zip', 'backup.zip', 'archive'],
    ['application/octet-stream', 'logs.tar.gz', 'archive'],
    ['application/octet-stream', 'firmware.bin', 'other'],
    ['application/octet-stream', '.env', 'other'],
  ])('%s %s → %s', (mimeType, name, family) => {
    expect(fileFamily(mimeType, name)).toBe(family);
  });
});
