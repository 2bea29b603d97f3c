import { describe, expect, it } from 'vitest';
import {
  MAX_REDIRECT_TARGET_LENGTH,
  normalizeRedirectTarget,
  ownOrigins,
  safeRedirectTarget,
} from './redirect-target';

const HUB = 'http://localhost:3000';
const SVD = 'http://localhost:3001';
const policy = { self: HUB, allowed: [SVD] };

describe('normalizeRedirectTarget: targets that must go nowhere', () => {
  // Each of these, in some browser or some layer, leads off-site, hides where it leads, or is not a URL.
  const hostile: [string, unknown][] = [
    ['protocol-relative host', '//evil.test'],
    ['protocol-relative with path', '//evil.test/x'],
    ['slash backslash', '/\\evil.test'],
    ['backslash slash', '\\/evil.test'],
    ['double backslash', '\\\\evil.test'],
    ['backslash inside an absolute URL', 'http://localhost:3000\\@evil.test'],
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
    ['userinfo looking like our host', 'http://localhost:3000@evil.test'],
    ['our host as a subdomain of theirs', 'http://localhost:3000.evil.test/'],
    ['our host in the fragment', 'http://evil.test#@localhost:3000'],
    ['userinfo on our own host', 'http://user:pass@localhost:3000/portal'],
    ['bare userinfo on our own host', 'http://user@localhost:3000/portal'],
    ['tab inside the slashes', '/\t/evil.test'],
    ['newline inside the slashes', '/\n/evil.test'],
    ['carriage return inside the slashes', '/\r/evil.test'],
    ['newline inside the scheme', 'java\nscript:alert(1)'],
    ['javascript URL', 'javascript:alert(1)'],
    ['javascript URL, upper case', 'JAVASCRIPT:alert(1)'],
    ['data URL', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript URL', 'vbscript:msgbox(1)'],
    ['blob URL on our origin', `blob:${HUB}/0b9c`],
    ['mailto', 'mailto:a@evil.test'],
    ['ftp', 'ftp://localhost:3000/'],
    ['leading spaces', '  /portal'],
    ['trailing space', '/portal '],
    ['non-breaking space', '/\u00a0/evil.test'],
    ['NUL', '/portal\u0000'],
    ['DEL', '/portal\u007f'],
    ['C1 control (NEL)', '/\u0085/evil.test'],
    ['line separator', '/\u2028/evil.test'],
    ['full-width solidus', '\uff0f\uff0fevil.test'],
    ['full-width solidus in a host', 'http://evil.test\uff0f.localhost:3000/'],
    ['right-to-left override', '/\u202etxt.exe'],
    ['zero-width space', '/\u200b/evil.test'],
    ['byte-order mark', '\ufeff/portal'],
    ['homoglyph host (Cyrillic o)', 'http://l\u043ecalhost:3000/'],
    ['encoded tab', '/%09/evil.test'],
    ['encoded NUL in the query', '/portal?x=%00'],
    ['encoded DEL', '/portal%7F'],
    ['IPv6 loopback', 'http://[::1]:3000/'],
    ['IPv4 loopback for localhost', 'http://127.0.0.1:3000/'],
    ['other port', 'http://localhost:3002/'],
    ['no port (80)', 'http://localhost/'],
    ['https instead of our http', 'https://localhost:3000/'],
    ['trailing-dot host', 'http://localhost:3000./x'],
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

  it.each(hostile)('%s → refused', (_label, target) => {
    expect(normalizeRedirectTarget(target, policy)).toBeNull();
    expect(safeRedirectTarget(target, { ...policy, fallback: '/portal' })).toBe('/portal');
  });

  it('has a table of at least 40 hostile inputs', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(40);
  });
});

describe('normalizeRedirectTarget: our own targets', () => {
  const good: [string, string][] = [
    ['/portal', '/portal'],
    ['/launch/securevault?returnTo=%2Fvault%3Fq%3Dx', '/launch/securevault?returnTo=%2Fvault%3Fq%3Dx'],
    ['/billing#plans', '/billing#plans'],
    ['portal', '/portal'],
    ['/a/../portal', '/portal'],
    ['/%2e%2e/portal', '/portal'],
    ['http:portal', '/portal'],
    [`${HUB}/portal?x=1`, '/portal?x=1'],
    ['HTTP://LOCALHOST:3000/Portal', '/Portal'],
    ['http://localhost:03000/portal', '/portal'],
    [`${SVD}/vault?x=1`, `${SVD}/vault?x=1`],
    [`${SVD}`, `${SVD}/`],
    [`${SVD}/vault/../vault?q=zebrastra%C3%9Fe`, `${SVD}/vault?q=zebrastra%C3%9Fe`],
    ['/vault?q=%2509', '/vault?q=%2509'],
  ];

  it.each(good)('%s → %s', (target, normalized) => {
    expect(normalizeRedirectTarget(target, policy)).toBe(normalized);
  });

  it('refuses an encoded slash in the path but keeps one in the query', () => {
    expect(normalizeRedirectTarget('/files/a%2Fb', policy)).toBeNull();
    expect(normalizeRedirectTarget('/files?next=%2F%2Fx', policy)).toBe('/files?next=%2F%2Fx');
  });

  it('keeps another own origin only where the policy allows it (SVD returnTo: SVD itself only)', () => {
    expect(normalizeRedirectTarget(`${HUB}/portal`, { self: SVD })).toBeNull();
    expect(normalizeRedirectTarget(`${SVD}/vault`, { self: SVD })).toBe('/vault');
    expect(normalizeRedirectTarget(`${SVD}/vault`, { self: HUB })).toBeNull();
  });

  it('compares whole origins: a downgrade from https is refused', () => {
    const secure = { self: 'https://hub.example', allowed: ['https://svd.example'] };
    expect(normalizeRedirectTarget('http://svd.example/vault', secure)).toBeNull();
    expect(normalizeRedirectTarget('http://hub.example/portal', secure)).toBeNull();
    expect(normalizeRedirectTarget('https://svd.example/vault', secure)).toBe('https://svd.example/vault');
  });

  it('refuses everything when the own origin itself is not configured', () => {
    expect(normalizeRedirectTarget('/portal', { self: '' })).toBeNull();
    expect(normalizeRedirectTarget('/portal', { self: 'javascript:alert(1)' })).toBeNull();
  });

  // Kept from the former isSafeReturnUrl guard's table.
  it.each([
    ['/portal', true],
    ['http://localhost:3001/vault?x=1', true],
    ['//evil.example/x', false],
    ['/\\evil.example', false],
    ['https://evil.example/', false],
    ['http://localhost:3001.evil.example/', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('former guard: %s → %s', (target, safe) => {
    expect(normalizeRedirectTarget(target, policy) !== null).toBe(safe);
  });
});

describe('ownOrigins', () => {
  it('collects the Hub and the catalog apps that are configured, as origins', () => {
    expect(
      ownOrigins({
        HUB_URL: 'https://hub.example/',
        SVD_URL: 'https://svd.example/app',
        CRM_URL: '',
        IQ_URL: 'not a url',
        LEADS_URL: 'https://leads.example',
        OTHER_URL: 'https://other.example',
      }),
    ).toEqual(['https://hub.example', 'https://svd.example', 'https://leads.example']);
  });
});
