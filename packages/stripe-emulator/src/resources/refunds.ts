import type Stripe from 'stripe';
import { invoiceCharge } from '../billing/invoices';
import type { Emulator } from '../core';
import { invalidParam, invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { newId } from '../ids';
import { idOf } from '../views';
import { listResponse } from './common';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** Refunds point at a charge; `payment_intent` and (as an emulator convenience) `invoice` lead to one. */
function chargeFor(
  emulator: Emulator,
  ref: { charge?: string; payment_intent?: string; invoice?: string },
): Stripe.Charge {
  if (ref.charge) return emulator.store.get('charges', ref.charge, 'charge');
  if (ref.payment_intent) {
    const pi = emulator.store.get('payment_intents', ref.payment_intent, 'payment_intent');
    if (!pi.latest_charge)
      throw invalidRequest(
        `PaymentIntent ${pi.id} does not have a successful charge to refund.`,
        'payment_intent',
      );
    return emulator.store.get('charges', idOf(pi.latest_charge) ?? '', 'payment_intent');
  }
  if (ref.invoice) {
    const invoice = emulator.store.get('invoices', ref.invoice, 'invoice');
    const chargeId = invoiceCharge(emulator, invoice.id);
    if (!chargeId) throw invalidRequest(`Invoice ${invoice.id} has no charge to refund.`, 'invoice');
    return emulator.store.get('charges', chargeId, 'invoice');
  }
  throw invalidRequest(
    'One of the following params should be provided for this request: payment_intent or charge.',
  );
}

export function registerRefunds(router: Router): void {
  router.on('POST', '/v1/refunds', ({ emulator, params }) => {
    const ch = chargeFor(emulator, {
      charge: params.string('charge'),
      payment_intent: params.string('payment_intent'),
      invoice: params.string('invoice'),
    });
    if (ch.status !== 'succeeded')
      throw invalidRequest(`Charge ${ch.id} has not succeeded and cannot be refunded.`, 'charge');
    const refundable = ch.amount - ch.amount_refunded;
    if (refundable <= 0) {
      throw invalidParam('charge', `Charge ${ch.id} has already been refunded.`, 'charge_already_refunded');
    }
    const amount = params.int('amount') ?? refundable;
    if (amount <= 0 || amount > refundable) {
      throw invalidParam(
        'amount',
        `Refund amount (${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge (${(refundable / 100).toFixed(2)})`,
        'amount_too_large',
      );
    }
    const refund: Stripe.Refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: ch.id,
      created: emulator.now(),
      currency: ch.currency,
      customer: idOf(ch.customer),
      customer_account: null,
      metadata: params.metadata() ?? {},
      payment_intent: idOf(ch.payment_intent),
      payment_method: ch.payment_method,
      reason: params.oneOf('reason', REASONS) ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    emulator.store.put('refunds', refund);
    const refunded: Stripe.Charge = {
      ...ch,
      amount_refunded: ch.amount_refunded + amount,
      refunded: ch.amount_refunded + amount >= ch.amount,
    };
    emulator.store.put('charges', refunded);
    emulator.emit('refund.created', refund);
    emulator.emit('charge.refunded', refunded);
    return refund;
  });

  router.on('GET', '/v1/refunds/:id', ({ emulator, path }) => emulator.store.get('refunds', path.id ?? ''));

  router.on('GET', '/v1/refunds', ({ emulator, params }) => {
    const charge = params.string('charge');
    const pi = params.string('payment_intent');
    const items = emulator.store
      .all('refunds')
      .filter(
        (r) => (charge === undefined || r.charge === charge) && (pi === undefined || r.payment_intent === pi),
      );
    return listResponse(emulator, items, params, '/v1/refunds');
  });

  router.on('GET', '/v1/charges/:id', ({ emulator, path }) => emulator.store.get('charges', path.id ?? ''));

  router.on('GET', '/v1/charges', ({ emulator, params }) => {
    const customer = params.string('customer');
    const pi = params.string('payment_intent');
    const items = emulator.store
      .all('charges')
      .filter(
        (c) =>
          (customer === undefined || idOf(c.customer) === customer) &&
          (pi === undefined || idOf(c.payment_intent) === pi),
      );
    return listResponse(emulator, items, params, '/v1/charges');
  });

  router.on('GET', '/v1/payment_intents/:id', ({ emulator, path }) =>
    emulator.store.get('payment_intents', path.id ?? ''),
  );
}
