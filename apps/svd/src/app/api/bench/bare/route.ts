import { apiRoute } from '@/lib/api-route';
import { benchBareResponse } from '@/lib/bench/bench-bare-response';

/** GET /api/bench/bare: the benchmark's baseline, the least an API route of this build does (404 in production). */
export const GET = apiRoute({ auth: false }, async () => benchBareResponse());
