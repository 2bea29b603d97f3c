/** `/api/health`: 200 when the database answers, 503 when it does not. */
export async function healthResponse(
  service: string,
  checkDatabase: () => Promise<boolean>,
): Promise<Response> {
  const database = await checkDatabase();
  return Response.json(
    { service, status: database ? 'ok' : 'degraded', database: database ? 'reachable' : 'unreachable' },
    { status: database ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
