import type Stripe from 'stripe';
import { cancelSubscriptionNow } from '../billing/cancel-subscription';
import { createSubscription, type PaymentBehavior } from '../billing/create-subscription';
import { resolveDiscount } from '../billing/discounts';
import {
  assertValidItems,
  type ProrationBehavior,
  type SubscriptionChanges,
  updateSubscription,
} from '../billing/update-subscription';
import type { Emulator } from '../core';
import { invalidParam, invalidRequest } from '../errors';
import type { Router } from '../http/router';
import type { Params } from '../params';
import { idOf } from '../views';
import { listResponse } from './common';
import { registerSearch } from './search';

const PAYMENT_BEHAVIORS = [
  'allow_incomplete',
  'error_if_incomplete',
  'default_incomplete',
  'pending_if_incomplete',
] as const;
const PRORATION_BEHAVIORS = ['create_prorations', 'always_invoice', 'none'] as const;

function paymentBehavior(params: Params): PaymentBehavior {
  const value = params.oneOf('payment_behavior', PAYMENT_BEHAVIORS) ?? 'allow_incomplete';
  // Pending updates are not emulated. Refused rather than treated as allow_incomplete, which would apply a change
  // whose payment failed: the very thing a caller asking for them wants to avoid.
  if (value === 'pending_if_incomplete') {
    throw invalidParam(
      'payment_behavior',
      'The Stripe emulator does not support pending updates (payment_behavior=pending_if_incomplete); use error_if_incomplete to refuse a change whose payment fails.',
    );
  }
  return value;
}

function discountsParam(emulator: Emulator, params: Params) {
  if (!params.has('discounts')) return undefined;
  return params
    .array('discounts')
    .map((d, i) =>
      resolveDiscount(
        emulator,
        { coupon: d.string('coupon'), promotion_code: d.string('promotion_code') },
        `discounts[${i}]`,
      ),
    );
}

export function registerSubscriptions(router: Router): void {
  router.on('POST', '/v1/subscriptions', ({ emulator, params }) => {
    const customer = emulator.store.get('customers', params.requiredString('customer'), 'customer');
    const items = params.array('items').map((item, i) => ({
      price: emulator.store.get('prices', item.requiredString('price'), `items[${i}][price]`),
      quantity: item.int('quantity') ?? 1,
      metadata: item.metadata() ?? {},
    }));
    if (items.length === 0) throw invalidRequest('Missing required param: items.', 'items');
    assertValidItems(items, 'items');
    const now = emulator.now();
    const trialDays = params.int('trial_period_days');
    const trialEndRaw = params.string('trial_end');
    let trialEnd: number | null = null;
    if (trialEndRaw && trialEndRaw !== 'now') {
      trialEnd = params.requiredInt('trial_end');
      if (trialEnd <= now)
        throw invalidParam(
          'trial_end',
          'Invalid timestamp: must be an integer Unix timestamp in the future.',
        );
    } else if (trialDays !== undefined && trialDays > 0) {
      trialEnd = now + trialDays * 86_400;
    }
    return createSubscription(emulator, {
      customer: customer.id,
      items,
      trialEnd,
      metadata: params.metadata() ?? {},
      defaultPaymentMethod: params.string('default_payment_method') ?? null,
      discounts: discountsParam(emulator, params) ?? [],
      paymentBehavior: paymentBehavior(params),
      description: params.string('description') ?? null,
      cancelAtPeriodEnd: params.bool('cancel_at_period_end') ?? false,
    });
  });

  registerSearch(router, 'subscriptions', 'subscriptions');

  router.on('GET', '/v1/subscriptions/:id', ({ emulator, path }) =>
    emulator.store.get('subscriptions', path.id ?? ''),
  );

  router.on('POST', '/v1/subscriptions/:id', ({ emulator, params, path }) => {
    const sub = emulator.store.get('subscriptions', path.id ?? '');
    const items = params.has('items')
      ? params.array('items').map((item, i) => {
          const priceId = item.string('price');
          return {
            id: item.string('id'),
            price: priceId ? emulator.store.get('prices', priceId, `items[${i}][price]`) : undefined,
            quantity: item.int('quantity'),
            deleted: item.bool('deleted'),
            metadata: item.metadata(),
          };
        })
      : undefined;
    const cancelAt = params.nullableString('cancel_at');
    const changes: SubscriptionChanges = {
      items,
      prorationBehavior: (params.oneOf('proration_behavior', PRORATION_BEHAVIORS) ??
        'create_prorations') as ProrationBehavior,
      prorationDate: params.int('proration_date'),
      cancelAtPeriodEnd: params.bool('cancel_at_period_end'),
      cancelAt:
        cancelAt === undefined ? undefined : cancelAt === null ? null : params.requiredInt('cancel_at'),
      metadata: params.metadata(sub.metadata),
      defaultPaymentMethod: params.nullableString('default_payment_method'),
      description: params.nullableString('description'),
      trialEndNow: params.string('trial_end') === 'now',
      discounts: discountsParam(emulator, params),
      paymentBehavior: paymentBehavior(params),
    };
    if (
      sub.status === 'canceled' &&
      changes.metadata &&
      Object.keys(params.raw).every((k) => k === 'metadata' || k === 'expand')
    ) {
      const next: Stripe.Subscription = { ...sub, metadata: changes.metadata };
      emulator.store.put('subscriptions', next);
      emulator.emitUpdate('customer.subscription.updated', sub, next);
      return next;
    }
    return updateSubscription(emulator, sub, changes);
  });

  router.on('DELETE', '/v1/subscriptions/:id', ({ emulator, params, path }) => {
    const sub = emulator.store.get('subscriptions', path.id ?? '');
    const details = params.object('cancellation_details');
    const withDetails: Stripe.Subscription = details
      ? {
          ...sub,
          cancellation_details: {
            comment: details.string('comment') ?? null,
            feedback:
              (details.string('feedback') as Stripe.Subscription.CancellationDetails.Feedback | undefined) ??
              null,
            feedback_option: null,
            reason: sub.cancellation_details?.reason ?? null,
          },
        }
      : sub;
    return cancelSubscriptionNow(emulator, withDetails, {
      invoiceNow: params.bool('invoice_now') ?? false,
      prorate: params.bool('prorate') ?? false,
    });
  });

  router.on('GET', '/v1/subscriptions', ({ emulator, params }) => {
    const customer = params.string('customer');
    const status = params.string('status');
    const price = params.string('price');
    const items = emulator.store.all('subscriptions').filter((s) => {
      if (customer !== undefined && idOf(s.customer) !== customer) return false;
      if (price !== undefined && !s.items.data.some((item) => item.price.id === price)) return false;
      if (status === undefined) return s.status !== 'canceled' && s.status !== 'incomplete_expired';
      if (status === 'all') return true;
      if (status === 'ended') return s.status === 'canceled' || s.status === 'incomplete_expired';
      return s.status === status;
    });
    return listResponse(emulator, items, params, '/v1/subscriptions');
  });
}
