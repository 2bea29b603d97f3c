import { timingSafeEqual } from 'node:crypto';
import { createLaunchState, isLaunchState } from '@omg/contract';
import { readCookie } from './session-cookie';

/**
 * The browser side of the hand-off's binding (SPEC §4.5). `/login/start` remembers a fresh `state` in this
 * browser before it goes to the Hub; `/login` signs in silently only with a token whose `nonce` is one of them.
 * A few are kept so launches from two tabs at once both complete; each is spent by the sign-in that uses it.
 */
const MAX_PENDING = 4;
/** Launch tokens live at most five minutes, and so does the binding that asked for one. */
const TTL_SECONDS = 300;

const stateCookieName = (secure: boolean) => (secure ? '__Secure-svd_launch' : 'svd_launch');
const confirmCookieName = (secure: boolean) =>
  secure ? '__Secure-svd_launch_confirm' : 'svd_launch_confirm';

/**
 * Scoped to `/login`. Over HTTPS `SameSite=None`: the Hub's form POST may come from another site in production,
 * and a cookie left out would turn every launch into a confirmation. The value is worthless to anyone else: it
 * only ever matches a token the Hub minted for this browser's own launch.
 */
function cookie(name: string, value: string, secure: boolean, maxAge: number): string {
  const parts = [`${name}=${value}`, 'Path=/login', 'HttpOnly', `Max-Age=${maxAge}`];
  parts.push(...(secure ? ['Secure', 'SameSite=None'] : ['SameSite=Lax']));
  return parts.join('; ');
}

export function pendingLaunchStates(request: Request, secure: boolean): string[] {
  const value = readCookie(request, stateCookieName(secure)) ?? '';
  return value.split('.').filter(isLaunchState).slice(0, MAX_PENDING);
}

/** A new binding for this browser, kept beside the ones still pending. */
export function beginLaunch(request: Request, secure: boolean): { state: string; setCookie: string } {
  const state = createLaunchState();
  const pending = [state, ...pendingLaunchStates(request, secure)].slice(0, MAX_PENDING);
  return { state, setCookie: cookie(stateCookieName(secure), pending.join('.'), secure, TTL_SECONDS) };
}

/** Set-Cookie that forgets one binding (spent by a sign-in), clearing the cookie when none is left. */
export function spendLaunchState(request: Request, secure: boolean, state: string | undefined): string {
  const rest = pendingLaunchStates(request, secure).filter((pending) => pending !== state);
  return cookie(stateCookieName(secure), rest.join('.'), secure, rest.length ? TTL_SECONDS : 0);
}

/**
 * The "Continue as <email>?" page carries a fresh value both in its form and in this cookie (double submit): a
 * continue that another site forges cannot know the cookie's value, so only a click on that page counts.
 */
export function beginConfirmation(secure: boolean): { value: string; setCookie: string } {
  const value = createLaunchState();
  return { value, setCookie: cookie(confirmCookieName(secure), value, secure, TTL_SECONDS) };
}

export function isConfirmed(request: Request, secure: boolean, submitted: unknown): boolean {
  const expected = readCookie(request, confirmCookieName(secure));
  if (!isLaunchState(submitted) || !isLaunchState(expected)) return false;
  return timingSafeEqual(Buffer.from(submitted), Buffer.from(expected));
}

export function clearConfirmation(secure: boolean): string {
  return cookie(confirmCookieName(secure), '', secure, 0);
}
