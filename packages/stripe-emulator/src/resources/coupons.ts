import type Stripe from 'stripe';
import { invalidParam, invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { deleted, listResponse } from './common';

const COUPON_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function couponId(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += COUPON_ID_CHARS[Math.floor(Math.random() * COUPON_ID_CHARS.length)];
  return out;
}

export function registerCoupons(router: Router): void {
  router.on('POST', '/v1/coupons', ({ emulator, params }) => {
    const id = params.string('id') ?? couponId();
    if (emulator.store.find('coupons', id)) {
      throw invalidParam('id', 'Coupon already exists.', 'resource_already_exists');
    }
    const percentOff = params.number('percent_off') ?? null;
    const amountOff = params.int('amount_off') ?? null;
    if ((percentOff === null) === (amountOff === null)) {
      throw invalidRequest('You must pass exactly one of percent_off or amount_off.');
    }
    if (percentOff !== null && (percentOff <= 0 || percentOff > 100)) {
      throw invalidParam('percent_off', 'Invalid percent_off: must be greater than 0 and at most 100.');
    }
    const currency = params.string('currency')?.toLowerCase() ?? null;
    if (amountOff !== null && !currency)
      throw invalidRequest('You must pass currency when passing amount_off.', 'currency');
    const duration = params.oneOf('duration', ['once', 'repeating', 'forever'] as const) ?? 'once';
    const durationInMonths = params.int('duration_in_months') ?? null;
    if (duration === 'repeating' && durationInMonths === null) {
      throw invalidRequest(
        'You must pass duration_in_months when duration is repeating.',
        'duration_in_months',
      );
    }
    const products = params.object('applies_to')?.stringArray('products') ?? [];
    for (const product of products) emulator.store.get('products', product, 'applies_to[products]');
    const coupon: Stripe.Coupon = {
      id,
      object: 'coupon',
      amount_off: amountOff,
      ...(products.length > 0 ? { applies_to: { products } } : {}),
      created: emulator.now(),
      currency: amountOff !== null ? currency : null,
      duration,
      duration_in_months: duration === 'repeating' ? durationInMonths : null,
      livemode: false,
      max_redemptions: params.int('max_redemptions') ?? null,
      metadata: params.metadata() ?? {},
      name: params.string('name') ?? null,
      percent_off: percentOff,
      redeem_by: params.int('redeem_by') ?? null,
      times_redeemed: 0,
      valid: true,
    };
    emulator.store.put('coupons', coupon);
    emulator.emit('coupon.created', coupon);
    return coupon;
  });

  router.on('GET', '/v1/coupons/:id', ({ emulator, path }) => {
    if (emulator.store.wasDeleted('coupons', path.id ?? '')) return deleted(path.id ?? '', 'coupon');
    return emulator.store.get('coupons', path.id ?? '');
  });

  router.on('POST', '/v1/coupons/:id', ({ emulator, params, path }) => {
    const before = emulator.store.get('coupons', path.id ?? '');
    const next: Stripe.Coupon = { ...before };
    const name = params.nullableString('name');
    if (name !== undefined) next.name = name;
    const metadata = params.metadata(before.metadata ?? {});
    if (metadata) next.metadata = metadata;
    emulator.store.put('coupons', next);
    emulator.emitUpdate('coupon.updated', before, next);
    return next;
  });

  router.on('DELETE', '/v1/coupons/:id', ({ emulator, path }) => {
    const coupon = emulator.store.get('coupons', path.id ?? '');
    emulator.store.remove('coupons', coupon.id);
    emulator.emit('coupon.deleted', coupon);
    return deleted(coupon.id, 'coupon');
  });

  router.on('GET', '/v1/coupons', ({ emulator, params }) =>
    listResponse(emulator, emulator.store.all('coupons'), params, '/v1/coupons'),
  );
}
