import { afterEach, describe, expect, it } from 'vitest';
import { GET as apiBare } from '@/app/api/bench/bare/route';
import { GET as proxiedBare } from '@/app/bench/bare/route';

const call = (route: typeof apiBare, path: string) =>
  route(new Request(`http://localhost${path}`), { params: Promise.resolve({}) });

describe('the benchmark bare routes', () => {
  const original = process.env.BENCH_ROUTES;
  afterEach(() => {
    if (original === undefined) delete process.env.BENCH_ROUTES;
    else process.env.BENCH_ROUTES = original;
  });

  it('do not exist unless the benchmark switched them on (production never sets BENCH_ROUTES)', async () => {
    delete process.env.BENCH_ROUTES;
    expect((await call(apiBare, '/api/bench/bare')).status).toBe(404);
    expect((await call(proxiedBare, '/bench/bare')).status).toBe(404);
    process.env.BENCH_ROUTES = 'true';
    expect((await call(apiBare, '/api/bench/bare')).status).toBe(404);
  });

  it('answer a tiny JSON with BENCH_ROUTES=1', async () => {
    process.env.BENCH_ROUTES = '1';
    for (const [route, path] of [
      [apiBare, '/api/bench/bare'],
      [proxiedBare, '/bench/bare'],
    ] as const) {
      const response = await call(route, path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    }
  });
});
