import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { newId } from '../ids';
import { asDecimal, idOf, paymentsOfInvoice } from '../views';
import { applyDiscounts, type Discountable } from './discounts';
import { charge, type Decline, paymentMethodFor } from './payments';

export interface LineInput {
  price: Stripe.Price;
  quantity: number;
  amount: number;
  description: string;
  period: { start: number; end: number };
  proration: boolean;
  subscriptionItem: string;
}

type DraftLine = Discountable & { input: LineInput };

export interface InvoiceInput {
  billingReason: Stripe.Invoice.BillingReason;
  lines: LineInput[];
  periodStart: number;
  periodEnd: number;
  discounts: Stripe.Discount[];
  id?: string;
}

/**
 * Creates a draft subscription invoice and emits `invoice.created`. The caller finalizes and pays it.
 */
export function createSubscriptionInvoice(
  emulator: Emulator,
  sub: Stripe.Subscription,
  input: InvoiceInput,
): Stripe.Invoice {
  const invoice = buildSubscriptionInvoice(emulator, sub, input);
  emulator.store.put('invoices', invoice);
  emulator.emit('invoice.created', invoice);
  return invoice;
}

/** An invoice with its lines, discounts and the customer's credit balance applied; not stored (previews use it). */
export function buildSubscriptionInvoice(
  emulator: Emulator,
  sub: Stripe.Subscription,
  input: InvoiceInput,
): Stripe.Invoice {
  const now = emulator.now();
  const customerId = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
  const customer = emulator.store.get('customers', customerId);
  const invoiceId = input.id ?? newId('in');
  const drafts: DraftLine[] = input.lines.map((line) => ({
    amount: line.amount,
    product: typeof line.price.product === 'string' ? line.price.product : line.price.product.id,
    discount_amounts: [],
    input: line,
  }));
  applyDiscounts(emulator, drafts, input.discounts);
  const lines: Stripe.InvoiceLineItem[] = drafts.map((draft) => ({
    id: newId('il'),
    object: 'line_item',
    amount: draft.amount,
    currency: sub.currency,
    description: draft.input.description,
    discount_amounts: draft.discount_amounts,
    discountable: !draft.input.proration,
    discounts: draft.discount_amounts.map((d) => d.discount),
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: draft.input.proration,
        proration_details: draft.input.proration ? { credited_items: null } : null,
        subscription: sub.id,
        subscription_item: draft.input.subscriptionItem,
      },
      type: 'subscription_item_details',
    },
    period: draft.input.period,
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: draft.input.price.id, product: draft.product },
      type: 'price_details',
      unit_amount_decimal: draft.input.price.unit_amount_decimal,
    },
    quantity: draft.input.quantity,
    quantity_decimal: asDecimal(String(draft.input.quantity)),
    subscription: sub.id,
    subtotal: draft.amount,
    taxes: [],
  }));
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discountTotals = new Map<string, number>();
  for (const draft of drafts) {
    for (const d of draft.discount_amounts)
      discountTotals.set(d.discount, (discountTotals.get(d.discount) ?? 0) + d.amount);
  }
  const totalDiscount = [...discountTotals.values()].reduce((a, b) => a + b, 0);
  const total = subtotal - totalDiscount;
  const startingBalance = customer.balance;
  const owed = total + startingBalance;
  const amountDue = Math.max(0, owed);
  const invoice: Stripe.Invoice = {
    id: invoiceId,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Stripe Emulator',
    account_tax_ids: null,
    amount_due: amountDue,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: amountDue,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created: now,
    currency: sub.currency,
    custom_fields: null,
    customer: customerId,
    customer_account: null,
    customer_address: customer.address ?? null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: customer.shipping,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [...discountTotals.keys()],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${invoiceId}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
      type: 'subscription_details',
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.periodEnd,
    period_start: input.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: startingBalance,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: null,
    total,
    total_discount_amounts: [...discountTotals.entries()].map(([discount, amount]) => ({ amount, discount })),
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: now,
  };
  return invoice;
}

/** Draft → open: numbers the invoice and moves any leftover credit onto the customer's balance. */
export function finalizeInvoice(emulator: Emulator, draft: Stripe.Invoice): Stripe.Invoice {
  const now = emulator.now();
  const customerId = typeof draft.customer === 'string' ? draft.customer : (draft.customer?.id ?? '');
  const customer = emulator.store.get('customers', customerId);
  const owed = draft.total + draft.starting_balance;
  const endingBalance = Math.min(owed, 0);
  if (customer.balance !== endingBalance) {
    const before = customer;
    const after = { ...customer, balance: endingBalance };
    emulator.store.put('customers', after);
    emulator.emitUpdate('customer.updated', before, after);
  }
  const invoice: Stripe.Invoice = {
    ...draft,
    status: 'open',
    number: emulator.store.nextInvoiceNumber(customer.invoice_prefix ?? 'EMU'),
    effective_at: now,
    ending_balance: endingBalance,
    hosted_invoice_url: `${emulator.baseUrl}/i/${draft.id}`,
    invoice_pdf: `${emulator.baseUrl}/i/${draft.id}/pdf`,
    status_transitions: { ...draft.status_transitions, finalized_at: now },
  };
  emulator.store.put('invoices', invoice);
  emulator.emit('invoice.finalized', invoice);
  return invoice;
}

/**
 * The invoice's default payment, kept in step with each attempt as Stripe keeps it: it names the attempt's
 * payment intent (a card payment goes through one, so `payment.charge` stays absent), `open` until paid.
 */
function recordInvoicePayment(
  emulator: Emulator,
  invoice: Stripe.Invoice,
  paymentIntent: string,
  paid: boolean,
): void {
  const now = emulator.now();
  const existing = paymentsOfInvoice(emulator.store, invoice.id).find((p) => p.is_default);
  emulator.store.put('invoice_payments', {
    id: existing?.id ?? newId('inpay'),
    object: 'invoice_payment',
    amount_paid: paid ? invoice.amount_due : null,
    amount_requested: invoice.amount_due,
    created: existing?.created ?? now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: paymentIntent },
    status: paid ? 'paid' : 'open',
    status_transitions: { canceled_at: null, paid_at: paid ? now : null },
  });
}

/** Voiding an invoice cancels its payments that never completed. */
export function cancelOpenInvoicePayments(emulator: Emulator, invoiceId: string): void {
  for (const payment of paymentsOfInvoice(emulator.store, invoiceId)) {
    if (payment.status !== 'open') continue;
    emulator.store.put('invoice_payments', {
      ...payment,
      status: 'canceled',
      status_transitions: { ...payment.status_transitions, canceled_at: emulator.now() },
    });
  }
}

export type PaymentOutcome =
  | { ok: true; invoice: Stripe.Invoice }
  | { ok: false; invoice: Stripe.Invoice; decline: Decline };

/** One payment attempt on an open invoice; `invoice.paid` + `invoice.payment_succeeded` or `invoice.payment_failed`. */
export function attemptInvoicePayment(
  emulator: Emulator,
  open: Stripe.Invoice,
  sub: Stripe.Subscription | undefined,
  nextAttempt: number | null,
): PaymentOutcome {
  const now = emulator.now();
  const customerId = typeof open.customer === 'string' ? open.customer : (open.customer?.id ?? '');
  if (open.amount_due > 0) {
    const result = charge(
      emulator,
      {
        customer: customerId,
        amount: open.amount_due,
        currency: open.currency,
        description:
          open.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
        invoice: open.id,
      },
      paymentMethodFor(emulator, customerId, sub),
    );
    if (result.paymentIntent) recordInvoicePayment(emulator, open, result.paymentIntent.id, result.ok);
    if (!result.ok) {
      const failed: Stripe.Invoice = {
        ...open,
        attempt_count: open.attempt_count + 1,
        attempted: true,
        next_payment_attempt: nextAttempt,
      };
      emulator.store.put('invoices', failed);
      emulator.emit('invoice.payment_failed', failed);
      return { ok: false, invoice: failed, decline: result.decline };
    }
  }
  const paid: Stripe.Invoice = {
    ...open,
    amount_paid: open.amount_due,
    amount_remaining: 0,
    attempt_count: open.amount_due > 0 ? open.attempt_count + 1 : open.attempt_count,
    attempted: true,
    next_payment_attempt: null,
    status: 'paid',
    status_transitions: { ...open.status_transitions, paid_at: now },
  };
  emulator.store.put('invoices', paid);
  emulator.emit('invoice.paid', paid);
  emulator.emit('invoice.payment_succeeded', paid);
  return { ok: true, invoice: paid };
}

/** The charge behind a paid invoice (through its payment intent), for refunds. */
export function invoiceCharge(emulator: Emulator, invoiceId: string): string | null {
  for (const payment of paymentsOfInvoice(emulator.store, invoiceId)) {
    const intentId = idOf(payment.payment.payment_intent ?? null);
    const intent = intentId ? emulator.store.find('payment_intents', intentId) : undefined;
    const chargeId = idOf(payment.payment.charge ?? intent?.latest_charge ?? null);
    if (payment.status === 'paid' && chargeId) return chargeId;
  }
  return null;
}
