import type { Metadata } from 'next';
import { TrashList } from '@/components/trash-list';
import { requireSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { formatBytes } from '@/lib/format-bytes';
import { spaceMay } from '@/lib/spaces/space';
import { listTrash } from '@/lib/trash/list-trash';
import { TRASH_RETENTION_DAYS } from '@/lib/trash/live';
import { trashUsage } from '@/lib/trash/trash-usage';

export const metadata: Metadata = { title: 'Trash' };
export const dynamic = 'force-dynamic';

/**
 * The trash (issue 16 §3): every deletion once, when it goes for good, Restore and Delete for good per item and
 * Empty trash. On every plan and state — read-only mode keeps getting data out and freeing space open.
 */
export default async function TrashPage() {
  const session = await requireSession('/vault/trash');
  const { userId, team } = session;
  if (session.organizationId && !team) {
    return <p className="text-slate-600">You are no longer a member of this team.</p>;
  }
  const space = { userId, organizationId: team?.organizationId ?? null, role: team?.role ?? null };
  const [items, usage] = await Promise.all([listTrash(db(), space), trashUsage(db(), space)]);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <a href="/vault" className="text-vault-700 hover:underline">
            ← Back to the vault
          </a>
        </p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight">Trash</h1>
        <p className="mt-1 text-slate-600" data-testid="trash-summary">
          Deleted documents and folders stay here for {TRASH_RETENTION_DAYS} days, then go for good.{' '}
          {usage.bytes > 0
            ? `They take ${formatBytes(usage.bytes)} of your storage until then.`
            : 'It takes none of your storage now.'}
        </p>
      </div>
      <TrashList items={items} canEmpty={spaceMay(space, 'write')} />
    </div>
  );
}
