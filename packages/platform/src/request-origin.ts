import { AppError } from './app-error';

/** Methods that only read: never checked (a cross-site GET can be a link, and reads change nothing). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export interface TOriginPolicy {
  /** The app's own origin (HUB_URL or SVD_URL). */
  own: string;
  /** Other origins whose pages may post here (only SVD's `/login`, which the Hub's launch page posts to). */
  others?: readonly string[];
}

export const CROSS_SITE_MESSAGE = 'This request came from another site and was refused.';

/**
 * Whether a state-changing request comes from one of our own pages (issue 9 §3), decided from what browsers
 * send and pages cannot forge:
 * - `Sec-Fetch-Site` (every current browser): `same-origin` and `none` (typed by the user) pass; `same-site` and
 *   `cross-site` pass only with an `Origin` listed in `others`; anything else is refused.
 * - `Origin`: a real origin must be exactly the app's own or one of `others` (no prefix or suffix matching, so
 *   `http://localhost:3000.evil.test` is foreign). `null` is what a browser sends for a form posted from a page
 *   with `Referrer-Policy: no-referrer`, which both apps send: it passes only when `Sec-Fetch-Site` says
 *   `same-origin` (SVD's own logout form), or on a route that allows another origin (the Hub's launch page
 *   posting the hand-off, whose token and browser binding are the real check there).
 * - Neither header: not a browser (curl, Stripe, server-to-server). Browsers that predate both headers send
 *   cookies only with `SameSite=Lax` rules, so a cross-site POST from them carries no session: the second line.
 */
export function isAllowedOrigin(request: Request, policy: TOriginPolicy): boolean {
  if (!isStateChanging(request.method)) return true;
  const own = new URL(policy.own).origin;
  const others = (policy.others ?? []).map((o) => new URL(o).origin);
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site')?.toLowerCase() ?? null;

  if (origin !== null && origin !== 'null' && origin !== own && !others.includes(origin)) return false;
  if (site === null) return origin !== 'null';
  if (site === 'same-origin') return true;
  if (site === 'none') return origin !== 'null';
  if (site === 'same-site' || site === 'cross-site') {
    if (origin === 'null') return others.length > 0;
    return origin !== null && others.includes(origin);
  }
  return false;
}

/** Throws 403 `FORBIDDEN` for a cross-site state-changing request (see isAllowedOrigin). */
export function assertAllowedOrigin(request: Request, policy: TOriginPolicy): void {
  if (!isAllowedOrigin(request, policy)) throw new AppError('FORBIDDEN', CROSS_SITE_MESSAGE);
}
