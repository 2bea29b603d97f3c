import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { type Catalog, createCatalog, DAY, startEmulator } from './test/helpers';

let emu: StripeEmulator;
let stripe: Stripe;
let catalog: Catalog;

beforeAll(async () => {
  ({ emu, stripe } = await startEmulator());
  catalog = await createCatalog(stripe);
});
afterAll(() => emu.close());

/** The fields the SDK declares without `?`: what every Charge and PaymentIntent must carry. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** The keys listed, checked by `tsc` to name every required field of `T` (a field missing here fails the build). */
function requiredKeysOf<T>() {
  return <const A extends readonly (keyof T)[]>(
    keys: A & ([RequiredKeys<T>] extends [A[number]] ? unknown : never),
  ): readonly string[] => keys as readonly string[];
}

const CHARGE_KEYS = requiredKeysOf<Stripe.Charge>()([
  'id',
  'object',
  'amount',
  'amount_captured',
  'amount_refunded',
  'application',
  'application_fee',
  'application_fee_amount',
  'balance_transaction',
  'billing_details',
  'calculated_statement_descriptor',
  'captured',
  'created',
  'currency',
  'customer',
  'description',
  'disputed',
  'failure_balance_transaction',
  'failure_code',
  'failure_message',
  'fraud_details',
  'livemode',
  'metadata',
  'on_behalf_of',
  'outcome',
  'paid',
  'payment_intent',
  'payment_method',
  'payment_method_details',
  'receipt_email',
  'receipt_number',
  'receipt_url',
  'refunded',
  'review',
  'shipping',
  'source',
  'source_transfer',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'status',
  'transfer_data',
  'transfer_group',
]);

const PAYMENT_INTENT_KEYS = requiredKeysOf<Stripe.PaymentIntent>()([
  'id',
  'object',
  'allowed_payment_method_types',
  'amount',
  'amount_capturable',
  'amount_received',
  'application',
  'application_fee_amount',
  'automatic_payment_methods',
  'canceled_at',
  'cancellation_reason',
  'capture_method',
  'client_secret',
  'confirmation_method',
  'created',
  'currency',
  'customer',
  'customer_account',
  'description',
  'excluded_payment_method_types',
  'last_payment_error',
  'latest_charge',
  'livemode',
  'managed_payments',
  'metadata',
  'next_action',
  'on_behalf_of',
  'payment_method',
  'payment_method_configuration_details',
  'payment_method_options',
  'payment_method_types',
  'payment_record',
  'processing',
  'receipt_email',
  'review',
  'setup_future_usage',
  'shipping',
  'source',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'status',
  'transfer_group',
]);

const CARD_DETAIL_KEYS = requiredKeysOf<Stripe.Charge.PaymentMethodDetails.Card>()([
  'amount_authorized',
  'authorization_code',
  'brand',
  'checks',
  'country',
  'electronic_commerce_indicator',
  'exp_month',
  'exp_year',
  'funding',
  'installments',
  'last4',
  'mandate',
  'network',
  'network_transaction_id',
  'regulated_status',
  'three_d_secure',
  'transaction_link_id',
  'wallet',
]);

function expectKeys(obj: object, keys: readonly string[]): void {
  const missing = keys.filter((key) => !(key in obj));
  expect(missing).toEqual([]);
}

async function customerWith(card: string): Promise<Stripe.Customer> {
  const customer = await stripe.customers.create({ email: `${card}-${Math.random()}@example.com` });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  return stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
}

async function subscribe(card = 'pm_card_visa'): Promise<Stripe.Subscription> {
  const customer = await customerWith(card);
  return stripe.subscriptions.create({ customer: customer.id, items: [{ price: catalog.monthly.id }] });
}

const eventsOf = async (type: string, id: string) =>
  (await stripe.events.list({ type, limit: 100 })).data.filter(
    (e) => (e.data.object as { id: string }).id === id,
  );

describe('invoice payments', () => {
  it('are on the invoice only when expanded, and name the payment intent without a charge', async () => {
    const sub = await subscribe();
    const invoiceId = sub.latest_invoice as string;
    const plain = await stripe.invoices.retrieve(invoiceId);
    expect(plain.status).toBe('paid');
    expect('payments' in plain).toBe(false);
    const listed = await stripe.invoices.list({ subscription: sub.id });
    expect(listed.data.every((invoice) => !('payments' in invoice))).toBe(true);
    for (const type of ['invoice.paid', 'invoice.payment_succeeded']) {
      const [event] = await eventsOf(type, invoiceId);
      expect(event && 'payments' in event.data.object).toBe(false);
    }

    const expanded = await stripe.invoices.retrieve(invoiceId, { expand: ['payments'] });
    expect(expanded.payments).toMatchObject({ object: 'list', has_more: false });
    expect(expanded.payments?.data).toHaveLength(1);
    const payment = expanded.payments?.data[0] as Stripe.InvoicePayment;
    expect(payment).toMatchObject({
      object: 'invoice_payment',
      invoice: invoiceId,
      amount_paid: 1000,
      amount_requested: 1000,
      currency: 'usd',
      is_default: true,
      status: 'paid',
      payment: { type: 'payment_intent' },
    });
    expect(payment.payment.charge).toBeUndefined();
    expect(payment.payment.payment_intent).toMatch(/^pi_/);
    expect(payment.status_transitions.paid_at).toBe(expanded.status_transitions.paid_at);

    const deep = await stripe.invoices.retrieve(invoiceId, {
      expand: ['payments.data.payment.payment_intent.latest_charge'],
    });
    const intent = deep.payments?.data[0]?.payment.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount_received: 1000 });
    expect(intent.latest_charge).toMatchObject({ object: 'charge', paid: true, amount: 1000 });

    const viaSubscription = await stripe.subscriptions.retrieve(sub.id, {
      expand: ['latest_invoice.payments'],
    });
    expect((viaSubscription.latest_invoice as Stripe.Invoice).payments?.data[0]?.id).toBe(payment.id);
  });

  it('are listed by invoice with pagination, and retrieved by id', async () => {
    const sub = await subscribe();
    emu.advanceClock(32 * DAY);
    const invoices = (await stripe.invoices.list({ subscription: sub.id, status: 'paid' })).data;
    expect(invoices).toHaveLength(2);

    const first = invoices[1] as Stripe.Invoice;
    const ofFirst = await stripe.invoicePayments.list({ invoice: first.id });
    expect(ofFirst).toMatchObject({ object: 'list', has_more: false, url: '/v1/invoice_payments' });
    expect(ofFirst.data.map((p) => p.invoice)).toEqual([first.id]);

    const mine = new Set(invoices.map((invoice) => invoice.id));
    const page = await stripe.invoicePayments.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.has_more).toBe(true);
    const seen: string[] = [];
    for await (const payment of stripe.invoicePayments.list({ limit: 1, status: 'paid' })) {
      if (mine.has(payment.invoice as string)) seen.push(payment.invoice as string);
    }
    // Newest first, as every Stripe list.
    expect(seen).toEqual(invoices.map((invoice) => invoice.id));

    const byIntent = await stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: ofFirst.data[0]?.payment.payment_intent as string },
    });
    expect(byIntent.data.map((p) => p.id)).toEqual([ofFirst.data[0]?.id]);

    const one = await stripe.invoicePayments.retrieve(ofFirst.data[0]?.id ?? '', { expand: ['invoice'] });
    expect((one.invoice as Stripe.Invoice).id).toBe(first.id);
    const missing = (await stripe.invoicePayments
      .retrieve('inpay_missing')
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('stay open, on the latest attempt’s intent, while an invoice is unpaid, and are canceled with it', async () => {
    const sub = await subscribe('pm_card_chargeCustomerFail');
    expect(sub.status).toBe('incomplete');
    const invoiceId = sub.latest_invoice as string;
    const [open] = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
    expect(open).toMatchObject({
      status: 'open',
      amount_paid: null,
      amount_requested: 1000,
      is_default: true,
      status_transitions: { paid_at: null, canceled_at: null },
      payment: { type: 'payment_intent' },
    });
    const intent = await stripe.paymentIntents.retrieve(open?.payment.payment_intent as string);
    expect(intent.status).toBe('requires_payment_method');

    emu.advanceClock(DAY);
    expect((await stripe.invoices.retrieve(invoiceId)).status).toBe('void');
    const payments = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
    expect(payments.map((p) => [p.id, p.status])).toEqual([[open?.id, 'canceled']]);
    expect(payments[0]?.status_transitions.canceled_at).toBeGreaterThan(0);
  });

  it('keep one default payment per invoice across a failed attempt and a paid retry', async () => {
    const customer = await customerWith('pm_card_chargeCustomerFail');
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
    });
    const invoiceId = sub.latest_invoice as string;
    const [failed] = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    expect((await stripe.invoices.pay(invoiceId)).status).toBe('paid');

    const payments = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ id: failed?.id, status: 'paid', amount_paid: 1000 });
    expect(payments[0]?.payment.payment_intent).not.toBe(failed?.payment.payment_intent);
    const intent = await stripe.paymentIntents.retrieve(payments[0]?.payment.payment_intent as string);
    expect(intent).toMatchObject({ status: 'succeeded', payment_method: card.id });
  });
});

describe('charges and payment intents in full', () => {
  it('carry every field the SDK requires, in responses and in charge.* / payment_intent.* events', async () => {
    const sub = await subscribe();
    const [payment] = (await stripe.invoicePayments.list({ invoice: sub.latest_invoice as string })).data;
    const intent = await stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
    expectKeys(intent, PAYMENT_INTENT_KEYS);
    expect(intent).toMatchObject({
      status: 'succeeded',
      capture_method: 'automatic',
      confirmation_method: 'automatic',
      payment_method_types: ['card'],
      last_payment_error: null,
      next_action: null,
      customer: sub.customer,
      amount_capturable: 0,
    });
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_\\w+$`));

    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expectKeys(charge, CHARGE_KEYS);
    expect(charge).toMatchObject({
      status: 'succeeded',
      paid: true,
      captured: true,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      disputed: false,
      outcome: {
        type: 'authorized',
        network_status: 'approved_by_network',
        seller_message: 'Payment complete.',
      },
      payment_method_details: {
        type: 'card',
        card: { brand: 'visa', last4: '4242', amount_authorized: 1000 },
      },
      billing_details: { address: { country: null } },
    });
    expectKeys(charge.payment_method_details?.card ?? {}, CARD_DETAIL_KEYS);
    expect(charge.receipt_url).toBe(`${emu.url}/i/${sub.latest_invoice}`);
    expect(await fetch(charge.receipt_url ?? '').then((r) => r.status)).toBe(200);

    const [chargeEvent] = await eventsOf('charge.succeeded', charge.id);
    const [intentEvent] = await eventsOf('payment_intent.succeeded', intent.id);
    expectKeys(chargeEvent?.data.object ?? {}, CHARGE_KEYS);
    expectKeys(intentEvent?.data.object ?? {}, PAYMENT_INTENT_KEYS);

    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 300 });
    expect(refund).toMatchObject({ charge: charge.id, payment_intent: intent.id, customer: sub.customer });
    const [refunded] = await eventsOf('charge.refunded', charge.id);
    expectKeys(refunded?.data.object ?? {}, CHARGE_KEYS);
    expect(refunded?.data.object).toMatchObject({ amount_refunded: 300, refunded: false });
  });

  it('describe a declined payment: failed charge with its outcome, intent with last_payment_error', async () => {
    const sub = await subscribe('pm_card_chargeCustomerFail');
    const [failedCharge] = (await stripe.events.list({ type: 'charge.failed', limit: 100 })).data
      .map((e) => e.data.object as Stripe.Charge)
      .filter((c) => c.customer === sub.customer);
    if (!failedCharge) throw new Error('no charge.failed event');
    expectKeys(failedCharge, CHARGE_KEYS);
    expect(failedCharge).toMatchObject({
      status: 'failed',
      paid: false,
      captured: false,
      failure_code: 'card_declined',
      balance_transaction: null,
      receipt_url: null,
      outcome: { type: 'issuer_declined', network_status: 'declined_by_network', reason: 'generic_decline' },
      payment_method_details: { card: { last4: '0341', amount_authorized: null } },
    });

    const intent = await stripe.paymentIntents.retrieve(failedCharge.payment_intent as string);
    expectKeys(intent, PAYMENT_INTENT_KEYS);
    expect(intent).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      payment_method: null,
      latest_charge: failedCharge.id,
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        charge: failedCharge.id,
        payment_method: { id: failedCharge.payment_method, card: { last4: '0341' } },
      },
    });
    const [failedEvent] = await eventsOf('payment_intent.payment_failed', intent.id);
    expectKeys(failedEvent?.data.object ?? {}, PAYMENT_INTENT_KEYS);
  });

  it("gives checkout sessions a ui_mode the current API has ('hosted_page')", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.monthly.id, quantity: 1 }],
      success_url: 'http://localhost/ok',
    });
    expect(session.ui_mode).toBe('hosted_page');
  });
});

describe('test card tokens and test payment methods', () => {
  it('create card payment methods from tok_visa and tok_mastercard', async () => {
    const visa = await stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_visa' },
      billing_details: { name: 'Ada Lovelace', email: 'ada@example.com' },
      metadata: { source: 'test' },
    });
    expect(visa).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer: null,
      card: { brand: 'visa', last4: '4242' },
      billing_details: { name: 'Ada Lovelace', email: 'ada@example.com' },
      metadata: { source: 'test' },
    });
    expect(visa.id).toMatch(/^pm_/);
    expect((await stripe.paymentMethods.retrieve(visa.id)).id).toBe(visa.id);
    const master = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_mastercard' } });
    expect(master.card).toMatchObject({ brand: 'mastercard', last4: '4444' });

    const customer = await stripe.customers.create({ email: 'tokens@example.com' });
    const attached = await stripe.paymentMethods.attach(visa.id, { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
    });
    expect(sub.status).toBe('active');
  });

  it('refuse the declining tokens when attached, and let tok_chargeCustomerFail attach but fail to charge', async () => {
    const customer = await stripe.customers.create({ email: 'declines@example.com' });
    for (const [token, declineCode] of [
      ['tok_chargeDeclined', 'generic_decline'],
      ['tok_visa_chargeDeclined', 'generic_decline'],
      ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
      ['tok_visa_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ] as const) {
      const pm = await stripe.paymentMethods.create({ type: 'card', card: { token } });
      const err = (await stripe.paymentMethods
        .attach(pm.id, { customer: customer.id })
        .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
      expect(err, token).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(err).toMatchObject({ code: 'card_declined', decline_code: declineCode, statusCode: 402 });
      expect((await stripe.paymentMethods.retrieve(pm.id)).customer).toBeNull();
    }
    expect((await stripe.paymentMethods.list({ customer: customer.id })).data).toEqual([]);

    const failing = await stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_chargeCustomerFail' },
    });
    expect(failing.card?.last4).toBe('0341');
    await stripe.paymentMethods.attach(failing.id, { customer: customer.id });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      default_payment_method: failing.id,
    });
    expect(sub.status).toBe('incomplete');
    expect((await stripe.invoices.retrieve(sub.latest_invoice as string)).status).toBe('open');
  });

  it("answer Stripe's errors for an unknown token, a raw card number and a type other than card", async () => {
    const unknown = (await stripe.paymentMethods
      .create({ type: 'card', card: { token: 'tok_nonsense' } })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'card[token]' });
    expect(unknown.message).toBe("No such token: 'tok_nonsense'");

    const raw = (await stripe.paymentMethods
      .create({
        type: 'card',
        card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(raw).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(raw.message).toMatch(
      /^Sending credit card numbers directly to the Stripe API is generally unsafe/,
    );

    const noCard = (await stripe.paymentMethods
      .create({ type: 'card' })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(noCard).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'card' });
  });

  it('accept pm_card_* as default_payment_method of a new subscription, attached to its customer', async () => {
    const customer = await stripe.customers.create({ email: 'pm-sub@example.com' });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      default_payment_method: 'pm_card_mastercard',
    });
    expect(sub.status).toBe('active');
    const pmId = sub.default_payment_method as string;
    expect(pmId).toMatch(/^pm_/);
    expect(pmId).not.toBe('pm_card_mastercard');
    const pm = await stripe.paymentMethods.retrieve(pmId);
    expect(pm).toMatchObject({ customer: customer.id, card: { brand: 'mastercard', last4: '4444' } });
    const [payment] = (await stripe.invoicePayments.list({ invoice: sub.latest_invoice as string })).data;
    const intent = await stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
    expect(intent.payment_method).toBe(pmId);

    const failing = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      default_payment_method: 'pm_card_chargeCustomerFail',
    });
    expect(failing.status).toBe('incomplete');

    const declined = (await stripe.subscriptions
      .create({
        customer: customer.id,
        items: [{ price: catalog.monthly.id }],
        default_payment_method: 'pm_card_chargeDeclined',
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined.code).toBe('card_declined');
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(2);

    const switched = await stripe.subscriptions.update(sub.id, { default_payment_method: 'pm_card_visa' });
    const visa = await stripe.paymentMethods.retrieve(switched.default_payment_method as string);
    expect(visa).toMatchObject({ customer: customer.id, card: { brand: 'visa' } });
  });

  it('accept pm_card_* as a customer’s invoice_settings.default_payment_method, on create and update', async () => {
    const created = await stripe.customers.create({
      email: 'pm-default@example.com',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const defaultId = created.invoice_settings.default_payment_method as string;
    expect(defaultId).toMatch(/^pm_/);
    expect(defaultId).not.toBe('pm_card_visa');
    expect(await stripe.paymentMethods.retrieve(defaultId)).toMatchObject({
      customer: created.id,
      card: { last4: '4242' },
    });
    expect(
      (await stripe.subscriptions.create({ customer: created.id, items: [{ price: catalog.monthly.id }] }))
        .status,
    ).toBe('active');

    const updated = await stripe.customers
      .update(created.id, {
        invoice_settings: { default_payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds' },
      })
      .catch((e: unknown) => e);
    expect(updated).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(updated).toMatchObject({ decline_code: 'insufficient_funds' });
    expect((await stripe.customers.retrieve(created.id)) as Stripe.Customer).toMatchObject({
      invoice_settings: { default_payment_method: defaultId },
    });

    const failing = await stripe.customers.update(created.id, {
      invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
    });
    const failingPm = await stripe.paymentMethods.retrieve(
      failing.invoice_settings.default_payment_method as string,
    );
    expect(failingPm).toMatchObject({ customer: created.id, card: { last4: '0341' } });
    const sub = await stripe.subscriptions.create({
      customer: created.id,
      items: [{ price: catalog.monthly.id }],
    });
    expect(sub.status).toBe('incomplete');

    const refused = (await stripe.customers
      .create({
        email: 'declined@example.com',
        invoice_settings: { default_payment_method: 'pm_card_chargeDeclined' },
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(refused).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((await stripe.customers.list({ email: 'declined@example.com' })).data).toEqual([]);
  });
});
