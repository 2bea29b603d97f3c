import { isSafeReturnUrl } from '@omg/platform';
import { env } from '../env';

/** Where a sign-in lands: a page of SVD itself (path and query), never `/login` again, else the vault. */
export function landingPath(returnTo: unknown): string {
  if (typeof returnTo !== 'string' || !isSafeReturnUrl(returnTo, [env().SVD_URL])) return '/vault';
  const url = new URL(returnTo, env().SVD_URL);
  return url.pathname.startsWith('/login') ? '/vault' : `${url.pathname}${url.search}`;
}
