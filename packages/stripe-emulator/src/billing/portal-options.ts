import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { idOf } from '../views';

export type PortalFeatures = Stripe.BillingPortal.Configuration.Features;

const DEFAULT_ID = 'bpc_emulator_default';

/** Stripe's dashboard defaults for a portal configuration's features. */
export function defaultPortalFeatures(): PortalFeatures {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: true },
    payment_method_update: { enabled: true, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, feedback_options: null, options: [] },
      enabled: true,
      mode: 'at_period_end',
      proration_behavior: 'none',
    },
    subscription_pause: { duration: { interval_options: [], type: 'indefinite' }, enabled: false },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: ['price'],
      enabled: true,
      products: null,
      proration_behavior: 'create_prorations',
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: 'end_trial',
    },
  };
}

/** The account's default configuration, created on first use as Stripe's dashboard defaults would have it. */
export function portalConfiguration(
  emulator: Emulator,
  id?: string | null,
): Stripe.BillingPortal.Configuration {
  if (id) return emulator.store.get('billing_portal_configurations', id, 'configuration');
  const existing = emulator.store.all('billing_portal_configurations').find((c) => c.is_default);
  if (existing) return existing;
  const now = emulator.now();
  return emulator.store.put('billing_portal_configurations', {
    id: DEFAULT_ID,
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: now,
    default_return_url: null,
    features: defaultPortalFeatures(),
    is_default: true,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: now,
  });
}

export function portalFeatures(emulator: Emulator, session: Stripe.BillingPortal.Session): PortalFeatures {
  return portalConfiguration(emulator, idOf(session.configuration)).features;
}

/**
 * Prices a subscription may switch to in the portal: those the configuration lists, or without a list every
 * other active recurring price of the same product.
 */
export function switchOptions(
  emulator: Emulator,
  features: PortalFeatures,
  current: Stripe.Price,
): Stripe.Price[] {
  const update = features.subscription_update;
  if (!update.enabled || !update.default_allowed_updates.includes('price')) return [];
  const candidates = update.products
    ? update.products.flatMap((p) => p.prices).map((id) => emulator.store.find('prices', id))
    : emulator.store.all('prices').filter((p) => idOf(p.product) === idOf(current.product));
  return candidates.filter(
    (p): p is Stripe.Price => p?.active === true && p.recurring !== null && p.id !== current.id,
  );
}
