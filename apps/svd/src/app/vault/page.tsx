import type { Metadata } from 'next';
import { DocumentsTable } from '@/components/documents-table';
import { FolderBrowser } from '@/components/folder-browser';
import { PlanPanel } from '@/components/plan-bar';
import { SearchForm } from '@/components/search-form';
import { SharedLinksNavLink } from '@/components/share-button';
import { UploadQueue } from '@/components/upload-queue';
import { VaultSidebar } from '@/components/vault-sidebar';
import { requireSession } from '@/lib/auth/get-session';
import { db } from '@/lib/db';
import { isSearch, listDocuments, ZListDocumentsSchema } from '@/lib/documents/list-documents';
import { listVaults } from '@/lib/documents/list-vaults';
import { env } from '@/lib/env';
import { listFolder } from '@/lib/folders/list-folder';
import { listFolderPaths } from '@/lib/folders/list-folder-paths';
import { formatBytes } from '@/lib/format-bytes';
import { spaceMay } from '@/lib/spaces/space';
import { spaceCapabilities } from '@/lib/spaces/space-capabilities';
import { trashUsage } from '@/lib/trash/trash-usage';

export const metadata: Metadata = { title: 'Your vault' };
export const dynamic = 'force-dynamic';

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function VaultPage({ searchParams }: { searchParams: TSearchParams }) {
  const session = await requireSession();
  const { user, userId, team } = session;
  // A business launch opens its team's space (issue 15); the role is the one core."Membership" holds now.
  if (session.organizationId && !team) {
    return (
      <div className="space-y-3" data-testid="team-refused">
        <h1 className="text-3xl font-semibold tracking-tight">No longer a member</h1>
        <p className="text-slate-600">
          You are no longer a member of this team, so its vaults are closed to you. Open SecureVault Docs
          again from your OMG portal to use your personal vault.
        </p>
      </div>
    );
  }
  const space = { userId, organizationId: team?.organizationId ?? null, role: team?.role ?? null };
  const params = await searchParams;
  const parsed = ZListDocumentsSchema.safeParse({
    q: first(params.q) || undefined,
    sort: first(params.sort) || undefined,
    order: first(params.order) || undefined,
    type: first(params.type) || undefined,
    vaultId: first(params.vaultId) || undefined,
    from: first(params.from) || undefined,
    to: first(params.to) || undefined,
  });
  const query = parsed.success ? parsed.data : ZListDocumentsSchema.parse({});
  const asked = first(params.vault) ?? null;
  const searching = isSearch(query);
  // The reads at once: the folder listing picks the shown vault itself (the asked one if it is the user's, else
  // their first), the same choice `active` makes below from the vault list, and the folder (`?folder=`, issue 16)
  // within it. A search covers every vault and every folder, and says which folder each hit is in.
  // The plan and usage came with the session (getSession: one statement), for this same space.
  const { status } = session;
  const [vaults, found, listing, folderPaths, trash] = await Promise.all([
    listVaults(db(), space),
    searching ? listDocuments(db(), { ...query, ...space }) : null,
    searching
      ? null
      : listFolder(db(), {
          ...space,
          vaultOrFirst: asked,
          folderId: first(params.folder) ?? null,
          sort: query.sort,
          order: query.order,
        }),
    searching ? listFolderPaths(db(), space) : undefined,
    trashUsage(db(), space),
  ]);
  const documents = listing?.documents ?? found ?? [];
  const active = vaults.find((v) => v.id === asked) ?? vaults[0];

  const { HUB_URL, SVD_URL } = env();
  // Upgrade opens the Hub's plan comparison, where the Hub marks the plan it holds for this user (never a plan
  // chosen here) and checkout brings them back to the vault; no button once no plan is above theirs.
  const upgradeUrl = status.entitlement.nextPlan
    ? `${HUB_URL}/products/securevault?${new URLSearchParams({ returnUrl: `${SVD_URL}/vault` })}#plans`
    : null;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-semibold tracking-tight">
          {team ? `${team.name} — team vaults` : 'Your vault'}
        </h1>
        <p className="mt-1 text-slate-600" data-testid="vault-owner">
          Signed in as {user.name ? `${user.name} (${user.email})` : user.email}
          {team && (
            <span data-testid="team-role">
              {' '}
              · {team.role} of {team.name}
            </span>
          )}
        </p>
        {spaceMay(space, 'manage') && space.organizationId && (
          <p className="mt-1 text-sm">
            <a
              href="/vault/activity"
              className="text-vault-700 hover:underline"
              data-testid="team-activity-link"
            >
              Activity and storage per member
            </a>
          </p>
        )}
        <SharedLinksNavLink />
      </div>
      <PlanPanel status={status} upgradeUrl={upgradeUrl} billingUrl={`${HUB_URL}/billing`} />
      <p className="-mt-3 text-sm text-slate-600" data-testid="trash-usage">
        {trash.bytes > 0 ? `Storage used incl. ${formatBytes(trash.bytes)} in the trash · ` : ''}
        <a href="/vault/trash" className="text-vault-700 hover:underline">
          Trash{trash.documents > 0 ? ` (${trash.documents})` : ''}
        </a>
      </p>
      <div className="grid gap-6 md:grid-cols-[14rem_1fr]">
        <aside>
          {active && <VaultSidebar vaults={vaults} activeId={active.id} may={spaceCapabilities(space)} />}
        </aside>
        <section className="min-w-0 space-y-4">
          {active && (
            <UploadQueue
              vaultId={active.id}
              folderId={listing?.folder?.id ?? null}
              maxFileBytes={status.entitlement.limits.maxFileBytes}
              blockedReason={
                spaceMay(space, 'write')
                  ? status.uploadBlockedReason
                  : 'Viewers can read and download the team’s documents, not upload. Ask an admin for the member role.'
              }
              reasonShownAbove={spaceMay(space, 'write')}
            />
          )}
          <SearchForm query={query} vaults={vaults} activeId={active?.id ?? null} />
          {listing?.folderMissing && (
            <p className="text-sm text-amber-800" role="status">
              That folder is not here (it may be in the trash); this is the vault’s root.
            </p>
          )}
          {listing && active && (
            <FolderBrowser
              vaultId={active.id}
              vaultName={active.name}
              breadcrumbs={listing.breadcrumbs}
              folders={listing.folders}
              currentFolderId={listing.folder?.id ?? null}
              canWrite={spaceMay(space, 'write')}
              createBlockedReason={status.uploadBlockedReason}
            />
          )}
          <DocumentsTable
            documents={documents}
            vaults={vaults}
            searching={searching}
            folderPaths={folderPaths}
            emptyMessage={
              listing?.folders.length
                ? null
                : listing?.folder
                  ? 'This folder is empty. Upload a document here or create a folder.'
                  : undefined
            }
          />
        </section>
      </div>
    </div>
  );
}
