import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { describeActivityDetails } from '@/lib/activity/describe-activity-details';
import { listTeamActivity, TEAM_ACTIONS, ZTeamActivityQuerySchema } from '@/lib/activity/list-team-activity';
import { requireSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { formatBytes } from '@/lib/format-bytes';
import { listMemberUsage } from '@/lib/spaces/member-usage';
import { spaceMay } from '@/lib/spaces/space';

export const metadata: Metadata = { title: 'Team activity' };
export const dynamic = 'force-dynamic';

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const ACTION_LABELS: Record<(typeof TEAM_ACTIONS)[number], string> = {
  upload: 'Uploaded',
  download: 'Downloaded',
  rename: 'Renamed',
  move: 'Moved',
  delete: 'Deleted',
  create_vault: 'Created vault',
  rename_vault: 'Renamed vault',
  delete_vault: 'Deleted vault',
  create_folder: 'Created folder',
  rename_folder: 'Renamed folder',
  move_folder: 'Moved folder',
  restore: 'Restored from the trash',
  delete_permanently: 'Deleted for good',
  empty_trash: 'Emptied the trash',
  new_version: 'Uploaded new version',
  restore_version: 'Restored version',
  share_create: 'Created share link',
  share_revoke: 'Revoked share link',
  share_use: 'Downloaded through share link',
  limit_vault: 'Limited vault to members',
  open_vault: 'Opened vault to the team',
};

/**
 * The team's activity log and each member's share of the pooled storage (issue 15), for owners and admins; a
 * member, a viewer or a personal session gets a 404 like any unknown page. Filters are a plain GET form, so the
 * URL is the filter and the CSV link carries the same query.
 */
export default async function TeamActivityPage({ searchParams }: { searchParams: TSearchParams }) {
  const { userId, team } = await requireSession('/vault/activity');
  if (!team || !spaceMay({ userId, organizationId: team.organizationId, role: team.role }, 'manage'))
    notFound();
  const params = await searchParams;
  const raw = {
    action: first(params.action) || undefined,
    userId: first(params.userId) || undefined,
    from: first(params.from) || undefined,
    to: first(params.to) || undefined,
    q: first(params.q) || undefined,
  };
  const parsed = ZTeamActivityQuerySchema.safeParse(raw);
  const filters = parsed.success ? parsed.data : ZTeamActivityQuerySchema.parse({});
  const { format: _format, ...query } = filters;
  const [entries, members] = await Promise.all([
    listTeamActivity(db(), team.organizationId, query),
    listMemberUsage(db(), team.organizationId),
  ]);
  const csvQuery = new URLSearchParams(
    Object.entries({ ...query, format: 'csv' }).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
  const input = 'rounded-md border border-slate-300 bg-white px-2 py-2 text-sm';

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-semibold tracking-tight">{team.name} — activity</h1>
        <p className="mt-1 text-slate-600">
          <a href="/vault" className="text-vault-700 hover:underline">
            Back to the team vaults
          </a>
        </p>
      </div>

      <section aria-labelledby="usage-heading" className="space-y-3">
        <h2 id="usage-heading" className="text-xl font-semibold">
          Storage per member
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="member-usage">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">Member</th>
                <th className="py-2 pr-4 font-medium">Role</th>
                <th className="py-2 pr-4 font-medium">Documents</th>
                <th className="py-2 font-medium">Storage</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.userId} className="border-t border-slate-200">
                  <td className="py-2 pr-4 break-all">{m.email ?? m.userId}</td>
                  <td className="py-2 pr-4">{m.role ?? 'Former member'}</td>
                  <td className="py-2 pr-4">{m.documentCount}</td>
                  <td className="py-2">{formatBytes(m.storageBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="activity-heading" className="space-y-3">
        <h2 id="activity-heading" className="text-xl font-semibold">
          Activity
        </h2>
        <form
          className="flex flex-wrap items-end gap-3"
          action="/vault/activity"
          aria-label="Filter activity"
        >
          <label className="flex flex-col text-sm">
            Action
            <select name="action" defaultValue={query.action ?? ''} className={input}>
              <option value="">Any</option>
              {TEAM_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {ACTION_LABELS[action]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col text-sm">
            Member
            <select name="userId" defaultValue={query.userId ?? ''} className={input}>
              <option value="">Anyone</option>
              {members.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.email ?? m.userId}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col text-sm">
            From
            <input type="date" name="from" defaultValue={query.from ?? ''} className={input} />
          </label>
          <label className="flex flex-col text-sm">
            To
            <input type="date" name="to" defaultValue={query.to ?? ''} className={input} />
          </label>
          <label className="flex min-w-0 flex-1 flex-col text-sm">
            Document or vault
            <input type="search" name="q" defaultValue={query.q ?? ''} className={input} />
          </label>
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            Apply
          </button>
          <a
            href={`/api/team/activity?${csvQuery}`}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            data-testid="activity-csv"
          >
            Download CSV
          </a>
        </form>
        {!parsed.success && (
          <p className="text-sm text-red-700" role="alert">
            {parsed.error.issues[0]?.message ?? 'Those filters are not valid.'} Showing everything instead.
          </p>
        )}
        {entries.length === 0 ? (
          <p className="text-slate-600">No activity matches these filters.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="activity-table">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">When (UTC)</th>
                  <th className="py-2 pr-4 font-medium">Member</th>
                  <th className="py-2 pr-4 font-medium">Action</th>
                  <th className="py-2 pr-4 font-medium">Document or vault</th>
                  <th className="py-2 pr-4 font-medium">Details</th>
                  <th className="py-2 font-medium">Address</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id} className="border-t border-slate-200">
                    <td className="py-2 pr-4 whitespace-nowrap">
                      {e.createdAt.slice(0, 19).replace('T', ' ')}
                    </td>
                    <td className="py-2 pr-4 break-all">{e.email ?? e.userId}</td>
                    <td className="py-2 pr-4">{ACTION_LABELS[e.action]}</td>
                    <td className="py-2 pr-4 break-all">{e.subject}</td>
                    <td className="py-2 pr-4 break-all text-slate-600">
                      {describeActivityDetails(e.details)}
                    </td>
                    <td className="py-2">{e.ipAddress ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
