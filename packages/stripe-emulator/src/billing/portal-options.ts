import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { portalConfiguration } from '../resources/billing-portal-configurations';
import { idOf } from '../views';

export type PortalFeatures = Stripe.BillingPortal.Configuration.Features;

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
