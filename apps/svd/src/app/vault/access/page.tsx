import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { VaultAccessForm } from '@/components/vault-access-form';
import { requireSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { getVaultAccess } from '@/lib/spaces/get-vault-access';
import { spaceMay } from '@/lib/spaces/space';

export const metadata: Metadata = { title: 'Who can access this vault' };
export const dynamic = 'force-dynamic';

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * /vault/access?vault=… — who can open a team vault (issue 15), for the team's owners and admins: everyone in the
 * team, or only the members chosen here. Anyone else, a personal session or a vault not the team's: 404.
 */
export default async function VaultAccessPage({ searchParams }: { searchParams: TSearchParams }) {
  const { userId, team } = await requireSession('/vault');
  const space = team ? { userId, organizationId: team.organizationId, role: team.role } : null;
  if (!space || !spaceMay(space, 'manage')) notFound();
  const raw = (await searchParams).vault;
  const vaultId = Array.isArray(raw) ? raw[0] : raw;
  if (!vaultId || !/^[0-9a-f-]{36}$/i.test(vaultId)) notFound();
  const access = await getVaultAccess(db(), { ...space, vaultId }).catch(() => null);
  if (!access) notFound();
  return (
    <div className="max-w-2xl space-y-6">
      <div>
        <p className="text-sm">
          <a href={`/vault?vault=${access.vaultId}`} className="text-vault-700 hover:underline">
            ← Back to the vault
          </a>
        </p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight">Who can access “{access.vaultName}”</h1>
        <p className="mt-1 text-slate-600">
          The owner and admins of {team?.name} always see every vault. A change holds on each member’s next
          request.
        </p>
      </div>
      <VaultAccessForm access={access} />
    </div>
  );
}
