import type { Router } from '../http/router';
import { createdFilter } from '../list';
import { idOf } from '../views';
import { listResponse } from './common';

/** Invoice payments: how each invoice was paid (for a card, through a payment intent). Read-only, as on Stripe. */
export function registerInvoicePayments(router: Router): void {
  router.on('GET', '/v1/invoice_payments/:id', ({ emulator, path }) =>
    emulator.store.get('invoice_payments', path.id ?? ''),
  );

  router.on('GET', '/v1/invoice_payments', ({ emulator, params }) => {
    const invoice = params.string('invoice');
    const status = params.string('status');
    const payment = params.object('payment');
    const type = payment?.string('type');
    const paymentIntent = payment?.string('payment_intent');
    const created = createdFilter(params);
    const items = emulator.store
      .all('invoice_payments')
      .filter(
        (p) =>
          (invoice === undefined || idOf(p.invoice) === invoice) &&
          (status === undefined || p.status === status) &&
          (type === undefined || p.payment.type === type) &&
          (paymentIntent === undefined || idOf(p.payment.payment_intent ?? null) === paymentIntent) &&
          created(p.created),
      );
    return listResponse(emulator, items, params, '/v1/invoice_payments');
  });
}
