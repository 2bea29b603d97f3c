/**
 * The one way both apps show a size to people (limits, usage, file sizes, error messages, the Hub's plan
 * comparison), in binary units with SI-style names as users read them: "0 B", "900 KB", "1.5 MB", "25 MB",
 * "200 GB". One decimal below 100, whole numbers from 100 up, so "512 MB" never reads "512.0 MB".
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
