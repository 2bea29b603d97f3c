import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { cardError, invalidParam, invalidRequest } from '../errors';
import { newId } from '../ids';
import { idOf } from '../views';
import { attachPaymentMethod, type CardInput, createCardPaymentMethod, validateCard } from './cards';
import { createSubscription } from './create-subscription';
import { createCustomer } from './customers';
import {
  applyDiscounts,
  type DiscountChoice,
  findPromotionCodeByCode,
  promotionCodeIsUsable,
  resolveDiscount,
} from './discounts';
import { attachDecline, chargeDeclineForLast4 } from './payments';
import { addInterval } from './periods';

function choicesOf(emulator: Emulator, session: Stripe.Checkout.Session): DiscountChoice[] {
  return (session.discounts ?? []).map((d, i) => {
    const promotionCode = idOf(d.promotion_code);
    return resolveDiscount(
      emulator,
      promotionCode ? { promotion_code: promotionCode } : { coupon: idOf(d.coupon) ?? undefined },
      `discounts[${i}]`,
    );
  });
}

/** Validates `discounts[]` at session creation, in the shape the Session object shows them. */
export function resolveSessionDiscounts(
  emulator: Emulator,
  inputs: Array<{ coupon?: string; promotion_code?: string }>,
): Stripe.Checkout.Session.Discount[] {
  return inputs.map((input, i) => {
    const choice = resolveDiscount(emulator, input, `discounts[${i}]`);
    return { coupon: choice.coupon.id, promotion_code: choice.promotionCode?.id ?? null };
  });
}

/**
 * The session's discounts as the subscription will hold them once it is paid (not stored). With `chargeAt`, only
 * those that will still reduce a charge then: a `once` coupon is spent by the first invoice unless a trial makes
 * that invoice $0, and a `repeating` one ends its months after redemption, as `redeem` sets `end`.
 */
function previewDiscounts(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
  chargeAt: { at: number; trial: boolean } | null,
): Stripe.Discount[] {
  const now = emulator.now();
  const discounts: Stripe.Discount[] = [];
  for (const d of session.discounts ?? []) {
    const couponId = idOf(d.coupon);
    const coupon = couponId ? emulator.store.find('coupons', couponId) : undefined;
    if (!couponId || !coupon) continue;
    const end =
      coupon.duration === 'repeating' && coupon.duration_in_months
        ? addInterval(now, 'month', coupon.duration_in_months)
        : null;
    if (chargeAt) {
      if (coupon.duration === 'once' && !chargeAt.trial) continue;
      if (end !== null && chargeAt.at >= end) continue;
    }
    discounts.push({
      id: `di_preview_${couponId}`,
      object: 'discount',
      checkout_session: session.id,
      customer: null,
      customer_account: null,
      end,
      invoice: null,
      invoice_item: null,
      promotion_code: idOf(d.promotion_code),
      source: { coupon: couponId, type: 'coupon' },
      start: now,
      subscription: null,
      subscription_item: null,
    });
  }
  return discounts;
}

/**
 * The payment after today's: at the trial's end, or one interval from now, with the discounts that will still
 * apply then. The hosted page shows it so the customer sees what a coupon does beyond the first invoice.
 */
export function sessionNextCharge(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
): { amount: number; at: number } | null {
  const extras = emulator.store.checkoutExtras(session.id);
  const first = extras?.lineItems[0];
  if (!extras || !first) return null;
  const recurring = emulator.store.get('prices', first.price).recurring;
  if (!recurring) return null;
  const now = emulator.now();
  const trial = extras.trialPeriodDays !== null && extras.trialPeriodDays > 0;
  const at = trial
    ? now + (extras.trialPeriodDays ?? 0) * 86_400
    : addInterval(now, recurring.interval, recurring.interval_count);
  const drafts = extras.lineItems.map((li) => {
    const price = emulator.store.get('prices', li.price);
    return {
      amount: (price.unit_amount ?? 0) * li.quantity,
      product: idOf(price.product) ?? '',
      discount_amounts: [] as Array<{ amount: number; discount: string }>,
    };
  });
  applyDiscounts(emulator, drafts, previewDiscounts(emulator, session, { at, trial }));
  const amount = drafts.reduce(
    (sum, draft) => sum + draft.amount - draft.discount_amounts.reduce((s, d) => s + d.amount, 0),
    0,
  );
  return { amount, at };
}

/** The session's line items with the discounts that will apply to the first invoice. */
export function sessionLineItems(emulator: Emulator, session: Stripe.Checkout.Session): Stripe.LineItem[] {
  const extras = emulator.store.checkoutExtras(session.id);
  if (!extras) return [];
  const trial = extras.trialPeriodDays !== null && extras.trialPeriodDays > 0;
  const drafts = extras.lineItems.map((li) => {
    const price = emulator.store.get('prices', li.price);
    return {
      li,
      price,
      amount: trial ? 0 : (price.unit_amount ?? 0) * li.quantity,
      product: idOf(price.product) ?? '',
      discount_amounts: [] as Array<{ amount: number; discount: string }>,
    };
  });
  applyDiscounts(emulator, drafts, previewDiscounts(emulator, session, null));
  return drafts.map((draft) => {
    const discount = draft.discount_amounts.reduce((sum, d) => sum + d.amount, 0);
    const product = emulator.store.find('products', draft.product);
    return {
      id: draft.li.id,
      object: 'item',
      adjustable_quantity: null,
      amount_discount: discount,
      amount_subtotal: draft.amount,
      amount_tax: 0,
      amount_total: draft.amount - discount,
      currency: draft.price.currency,
      description: product?.name ?? null,
      metadata: {},
      price: draft.price,
      quantity: draft.li.quantity,
    };
  });
}

export function sessionTotals(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
): Pick<Stripe.Checkout.Session, 'amount_subtotal' | 'amount_total' | 'total_details'> {
  const items = sessionLineItems(emulator, session);
  const subtotal = items.reduce((sum, item) => sum + item.amount_subtotal, 0);
  const discount = items.reduce((sum, item) => sum + item.amount_discount, 0);
  return {
    amount_subtotal: subtotal,
    amount_total: subtotal - discount,
    total_details: { amount_discount: discount, amount_shipping: 0, amount_tax: 0 },
  };
}

export function expireCheckoutSession(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
): Stripe.Checkout.Session {
  if (session.status !== 'open') {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    );
  }
  const expired: Stripe.Checkout.Session = { ...session, status: 'expired', url: null };
  emulator.store.put('checkout_sessions', expired);
  emulator.emit('checkout.session.expired', expired);
  return expired;
}

/** What a customer typed into the promotion code box on the hosted page. */
export function applyPromotionCode(
  emulator: Emulator,
  sessionId: string,
  code: string,
): Stripe.Checkout.Session {
  const session = emulator.store.get('checkout_sessions', sessionId);
  if (!session.allow_promotion_codes)
    throw invalidRequest('Promotion codes are not enabled for this session.');
  const promo = findPromotionCodeByCode(emulator, code);
  const coupon = promo ? emulator.store.find('coupons', idOf(promo.promotion.coupon) ?? '') : undefined;
  if (!promo || !coupon || !promotionCodeIsUsable(promo, coupon, emulator.now())) {
    throw invalidParam('promotion_code', 'This code is invalid.');
  }
  const updated: Stripe.Checkout.Session = {
    ...session,
    discounts: [{ coupon: coupon.id, promotion_code: promo.id }],
  };
  const withTotals = { ...updated, ...sessionTotals(emulator, updated) };
  emulator.store.put('checkout_sessions', withTotals);
  return withTotals;
}

export interface CheckoutSubmission {
  email?: string;
  name?: string;
  card: CardInput;
}

/**
 * What paying on the hosted page does: customer (if new), card, subscription and its first invoice, then the
 * completed session and `checkout.session.completed`. Declines throw before anything is created.
 */
export function completeCheckout(
  emulator: Emulator,
  sessionId: string,
  submission: CheckoutSubmission,
): Stripe.Checkout.Session {
  const session = emulator.store.get('checkout_sessions', sessionId);
  if (session.status !== 'open') throw invalidRequest('This Checkout Session is no longer active.');
  const extras = emulator.store.checkoutExtras(session.id);
  if (!extras) throw invalidRequest('This Checkout Session cannot be completed by the emulator.');
  const existingCustomer = idOf(session.customer);
  const email = existingCustomer
    ? (emulator.store.get('customers', existingCustomer).email ?? null)
    : submission.email?.trim() || session.customer_email || null;
  if (!existingCustomer && !email?.includes('@')) {
    throw invalidParam('email', 'Your email address is incomplete.');
  }
  const digits = validateCard(emulator, submission.card);
  const trial = extras.trialPeriodDays !== null && extras.trialPeriodDays > 0;
  const dueToday = sessionTotals(emulator, session).amount_total ?? 0;
  const last4 = digits.slice(-4);
  const decline = attachDecline(last4) ?? (dueToday > 0 ? chargeDeclineForLast4(last4) : null);
  if (decline) throw cardError(decline.message, decline.code, decline.declineCode);
  const discounts = choicesOf(emulator, session);

  const customerId =
    existingCustomer ?? createCustomer(emulator, { email, name: submission.name?.trim() || null }).id;
  const customer = emulator.store.get('customers', customerId);
  const pm = attachPaymentMethod(
    emulator,
    createCardPaymentMethod(emulator, submission.card, {
      email: customer.email,
      name: submission.name?.trim() || null,
    }),
    customerId,
  );
  const sub = createSubscription(emulator, {
    customer: customerId,
    items: extras.lineItems.map((li) => ({
      price: emulator.store.get('prices', li.price),
      quantity: li.quantity,
      metadata: {},
    })),
    trialEnd: trial && extras.trialPeriodDays ? emulator.now() + extras.trialPeriodDays * 86_400 : null,
    metadata: extras.subscriptionMetadata,
    defaultPaymentMethod: pm.id,
    discounts,
    paymentBehavior: 'allow_incomplete',
    description: extras.subscriptionDescription,
    cancelAtPeriodEnd: false,
    checkoutSession: session.id,
  });
  const completed: Stripe.Checkout.Session = {
    ...session,
    ...sessionTotals(emulator, session),
    status: 'complete',
    payment_status: trial || dueToday === 0 ? 'no_payment_required' : 'paid',
    customer: customerId,
    subscription: sub.id,
    invoice: idOf(sub.latest_invoice),
    url: null,
    customer_details: {
      address: null,
      business_name: null,
      email: customer.email,
      individual_name: null,
      name: customer.name ?? null,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    },
    collected_information: null,
  };
  emulator.store.put('checkout_sessions', completed);
  emulator.emit('checkout.session.completed', completed);
  return completed;
}

export const newLineItemId = (): string => newId('li');
