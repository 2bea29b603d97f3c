import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

describe('formatBytes', () => {
  it('shows whole units without decimals', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(25 * MB)).toBe('25 MB');
    expect(formatBytes(50 * MB)).toBe('50 MB');
    expect(formatBytes(200 * GB)).toBe('200 GB');
  });

  it('keeps one decimal below 100 and rounds from 100 up', () => {
    expect(formatBytes(1.5 * MB)).toBe('1.5 MB');
    expect(formatBytes(100.4 * KB)).toBe('100 KB');
  });

  // The PDF-extraction message used its own copy, which said "bytes" and never went past MB.
  it('uses the same units for every message, small and large', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2 * GB)).toBe('2 GB');
  });
});
