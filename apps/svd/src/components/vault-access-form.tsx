'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TVaultAccess } from '@/lib/spaces/vault-access.types';

const ROLE_NAMES = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' } as const;

/** "Everyone in the team" or "only these members" for one team vault (issue 15); the server checks it all again. */
export function VaultAccessForm({ access }: { access: TVaultAccess }) {
  const router = useRouter();
  const save = useAction();
  const [restricted, setRestricted] = useState(access.restricted);
  const [chosen, setChosen] = useState(
    () => new Set(access.members.filter((m) => !m.alwaysSees && m.allowed).map((m) => m.userId)),
  );
  const [saved, setSaved] = useState(false);

  async function submit() {
    setSaved(false);
    const done = await save.run(() =>
      fetchJson(`/api/vaults/${access.vaultId}/access`, {
        method: 'PUT',
        body: restricted ? { restricted: true, userIds: [...chosen] } : { restricted: false },
        fallback: 'The vault’s access could not be saved.',
      }),
    );
    if (done) {
      setSaved(true);
      router.refresh();
    }
  }

  return (
    <form
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      aria-label="Who can access this vault"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Who can access this vault</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="who" checked={!restricted} onChange={() => setRestricted(false)} />
          Everyone in the team
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="who" checked={restricted} onChange={() => setRestricted(true)} />
          Only these members
        </label>
      </fieldset>
      <ul
        className="divide-y divide-slate-100 rounded-lg border border-slate-200"
        data-testid="vault-access-members"
      >
        {access.members.map((m) => (
          <li key={m.userId} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
            <label className="flex min-w-0 items-center gap-2">
              <input
                type="checkbox"
                aria-label={`Access for ${m.email}`}
                disabled={!restricted || m.alwaysSees}
                checked={m.alwaysSees || !restricted || chosen.has(m.userId)}
                onChange={(event) => {
                  const next = new Set(chosen);
                  if (event.target.checked) next.add(m.userId);
                  else next.delete(m.userId);
                  setChosen(next);
                }}
              />
              <span className="min-w-0 truncate">{m.name ? `${m.name} (${m.email})` : m.email}</span>
            </label>
            <span className="shrink-0 text-slate-500">
              {ROLE_NAMES[m.role]}
              {m.alwaysSees ? ' · always' : ''}
            </span>
          </li>
        ))}
      </ul>
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={save.pending}
          className="rounded-md bg-vault-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {save.pending ? 'Saving…' : 'Save'}
        </button>
        {saved && (
          <span role="status" className="text-sm text-emerald-700">
            Saved.
          </span>
        )}
      </div>
      {save.error && (
        <p role="alert" className="text-sm text-rose-700">
          {save.error}
        </p>
      )}
    </form>
  );
}
