/**
 * The one gate for caller-supplied redirect targets in both apps (`next`, `returnUrl`, `returnTo`, any future
 * one). Every page, route and client component that redirects or links to such a target passes it through here
 * and from then on uses only the value returned: the normalized URL, never the caller's string.
 *
 * The rules, in order:
 * 1. Only a string (a repeated query parameter arrives as an array: ambiguous, refused), 1–2048 characters.
 * 2. Only printable ASCII without spaces or backslashes. Browsers silently drop tabs and newlines inside URLs and
 *    treat `\` as `/`, which turns a harmless-looking `/\t/evil.test` or `/\evil.test` into another host; Unicode
 *    (full-width solidus, bidi controls, homoglyph hosts) has no business in a target because every target we
 *    produce ourselves is percent-encoded ASCII.
 * 3. Parsed by the WHATWG URL parser (the browsers' own) against the app's own origin; only http(s), no userinfo.
 * 4. The origin must be exactly the app's own or one of `allowed` (scheme, host and port: no downgrade to http,
 *    no other port, no `localhost:3000.evil.test`).
 * 5. The normalized path must not start with `//` (`/.//evil.test` normalizes to `//evil.test`, which a browser
 *    reads as another host) and must not hide a slash, backslash or control character behind percent-encoding
 *    (`/%2F%2Fevil.test`, `/%5Cevil.test`, `/%09/`), which a decoding proxy could turn back into one.
 * 6. Percent-encoded control characters (`%00`–`%1F`, `%7F`) are refused anywhere in the normalized URL.
 *
 * A target on the app's own origin comes back as path + query + fragment (a safe relative reference: it starts
 * with exactly one `/`); a target on another allowed origin comes back as the absolute normalized URL.
 */

export const MAX_REDIRECT_TARGET_LENGTH = 2048;

/** Anything but printable ASCII, plus space and backslash. */
const REFUSED_CHARACTER = /[^\x21-\x5b\x5d-\x7e]/;
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const ENCODED_SEPARATOR = /%(?:2f|5c)/i;

/** The origins a target may lead to: the app's own, plus (optionally) others such as the Hub and catalog apps. */
export interface TRedirectPolicy {
  /** The app's own origin (e.g. HUB_URL); relative targets resolve against it. */
  self: string;
  /** Further origins a target may lie on. */
  allowed?: readonly (string | null | undefined)[];
}

/** The http(s) origin of a URL, or null for anything else (other schemes, garbage, empty). */
export function originOf(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The normalized target, or null when it is not a target this policy allows. Never throws. */
export function normalizeRedirectTarget(target: unknown, policy: TRedirectPolicy): string | null {
  if (typeof target !== 'string' || target.length === 0 || target.length > MAX_REDIRECT_TARGET_LENGTH)
    return null;
  if (REFUSED_CHARACTER.test(target)) return null;
  const self = originOf(policy.self);
  if (!self) return null;
  let url: URL;
  try {
    url = new URL(target, `${self}/`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  const allowed = new Set([self, ...(policy.allowed ?? []).map(originOf)]);
  if (!allowed.has(url.origin)) return null;
  if (url.pathname.startsWith('//') || ENCODED_SEPARATOR.test(url.pathname)) return null;
  if (ENCODED_CONTROL.test(url.href)) return null;
  return url.origin === self ? `${url.pathname}${url.search}${url.hash}` : url.href;
}

/** The normalized target, or `fallback` (a constant page of the app) when the target is refused. */
export function safeRedirectTarget(target: unknown, policy: TRedirectPolicy & { fallback: string }): string {
  return normalizeRedirectTarget(target, policy) ?? policy.fallback;
}

/** Environment variables naming our own origins: the Hub and the catalog apps' launch URLs. */
export const OWN_ORIGIN_VARIABLES = ['HUB_URL', 'SVD_URL', 'CRM_URL', 'IQ_URL', 'LEADS_URL'] as const;

/** The configured own origins (those set and valid), for `TRedirectPolicy.allowed`. */
export function ownOrigins(source: Record<string, string | undefined> = process.env): string[] {
  const origins = OWN_ORIGIN_VARIABLES.map((name) => originOf(source[name]));
  return [...new Set(origins.filter((origin): origin is string => origin !== null))];
}
