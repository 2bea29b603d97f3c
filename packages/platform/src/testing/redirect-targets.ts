import { MAX_REDIRECT_TARGET_LENGTH } from '../redirect-target';

/**
 * Redirect targets that must never lead anywhere, for the unit table and for every route and page that takes a
 * target (`[label, target]`). `self` is the app's own origin (e.g. http://localhost:3000), so the table can say
 * "our host as a subdomain of theirs" in the app's real terms. Non-strings stand for repeated query parameters
 * and bodies of the wrong type.
 */
export function hostileRedirectTargets({ self }: { self: string }): [string, unknown][] {
  const { host: selfHost, hostname, port, protocol } = new URL(self);
  const portSuffix = port ? `:${port}` : '';
  const otherPort = `${protocol}//${hostname}:${Number(port || 80) + 2}/`;
  // Each of these, in some browser or some layer, leads off-site, hides where it leads, or is not a URL.
  return [
    ['protocol-relative host', '//evil.test'],
    ['protocol-relative with path', '//evil.test/x'],
    ['slash backslash', '/\\evil.test'],
    ['backslash slash', '\\/evil.test'],
    ['double backslash', '\\\\evil.test'],
    ['backslash inside an absolute URL', `${self}\\@evil.test`],
    ['encoded slashes', '/%2F%2Fevil.test'],
    ['encoded slashes, lower case', '/%2f%2fevil.test'],
    ['encoded slash after a dot segment', '/%2e/%2fevil.test'],
    ['encoded backslash', '/%5Cevil.test'],
    ['relative path of encoded slashes', '%2F%2Fevil.test'],
    ['dot segment normalizing to //', '/.//evil.test'],
    ['dot-dot segment normalizing to //', '/..//evil.test'],
    ['encoded dot segment normalizing to //', '/%2e//evil.test'],
    ['other scheme, no slashes', 'https:evil.test'],
    ['other host', 'https://evil.test/'],
    ['userinfo looking like our host', `${self}@evil.test`],
    ['our host as a subdomain of theirs', `${self}.evil.test/`],
    ['our host in the fragment', `http://evil.test#@${selfHost}`],
    ['userinfo on our own host', `http://user:pass@${selfHost}/portal`],
    ['bare userinfo on our own host', `http://user@${selfHost}/portal`],
    ['tab inside the slashes', '/\t/evil.test'],
    ['newline inside the slashes', '/\n/evil.test'],
    ['carriage return inside the slashes', '/\r/evil.test'],
    ['newline inside the scheme', 'java\nscript:alert(1)'],
    ['javascript URL', 'javascript:alert(1)'],
    ['javascript URL, upper case', 'JAVASCRIPT:alert(1)'],
    ['data URL', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript URL', 'vbscript:msgbox(1)'],
    ['blob URL on our origin', `blob:${self}/0b9c`],
    ['mailto', 'mailto:a@evil.test'],
    ['ftp', `ftp://${selfHost}/`],
    ['leading spaces', '  /portal'],
    ['trailing space', '/portal '],
    ['non-breaking space', '/\u00a0/evil.test'],
    ['NUL', '/portal\u0000'],
    ['DEL', '/portal\u007f'],
    ['C1 control (NEL)', '/\u0085/evil.test'],
    ['line separator', '/\u2028/evil.test'],
    ['full-width solidus', '\uff0f\uff0fevil.test'],
    ['full-width solidus in a host', `http://evil.test\uff0f.${selfHost}/`],
    ['right-to-left override', '/\u202etxt.exe'],
    ['zero-width space', '/\u200b/evil.test'],
    ['byte-order mark', '\ufeff/portal'],
    ['homoglyph host (Cyrillic o)', `${protocol}//${hostname.replace('o', '\u043e')}${portSuffix}/`],
    ['encoded tab', '/%09/evil.test'],
    ['encoded NUL in the query', '/portal?x=%00'],
    ['encoded DEL', '/portal%7F'],
    ['IPv6 loopback', `${protocol}//[::1]${portSuffix}/`],
    ['IPv4 loopback for localhost', `${protocol}//127.0.0.1${portSuffix}/`],
    ['other port', otherPort],
    ['default port instead of ours', `${protocol}//${hostname}/`],
    ['the other scheme on our host', `${protocol === 'https:' ? 'http:' : 'https:'}//${selfHost}/`],
    ['trailing-dot host', `${protocol}//${hostname}.${portSuffix}/x`],
    ['extremely long', `/${'a'.repeat(MAX_REDIRECT_TARGET_LENGTH)}`],
    ['empty', ''],
    ['repeated query parameter (array)', ['/portal', '//evil.test']],
    ['array of one', ['/portal']],
    ['number', 42],
    ['null', null],
    ['undefined', undefined],
    ['object', { toString: () => '/portal' }],
    ['not a URL', 'http://'],
  ];
}
