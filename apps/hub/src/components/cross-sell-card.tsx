'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import Link from 'next/link';
import { useState } from 'react';
import type { TCrossSell } from '@/lib/portal/choose-cross-sell';

/** The portal's "Also try …" suggestion; closing it is remembered for the account (the next visit, any device). */
export function CrossSellCard({ suggestion }: { suggestion: TCrossSell }) {
  const dismiss = useAction();
  const [closed, setClosed] = useState(false);
  if (closed) return null;
  return (
    <aside
      className="mb-8 flex flex-wrap items-center gap-4 rounded-2xl border border-brand-100 bg-brand-50 p-5"
      aria-label={`Also try ${suggestion.name}`}
      data-testid="cross-sell"
    >
      <div className="min-w-0 flex-1 basis-60">
        <p className="font-semibold text-slate-900">Also try {suggestion.name}</p>
        <p className="text-sm text-slate-600">
          {suggestion.tagline}
          {suggestion.launched ? '' : ' — coming soon: ask to be told when it launches.'}
        </p>
        {dismiss.error && (
          <p role="alert" className="mt-1 text-sm text-red-700">
            {dismiss.error}
          </p>
        )}
      </div>
      <div className="flex gap-2">
        <Link
          href={`/products/${suggestion.slug}`}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          {suggestion.launched ? 'See plans' : 'Learn more'}
        </Link>
        <button
          type="button"
          disabled={dismiss.pending}
          onClick={async () => {
            const done = await dismiss.run(() =>
              fetchJson('/api/portal/cross-sell/dismiss', {
                method: 'POST',
                body: { productId: suggestion.appId },
                fallback: 'This suggestion could not be closed. Please try again.',
              }),
            );
            if (done) setClosed(true);
          }}
          className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
        >
          No thanks
        </button>
      </div>
    </aside>
  );
}
