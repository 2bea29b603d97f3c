import { isDatabaseReachable } from '@omg/db';
import { healthResponse } from '@omg/platform';
import { database } from '@/lib/db';
import { apiHandler } from '@/lib/logger';

export const dynamic = 'force-dynamic';

export const GET = apiHandler(() => healthResponse('hub', () => isDatabaseReachable(database().pool)));
