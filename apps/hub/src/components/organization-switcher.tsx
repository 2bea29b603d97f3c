'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';

/**
 * The header's account switcher: "Personal" or one of the user's business accounts, stored as the session's
 * active account (what the portal and launches act for). A native select: keyboard and screen readers for free,
 * and it fits a phone's menu.
 */
export function OrganizationSwitcher({
  organizations,
  activeId,
}: {
  organizations: { id: string; name: string }[];
  activeId: string | null;
}) {
  const router = useRouter();
  const change = useAction();
  const id = useId();
  // The choice shows at once; the server's answer (a refreshed page) confirms it, a refusal puts it back.
  const [selected, setSelected] = useState(activeId ?? '');
  useEffect(() => setSelected(activeId ?? ''), [activeId]);

  async function choose(organizationId: string | null) {
    setSelected(organizationId ?? '');
    const done = await change.run(() =>
      fetchJson('/api/active-organization', {
        method: 'POST',
        body: { organizationId },
        fallback: 'We could not switch accounts. Please try again.',
      }),
    );
    if (done) router.refresh();
    else setSelected(activeId ?? '');
  }

  return (
    <div className="flex min-w-0 flex-col py-2 md:py-0">
      <label htmlFor={id} className="sr-only">
        Active account
      </label>
      <select
        id={id}
        data-testid="account-switcher"
        value={selected}
        disabled={change.pending}
        onChange={(event) => choose(event.target.value || null)}
        className="w-full min-w-0 max-w-full truncate rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-700 md:max-w-32 lg:max-w-48"
      >
        <option value="">Personal</option>
        {organizations.map((organization) => (
          <option key={organization.id} value={organization.id}>
            {organization.name}
          </option>
        ))}
      </select>
      {change.error && (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {change.error}
        </p>
      )}
    </div>
  );
}
