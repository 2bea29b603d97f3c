import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { newId } from '../ids';

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
  | { ok: true; charge: Stripe.Charge; paymentIntent: Stripe.PaymentIntent }
  | {
      ok: false;
      decline: Decline;
      charge: Stripe.Charge | null;
      paymentIntent: Stripe.PaymentIntent | null;
    };

const NO_ADDRESS = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

/** What the card network answered, as `charge.outcome` reports it. */
function outcomeOf(decline: Decline | null): Stripe.Charge.Outcome {
  if (!decline) {
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      risk_score: 20,
      seller_message: 'Payment complete.',
      type: 'authorized',
    };
  }
  return {
    advice_code: decline.declineCode === 'insufficient_funds' ? 'try_again_later' : null,
    network_advice_code: null,
    network_decline_code: decline.declineCode === 'insufficient_funds' ? '51' : '05',
    network_status: 'declined_by_network',
    reason: decline.declineCode,
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'The bank did not return any further details with this decline.',
    type: 'issuer_declined',
  };
}

function cardDetails(
  pm: Stripe.PaymentMethod,
  amount: number,
  succeeded: boolean,
): Stripe.Charge.PaymentMethodDetails {
  const card = pm.card;
  return {
    type: 'card',
    card: {
      amount_authorized: succeeded ? amount : null,
      authorization_code: succeeded ? String(100000 + (amount % 900000)) : null,
      brand: card?.brand ?? null,
      checks: {
        address_line1_check: null,
        address_postal_code_check: null,
        cvc_check: card?.checks?.cvc_check ?? null,
      },
      country: card?.country ?? null,
      electronic_commerce_indicator: null,
      exp_month: card?.exp_month ?? 12,
      exp_year: card?.exp_year ?? 2034,
      fingerprint: card?.fingerprint ?? null,
      funding: card?.funding ?? null,
      installments: null,
      last4: card?.last4 ?? null,
      mandate: null,
      network: card?.networks?.preferred ?? card?.brand ?? null,
      network_transaction_id: succeeded ? newId('x', 15).slice(2) : null,
      regulated_status: card?.regulated_status ?? null,
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}

/**
 * One card payment as Stripe makes it for a subscription invoice: a payment intent confirmed off-session and
 * the charge it produced, both in their full shapes, with `charge.*` and `payment_intent.*` events.
 */
export function charge(
  emulator: Emulator,
  input: {
    customer: string;
    amount: number;
    currency: string;
    description: string | null;
    invoice?: string;
  },
  paymentMethod: Stripe.PaymentMethod | undefined,
): ChargeResult {
  const decline = chargeDecline(paymentMethod);
  const now = emulator.now();
  if (decline && !paymentMethod) return { ok: false, decline, charge: null, paymentIntent: null };
  const pm = paymentMethod as Stripe.PaymentMethod;
  const succeeded = !decline;
  const paymentIntentId = newId('pi');
  const chargeId = newId('ch');
  const chargeObj = {
    id: chargeId,
    object: 'charge',
    amount: input.amount,
    amount_captured: succeeded ? input.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    // Balance transactions are not emulated; Stripe itself shows null until funds settle into the balance.
    balance_transaction: null,
    billing_details: { ...pm.billing_details, address: pm.billing_details.address ?? NO_ADDRESS },
    calculated_statement_descriptor: 'STRIPE EMULATOR',
    captured: succeeded,
    created: now,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: outcomeOf(decline),
    paid: succeeded,
    payment_intent: paymentIntentId,
    payment_method: pm.id,
    payment_method_details: cardDetails(pm, input.amount, succeeded),
    receipt_email: null,
    receipt_number: null,
    // The emulator's receipt is the paid invoice's hosted page.
    receipt_url: succeeded && input.invoice ? `${emulator.baseUrl}/i/${input.invoice}` : null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.Charge;
  const paymentIntent = {
    id: paymentIntentId,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_received: succeeded ? input.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${paymentIntentId}_secret_${newId('x', 25).slice(2)}`,
    confirmation_method: 'automatic',
    created: now,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: decline
      ? {
          charge: chargeId,
          code: decline.code,
          decline_code: decline.declineCode,
          doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
          message: decline.message,
          payment_method: pm,
          payment_method_type: 'card',
          type: 'card_error',
        }
      : null,
    latest_charge: chargeId,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    // A declined off-session payment leaves the intent waiting for another method, as Stripe does.
    payment_method: succeeded ? pm.id : null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? 'succeeded' : 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.PaymentIntent;
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
