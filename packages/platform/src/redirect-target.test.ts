import { describe, expect, it } from 'vitest';
import { normalizeRedirectTarget, ownOrigins, safeRedirectTarget } from './redirect-target';
import { hostileRedirectTargets } from './testing/redirect-targets';

const HUB = 'http://localhost:3000';
const SVD = 'http://localhost:3001';
const policy = { self: HUB, allowed: [SVD] };

describe('normalizeRedirectTarget: targets that must go nowhere', () => {
  const hostile = hostileRedirectTargets(policy);

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
