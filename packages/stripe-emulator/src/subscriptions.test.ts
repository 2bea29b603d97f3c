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

async function customerWithCard(card = 'pm_card_visa'): Promise<Stripe.Customer> {
  const customer = await stripe.customers.create({ email: `${card}-${Math.random()}@example.com` });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  return stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
}

async function subscribe(price = catalog.monthly.id, card = 'pm_card_visa'): Promise<Stripe.Subscription> {
  const customer = await customerWithCard(card);
  return stripe.subscriptions.create({ customer: customer.id, items: [{ price }] });
}

function invoiceSubscription(invoice: Stripe.Invoice): string | undefined {
  const sub = invoice.parent?.subscription_details?.subscription;
  return typeof sub === 'string' ? sub : sub?.id;
}

describe('subscriptions through the API', () => {
  it('creates an active subscription with a paid subscription_create invoice and periods on the items', async () => {
    const sub = await subscribe();
    expect(sub.status).toBe('active');
    const item = sub.items.data[0];
    expect(item?.price.id).toBe(catalog.monthly.id);
    expect(item?.current_period_start).toBe(sub.start_date);
    expect((item?.current_period_end ?? 0) - (item?.current_period_start ?? 0)).toBeGreaterThanOrEqual(
      28 * DAY,
    );

    const owner = await stripe.customers.retrieve(sub.customer as string, { expand: ['subscriptions'] });
    expect((owner as Stripe.Customer).subscriptions?.data.map((s) => s.id)).toEqual([sub.id]);

    const full = await stripe.subscriptions.retrieve(sub.id, {
      expand: ['latest_invoice', 'items.data.price.product', 'customer'],
    });
    expect((full.items.data[0]?.price.product as Stripe.Product | undefined)?.name).toBe('Pro plan');
    expect((full.customer as Stripe.Customer).object).toBe('customer');
    const invoice = full.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      amount_paid: 1000,
      attempt_count: 1,
    });
    expect(invoiceSubscription(invoice)).toBe(sub.id);
    expect(invoice.lines.data[0]?.parent?.subscription_item_details).toMatchObject({
      subscription: sub.id,
      proration: false,
    });
  });

  it('leaves a subscription incomplete without a card, raises StripeCardError on error_if_incomplete, and expires', async () => {
    const bare = await stripe.customers.create({ email: 'nocard@example.com' });
    const incomplete = await stripe.subscriptions.create({
      customer: bare.id,
      items: [{ price: catalog.monthly.id }],
    });
    expect(incomplete.status).toBe('incomplete');
    const invoice = await stripe.invoices.retrieve(incomplete.latest_invoice as string);
    expect(invoice.status).toBe('open');

    const poor = await customerWithCard('pm_card_visa_chargeDeclinedInsufficientFunds').catch(
      (e: unknown) => e,
    );
    expect(poor).toBeInstanceOf(Stripe.errors.StripeCardError);

    const failing = await customerWithCard('pm_card_chargeCustomerFail');
    const err = (await stripe.subscriptions
      .create({
        customer: failing.id,
        items: [{ price: catalog.monthly.id }],
        payment_behavior: 'error_if_incomplete',
      })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.code).toBe('card_declined');
    expect(err.statusCode).toBe(402);
    expect((await stripe.subscriptions.list({ customer: failing.id, status: 'all' })).data).toHaveLength(0);

    emu.advanceClock(DAY);
    const expired = await stripe.subscriptions.retrieve(incomplete.id);
    expect(expired.status).toBe('incomplete_expired');
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('void');
  });

  it('leaves the first invoice unpaid with payment_behavior=default_incomplete until it is paid', async () => {
    const customer = await customerWithCard();
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      payment_behavior: 'default_incomplete',
    });
    expect(sub.status).toBe('incomplete');
    const paid = await stripe.invoices.pay(sub.latest_invoice as string);
    expect(paid.status).toBe('paid');
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
    await expect(stripe.invoices.pay(paid.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it('creates a trialing subscription with trial_period_days and a zero invoice', async () => {
    const customer = await customerWithCard();
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      trial_period_days: 7,
      metadata: { userId: 'u9' },
    });
    expect(sub.status).toBe('trialing');
    expect((sub.trial_end ?? 0) - (sub.trial_start ?? 0)).toBe(7 * DAY);
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(invoice).toMatchObject({ amount_due: 0, status: 'paid', billing_reason: 'subscription_create' });
    expect(invoice.parent?.subscription_details?.metadata).toEqual({ userId: 'u9' });
  });

  it('prorates an upgrade onto the next invoice with create_prorations', async () => {
    const sub = await subscribe();
    emu.advanceClock(10 * DAY);
    const itemId = sub.items.data[0]?.id ?? '';
    const upgraded = await stripe.subscriptions.update(sub.id, {
      items: [{ id: itemId, price: catalog.team.id }],
      proration_behavior: 'create_prorations',
    });
    expect(upgraded.items.data[0]?.price.id).toBe(catalog.team.id);
    expect(upgraded.latest_invoice).toBe(sub.latest_invoice);

    const events = await stripe.events.list({ type: 'customer.subscription.updated', limit: 5 });
    const update = events.data.find((e) => (e.data.object as Stripe.Subscription).id === sub.id);
    const previous = update?.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0]?.price.id).toBe(catalog.monthly.id);

    emu.advanceClock(25 * DAY);
    const renewed = await stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    const invoice = renewed.latest_invoice as Stripe.Invoice;
    expect(invoice.billing_reason).toBe('subscription_cycle');
    const prorations = invoice.lines.data.filter((l) => l.parent?.subscription_item_details?.proration);
    expect(prorations).toHaveLength(2);
    expect(prorations.some((l) => l.amount < 0)).toBe(true);
    const full = invoice.lines.data.find((l) => !l.parent?.subscription_item_details?.proration);
    expect(full?.amount).toBe(3000);
    expect(invoice.total).toBe(invoice.lines.data.reduce((sum, l) => sum + l.amount, 0));
    expect(invoice.total).toBeGreaterThan(3000);
    expect(invoice.status).toBe('paid');
  });

  it('invoices an upgrade at once with always_invoice, and not at all with none', async () => {
    const sub = await subscribe();
    emu.advanceClock(5 * DAY);
    const itemId = sub.items.data[0]?.id ?? '';
    const upgraded = await stripe.subscriptions.update(sub.id, {
      items: [{ id: itemId, price: catalog.team.id }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    const invoice = upgraded.latest_invoice as Stripe.Invoice;
    expect(invoice.billing_reason).toBe('subscription_update');
    expect(invoice.status).toBe('paid');
    expect(invoice.lines.data.every((l) => l.parent?.subscription_item_details?.proration)).toBe(true);
    expect(invoice.amount_paid).toBeGreaterThan(0);
    expect(invoice.amount_paid).toBeLessThan(2000);

    const back = await stripe.subscriptions.update(sub.id, {
      items: [{ id: itemId, price: catalog.monthly.id }],
      proration_behavior: 'none',
    });
    expect(back.latest_invoice).toBe(invoice.id);
    expect(back.items.data[0]?.price.id).toBe(catalog.monthly.id);
  });

  it('resets the cycle and charges in full when the interval changes', async () => {
    const sub = await subscribe();
    emu.advanceClock(3 * DAY);
    const yearly = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id ?? '', price: catalog.yearly.id }],
      expand: ['latest_invoice'],
    });
    const item = yearly.items.data[0];
    expect((item?.current_period_end ?? 0) - (item?.current_period_start ?? 0)).toBeGreaterThanOrEqual(
      365 * DAY,
    );
    const invoice = yearly.latest_invoice as Stripe.Invoice;
    expect(invoice.billing_reason).toBe('subscription_update');
    expect(invoice.lines.data.some((l) => l.amount === 10000)).toBe(true);
    expect(invoice.lines.data.some((l) => l.amount < 0)).toBe(true);
  });

  it('cancels at period end, can undo it, and ends the subscription when the period ends', async () => {
    const sub = await subscribe();
    const periodEnd = sub.items.data[0]?.current_period_end ?? 0;
    const scheduled = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(scheduled).toMatchObject({ cancel_at_period_end: true, cancel_at: periodEnd, status: 'active' });
    expect(scheduled.cancellation_details?.reason).toBe('cancellation_requested');
    const undone = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    expect(undone).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });

    emu.advanceClock(periodEnd - emu.now() + 1);
    const ended = await stripe.subscriptions.retrieve(sub.id);
    expect(ended.status).toBe('canceled');
    expect(ended.ended_at).toBe(periodEnd);
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data).toHaveLength(1);
    const deletedEvents = await stripe.events.list({ type: 'customer.subscription.deleted', limit: 100 });
    expect(deletedEvents.data.some((e) => (e.data.object as Stripe.Subscription).id === sub.id)).toBe(true);
  });

  it('cancels now with invoice_now and prorate, crediting the unused time', async () => {
    const sub = await subscribe();
    emu.advanceClock(10 * DAY);
    const canceled = await stripe.subscriptions.cancel(sub.id, { invoice_now: true, prorate: true });
    expect(canceled.status).toBe('canceled');
    expect(canceled.canceled_at).toBe(canceled.ended_at);
    const final = await stripe.invoices.retrieve(canceled.latest_invoice as string);
    expect(final.total).toBeLessThan(0);
    expect(final.amount_due).toBe(0);
    const customer = (await stripe.customers.retrieve(canceled.customer as string)) as Stripe.Customer;
    expect(customer.balance).toBe(final.total);
    await expect(stripe.subscriptions.cancel(sub.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    await expect(stripe.subscriptions.retrieve('sub_nope')).rejects.toMatchObject({
      code: 'resource_missing',
      statusCode: 404,
    });
  });

  it('applies a coupon only to the products in applies_to', async () => {
    const other = await stripe.products.create({ name: 'Elsewhere' });
    const narrow = await stripe.coupons.create({
      percent_off: 50,
      duration: 'forever',
      applies_to: { products: [other.id] },
    });
    const wide = await stripe.coupons.create({
      percent_off: 10,
      duration: 'forever',
      applies_to: { products: [catalog.product.id] },
    });
    const customer = await customerWithCard();
    const skipped = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      discounts: [{ coupon: narrow.id }],
      expand: ['latest_invoice'],
    });
    expect((skipped.latest_invoice as Stripe.Invoice).amount_paid).toBe(1000);
    const applied = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      discounts: [{ coupon: wide.id }],
      expand: ['latest_invoice'],
    });
    expect((applied.latest_invoice as Stripe.Invoice).amount_paid).toBe(900);
  });

  it('lists by customer, status and price', async () => {
    const customer = await customerWithCard();
    const a = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
    });
    const b = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.team.id }],
    });
    await stripe.subscriptions.cancel(a.id);
    const current = await stripe.subscriptions.list({ customer: customer.id });
    expect(current.data.map((s) => s.id)).toEqual([b.id]);
    const all = await stripe.subscriptions.list({
      customer: customer.id,
      status: 'all',
      expand: ['data.items.data.price'],
    });
    expect(all.data.map((s) => s.id)).toEqual([b.id, a.id]);
    const canceled = await stripe.subscriptions.list({ customer: customer.id, status: 'canceled' });
    expect(canceled.data.map((s) => s.id)).toEqual([a.id]);
    const byPrice = await stripe.subscriptions.list({ price: catalog.team.id, customer: customer.id });
    expect(byPrice.data.map((s) => s.id)).toEqual([b.id]);
  });
});

describe('more subscription changes', () => {
  it('ends a trial now with trial_end=now and charges the first period', async () => {
    const customer = await stripe.customers.create({
      email: 'trialnow@example.com',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    expect(customer.invoice_settings.default_payment_method).toMatch(/^pm_/);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.monthly.id }],
      trial_period_days: 30,
    });
    const ended = await stripe.subscriptions.update(sub.id, { trial_end: 'now', expand: ['latest_invoice'] });
    expect(ended.status).toBe('active');
    expect(ended.latest_invoice as Stripe.Invoice).toMatchObject({
      billing_reason: 'subscription_cycle',
      amount_paid: 1000,
    });
  });

  it('schedules cancel_at, changes quantity with prorations, and refuses a charge that would fail under error_if_incomplete', async () => {
    const sub = await subscribe(catalog.monthly.id, 'pm_card_visa');
    const at = emu.now() + 5 * DAY;
    const scheduled = await stripe.subscriptions.update(sub.id, { cancel_at: at });
    expect(scheduled).toMatchObject({ cancel_at: at, cancel_at_period_end: false });
    const more = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id ?? '', quantity: 3 }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    expect(more.items.data[0]?.quantity).toBe(3);
    expect((more.latest_invoice as Stripe.Invoice).amount_paid).toBeGreaterThan(1000);
    emu.advanceClock(5 * DAY + 1);
    const canceled = await stripe.subscriptions.retrieve(sub.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.ended_at).toBe(at);

    const failing = await subscribe(catalog.monthly.id, 'pm_card_visa');
    const bad = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: failing.customer as string,
    });
    const err = await stripe.subscriptions
      .update(failing.id, {
        items: [{ id: failing.items.data[0]?.id ?? '', price: catalog.team.id }],
        proration_behavior: 'always_invoice',
        payment_behavior: 'error_if_incomplete',
        default_payment_method: bad.id,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    const unchanged = await stripe.subscriptions.retrieve(failing.id);
    expect(unchanged.items.data[0]?.price.id).toBe(catalog.monthly.id);
    expect(unchanged.default_payment_method).toBeNull();
  });

  it('under error_if_incomplete, an upgrade whose prorated charge declines changes nothing: 402 naming the failed charge, no invoice, no subscription event; a credit needs no charge', async () => {
    const sub = await subscribe(catalog.monthly.id, 'pm_card_visa');
    const customer = sub.customer as string;
    const itemId = sub.items.data[0]?.id ?? '';
    // The card starts failing after it was saved (Stripe's 0341), as the customer's default.
    await stripe.customers.update(customer, {
      invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
    });
    const invoicesBefore = (await stripe.invoices.list({ customer })).data.map((i) => i.id);
    const since = (await stripe.events.list({ limit: 1 })).data[0]?.id ?? '';
    const err = await stripe.subscriptions
      .update(sub.id, {
        items: [{ id: itemId, price: catalog.team.id }],
        proration_behavior: 'always_invoice',
        payment_behavior: 'error_if_incomplete',
        metadata: { plan: 'team' },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    const declined = err as Stripe.errors.StripeCardError;
    expect(declined).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
    });
    // The failed charge is real, for the amount the update would have billed, on the failing card.
    const failed = await stripe.charges.retrieve(declined.charge ?? '');
    expect(failed).toMatchObject({ status: 'failed', customer, failure_code: 'card_declined' });
    expect(failed.amount).toBeGreaterThan(0);
    expect(failed.amount).toBeLessThanOrEqual(3000 - 1000);
    expect(failed.payment_method_details?.card?.last4).toBe('0341');

    const unchanged = await stripe.subscriptions.retrieve(sub.id);
    expect(unchanged).toMatchObject({ status: 'active', latest_invoice: sub.latest_invoice, metadata: {} });
    expect(unchanged.items.data[0]?.price.id).toBe(catalog.monthly.id);
    // No invoice was saved, so nothing is open for dunning to collect later.
    expect((await stripe.invoices.list({ customer })).data.map((i) => i.id)).toEqual(invoicesBefore);
    expect(await stripe.invoices.list({ customer, status: 'open' })).toMatchObject({ data: [] });
    const events = (await stripe.events.list({ ending_before: since, limit: 100 })).data.map((e) => e.type);
    expect(events.sort()).toEqual(['charge.failed', 'payment_intent.payment_failed']);
    emu.advanceClock(10 * DAY);
    expect((await stripe.charges.list({ customer })).data.filter((c) => c.status === 'failed')).toHaveLength(
      1,
    );

    // Without error_if_incomplete (the default), the change applies and the subscription is left past due.
    const applied = await stripe.subscriptions.update(sub.id, {
      items: [{ id: itemId, price: catalog.team.id }],
      proration_behavior: 'always_invoice',
    });
    expect(applied.status).toBe('past_due');

    // A change that bills nothing (a credit) goes through on the same declining card.
    const credit = await subscribe(catalog.team.id, 'pm_card_visa');
    await stripe.customers.update(credit.customer as string, {
      invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
    });
    const down = await stripe.subscriptions.update(credit.id, {
      items: [{ id: credit.items.data[0]?.id ?? '', price: catalog.monthly.id }],
      proration_behavior: 'always_invoice',
      payment_behavior: 'error_if_incomplete',
    });
    expect(down).toMatchObject({ status: 'active' });
    expect(down.items.data[0]?.price.id).toBe(catalog.monthly.id);

    // Pending updates are not emulated: refused, never silently applied as allow_incomplete.
    const pending = await stripe.subscriptions
      .update(credit.id, {
        items: [{ id: credit.items.data[0]?.id ?? '', price: catalog.team.id }],
        proration_behavior: 'always_invoice',
        payment_behavior: 'pending_if_incomplete',
      })
      .catch((e: unknown) => e);
    expect(pending).toMatchObject({ statusCode: 400, param: 'payment_behavior' });
    expect((await stripe.subscriptions.retrieve(credit.id)).items.data[0]?.price.id).toBe(catalog.monthly.id);
  });

  it('previews the invoice a plan change would produce, matching what the change then bills', async () => {
    const sub = await subscribe();
    emu.advanceClock(10 * DAY);
    const next = await stripe.invoices.createPreview({ subscription: sub.id });
    expect(next).toMatchObject({ billing_reason: 'upcoming', amount_due: 1000 });
    expect(next.period_start).toBe(sub.items.data[0]?.current_period_end);

    const prorationDate = emu.now();
    const itemId = sub.items.data[0]?.id ?? '';
    const deferred = await stripe.invoices.createPreview({
      customer: sub.customer as string,
      subscription: sub.id,
      subscription_details: {
        items: [{ id: itemId, price: catalog.team.id }],
        proration_date: prorationDate,
      },
    });
    expect(deferred.billing_reason).toBe('upcoming');
    expect(deferred.lines.data.filter((l) => l.parent?.subscription_item_details?.proration)).toHaveLength(2);
    expect(deferred.total).toBeGreaterThan(3000);

    const immediate = await stripe.invoices.createPreview({
      subscription: sub.id,
      subscription_details: {
        items: [{ id: itemId, price: catalog.team.id }],
        proration_behavior: 'always_invoice',
        proration_date: prorationDate,
      },
    });
    expect(immediate.billing_reason).toBe('subscription_update');
    expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);

    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: itemId, price: catalog.team.id }],
      proration_behavior: 'always_invoice',
      proration_date: prorationDate,
      expand: ['latest_invoice'],
    });
    expect((updated.latest_invoice as Stripe.Invoice).amount_paid).toBe(immediate.amount_due);
  });

  it('bills extra seats as a second item: a quantity added, raised and lowered with exact prorations that the preview matches, and refuses a negative quantity or the same price twice', async () => {
    const seat = await stripe.prices.create({
      product: catalog.product.id,
      currency: 'usd',
      unit_amount: 600,
      recurring: { interval: 'month' },
      lookup_key: `seat_${Math.random()}`,
    });
    const sub = await subscribe();
    const [planItem] = sub.items.data;
    const start = planItem?.current_period_start ?? 0;
    const end = planItem?.current_period_end ?? 0;
    const at = start + Math.floor((end - start) / 2);
    const prorated = (cents: number) => Math.round((cents * (end - at)) / (end - start));

    const addTwo = [{ price: seat.id, quantity: 2 }];
    const preview = await stripe.invoices.createPreview({
      subscription: sub.id,
      subscription_details: { items: addTwo, proration_behavior: 'always_invoice', proration_date: at },
    });
    expect(preview.total).toBe(prorated(2 * 600));
    const added = await stripe.subscriptions.update(sub.id, {
      items: addTwo,
      proration_behavior: 'always_invoice',
      proration_date: at,
      expand: ['latest_invoice'],
    });
    expect(added.items.data.map((i) => [i.price.id, i.quantity])).toEqual([
      [catalog.monthly.id, 1],
      [seat.id, 2],
    ]);
    // The new item shares the subscription's period, so the next renewal bills both in full.
    expect(added.items.data[1]?.current_period_end).toBe(end);
    const addInvoice = added.latest_invoice as Stripe.Invoice;
    expect(addInvoice).toMatchObject({ billing_reason: 'subscription_update', amount_paid: preview.total });
    const seatItem = added.items.data[1]?.id ?? '';

    // 2 → 3 seats: Stripe credits the unused time of the old quantity and charges the new one.
    const raised = await stripe.subscriptions.update(sub.id, {
      items: [{ id: seatItem, quantity: 3 }],
      proration_behavior: 'always_invoice',
      proration_date: at,
      expand: ['latest_invoice'],
    });
    expect(raised.items.data[1]?.quantity).toBe(3);
    expect((raised.latest_invoice as Stripe.Invoice).amount_paid).toBe(prorated(3 * 600) - prorated(2 * 600));
    const lines = (raised.latest_invoice as Stripe.Invoice).lines.data.map((l) => l.amount);
    expect(lines.sort((a, b) => a - b)).toEqual([-prorated(2 * 600), prorated(3 * 600)]);

    // 3 → 1 without invoicing now: the credit waits for the next invoice, as a proration.
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: seatItem, quantity: 1 }],
      proration_behavior: 'create_prorations',
      proration_date: at,
    });
    const upcoming = await stripe.invoices.createPreview({ subscription: sub.id });
    expect(upcoming.total).toBe(1000 + 600 + prorated(600) - prorated(3 * 600));

    const refused = async (items: Stripe.SubscriptionUpdateParams.Item[]) => {
      const error = await stripe.subscriptions.update(sub.id, { items }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      return (error as Stripe.errors.StripeInvalidRequestError).message;
    };
    expect(await refused([{ id: seatItem, quantity: -1 }])).toBe(
      'This value must be greater than or equal to 0.',
    );
    expect(await refused([{ price: seat.id, quantity: 1 }])).toBe(
      `Cannot add multiple subscription items with the same price: ${seat.id}`,
    );
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data.map((i) => i.quantity)).toEqual([1, 1]);

    // Removing the seat item leaves the plan alone.
    const removed = await stripe.subscriptions.update(sub.id, {
      items: [{ id: seatItem, deleted: true }],
      proration_behavior: 'none',
    });
    expect(removed.items.data.map((i) => i.price.id)).toEqual([catalog.monthly.id]);
  });

  it('lists and detaches payment methods, lists invoice lines, and retrieves charges', async () => {
    const sub = await subscribe();
    const customer = sub.customer as string;
    const methods = await stripe.paymentMethods.list({ customer, type: 'card' });
    expect(methods.data).toHaveLength(1);
    expect(methods.data[0]?.card?.last4).toBe('4242');
    const viaCustomer = await stripe.customers.listPaymentMethods(customer);
    expect(viaCustomer.data.map((m) => m.id)).toEqual(methods.data.map((m) => m.id));

    const lines = await stripe.invoices.listLineItems(sub.latest_invoice as string);
    expect(lines.data[0]).toMatchObject({ object: 'line_item', amount: 1000, quantity: 1 });
    const [payment] = (await stripe.invoicePayments.list({ invoice: sub.latest_invoice as string })).data;
    const intent = await stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount: 1000, paid: true, status: 'succeeded', customer });

    const detached = await stripe.paymentMethods.detach(methods.data[0]?.id ?? '');
    expect(detached.customer).toBeNull();
    expect((await stripe.paymentMethods.list({ customer, type: 'card' })).data).toHaveLength(0);
  });
});

describe('invoices, refunds and the portal session', () => {
  it('lists invoices and refunds a paid invoice partly then fully', async () => {
    const sub = await subscribe();
    const invoices = await stripe.invoices.list({ subscription: sub.id, expand: ['data.payments'] });
    expect(invoices.data).toHaveLength(1);
    const invoice = invoices.data[0] as Stripe.Invoice;
    const payment = invoice.payments?.data[0]?.payment;
    expect(payment?.type).toBe('payment_intent');
    const paymentIntent = payment?.payment_intent as string;

    const partial = await stripe.refunds.create({
      payment_intent: paymentIntent,
      amount: 400,
      reason: 'requested_by_customer',
    });
    expect(partial).toMatchObject({
      object: 'refund',
      amount: 400,
      status: 'succeeded',
      payment_intent: paymentIntent,
    });
    const rest = await stripe.refunds.create({ charge: partial.charge as string });
    expect(rest.amount).toBe(600);
    const over = (await stripe.refunds
      .create({ charge: partial.charge as string })
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over.code).toBe('charge_already_refunded');
    const listed = await stripe.refunds.list({ payment_intent: paymentIntent });
    expect(listed.data).toHaveLength(2);
    expect((await stripe.charges.retrieve(partial.charge as string)).refunded).toBe(true);
    expect((await stripe.paymentIntents.retrieve(paymentIntent)).status).toBe('succeeded');

    const other = await subscribe();
    // Stripe has no refund by invoice: the parameter is refused, as any parameter the SDK does not declare.
    const byInvoiceParam = (await stripe.refunds
      .create({ invoice: other.latest_invoice, amount: 100 } as Stripe.RefundCreateParams)
      .catch((e: unknown) => e)) as Stripe.errors.StripeError;
    expect(byInvoiceParam).toMatchObject({ code: 'parameter_unknown', param: 'invoice' });
    const otherInvoice = await stripe.invoices.retrieve(other.latest_invoice as string, {
      expand: ['payments'],
    });
    const byInvoice = await stripe.refunds.create({
      payment_intent: otherInvoice.payments?.data[0]?.payment.payment_intent as string,
      amount: 100,
    });
    expect(byInvoice.amount).toBe(100);
    expect((await stripe.events.list({ type: 'charge.refunded', limit: 2 })).data).toHaveLength(2);
  });

  it('creates billing portal sessions with a url', async () => {
    const sub = await subscribe();
    const portal = await stripe.billingPortal.sessions.create({
      customer: sub.customer as string,
      return_url: 'http://127.0.0.1:9/account',
    });
    expect(portal.object).toBe('billing_portal.session');
    expect(portal.url).toBe(`${emu.url}/p/session/${portal.id}`);
    expect(portal.return_url).toBe('http://127.0.0.1:9/account');
    await expect(stripe.billingPortal.sessions.create({ customer: 'cus_nope' })).rejects.toMatchObject({
      param: 'customer',
    });
  });
});
