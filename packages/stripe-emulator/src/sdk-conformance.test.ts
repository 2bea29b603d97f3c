import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { Router } from './http/router';
import { registerApi } from './resources';
import { findViolations, type Violation } from './schema/find-violations';
import type { SdkOperation } from './schema/generate-sdk-schemas';
import { loadSdkSchemas } from './schema/load-sdk-schemas';
import { API_KEY, createCatalog, DAY, startEmulator, startReceiver, submitCheckout } from './test/helpers';

const SECRET = 'whsec_conformance';

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: string;
}

function operationFor(operations: SdkOperation[], method: string, path: string): SdkOperation | undefined {
  // A literal segment wins over a parameter (`/v1/invoices/create_preview` before `/v1/invoices/{}`).
  return operations
    .filter(
      (op) => op.httpMethod === method && new RegExp(`^${op.path.replace(/\{\}/g, '[^/]+')}$`).test(path),
    )
    .sort((a, b) => a.path.split('{}').length - b.path.split('{}').length)[0];
}

function report(violations: Array<Violation & { where: string }>): string {
  return violations.map((v) => `${v.where} ${v.path} (${v.type ?? '-'}): ${v.message}`).join('\n');
}

describe('a full lifecycle through the SDK validates against the SDK types', () => {
  it('answers every request and emits every event in the shapes the SDK declares', async () => {
    const receiver = await startReceiver();
    const { emu } = await startEmulator({ webhooks: [{ url: receiver.url, secret: SECRET }] });
    const exchanges: Exchange[] = [];
    const recording = Stripe.createFetchHttpClient(async (input, init) => {
      const response = await fetch(input, init);
      const url = new URL(String(input));
      exchanges.push({
        method: init?.method ?? 'GET',
        path: url.pathname,
        status: response.status,
        body: await response.clone().text(),
      });
      return response;
    });
    const stripe = new Stripe(API_KEY, {
      ...emu.stripe(),
      httpClient: recording,
      telemetry: false,
      maxNetworkRetries: 0,
    });
    try {
      // Catalog, as the Hub's catalog sync creates it.
      const catalog = await createCatalog(stripe);
      await stripe.products.update(catalog.product.id, { description: 'The pro plan' });
      await stripe.products.retrieve(catalog.product.id);
      await stripe.products.list({ active: true, limit: 10 });
      await stripe.prices.list({ lookup_keys: ['pro_monthly', 'pro_yearly'], expand: ['data.product'] });
      await stripe.prices.retrieve(catalog.team.id, { expand: ['product'] });
      await stripe.prices.update(catalog.team.id, { metadata: { tier: 'team' } });
      await stripe.prices.search({ query: "lookup_key:'pro_monthly'" });

      // Coupons and promotion codes.
      const half = await stripe.coupons.create({ percent_off: 50, duration: 'once', name: 'Half' });
      const fiver = await stripe.coupons.create({
        amount_off: 500,
        currency: 'usd',
        duration: 'repeating',
        duration_in_months: 2,
      });
      await stripe.coupons.update(half.id, { metadata: { campaign: 'launch' } });
      await stripe.coupons.retrieve(fiver.id);
      await stripe.coupons.list({ limit: 5 });
      const promo = await stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: half.id },
        code: 'LAUNCH50',
        max_redemptions: 10,
      });
      await stripe.promotionCodes.list({ code: 'LAUNCH50', active: true });
      await stripe.promotionCodes.retrieve(promo.id);
      await stripe.promotionCodes.update(promo.id, { metadata: { channel: 'mail' } });

      // Customers.
      const alice = await stripe.customers.create({
        email: 'alice@example.com',
        name: 'Alice',
        metadata: { userId: 'u1' },
      });
      await stripe.customers.update(alice.id, { description: 'first customer' });
      await stripe.customers.retrieve(alice.id);
      await stripe.customers.list({ email: 'alice@example.com' });
      await stripe.customers.search({ query: "metadata['userId']:'u1'" });

      // Checkout with a trial and a discount, paid on the hosted page.
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        customer: alice.id,
        line_items: [{ price: catalog.monthly.id, quantity: 1 }],
        discounts: [{ promotion_code: promo.id }],
        subscription_data: { trial_period_days: 14, metadata: { userId: 'u1' } },
        client_reference_id: 'u1',
        metadata: { userId: 'u1' },
        success_url: 'http://127.0.0.1:9/ok?session={CHECKOUT_SESSION_ID}',
        cancel_url: 'http://127.0.0.1:9/cancel',
      });
      await stripe.checkout.sessions.retrieve(session.id);
      await stripe.checkout.sessions.listLineItems(session.id);
      expect((await submitCheckout(session.url ?? '', { cardNumber: '4242424242424242' })).status).toBe(303);
      const done = await stripe.checkout.sessions.retrieve(session.id, {
        expand: ['subscription', 'line_items'],
      });
      const trialing = done.subscription as Stripe.Subscription;
      expect(trialing.status).toBe('trialing');
      await stripe.checkout.sessions.list({ customer: alice.id });
      const abandoned = await stripe.checkout.sessions.create({
        mode: 'subscription',
        customer_email: 'late@example.com',
        line_items: [{ price: catalog.yearly.id, quantity: 1 }],
        allow_promotion_codes: true,
        success_url: 'http://127.0.0.1:9/ok',
      });
      await stripe.checkout.sessions.expire(abandoned.id);

      // Renewal at trial end, then plan changes with each proration behaviour.
      emu.advanceClock((trialing.trial_end ?? 0) - emu.now() + 60);
      const active = await stripe.subscriptions.retrieve(trialing.id, {
        expand: ['latest_invoice', 'items.data.price.product'],
      });
      expect(active.status).toBe('active');
      const itemId = active.items.data[0]?.id ?? '';
      await stripe.invoices.createPreview({
        subscription: active.id,
        subscription_details: {
          items: [{ id: itemId, price: catalog.team.id }],
          proration_behavior: 'create_prorations',
        },
      });
      await stripe.subscriptions.update(active.id, {
        items: [{ id: itemId, price: catalog.team.id }],
        proration_behavior: 'create_prorations',
      });
      await stripe.subscriptions.update(active.id, {
        items: [{ id: itemId, price: catalog.monthly.id }],
        proration_behavior: 'always_invoice',
      });
      await stripe.subscriptions.update(active.id, {
        items: [{ id: itemId, quantity: 2 }],
        proration_behavior: 'none',
      });
      await stripe.subscriptions.update(active.id, {
        items: [{ id: itemId, price: catalog.yearly.id, quantity: 1 }],
        proration_behavior: 'always_invoice',
        metadata: { plan: 'yearly' },
      });
      await stripe.subscriptions.update(active.id, { cancel_at_period_end: true });
      await stripe.subscriptions.update(active.id, { cancel_at_period_end: false });
      emu.advanceClock(40 * DAY);
      await stripe.subscriptions.list({
        customer: alice.id,
        status: 'all',
        expand: ['data.items.data.price'],
      });
      await stripe.subscriptions.search({ query: "status:'active'" });
      const invoices = await stripe.invoices.list({ subscription: active.id, expand: ['data.payments'] });
      expect(invoices.data.length).toBeGreaterThanOrEqual(3);
      for (const invoice of invoices.data) {
        await stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
        await stripe.invoices.listLineItems(invoice.id);
      }
      await stripe.invoices.search({ query: `customer:'${alice.id}'` });

      // A subscription created directly with a saved card, and its own changes.
      const bob = await stripe.customers.create({ email: 'bob@example.com' });
      const bobCard = await stripe.paymentMethods.attach('pm_card_visa', { customer: bob.id });
      await stripe.customers.update(bob.id, { invoice_settings: { default_payment_method: bobCard.id } });
      const bobSub = await stripe.subscriptions.create({
        customer: bob.id,
        items: [{ price: catalog.monthly.id, quantity: 1 }],
        default_payment_method: bobCard.id,
        discounts: [{ coupon: fiver.id }],
        payment_behavior: 'error_if_incomplete',
        expand: ['latest_invoice'],
      });
      const trialNow = await stripe.subscriptions.create({
        customer: bob.id,
        items: [{ price: catalog.team.id }],
        trial_period_days: 7,
      });
      await stripe.subscriptions.update(trialNow.id, { trial_end: 'now', proration_behavior: 'none' });
      await stripe.subscriptions.update(bobSub.id, { cancel_at: emu.now() + 10 * DAY });
      const tokenCard = await stripe.paymentMethods.create({
        type: 'card',
        card: { token: 'tok_mastercard' },
      });
      await stripe.paymentMethods.attach(tokenCard.id, { customer: bob.id });
      await stripe.paymentMethods.list({ customer: bob.id, type: 'card' });
      await stripe.customers.listPaymentMethods(bob.id);
      await stripe.paymentMethods.retrieve(bobCard.id);

      // Refunds: partly, then the rest, by payment intent and by charge.
      const paid = await stripe.invoices.retrieve(
        bobSub.latest_invoice ? String((bobSub.latest_invoice as Stripe.Invoice).id) : '',
        {
          expand: ['payments'],
        },
      );
      const intentId = paid.payments?.data[0]?.payment.payment_intent as string;
      const invoicePayments = await stripe.invoicePayments.list({
        invoice: paid.id,
        expand: ['data.payment.payment_intent'],
      });
      await stripe.invoicePayments.retrieve(invoicePayments.data[0]?.id ?? '');
      const intent = await stripe.paymentIntents.retrieve(intentId);
      const chargeId =
        typeof intent.latest_charge === 'string' ? intent.latest_charge : (intent.latest_charge?.id ?? '');
      await stripe.charges.retrieve(chargeId);
      await stripe.charges.list({ customer: bob.id });
      const partial = await stripe.refunds.create({
        payment_intent: intentId,
        amount: 100,
        reason: 'requested_by_customer',
      });
      await stripe.refunds.create({ charge: chargeId, metadata: { why: 'rest' } });
      await stripe.refunds.retrieve(partial.id);
      await stripe.refunds.list({ payment_intent: intentId });
      await stripe.subscriptions.cancel(bobSub.id, { invoice_now: true, prorate: true });

      // Failed payments and dunning: card 0341 passes the trial, then every charge fails.
      const carol = await stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: catalog.monthly.id, quantity: 1 }],
        subscription_data: { trial_period_days: 7 },
        success_url: 'http://127.0.0.1:9/ok',
      });
      await submitCheckout(carol.url ?? '', { email: 'carol@example.com', cardNumber: '4000000000000341' });
      const carolSub = (await stripe.checkout.sessions.retrieve(carol.id, { expand: ['subscription'] }))
        .subscription as Stripe.Subscription;
      emu.advanceClock(7 * DAY + 60);
      const pastDue = await stripe.subscriptions.retrieve(carolSub.id);
      expect(pastDue.status).toBe('past_due');
      const declined = await stripe.invoices.pay(pastDue.latest_invoice as string).catch((e: unknown) => e);
      expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
      emu.advanceClock(20 * DAY);
      expect((await stripe.subscriptions.retrieve(carolSub.id)).status).toBe('canceled');

      // An upgrade refused under error_if_incomplete: a card error naming the failed charge, nothing else saved.
      const erin = await stripe.customers.create({
        email: 'erin@example.com',
        payment_method: 'pm_card_visa',
        invoice_settings: { default_payment_method: 'pm_card_visa' },
      });
      const erinSub = await stripe.subscriptions.create({
        customer: erin.id,
        items: [{ price: catalog.monthly.id }],
      });
      await stripe.customers.update(erin.id, {
        invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
      });
      const refused = await stripe.subscriptions
        .update(erinSub.id, {
          items: [{ id: erinSub.items.data[0]?.id ?? '', price: catalog.team.id }],
          proration_behavior: 'always_invoice',
          payment_behavior: 'error_if_incomplete',
        })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(Stripe.errors.StripeCardError);
      const refusedCharge = await stripe.charges.retrieve(
        (refused as Stripe.errors.StripeCardError).charge ?? '',
      );
      expect(refusedCharge.status).toBe('failed');
      await stripe.paymentIntents.retrieve(String(refusedCharge.payment_intent));

      // A first payment that never comes: incomplete, then expired after 23 hours with its invoice voided.
      const dave = await stripe.customers.create({ email: 'dave@example.com' });
      const incomplete = await stripe.subscriptions.create({
        customer: dave.id,
        items: [{ price: catalog.monthly.id }],
        payment_behavior: 'default_incomplete',
      });
      expect(incomplete.status).toBe('incomplete');
      emu.advanceClock(DAY);
      expect((await stripe.subscriptions.retrieve(incomplete.id)).status).toBe('incomplete_expired');

      // The billing portal.
      const configuration = await stripe.billingPortal.configurations.create({
        features: {
          subscription_cancel: { enabled: true, mode: 'at_period_end' },
          subscription_update: {
            enabled: true,
            default_allowed_updates: ['price'],
            proration_behavior: 'create_prorations',
            products: [{ product: catalog.product.id, prices: [catalog.monthly.id, catalog.team.id] }],
          },
          payment_method_update: { enabled: true },
          invoice_history: { enabled: true },
        },
      });
      await stripe.billingPortal.configurations.update(configuration.id, {
        default_return_url: 'http://127.0.0.1:9/account',
      });
      await stripe.billingPortal.configurations.retrieve(configuration.id);
      await stripe.billingPortal.configurations.list();
      const portal = await stripe.billingPortal.sessions.create({
        customer: alice.id,
        return_url: 'http://127.0.0.1:9/account',
        configuration: configuration.id,
      });
      expect((await fetch(portal.url)).status).toBe(200);

      // Webhook endpoints.
      const endpoint = await stripe.webhookEndpoints.create({
        url: 'http://127.0.0.1:9/hook',
        enabled_events: ['customer.subscription.updated'],
      });
      await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
      await stripe.webhookEndpoints.retrieve(endpoint.id);
      await stripe.webhookEndpoints.list();
      await stripe.webhookEndpoints.del(endpoint.id);

      // Deletions.
      const spare = await stripe.products.create({ name: 'Spare' });
      await stripe.products.del(spare.id);
      await stripe.paymentMethods.detach(bobCard.id);
      await stripe.coupons.del(fiver.id);
      await stripe.customers.del(bob.id);
      await stripe.customers.retrieve(bob.id);

      // Events, read back through the API as well.
      const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
      for (const event of events.slice(0, 40)) await stripe.events.retrieve(event.id);
      await stripe.events.list({ type: 'invoice.*' });

      await emu.flushWebhooks();
      const delivered = receiver.received.map((r) =>
        stripe.webhooks.constructEvent(r.body, String(r.headers['stripe-signature']), SECRET),
      );
      const eventTypes = [...new Set(delivered.map((e) => e.type))].sort();

      const schemas = loadSdkSchemas({
        operations: registerApi(new Router()).operations(),
        responses: true,
        eventTypes,
      });
      const violations: Array<Violation & { where: string }> = [];
      for (const exchange of exchanges) {
        const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
        const body = JSON.parse(exchange.body) as unknown;
        if (exchange.status !== 200) {
          const error = (body as { error?: { type?: unknown; message?: unknown } }).error;
          if (typeof error?.type !== 'string' || typeof error.message !== 'string') {
            violations.push({ where, path: '$.error', type: null, message: 'not a Stripe error body' });
          }
          continue;
        }
        const operation = operationFor(schemas.operations, exchange.method, exchange.path);
        if (!operation) {
          violations.push({ where, path: '$', type: null, message: 'no SDK operation' });
          continue;
        }
        for (const v of findViolations(schemas, operation.response, body)) violations.push({ ...v, where });
      }
      for (const event of delivered) {
        const schema = schemas.events[event.type];
        const where = `event ${event.type} ${event.id}`;
        if (!schema)
          violations.push({ where, path: '$.type', type: null, message: 'event type not in the SDK' });
        else for (const v of findViolations(schemas, schema, event)) violations.push({ ...v, where });
      }

      console.info(
        `[sdk-conformance] ${exchanges.length} responses and ${delivered.length} events (${eventTypes.length} types) checked against stripe@${schemas.sdkVersion}`,
      );
      expect(exchanges.filter((e) => e.status === 200).length).toBeGreaterThan(100);
      expect(eventTypes).toEqual(
        expect.arrayContaining([
          'billing_portal.configuration.created',
          'billing_portal.configuration.updated',
          'billing_portal.session.created',
          'charge.failed',
          'charge.refunded',
          'charge.succeeded',
          'checkout.session.completed',
          'checkout.session.expired',
          'coupon.created',
          'coupon.deleted',
          'coupon.updated',
          'customer.created',
          'customer.deleted',
          'customer.subscription.created',
          'customer.subscription.deleted',
          'customer.subscription.trial_will_end',
          'customer.subscription.updated',
          'customer.updated',
          'invoice.created',
          'invoice.finalized',
          'invoice.paid',
          'invoice.payment_failed',
          'invoice.payment_succeeded',
          'invoice.voided',
          'payment_intent.payment_failed',
          'payment_intent.succeeded',
          'payment_method.attached',
          'payment_method.detached',
          'price.created',
          'price.updated',
          'product.created',
          'product.deleted',
          'product.updated',
          'promotion_code.created',
          'promotion_code.updated',
          'refund.created',
        ]),
      );
      expect(violations, `SDK type violations:\n${report(violations)}`).toEqual([]);
    } finally {
      await emu.close();
      await receiver.close();
    }
  }, 120_000);
});
