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

/** Stripe's magic payment method ids, each standing for one test card. */
export const TEST_PAYMENT_METHODS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclined: '4000000000000002',
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

/** A card payment method, refused up front when the test card declines on setup. */
export function createCardPaymentMethod(
  emulator: Emulator,
  input: CardInput,
  billing: { email: string | null; name: string | null },
): Stripe.PaymentMethod {
  const digits = validateCard(emulator, input);
  const last4 = digits.slice(-4);
  const decline = attachDecline(last4);
  if (decline) throw cardError(decline.message, decline.code, decline.declineCode);
  const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
  const pm: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: billing.email,
      name: billing.name,
      phone: null,
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
    metadata: {},
    type: 'card',
  };
  emulator.store.put('payment_methods', pm);
  return pm;
}

export function attachPaymentMethod(
  emulator: Emulator,
  pm: Stripe.PaymentMethod,
  customerId: string,
): Stripe.PaymentMethod {
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

/** `pm_card_visa` and friends name a test card; using one creates a real payment method from it, as on Stripe. */
export function resolvePaymentMethod(emulator: Emulator, id: string, param = 'id'): Stripe.PaymentMethod {
  const number = TEST_PAYMENT_METHODS[id];
  if (number) {
    return createCardPaymentMethod(
      emulator,
      { number, expMonth: 12, expYear: 2034, cvc: '123' },
      { email: null, name: null },
    );
  }
  return emulator.store.get('payment_methods', id, param);
}
