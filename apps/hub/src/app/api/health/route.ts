import { isDatabaseReachable } from '@omg/db';
import { healthResponse } from '@omg/platform';
import { apiRoute } from '@/lib/api-route';
import { database } from '@/lib/db';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ auth: false }, () =>
  healthResponse('hub', () => isDatabaseReachable(database().pool)),
);
