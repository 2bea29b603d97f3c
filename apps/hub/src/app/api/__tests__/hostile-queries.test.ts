import { HOSTILE_QUERY_VALUES, LEAK_PATTERN } from '@omg/platform/testing/hostile-bodies';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUpHubUser } from '@/testing/billing-test-env';
import { GET as launch } from '../../launch/[slug]/route';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
let cookie: string;

beforeAll(async () => {
  ({ cookie } = await signUpHubUser('hostile-queries'));
});

/** The slug as a route parameter arrives decoded, as Next.js hands it over. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

describe('hostile query strings and path parameters on the Hub’s GET routes', () => {
  it.each(HOSTILE_QUERY_VALUES)(
    '%s: /launch answers below 500, without a stack trace',
    async (_label, value) => {
      for (const [url, slug] of [
        [`${HUB}/launch/securevault?returnTo=${value}&state=${value}`, 'securevault'],
        [`${HUB}/launch/securevault?returnTo=${value}&returnTo=%2Fvault`, 'securevault'],
        [`${HUB}/launch/${value}`, decoded(value)],
      ] as const) {
        for (const headers of [{ cookie }, {}] as Record<string, string>[]) {
          const response = await launch(new Request(url, { headers }), { params: Promise.resolve({ slug }) });
          const text = await response.text();
          expect(response.status, `${url} ${text.slice(0, 200)}`).toBeLessThan(500);
          expect(text).not.toMatch(LEAK_PATTERN);
        }
      }
    },
  );
});
