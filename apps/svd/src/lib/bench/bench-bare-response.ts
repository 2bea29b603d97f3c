import { AppError } from '@omg/platform';

/**
 * The benchmark's bare route (`npm run bench`): the least a route of this build can do, so every other path is
 * measured as a fraction of it. It exists only when the benchmark starts the app with BENCH_ROUTES=1; production
 * never sets it, and without it the route answers 404 like any unknown path.
 */
export function benchBareResponse(): Response {
  if (process.env.BENCH_ROUTES !== '1') throw new AppError('NOT_FOUND', 'Not found.');
  return Response.json({ ok: true });
}
