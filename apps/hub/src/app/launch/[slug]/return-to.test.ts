import { createLaunchState } from '@omg/contract';
import { hostileRedirectTargets } from '@omg/platform/testing/redirect-targets';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser } from '@/testing/billing-test-env';
import { GET } from './route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const SVD = process.env.SVD_URL ?? 'http://localhost:3101';
let cookie: string;

beforeAll(async () => {
  ({ cookie } = await signUpHubUser('launch-return'));
});

function launch(query: URLSearchParams) {
  return GET(new Request(`${HUB}/launch/securevault?${query}`, { headers: { cookie } }), {
    params: Promise.resolve({ slug: 'securevault' }),
  });
}

const formField = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? null;

/** A query carrying `returnTo` (an array as repeated parameters). */
function queryWith(target: unknown, state?: string): URLSearchParams {
  const query = new URLSearchParams();
  for (const value of Array.isArray(target) ? target : [target]) query.append('returnTo', String(value));
  if (state) query.set('state', state);
  return query;
}

describe('Hub /launch: returnTo must lie on the app itself', () => {
  // SVD's own origin is the app's; the table is in its terms (the Hub's origin is just another site here).
  const hostile = [...hostileRedirectTargets({ self: SVD }), ['the Hub itself', `${HUB}/portal`]] as [
    string,
    unknown,
  ][];
  // A query holds text only: numbers, null and objects have no query form. A repeated returnTo reaches the route
  // as its first value (URLSearchParams.get), so only the array whose first value is hostile applies.
  const asQuery = hostile.filter(
    ([, target]) => typeof target === 'string' || (Array.isArray(target) && target[0] !== '/portal'),
  );

  it.each(asQuery)('%s: the binding step and the token form carry no returnTo', async (_label, target) => {
    const bind = await launch(queryWith(target));
    expect(bind.status).toBe(303);
    const location = new URL(bind.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${SVD}/login/start`);
    expect(location.searchParams.has('returnTo')).toBe(false);

    const page = await launch(queryWith(target, createLaunchState()));
    expect(page.status).toBe(200);
    expect(formField(await page.text(), 'returnTo')).toBeNull();
  });

  it.each([
    ['/vault?x=1', '/vault?x=1'],
    [`${SVD}/vault/../vault?x=1`, '/vault?x=1'],
    ['/vault?q=zebrastra%C3%9Fe', '/vault?q=zebrastra%C3%9Fe'],
  ])('%s travels normalized as %s', async (target, normalized) => {
    const bind = await launch(queryWith(target));
    expect(new URL(bind.headers.get('location') ?? '').searchParams.get('returnTo')).toBe(normalized);
    const page = await launch(queryWith(target, createLaunchState()));
    expect(formField(await page.text(), 'returnTo')).toBe(normalized.replaceAll('&', '&amp;'));
  });
});
