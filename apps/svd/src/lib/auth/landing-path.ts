import { normalizeRedirectTarget } from '@omg/platform';
import { env } from '../env';

/** Where a sign-in lands: a page of SVD itself (normalized path, query), never `/login` again, else the vault. */
export function landingPath(returnTo: unknown): string {
  const path = normalizeRedirectTarget(returnTo, { self: env().SVD_URL });
  return path === null || path.startsWith('/login') ? '/vault' : path;
}
