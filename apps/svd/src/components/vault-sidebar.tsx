'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TVaultView } from '@/lib/documents/list-vaults';
import type { TSpaceCapabilities } from '@/lib/spaces/space-capabilities';
import { ConfirmDialog } from './confirm-dialog';

type TVaultAnswer = { vault?: { id: string } };

/** The user's vaults (folders): switch, create, rename, delete an empty one. */
export function VaultSidebar({
  vaults,
  activeId,
  may,
}: {
  vaults: TVaultView[];
  activeId: string;
  /** What this user may do (issue 15): only owners and admins of a team see the vault buttons. */
  may?: TSpaceCapabilities;
}) {
  const router = useRouter();
  const [mode, setMode] = useState<'idle' | 'create' | 'rename' | 'delete'>('idle');
  const { pending, error, run } = useAction();
  const active = vaults.find((v) => v.id === activeId);

  async function submit(action: () => Promise<TVaultAnswer | undefined>, goTo?: (id?: string) => string) {
    await run(async () => {
      const result = await action();
      setMode('idle');
      if (goTo) router.push(goTo(result?.vault?.id));
      router.refresh();
    });
  }

  return (
    <nav aria-label="Vaults" className="space-y-1">
      <h2 className="px-3 pb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Vaults</h2>
      {vaults.map((v) => (
        <Link
          key={v.id}
          href={`/vault?vault=${v.id}`}
          aria-current={v.id === activeId ? 'page' : undefined}
          className={`flex justify-between gap-2 rounded-lg px-3 py-2 text-sm ${v.id === activeId ? 'bg-vault-50 font-medium text-vault-700' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          <span className="min-w-0 truncate">{v.name}</span>
          <span className="text-slate-400">{v.documentCount}</span>
        </Link>
      ))}
      {mode === 'create' || mode === 'rename' ? (
        <form
          className="space-y-2 px-3 pt-2"
          onSubmit={(event) => {
            event.preventDefault();
            const name = String(new FormData(event.currentTarget).get('name') ?? '');
            void (mode === 'create'
              ? submit(
                  () => fetchJson<TVaultAnswer>('/api/vaults', { method: 'POST', body: { name } }),
                  (id) => `/vault?vault=${id}`,
                )
              : submit(() =>
                  fetchJson<TVaultAnswer>(`/api/vaults/${activeId}`, { method: 'PATCH', body: { name } }),
                ));
          }}
        >
          <input
            name="name"
            defaultValue={mode === 'rename' ? active?.name : ''}
            aria-label="Vault name"
            placeholder="Vault name"
            className="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
          <div className="flex gap-2">
            <button
              type="submit"
              disabled={pending}
              className="rounded-md bg-vault-600 px-3 py-1 text-sm text-white disabled:opacity-60"
            >
              {mode === 'create' ? 'Create' : 'Save'}
            </button>
            <button
              type="button"
              onClick={() => setMode('idle')}
              className="rounded-md border px-3 py-1 text-sm"
            >
              Cancel
            </button>
          </div>
        </form>
      ) : may && !may.manage ? null : (
        <div className="flex flex-wrap gap-x-3 gap-y-1 px-3 pt-2 text-sm">
          <button type="button" onClick={() => setMode('create')} className="text-vault-700 hover:underline">
            + New vault
          </button>
          <button type="button" onClick={() => setMode('rename')} className="text-slate-600 hover:underline">
            Rename
          </button>
          {vaults.length > 1 && (
            <button type="button" onClick={() => setMode('delete')} className="text-rose-700 hover:underline">
              Delete
            </button>
          )}
          {may?.team && (
            <Link href={`/vault/access?vault=${activeId}`} className="text-slate-600 hover:underline">
              Who can access
            </Link>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="px-3 pt-2 text-sm text-rose-700">
          {error}
        </p>
      )}
      {mode === 'delete' && active && (
        <ConfirmDialog
          title={`Delete the vault “${active.name}”?`}
          confirmLabel="Delete vault"
          pending={pending}
          onCancel={() => setMode('idle')}
          onConfirm={() =>
            void submit(
              () => fetchJson(`/api/vaults/${activeId}`, { method: 'DELETE' }),
              () => '/vault',
            )
          }
        >
          Only an empty vault can be deleted; documents are never deleted with it.
        </ConfirmDialog>
      )}
    </nav>
  );
}
