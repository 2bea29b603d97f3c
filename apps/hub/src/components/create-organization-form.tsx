'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { FormMessages, SubmitButton } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

/** /organizations: a new business account (name, billing email); the creator becomes its owner. */
export function CreateOrganizationForm({ email }: { email: string }) {
  const router = useRouter();
  const create = useAction({ leavesPage: true });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    let slug = '';
    const done = await create.run(async () => {
      const answer = await fetchJson<{ organization: { slug: string } }>('/api/organizations', {
        method: 'POST',
        body: { name: String(data.get('name') ?? ''), billingEmail: String(data.get('billingEmail') ?? '') },
        fallback: 'The business account could not be created.',
      });
      slug = answer.organization.slug;
    });
    if (done) router.push(`/organizations/${encodeURIComponent(slug)}`);
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" aria-label="Create a business account">
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Company name</span>
        <input name="name" required maxLength={80} autoComplete="organization" className={input} />
      </label>
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Billing email</span>
        <input
          name="billingEmail"
          type="email"
          required
          maxLength={254}
          defaultValue={email}
          autoComplete="email"
          className={input}
        />
        <span className="mt-1 block text-xs text-slate-500">Where invoices and billing notices go.</span>
      </label>
      <FormMessages error={create.error} />
      <SubmitButton pending={create.pending}>Create business account</SubmitButton>
    </form>
  );
}
