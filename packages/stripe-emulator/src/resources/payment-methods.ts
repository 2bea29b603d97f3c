import { attachPaymentMethod, resolvePaymentMethod } from '../billing/cards';
import type { Emulator } from '../core';
import { invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { listResponse } from './common';

export function registerPaymentMethods(router: Router): void {
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
