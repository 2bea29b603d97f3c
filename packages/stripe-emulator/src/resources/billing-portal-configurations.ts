import type Stripe from 'stripe';
import { defaultPortalFeatures, portalConfiguration } from '../billing/portal-options';
import type { Emulator } from '../core';
import type { Router } from '../http/router';
import { newId } from '../ids';
import type { Params } from '../params';
import { listResponse } from './common';

type Features = Stripe.BillingPortal.Configuration.Features;

const PRORATIONS = ['always_invoice', 'create_prorations', 'none'] as const;

/** Merges `features[...]` parameters over the current features; only what the hosted portal acts on is read. */
function mergeFeatures(emulator: Emulator, current: Features, params: Params | undefined): Features {
  if (!params) return current;
  const next: Features = JSON.parse(JSON.stringify(current));
  const invoiceHistory = params.object('invoice_history')?.bool('enabled');
  if (invoiceHistory !== undefined) next.invoice_history.enabled = invoiceHistory;
  const pmUpdate = params.object('payment_method_update')?.bool('enabled');
  if (pmUpdate !== undefined) next.payment_method_update.enabled = pmUpdate;
  const cancel = params.object('subscription_cancel');
  if (cancel) {
    next.subscription_cancel.enabled = cancel.bool('enabled') ?? next.subscription_cancel.enabled;
    next.subscription_cancel.mode =
      cancel.oneOf('mode', ['at_period_end', 'immediately'] as const) ?? next.subscription_cancel.mode;
    next.subscription_cancel.proration_behavior =
      cancel.oneOf('proration_behavior', PRORATIONS) ?? next.subscription_cancel.proration_behavior;
  }
  const update = params.object('subscription_update');
  if (update) {
    next.subscription_update.enabled = update.bool('enabled') ?? next.subscription_update.enabled;
    next.subscription_update.proration_behavior =
      update.oneOf('proration_behavior', PRORATIONS) ?? next.subscription_update.proration_behavior;
    if (update.has('default_allowed_updates')) {
      next.subscription_update.default_allowed_updates = update.stringArray('default_allowed_updates');
    }
    if (update.has('products')) {
      next.subscription_update.products = update.array('products').map((p, i) => {
        const product = emulator.store.get(
          'products',
          p.requiredString('product'),
          `features[subscription_update][products][${i}][product]`,
        );
        const prices = p.stringArray('prices');
        for (const price of prices)
          emulator.store.get('prices', price, `features[subscription_update][products][${i}][prices]`);
        return {
          adjustable_quantity: { enabled: false, maximum: null, minimum: 1 },
          prices,
          product: product.id,
        };
      });
    }
  }
  return next;
}

export function registerBillingPortalConfigurations(router: Router): void {
  router.on('POST', '/v1/billing_portal/configurations', ({ emulator, params }) => {
    const now = emulator.now();
    const profile = params.object('business_profile');
    const config: Stripe.BillingPortal.Configuration = {
      id: newId('bpc'),
      object: 'billing_portal.configuration',
      active: true,
      application: null,
      business_profile: {
        headline: profile?.string('headline') ?? null,
        privacy_policy_url: profile?.string('privacy_policy_url') ?? null,
        terms_of_service_url: profile?.string('terms_of_service_url') ?? null,
      },
      created: now,
      default_return_url: params.string('default_return_url') || null,
      features: mergeFeatures(emulator, defaultPortalFeatures(), params.object('features')),
      is_default: false,
      livemode: false,
      login_page: { enabled: false, url: null },
      metadata: params.metadata() ?? {},
      name: params.string('name') || null,
      updated: now,
    };
    emulator.store.put('billing_portal_configurations', config);
    emulator.emit('billing_portal.configuration.created', config);
    return config;
  });

  router.on('GET', '/v1/billing_portal/configurations/:id', ({ emulator, path }) =>
    emulator.store.get('billing_portal_configurations', path.id ?? ''),
  );

  router.on('POST', '/v1/billing_portal/configurations/:id', ({ emulator, params, path }) => {
    const before = emulator.store.get('billing_portal_configurations', path.id ?? '');
    const next: Stripe.BillingPortal.Configuration = {
      ...before,
      features: mergeFeatures(emulator, before.features, params.object('features')),
      updated: emulator.now(),
    };
    const active = params.bool('active');
    if (active !== undefined) next.active = active;
    const returnUrl = params.nullableString('default_return_url');
    if (returnUrl !== undefined) next.default_return_url = returnUrl;
    const name = params.nullableString('name');
    if (name !== undefined) next.name = name;
    const metadata = params.metadata(before.metadata ?? {});
    if (metadata) next.metadata = metadata;
    emulator.store.put('billing_portal_configurations', next);
    emulator.emitUpdate('billing_portal.configuration.updated', before, next);
    return next;
  });

  router.on('GET', '/v1/billing_portal/configurations', ({ emulator, params }) => {
    portalConfiguration(emulator);
    const active = params.bool('active');
    const isDefault = params.bool('is_default');
    const items = emulator.store
      .all('billing_portal_configurations')
      .filter(
        (c) =>
          (active === undefined || c.active === active) &&
          (isDefault === undefined || c.is_default === isDefault),
      );
    return listResponse(emulator, items, params, '/v1/billing_portal/configurations');
  });
}
