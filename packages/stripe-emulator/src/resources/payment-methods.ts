import {
  attachPaymentMethod,
  cardFromToken,
  createCardPaymentMethod,
  resolvePaymentMethod,
} from '../billing/cards';
import type { Emulator } from '../core';
import { invalidParam, invalidRequest, missingParam, notFound } from '../errors';
import type { Router } from '../http/router';
import { listResponse } from './common';

const RAW_CARD_MESSAGE =
  'Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing.';

export function registerPaymentMethods(router: Router): void {
  // Server-side creation takes a card token (test mode: `tok_visa` and friends), never a raw card number.
  router.on('POST', '/v1/payment_methods', ({ emulator, params }) => {
    const type = params.requiredString('type');
    if (type !== 'card') {
      throw invalidParam(
        'type',
        'The Stripe emulator creates card payment methods only.',
        'parameter_invalid',
      );
    }
    const card = params.object('card');
    if (!card) throw missingParam('card');
    if (card.has('number')) throw invalidRequest(RAW_CARD_MESSAGE, 'card[number]');
    const token = card.requiredString('token');
    const input = cardFromToken(token);
    if (!input) throw notFound('token', token, 'card[token]');
    const billing = params.object('billing_details');
    return createCardPaymentMethod(
      emulator,
      input,
      {
        email: billing?.string('email') ?? null,
        name: billing?.string('name') ?? null,
        phone: billing?.string('phone') ?? null,
      },
      params.metadata() ?? {},
    );
  });

  router.on('GET', '/v1/payment_methods/:id', ({ emulator, path }) =>
    emulator.store.get('payment_methods', path.id ?? ''),
  );

  router.on('POST', '/v1/payment_methods/:id/attach', ({ emulator, params, path }) => {
    const customer = emulator.store.get('customers', params.requiredString('customer'), 'customer');
    const pm = resolvePaymentMethod(emulator, path.id ?? '');
    if (pm.customer && pm.customer !== customer.id) {
      throw invalidRequest('The payment method you provided has already been attached to a customer.');
    }
    return attachPaymentMethod(emulator, pm, customer.id);
  });

  router.on('POST', '/v1/payment_methods/:id/detach', ({ emulator, path }) => {
    const pm = emulator.store.get('payment_methods', path.id ?? '');
    if (!pm.customer)
      throw invalidRequest(
        `The payment method you provided is not attached to a customer so detachment is impossible.`,
      );
    const detached = { ...pm, customer: null };
    emulator.store.put('payment_methods', detached);
    emulator.emit('payment_method.detached', detached, { customer: pm.customer });
    return detached;
  });

  const list = (
    emulator: Emulator,
    customer: string,
    url: string,
    params: Parameters<typeof listResponse>[2],
  ) => {
    emulator.store.get('customers', customer, 'customer');
    const items = emulator.store.all('payment_methods').filter((pm) => pm.customer === customer);
    return listResponse(emulator, items, params, url);
  };

  router.on('GET', '/v1/payment_methods', ({ emulator, params }) =>
    list(emulator, params.requiredString('customer'), '/v1/payment_methods', params),
  );

  router.on('GET', '/v1/customers/:id/payment_methods', ({ emulator, params, path }) =>
    list(emulator, path.id ?? '', `/v1/customers/${path.id}/payment_methods`, params),
  );
}
