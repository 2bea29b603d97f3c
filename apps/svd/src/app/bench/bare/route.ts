import { apiRoute } from '@/lib/api-route';
import { benchBareResponse } from '@/lib/bench/bench-bare-response';

/**
 * GET /bench/bare: the benchmark's baseline outside /api, so through proxy.ts like every page and HTML route; the
 * benchmark compares it with /api/bench/bare to show what the proxy costs (404 in production).
 */
export const GET = apiRoute({ auth: false }, async () => benchBareResponse());
