import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesOf } from './format-bytes';

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

describe('formatBytesOf: "<used> of <limit>" in one style (issue 16)', () => {
  it('two sizes in the same unit get the same decimals', () => {
    expect(formatBytesOf(1.2 * GB, 2 * GB)).toBe('1.2 GB of 2.0 GB');
    expect(formatBytesOf(0.85 * GB, GB)).toBe('870 MB of 1 GB');
    expect(formatBytesOf(1.5 * GB, 2 * GB)).toBe('1.5 GB of 2.0 GB');
    expect(formatBytesOf(2 * GB, 2 * GB)).toBe('2 GB of 2 GB');
  });

  it('usage over the limit never reads as equal to it', () => {
    // What the over-limit notice said as "1.0 GB of 1 GB".
    expect(formatBytesOf(1.02 * GB, GB)).toBe('1.02 GB of 1.00 GB');
    expect(formatBytesOf(GB + 1.5 * MB, GB)).toBe('1.001 GB of 1.000 GB');
  });

  it('sizes in different units read as formatBytes writes them', () => {
    expect(formatBytesOf(0, GB)).toBe('0 B of 1 GB');
    expect(formatBytesOf(3 * MB, GB)).toBe('3 MB of 1 GB');
    expect(formatBytesOf(150 * GB, 200 * GB)).toBe('150 GB of 200 GB');
  });
});
