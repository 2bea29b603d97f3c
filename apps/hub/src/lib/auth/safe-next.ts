import { isSafeReturnUrl } from '@omg/platform';

/** Where to go after logging in: a path on the Hub itself, never another site. */
export function safeNext(next: string | string[] | undefined, fallback = '/portal'): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value && isSafeReturnUrl(value, []) ? value : fallback;
}
