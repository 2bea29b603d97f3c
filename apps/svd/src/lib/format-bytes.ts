import { formatBytes } from '@omg/contract';

// SVD and the Hub's plan comparison word sizes the same way: the formatter lives in the contract.
export { formatBytes };

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

function scaled(bytes: number): { value: number; unit: number } {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return { value, unit };
}

/**
 * "<used> of <limit>" for the plan bar and every storage notice, with formatBytes' units. Two sizes in the same
 * unit are written with the same decimals ("1.0 GB of 1.0 GB", never "1.0 GB of 1 GB"), and usage over the limit
 * never reads as equal to it: a decimal more until they differ ("1.04 GB of 1.00 GB"). Sizes in different units
 * read as formatBytes writes them ("3 MB of 1 GB").
 */
export function formatBytesOf(used: number, limit: number): string {
  const a = scaled(used);
  const b = scaled(limit);
  if (a.unit !== b.unit || a.unit === 0 || a.value >= 100 || b.value >= 100) {
    return `${formatBytes(used)} of ${formatBytes(limit)}`;
  }
  const whole = Number.isInteger(a.value) && Number.isInteger(b.value);
  let decimals = whole ? 0 : 1;
  const write = (value: number) => `${value.toFixed(decimals)} ${UNITS[a.unit]}`;
  while (used > limit && write(a.value) === write(b.value) && decimals < 3) decimals += 1;
  return `${write(a.value)} of ${write(b.value)}`;
}
