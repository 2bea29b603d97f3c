import type Stripe from 'stripe';
import { invalidParam, invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { newId } from '../ids';
import { idOf } from '../views';
import { listResponse } from './common';

function randomCode(): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 8; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

export function registerPromotionCodes(router: Router): void {
  router.on('POST', '/v1/promotion_codes', ({ emulator, params }) => {
    // This API version nests the coupon under `promotion`; the older top-level `coupon` is accepted too.
    const promotion = params.object('promotion');
    const couponId = promotion?.string('coupon') ?? params.string('coupon');
    if (!couponId) throw invalidRequest('Missing required param: promotion[coupon].', 'promotion[coupon]');
    const coupon = emulator.store.get('coupons', couponId, 'promotion[coupon]');
    const code = params.string('code') ?? randomCode();
    if (!/^[a-zA-Z0-9-]+$/.test(code)) {
      throw invalidParam('code', 'Promotion codes can only contain letters, digits and dashes.');
    }
    const clash = emulator.store
      .all('promotion_codes')
      .find((p) => p.active && p.code.toLowerCase() === code.toLowerCase());
    if (clash) throw invalidParam('code', `An active promotion code with \`code: ${code}\` already exists.`);
    const restrictions = params.object('restrictions');
    const customer = params.string('customer') ?? null;
    if (customer) emulator.store.get('customers', customer, 'customer');
    const promo: Stripe.PromotionCode = {
      id: newId('promo'),
      object: 'promotion_code',
      active: params.bool('active') ?? true,
      code,
      created: emulator.now(),
      customer,
      customer_account: null,
      expires_at: params.int('expires_at') ?? null,
      livemode: false,
      max_redemptions: params.int('max_redemptions') ?? null,
      metadata: params.metadata() ?? {},
      promotion: { coupon: coupon.id, type: 'coupon' },
      restrictions: {
        first_time_transaction: restrictions?.bool('first_time_transaction') ?? false,
        minimum_amount: restrictions?.int('minimum_amount') ?? null,
        minimum_amount_currency: restrictions?.string('minimum_amount_currency') ?? null,
      },
      times_redeemed: 0,
    };
    emulator.store.put('promotion_codes', promo);
    emulator.emit('promotion_code.created', promo);
    return promo;
  });

  router.on('GET', '/v1/promotion_codes/:id', ({ emulator, path }) =>
    emulator.store.get('promotion_codes', path.id ?? ''),
  );

  router.on('POST', '/v1/promotion_codes/:id', ({ emulator, params, path }) => {
    const before = emulator.store.get('promotion_codes', path.id ?? '');
    const next: Stripe.PromotionCode = { ...before };
    const active = params.bool('active');
    if (active !== undefined) next.active = active;
    const metadata = params.metadata(before.metadata ?? {});
    if (metadata) next.metadata = metadata;
    emulator.store.put('promotion_codes', next);
    emulator.emitUpdate('promotion_code.updated', before, next);
    return next;
  });

  router.on('GET', '/v1/promotion_codes', ({ emulator, params }) => {
    const code = params.string('code');
    const active = params.bool('active');
    const coupon = params.string('coupon');
    const customer = params.string('customer');
    const items = emulator.store
      .all('promotion_codes')
      .filter(
        (p) =>
          (code === undefined || p.code.toLowerCase() === code.toLowerCase()) &&
          (active === undefined || p.active === active) &&
          (coupon === undefined || idOf(p.promotion.coupon) === coupon) &&
          (customer === undefined || p.customer === customer),
      );
    return listResponse(emulator, items, params, '/v1/promotion_codes');
  });
}
