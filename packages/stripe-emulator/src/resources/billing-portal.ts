import type Stripe from 'stripe';
import { portalConfiguration } from '../billing/portal-options';
import { invalidParam } from '../errors';
import type { Router } from '../http/router';
import { newId } from '../ids';

export function registerBillingPortal(router: Router): void {
  router.on('POST', '/v1/billing_portal/sessions', ({ emulator, params }) => {
    const customer = emulator.store.get('customers', params.requiredString('customer'), 'customer');
    const configuration = portalConfiguration(emulator, params.string('configuration'));
    if (!configuration.active) {
      throw invalidParam('configuration', `The configuration ${configuration.id} is not active.`);
    }
    const id = newId('bps', 24);
    const session: Stripe.BillingPortal.Session = {
      id,
      object: 'billing_portal.session',
      configuration: configuration.id,
      created: emulator.now(),
      customer: customer.id,
      customer_account: null,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: params.string('return_url') ?? configuration.default_return_url,
      url: `${emulator.baseUrl}/p/session/${id}`,
    };
    emulator.store.put('billing_portal_sessions', session);
    emulator.emit('billing_portal.session.created', session);
    return session;
  });
}
