'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { FormMessages, SubmitButton } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

/** The Account page's name change. */
export function ChangeNameForm({ name }: { name: string }) {
  const router = useRouter();
  const change = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setNotice(null);
    const done = await change.run(() =>
      fetchJson('/api/account/name', {
        method: 'POST',
        body: { name: String(data.get('name') ?? '') },
        fallback: 'Your name could not be changed.',
      }),
    );
    if (done) {
      setNotice('Your name was changed.');
      router.refresh();
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" aria-label="Change name">
      <label className="block">
        <span className="mb-1 block text-sm font-medium text-slate-700">Name</span>
        <input
          name="name"
          defaultValue={name}
          autoComplete="name"
          required
          maxLength={100}
          className={input}
        />
      </label>
      <FormMessages notice={notice} error={change.error} />
      <SubmitButton pending={change.pending}>Save name</SubmitButton>
    </form>
  );
}
