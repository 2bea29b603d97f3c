import type Stripe from 'stripe';
import type { Router } from '../http/router';
import { newId } from '../ids';

export function registerBillingPortal(router: Router): void {
  router.on('POST', '/v1/billing_portal/sessions', ({ emulator, params }) => {
    const customer = emulator.store.get('customers', params.requiredString('customer'), 'customer');
    const id = newId('bps', 24);
    const session: Stripe.BillingPortal.Session = {
      id,
      object: 'billing_portal.session',
      configuration: params.string('configuration') ?? 'bpc_emulator_default',
      created: emulator.now(),
      customer: customer.id,
      customer_account: null,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: params.string('return_url') ?? null,
      url: `${emulator.baseUrl}/p/session/${id}`,
    };
    emulator.store.put('billing_portal_sessions', session);
    emulator.emit('billing_portal.session.created', session);
    return session;
  });
}
