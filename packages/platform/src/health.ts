/**
 * How long the readiness probe waits for the database before it calls it unreachable: a balancer's probe gets an
 * answer well within its own timeout even when the database host does not answer at all.
 */
export const READINESS_TIMEOUT_MS = 2_000;

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * Readiness, `GET /api/health`: 200 when the database answers, 503 when it does not (or not within
 * READINESS_TIMEOUT_MS). A balancer takes an instance out of rotation on 503 and back on 200 — with the database
 * away every instance answers 503, which is the truth: no page can be served then.
 */
export async function healthResponse(
  service: string,
  checkDatabase: () => Promise<boolean>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const database = await Promise.race([checkDatabase().catch(() => false), timedOut]);
  clearTimeout(timer);
  return Response.json(
    { service, status: database ? 'ok' : 'degraded', database: database ? 'reachable' : 'unreachable' },
    { status: database ? 200 : 503, headers: NO_STORE },
  );
}

/**
 * Liveness, `GET /api/health/live`: 200 while the process serves HTTP, whatever its dependencies do. For a
 * supervisor that restarts a hung process — never restart on the database being away: the pool recovers by itself.
 */
export function livenessResponse(service: string): Response {
  return Response.json({ service, status: 'ok' }, { status: 200, headers: NO_STORE });
}
