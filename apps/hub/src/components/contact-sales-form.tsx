'use client';

import { fetchJson, useAction } from '@omg/platform/client';
import { type FormEvent, useRef, useState } from 'react';
import { FormMessages, SubmitButton } from './form-parts';

const input =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100';

export interface TContactSalesProps {
  productId: string;
  productName: string;
  /** The signed-in customer's name and email, filled in for them (they may change them). */
  defaults: { name: string; email: string };
}

function Field(props: { label: string; name: string; children?: never } & React.ComponentProps<'input'>) {
  const { label, ...rest } = props;
  return (
    <label className="block">
      <span className="mb-1 block text-sm font-medium text-slate-700">{label}</span>
      <input {...rest} className={input} />
    </label>
  );
}

/** "Contact sales" on a plan sold by our team: a button that opens the request form in a dialog. */
export function ContactSalesForm({ productId, productName, defaults }: TContactSalesProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const send = useAction();
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '');
    await send.run(async () => {
      const answer = await fetchJson<{ message: string }>('/api/sales-inquiries', {
        method: 'POST',
        body: {
          productId,
          name: text('name'),
          email: text('email'),
          company: text('company'),
          // A number, or what was typed so the server's message says what is wrong with it.
          seats:
            Number.isFinite(Number(text('seats'))) && text('seats') !== ''
              ? Number(text('seats'))
              : text('seats'),
          message: text('message'),
        },
        fallback: 'Your request could not be sent. Please try again.',
      });
      setDone(answer.message);
    });
  }

  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="block w-full rounded-md border border-slate-300 px-4 py-2 text-center text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        Contact sales
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="contact-sales-title"
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-2xl p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="max-h-[90vh] overflow-y-auto p-6">
          <div className="flex items-start justify-between gap-4">
            <h2 id="contact-sales-title" className="text-lg font-semibold">
              Contact sales
            </h2>
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="rounded-md px-2 text-slate-500 hover:bg-slate-100"
              aria-label="Close"
            >
              ×
            </button>
          </div>
          {done ? (
            <p
              role="status"
              className="mt-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
              data-testid="contact-sales-done"
            >
              {done}
            </p>
          ) : (
            <form onSubmit={onSubmit} className="mt-4 space-y-4" aria-label="Contact sales">
              <p className="text-sm text-slate-600">
                Tell us about your team and we’ll tailor a {productName} plan for you.
              </p>
              <Field
                label="Name"
                name="name"
                required
                maxLength={120}
                defaultValue={defaults.name}
                autoComplete="name"
              />
              <Field
                label="Work email"
                name="email"
                type="email"
                required
                maxLength={254}
                defaultValue={defaults.email}
                autoComplete="email"
              />
              <Field label="Company" name="company" required maxLength={160} autoComplete="organization" />
              <Field
                label="Seats"
                name="seats"
                type="number"
                required
                min={1}
                max={100000}
                inputMode="numeric"
              />
              <label className="block">
                <span className="mb-1 block text-sm font-medium text-slate-700">Message</span>
                <textarea name="message" required maxLength={4000} rows={4} className={input} />
              </label>
              <FormMessages error={send.error} />
              <SubmitButton pending={send.pending}>Send request</SubmitButton>
            </form>
          )}
        </div>
      </dialog>
    </>
  );
}
