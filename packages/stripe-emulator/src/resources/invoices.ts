import { previewSubscriptionInvoice } from '../billing/preview';
import { payInvoiceNow } from '../billing/subscription-lifecycle';
import { applyItemChanges } from '../billing/update-subscription';
import { cardError, invalidParam, invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { createdFilter } from '../list';
import { idOf } from '../views';
import { listResponse } from './common';
import { registerSearch } from './search';

export function registerInvoices(router: Router): void {
  registerSearch(router, 'invoices', 'invoices');

  router.on('GET', '/v1/invoices/:id', ({ emulator, path }) => emulator.store.get('invoices', path.id ?? ''));

  router.on('GET', '/v1/invoices/:id/lines', ({ emulator, params, path }) => {
    const invoice = emulator.store.get('invoices', path.id ?? '');
    return listResponse(
      emulator,
      [...invoice.lines.data].reverse(),
      params,
      `/v1/invoices/${invoice.id}/lines`,
    );
  });

  router.on('POST', '/v1/invoices/create_preview', ({ emulator, params }) => {
    const subId = params.string('subscription');
    if (!subId) {
      throw invalidParam(
        'subscription',
        'The Stripe emulator previews invoices of existing subscriptions only.',
        'parameter_missing',
      );
    }
    const sub = emulator.store.get('subscriptions', subId, 'subscription');
    const customer = params.string('customer');
    if (customer && customer !== idOf(sub.customer)) {
      throw invalidParam('customer', 'The subscription does not belong to this customer.');
    }
    const details = params.object('subscription_details');
    const itemParams = details?.array('items') ?? [];
    const items = itemParams.length
      ? applyItemChanges(
          sub,
          itemParams.map((item, i) => {
            const price = item.string('price');
            return {
              id: item.string('id'),
              price: price
                ? emulator.store.get('prices', price, `subscription_details[items][${i}][price]`)
                : undefined,
              quantity: item.int('quantity'),
              deleted: item.bool('deleted'),
            };
          }),
          emulator.now(),
        )
      : null;
    return previewSubscriptionInvoice(emulator, sub, {
      items,
      prorationBehavior:
        details?.oneOf('proration_behavior', ['create_prorations', 'always_invoice', 'none'] as const) ??
        'create_prorations',
      prorationDate: details?.int('proration_date'),
    });
  });

  router.on('POST', '/v1/invoices/:id/pay', ({ emulator, path }) => {
    const invoice = emulator.store.get('invoices', path.id ?? '');
    if (invoice.status !== 'open') throw invalidRequest(`Invoice is already ${invoice.status}`);
    const outcome = payInvoiceNow(emulator, invoice);
    if (!outcome.ok)
      throw cardError(outcome.decline.message, outcome.decline.code, outcome.decline.declineCode);
    return outcome.invoice;
  });

  router.on('GET', '/v1/invoices', ({ emulator, params }) => {
    const customer = params.string('customer');
    const subscription = params.string('subscription');
    const status = params.string('status');
    const created = createdFilter(params);
    const items = emulator.store
      .all('invoices')
      .filter(
        (inv) =>
          (customer === undefined || idOf(inv.customer) === customer) &&
          (subscription === undefined ||
            idOf(inv.parent?.subscription_details?.subscription ?? null) === subscription) &&
          (status === undefined || inv.status === status) &&
          created(inv.created),
      );
    return listResponse(emulator, items, params, '/v1/invoices');
  });
}
