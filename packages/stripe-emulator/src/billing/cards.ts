import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { cardError } from '../errors';
import { newId } from '../ids';
import { attachDecline } from './payments';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

const VISA = '4242424242424242';
const MASTERCARD = '5555555555554444';
const DECLINED = '4000000000000002';
const INSUFFICIENT_FUNDS = '4000000000009995';
/** Attaches to a customer, but every charge fails (Stripe's 4000 0000 0000 0341). */
const CUSTOMER_FAIL = '4000000000000341';

/** Stripe's ready test payment methods, each standing for one test card (docs.stripe.com/testing). */
export const TEST_PAYMENT_METHODS: Record<string, string> = {
  pm_card_visa: VISA,
  pm_card_mastercard: MASTERCARD,
  pm_card_chargeDeclined: DECLINED,
  pm_card_visa_chargeDeclined: DECLINED,
  pm_card_chargeDeclinedInsufficientFunds: INSUFFICIENT_FUNDS,
  pm_card_visa_chargeDeclinedInsufficientFunds: INSUFFICIENT_FUNDS,
  pm_card_chargeCustomerFail: CUSTOMER_FAIL,
};

/** Stripe's test card tokens, for `POST /v1/payment_methods` with `card[token]`. */
export const TEST_TOKENS: Record<string, string> = {
  tok_visa: VISA,
  tok_mastercard: MASTERCARD,
  tok_chargeDeclined: DECLINED,
  tok_visa_chargeDeclined: DECLINED,
  tok_chargeDeclinedInsufficientFunds: INSUFFICIENT_FUNDS,
  tok_visa_chargeDeclinedInsufficientFunds: INSUFFICIENT_FUNDS,
  tok_chargeCustomerFail: CUSTOMER_FAIL,
};

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  return 'unknown';
}

/** Validates a card as Stripe.js would and raises the messages Stripe shows for bad input or a decline. */
export function validateCard(emulator: Emulator, input: CardInput): string {
  const digits = input.number.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits) || !luhn(digits)) {
    throw cardError('Your card number is incorrect.', 'incorrect_number', undefined, 'number');
  }
  const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  const now = new Date(emulator.now() * 1000);
  if (!(input.expMonth >= 1 && input.expMonth <= 12)) {
    throw cardError(
      "Your card's expiration month is invalid.",
      'invalid_expiry_month',
      undefined,
      'exp_month',
    );
  }
  if (
    year < now.getUTCFullYear() ||
    (year === now.getUTCFullYear() && input.expMonth < now.getUTCMonth() + 1)
  ) {
    throw cardError(
      "Your card's expiration date is in the past.",
      'invalid_expiry_year',
      undefined,
      'exp_year',
    );
  }
  if (!/^\d{3,4}$/.test(input.cvc)) {
    throw cardError("Your card's security code is incomplete.", 'incomplete_cvc', undefined, 'cvc');
  }
  return digits;
}

/** A card payment method, not yet attached (a card that declines on setup is refused when attached). */
export function createCardPaymentMethod(
  emulator: Emulator,
  input: CardInput,
  billing: { email: string | null; name: string | null; phone?: string | null },
  metadata: Record<string, string> = {},
): Stripe.PaymentMethod {
  const digits = validateCard(emulator, input);
  const last4 = digits.slice(-4);
  const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  const pm: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: billing.email,
      name: billing.name,
      phone: billing.phone ?? null,
      tax_id: null,
    },
    card: {
      brand: brandOf(digits),
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: brandOf(digits),
      exp_month: input.expMonth,
      exp_year: year,
      fingerprint: digits.slice(0, 6) + last4,
      funding: 'credit',
      generated_from: null,
      last4,
      networks: { available: [brandOf(digits)], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: emulator.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata,
    type: 'card',
  };
  emulator.store.put('payment_methods', pm);
  return pm;
}

/** Attaching checks the card with the issuer: the declining test cards fail here, 0341 only when charged. */
export function assertAttachable(pm: Stripe.PaymentMethod): void {
  const decline = attachDecline(pm.card?.last4 ?? '');
  if (decline) throw cardError(decline.message, decline.code, decline.declineCode);
}

export function attachPaymentMethod(
  emulator: Emulator,
  pm: Stripe.PaymentMethod,
  customerId: string,
): Stripe.PaymentMethod {
  assertAttachable(pm);
  const attached = { ...pm, customer: customerId };
  emulator.store.put('payment_methods', attached);
  emulator.emit('payment_method.attached', attached);
  return attached;
}

/** Makes `pm` the customer's default for invoices (what the portal's "update card" does). */
export function setDefaultPaymentMethod(emulator: Emulator, customerId: string, pmId: string): void {
  const customer = emulator.store.get('customers', customerId);
  const updated: Stripe.Customer = {
    ...customer,
    invoice_settings: { ...customer.invoice_settings, default_payment_method: pmId },
  };
  emulator.store.put('customers', updated);
  emulator.emitUpdate('customer.updated', customer, updated);
}

const TEST_CARD_EXPIRY = { expMonth: 12, expYear: 2034, cvc: '123' };

export function isTestPaymentMethod(id: string): boolean {
  return id in TEST_PAYMENT_METHODS;
}

/** `pm_card_visa` and friends name a test card; using one creates a real payment method from it, as on Stripe. */
export function resolvePaymentMethod(emulator: Emulator, id: string, param = 'id'): Stripe.PaymentMethod {
  const number = TEST_PAYMENT_METHODS[id];
  if (number) {
    return createCardPaymentMethod(emulator, { number, ...TEST_CARD_EXPIRY }, { email: null, name: null });
  }
  return emulator.store.get('payment_methods', id, param);
}

/**
 * A payment method named for a customer's invoices (`default_payment_method`): a test id such as `pm_card_visa`
 * becomes a new card attached to that customer, declining on attach as its test card does; any other id must
 * exist.
 */
export function paymentMethodForCustomer(
  emulator: Emulator,
  id: string,
  customerId: string,
  param: string,
): Stripe.PaymentMethod {
  if (!isTestPaymentMethod(id)) return emulator.store.get('payment_methods', id, param);
  return attachPaymentMethod(emulator, resolvePaymentMethod(emulator, id, param), customerId);
}

/** `POST /v1/payment_methods` with `card[token]`: the card a test token stands for. */
export function cardFromToken(token: string): CardInput | null {
  const number = TEST_TOKENS[token];
  return number ? { number, ...TEST_CARD_EXPIRY } : null;
}
