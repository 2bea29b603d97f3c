import { livenessResponse } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';

export const dynamic = 'force-dynamic';

/** Liveness for a supervisor: the process answers. Readiness (the database) is GET /api/health. */
export const GET = apiRoute({ auth: false }, async () => livenessResponse('svd'));
