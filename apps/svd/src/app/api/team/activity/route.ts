import { AppError } from '@omg/platform';
import { listTeamActivity, ZTeamActivityQuerySchema } from '@/lib/activity/list-team-activity';
import { teamActivityToCsv } from '@/lib/activity/team-activity-to-csv';
import { apiRoute } from '@/lib/api-route';
import { db } from '@/lib/db';
import { isTeam, requireSpaceAction } from '@/lib/spaces/space';
import { spaceOf } from '@/lib/spaces/space-of-session';

/**
 * GET /api/team/activity?action=&userId=&from=&to=&q=&format=json|csv — the team's activity log, for its owners
 * and admins (403 for members and viewers; a personal session has no team: 404).
 */
export const GET = apiRoute({ query: ZTeamActivityQuerySchema }, async ({ session, query }) => {
  const space = spaceOf(session);
  if (!isTeam(space)) throw new AppError('NOT_FOUND', 'There is no team activity in a personal vault.');
  requireSpaceAction(space, 'manage');
  const { format, ...filters } = query;
  const entries = await listTeamActivity(db(), space.organizationId, filters);
  if (format === 'json') return Response.json({ entries });
  return new Response(teamActivityToCsv(entries), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="team-activity-${new Date().toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'private, no-store',
    },
  });
});
