import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { newId } from '../ids';
import type { Charge, PaymentIntent } from '../store';

export interface Decline {
  code: string;
  declineCode: string;
  message: string;
}

/**
 * Stripe's test cards, recognised by their last four digits: how a card behaves when saved, and when charged.
 */
const CARD_BEHAVIOUR: Record<string, { attach: Decline | null; charge: Decline | null }> = {
  '0341': {
    attach: null,
    charge: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  },
  '9995': {
    attach: {
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
    charge: {
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  },
  '0002': {
    attach: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
    charge: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  },
};

export function attachDecline(last4: string): Decline | null {
  return CARD_BEHAVIOUR[last4]?.attach ?? null;
}

export function chargeDeclineForLast4(last4: string): Decline | null {
  return CARD_BEHAVIOUR[last4]?.charge ?? null;
}

export function chargeDecline(paymentMethod: Stripe.PaymentMethod | undefined): Decline | null {
  if (!paymentMethod) {
    return {
      code: 'resource_missing',
      declineCode: 'no_payment_method',
      message: 'The customer has no attached payment source or default payment method.',
    };
  }
  return CARD_BEHAVIOUR[paymentMethod.card?.last4 ?? '']?.charge ?? null;
}

/** The payment method an invoice for this customer/subscription is charged to, as Stripe picks it. */
export function paymentMethodFor(
  emulator: Emulator,
  customerId: string,
  subscription?: Stripe.Subscription,
): Stripe.PaymentMethod | undefined {
  const fromSub = subscription?.default_payment_method;
  const subPm = typeof fromSub === 'string' ? fromSub : fromSub?.id;
  if (subPm) return emulator.store.find('payment_methods', subPm);
  const customer = emulator.store.find('customers', customerId);
  const custPm = customer?.invoice_settings.default_payment_method;
  const id = typeof custPm === 'string' ? custPm : custPm?.id;
  return id ? emulator.store.find('payment_methods', id) : undefined;
}

export type ChargeResult =
  | { ok: true; charge: Charge; paymentIntent: PaymentIntent }
  | { ok: false; decline: Decline; charge: Charge | null; paymentIntent: PaymentIntent | null };

export function charge(
  emulator: Emulator,
  input: { customer: string; amount: number; currency: string; description: string | null },
  paymentMethod: Stripe.PaymentMethod | undefined,
): ChargeResult {
  const decline = chargeDecline(paymentMethod);
  const now = emulator.now();
  if (decline && !paymentMethod) return { ok: false, decline, charge: null, paymentIntent: null };
  const paymentIntent: PaymentIntent = {
    id: newId('pi'),
    object: 'payment_intent',
    amount: input.amount,
    amount_received: decline ? 0 : input.amount,
    created: now,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    latest_charge: null,
    livemode: false,
    metadata: {},
    payment_method: paymentMethod?.id ?? null,
    status: decline ? 'requires_payment_method' : 'succeeded',
  };
  const chargeObj: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: input.amount,
    amount_captured: decline ? 0 : input.amount,
    amount_refunded: 0,
    captured: !decline,
    created: now,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    livemode: false,
    metadata: {},
    paid: !decline,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethod?.id ?? null,
    refunded: false,
    status: decline ? 'failed' : 'succeeded',
  };
  paymentIntent.latest_charge = chargeObj.id;
  emulator.store.put('payment_intents', paymentIntent);
  emulator.store.put('charges', chargeObj);
  if (decline) {
    emulator.emit('charge.failed', chargeObj);
    emulator.emit('payment_intent.payment_failed', paymentIntent);
    return { ok: false, decline, charge: chargeObj, paymentIntent };
  }
  emulator.emit('charge.succeeded', chargeObj);
  emulator.emit('payment_intent.succeeded', paymentIntent);
  return { ok: true, charge: chargeObj, paymentIntent };
}
