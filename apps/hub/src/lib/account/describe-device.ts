import Bowser from 'bowser';

/**
 * "Chrome 131 on macOS" from a session's recorded User-Agent, for the Account page's device list. A missing or
 * unrecognised header says so rather than guessing; the raw string is never shown (it is long and forgeable).
 */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent?.trim()) return 'Unknown device';
  const parsed = Bowser.parse(userAgent);
  const major = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name ? [parsed.browser.name, major].filter(Boolean).join(' ') : null;
  const os = parsed.os.name || null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? 'Unknown device';
}
