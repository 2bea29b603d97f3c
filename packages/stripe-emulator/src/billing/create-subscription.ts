import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { cardError, invalidRequest } from '../errors';
import { newId } from '../ids';
import { paymentMethodForCustomer } from './cards';
import { type DiscountChoice, redeem } from './discounts';
import { attemptInvoicePayment, createSubscriptionInvoice, finalizeInvoice } from './invoices';
import { chargeDecline, paymentMethodFor } from './payments';
import { addInterval } from './periods';
import { activeDiscounts, pruneDiscounts } from './subscription-invoicing';
import { fullLines, newItem, recurringOf } from './subscription-lines';

export type PaymentBehavior = 'allow_incomplete' | 'error_if_incomplete' | 'default_incomplete';

export interface NewSubscription {
  customer: string;
  items: Array<{ price: Stripe.Price; quantity: number; metadata: Record<string, string> }>;
  trialEnd: number | null;
  metadata: Record<string, string>;
  defaultPaymentMethod: string | null;
  discounts: DiscountChoice[];
  paymentBehavior: PaymentBehavior;
  description: string | null;
  cancelAtPeriodEnd: boolean;
  checkoutSession?: string;
}

export function createSubscription(emulator: Emulator, input: NewSubscription): Stripe.Subscription {
  const now = emulator.now();
  const first = input.items[0];
  if (!first) throw invalidRequest('Missing required param: items.', 'items');
  const { interval, count } = recurringOf(first.price, 'items[0][price]');
  input.items.forEach((item, i) => {
    const r = recurringOf(item.price, `items[${i}][price]`);
    if (r.interval !== interval || r.count !== count) {
      throw invalidRequest(
        'Currency and interval fields must match across all plans on this subscription.',
        `items[${i}][price]`,
      );
    }
    if (item.price.currency !== first.price.currency) {
      throw invalidRequest('Currency and interval fields must match across all plans on this subscription.');
    }
  });
  const trialing = input.trialEnd !== null && input.trialEnd > now;
  const subId = newId('sub');
  const anchor = trialing && input.trialEnd !== null ? input.trialEnd : now;
  const period = { start: now, end: trialing ? anchor : addInterval(now, interval, count) };

  // A test id (`pm_card_visa`) becomes a card attached to the customer, as on Stripe.
  const pm = input.defaultPaymentMethod
    ? paymentMethodForCustomer(emulator, input.defaultPaymentMethod, input.customer, 'default_payment_method')
    : undefined;
  const firstAmount = input.items.reduce(
    (sum, item) => sum + (item.price.unit_amount ?? 0) * item.quantity,
    0,
  );
  if (!trialing && firstAmount > 0 && input.paymentBehavior === 'error_if_incomplete') {
    const decline = chargeDecline(pm ?? paymentMethodFor(emulator, input.customer));
    if (decline) throw cardError(decline.message, decline.code, decline.declineCode);
  }

  const discounts = input.discounts.map((choice) =>
    redeem(emulator, choice, {
      customer: input.customer,
      subscription: subId,
      checkoutSession: input.checkoutSession,
    }),
  );
  const invoiceId = newId('in');
  let sub: Stripe.Subscription = {
    id: subId,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: input.cancelAtPeriodEnd ? period.end : null,
    cancel_at_period_end: input.cancelAtPeriodEnd,
    canceled_at: input.cancelAtPeriodEnd ? now : null,
    cancellation_details: input.cancelAtPeriodEnd
      ? { comment: null, feedback: null, feedback_option: null, reason: 'cancellation_requested' }
      : { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: first.price.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: pm?.id ?? null,
    default_source: null,
    default_tax_rates: [],
    description: input.description,
    discounts: discounts.map((d) => d.id),
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: input.items.map((item) => newItem(subId, item.price, item.quantity, item.metadata, period, now)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${subId}`,
    },
    latest_invoice: invoiceId,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialing ? 'trialing' : 'incomplete',
    test_clock: null,
    transfer_data: null,
    trial_end: trialing ? anchor : null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' },
    },
    trial_start: trialing ? now : null,
  };
  emulator.store.put('subscriptions', sub);
  emulator.emit('customer.subscription.created', sub);

  const before = sub;
  const discountsNow = activeDiscounts(emulator, sub, period.start);
  const draft = createSubscriptionInvoice(emulator, sub, {
    id: invoiceId,
    billingReason: 'subscription_create',
    lines: fullLines(emulator, sub, period, trialing),
    periodStart: now,
    periodEnd: now,
    discounts: discountsNow,
  });
  const open = finalizeInvoice(emulator, draft);
  const shouldPay = input.paymentBehavior !== 'default_incomplete' || open.amount_due === 0;
  const outcome = shouldPay ? attemptInvoicePayment(emulator, open, sub, null) : null;
  sub = pruneDiscounts(emulator, sub, period.start, outcome?.invoice ?? open);
  if (outcome?.ok && sub.status === 'incomplete') sub = { ...sub, status: 'active' };
  emulator.store.put('subscriptions', sub);
  emulator.emitUpdate('customer.subscription.updated', before, sub);
  return sub;
}
