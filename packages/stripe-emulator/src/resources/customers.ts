import type Stripe from 'stripe';
import {
  assertAttachable,
  attachPaymentMethod,
  isTestPaymentMethod,
  paymentMethodForCustomer,
  resolvePaymentMethod,
} from '../billing/cards';
import { createCustomer } from '../billing/customers';
import { endSubscription } from '../billing/subscription-lifecycle';
import type { Router } from '../http/router';
import { createdFilter } from '../list';
import { deleted, listResponse } from './common';
import { registerSearch } from './search';

export function registerCustomers(router: Router): void {
  router.on('POST', '/v1/customers', ({ emulator, params }) => {
    const attachId = params.string('payment_method');
    const requestedDefault = params.object('invoice_settings')?.string('default_payment_method');
    const defaultParam = 'invoice_settings[default_payment_method]';
    // Everything is checked before the customer exists, so a bad id or a declining test card creates nothing.
    const toAttach = attachId ? resolvePaymentMethod(emulator, attachId, 'payment_method') : null;
    if (toAttach) assertAttachable(toAttach);
    // A test id (`pm_card_visa`) named only as the default becomes a new card attached to the customer.
    const defaultCard =
      requestedDefault && requestedDefault !== attachId && isTestPaymentMethod(requestedDefault)
        ? resolvePaymentMethod(emulator, requestedDefault, defaultParam)
        : null;
    if (defaultCard) assertAttachable(defaultCard);
    else if (requestedDefault && requestedDefault !== attachId) {
      emulator.store.get('payment_methods', requestedDefault, defaultParam);
    }
    const customer = createCustomer(emulator, {
      email: params.string('email') ?? null,
      name: params.string('name') ?? null,
      description: params.string('description') ?? null,
      phone: params.string('phone') ?? null,
      metadata: params.metadata() ?? {},
    });
    const attached = toAttach ? attachPaymentMethod(emulator, toAttach, customer.id) : null;
    const attachedDefault = defaultCard ? attachPaymentMethod(emulator, defaultCard, customer.id) : null;
    // Naming the just-attached test card (`pm_card_visa`) as default means the payment method it became.
    const defaultPm =
      requestedDefault && requestedDefault === attachId
        ? attached?.id
        : (attachedDefault?.id ?? requestedDefault);
    if (!defaultPm) return customer;
    const updated = {
      ...customer,
      invoice_settings: { ...customer.invoice_settings, default_payment_method: defaultPm },
    };
    emulator.store.put('customers', updated);
    return updated;
  });

  registerSearch(router, 'customers', 'customers');

  router.on('GET', '/v1/customers/:id', ({ emulator, params, path }) => {
    if (emulator.store.wasDeleted('customers', path.id ?? '')) return deleted(path.id ?? '', 'customer');
    const customer = emulator.store.get('customers', path.id ?? '');
    // `subscriptions` is an includable field: present only when asked for with expand[].
    if (!params.expand().some((p) => p === 'subscriptions' || p.startsWith('subscriptions.')))
      return customer;
    const subs = emulator.store
      .all('subscriptions')
      .filter(
        (s) => s.customer === customer.id && s.status !== 'canceled' && s.status !== 'incomplete_expired',
      )
      .reverse()
      .map((s) => emulator.view(s));
    const url = `/v1/customers/${customer.id}/subscriptions`;
    return { ...customer, subscriptions: { object: 'list', data: subs, has_more: false, url } };
  });

  router.on('POST', '/v1/customers/:id', ({ emulator, params, path }) => {
    const before = emulator.store.get('customers', path.id ?? '');
    const next: Stripe.Customer = { ...before };
    const email = params.nullableString('email');
    if (email !== undefined) next.email = email;
    const name = params.nullableString('name');
    if (name !== undefined) next.name = name;
    const description = params.nullableString('description');
    if (description !== undefined) next.description = description;
    const phone = params.nullableString('phone');
    if (phone !== undefined) next.phone = phone;
    const metadata = params.metadata(before.metadata);
    if (metadata) next.metadata = metadata;
    const defaultPm = params.object('invoice_settings')?.nullableString('default_payment_method');
    if (defaultPm !== undefined) {
      const pm = defaultPm
        ? paymentMethodForCustomer(emulator, defaultPm, before.id, 'invoice_settings[default_payment_method]')
        : null;
      next.invoice_settings = { ...before.invoice_settings, default_payment_method: pm?.id ?? null };
    }
    emulator.store.put('customers', next);
    emulator.emitUpdate('customer.updated', before, next);
    return next;
  });

  router.on('DELETE', '/v1/customers/:id', ({ emulator, path }) => {
    const customer = emulator.store.get('customers', path.id ?? '');
    for (const sub of emulator.store.all('subscriptions')) {
      if (sub.customer === customer.id && sub.status !== 'canceled' && sub.status !== 'incomplete_expired') {
        endSubscription(emulator, sub, 'cancellation_requested');
      }
    }
    emulator.store.remove('customers', customer.id);
    emulator.emit('customer.deleted', customer);
    return deleted(customer.id, 'customer');
  });

  router.on('GET', '/v1/customers', ({ emulator, params }) => {
    const email = params.string('email');
    const created = createdFilter(params);
    const items = emulator.store
      .all('customers')
      .filter((c) => (email === undefined || c.email === email) && created(c.created));
    return listResponse(emulator, items, params, '/v1/customers');
  });
}
