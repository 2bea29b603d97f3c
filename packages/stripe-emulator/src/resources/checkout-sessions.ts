import type Stripe from 'stripe';
import {
  expireCheckoutSession,
  newLineItemId,
  resolveSessionDiscounts,
  sessionLineItems,
  sessionTotals,
} from '../billing/checkout';
import { invalidParam, invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { newId } from '../ids';
import { idOf } from '../views';
import { listResponse } from './common';

const DAY = 86_400;

export function registerCheckoutSessions(router: Router): void {
  router.on('POST', '/v1/checkout/sessions', ({ emulator, params }) => {
    const mode = params.oneOf('mode', ['payment', 'setup', 'subscription'] as const);
    if (!mode) throw invalidRequest('Missing required param: mode.', 'mode');
    if (mode !== 'subscription') {
      throw invalidParam(
        'mode',
        'The Stripe emulator supports Checkout Sessions in `subscription` mode only.',
      );
    }
    const customer = params.string('customer') ?? null;
    const customerEmail = params.string('customer_email') ?? null;
    if (customer && customerEmail) {
      throw invalidRequest('You may only specify one of these parameters: customer, customer_email.');
    }
    if (customer) emulator.store.get('customers', customer, 'customer');
    const lineItemParams = params.array('line_items');
    if (lineItemParams.length === 0) {
      throw invalidRequest(
        'You must provide at least one recurring price in `subscription` mode when using prices.',
        'line_items',
      );
    }
    const lineItems = lineItemParams.map((li, i) => {
      const priceId = li.string('price');
      if (!priceId)
        throw invalidRequest(`Missing required param: line_items[${i}][price].`, `line_items[${i}][price]`);
      const price = emulator.store.get('prices', priceId, `line_items[${i}][price]`);
      if (!price.active)
        throw invalidParam(`line_items[${i}][price]`, `The price \`${price.id}\` is not active.`);
      if (!price.recurring) {
        throw invalidParam(
          `line_items[${i}][price]`,
          'You must provide at least one recurring price in `subscription` mode when using prices.',
        );
      }
      return { id: newLineItemId(), price: price.id, quantity: li.int('quantity') ?? 1 };
    });
    const allowPromotionCodes = params.bool('allow_promotion_codes') ?? null;
    const discountParams = params.array('discounts');
    if (allowPromotionCodes && discountParams.length > 0) {
      throw invalidRequest('You may only specify one of these parameters: allow_promotion_codes, discounts.');
    }
    const discounts = resolveSessionDiscounts(
      emulator,
      discountParams.map((d) => ({ coupon: d.string('coupon'), promotion_code: d.string('promotion_code') })),
    );
    const subscriptionData = params.object('subscription_data');
    const trialDays = subscriptionData?.int('trial_period_days') ?? null;
    if (trialDays !== null && trialDays < 1) {
      throw invalidParam('subscription_data[trial_period_days]', 'The trial period must be at least 1 day.');
    }
    const now = emulator.now();
    const expiresAt = params.int('expires_at') ?? now + DAY;
    if (expiresAt < now + 30 * 60 || expiresAt > now + DAY) {
      throw invalidParam(
        'expires_at',
        'The `expires_at` timestamp must be between 30 minutes and 24 hours from now.',
      );
    }
    const id = newId('cs_test', 58);
    const currency = emulator.store.get('prices', lineItems[0]?.price ?? '').currency;
    const session: Stripe.Checkout.Session = {
      id,
      object: 'checkout.session',
      adaptive_pricing: { enabled: false },
      after_expiration: null,
      allow_promotion_codes: allowPromotionCodes,
      allowed_payment_method_types: null,
      amount_subtotal: 0,
      amount_total: 0,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: null,
      cancel_url: params.string('cancel_url') ?? null,
      client_reference_id: params.string('client_reference_id') ?? null,
      client_secret: null,
      collected_information: null,
      consent: null,
      consent_collection: null,
      created: now,
      currency,
      currency_conversion: null,
      custom_fields: [],
      custom_text: {
        after_submit: null,
        shipping_address: null,
        submit: null,
        terms_of_service_acceptance: null,
      },
      customer,
      customer_account: null,
      customer_creation: null,
      customer_details: customerEmail
        ? {
            address: null,
            business_name: null,
            email: customerEmail,
            individual_name: null,
            name: null,
            phone: null,
            tax_exempt: 'none',
            tax_ids: null,
          }
        : null,
      customer_email: customerEmail,
      discounts,
      expires_at: expiresAt,
      integration_identifier: null,
      invoice: null,
      invoice_creation: null,
      livemode: false,
      locale: null,
      managed_payments: null,
      metadata: params.metadata() ?? {},
      mode,
      origin_context: null,
      payment_intent: null,
      payment_link: null,
      payment_method_collection: 'always',
      payment_method_configuration_details: null,
      payment_method_options: {},
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      permissions: null,
      presentment_details: undefined,
      recovered_from: null,
      saved_payment_method_options: null,
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: 'open',
      submit_type: null,
      subscription: null,
      success_url: params.string('success_url') ?? null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted_page',
      url: `${emulator.baseUrl}/c/pay/${id}`,
      wallet_options: null,
    };
    emulator.store.setCheckoutExtras(id, {
      lineItems,
      trialPeriodDays: trialDays,
      subscriptionMetadata: subscriptionData?.metadata() ?? {},
      subscriptionDescription: subscriptionData?.string('description') ?? null,
    });
    const withTotals = { ...session, ...sessionTotals(emulator, session) };
    emulator.store.put('checkout_sessions', withTotals);
    return withTotals;
  });

  router.on('GET', '/v1/checkout/sessions/:id', ({ emulator, params, path }) => {
    const session = emulator.store.get('checkout_sessions', path.id ?? '');
    if (!params.expand().some((p) => p === 'line_items' || p.startsWith('line_items.'))) return session;
    const data = sessionLineItems(emulator, session);
    return {
      ...session,
      line_items: {
        object: 'list',
        data,
        has_more: false,
        url: `/v1/checkout/sessions/${session.id}/line_items`,
      },
    };
  });

  router.on('GET', '/v1/checkout/sessions/:id/line_items', ({ emulator, params, path }) => {
    const session = emulator.store.get('checkout_sessions', path.id ?? '');
    const items = sessionLineItems(emulator, session).reverse();
    return listResponse(emulator, items, params, `/v1/checkout/sessions/${session.id}/line_items`);
  });

  router.on('POST', '/v1/checkout/sessions/:id/expire', ({ emulator, path }) =>
    expireCheckoutSession(emulator, emulator.store.get('checkout_sessions', path.id ?? '')),
  );

  router.on('GET', '/v1/checkout/sessions', ({ emulator, params }) => {
    const customer = params.string('customer');
    const subscription = params.string('subscription');
    const status = params.string('status');
    const items = emulator.store
      .all('checkout_sessions')
      .filter(
        (s) =>
          (customer === undefined || idOf(s.customer) === customer) &&
          (subscription === undefined || idOf(s.subscription) === subscription) &&
          (status === undefined || s.status === status),
      );
    return listResponse(emulator, items, params, '/v1/checkout/sessions');
  });
}
