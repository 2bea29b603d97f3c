/**
 * The browser binding of a hand-off (SPEC §4.5, OpenID Connect's `state`/`nonce`): the app sets a random value in
 * a short-lived cookie before it sends the browser to the Hub, the Hub signs that value into the token as `nonce`,
 * and the app accepts the token only from a browser that holds the value. A token delivered to another browser
 * (login CSRF) finds no matching cookie there.
 */
export const LAUNCH_STATE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url without padding (43 characters). */
export function createLaunchState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export function isLaunchState(value: unknown): value is string {
  return typeof value === 'string' && LAUNCH_STATE_PATTERN.test(value);
}
