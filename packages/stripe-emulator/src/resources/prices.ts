import type Stripe from 'stripe';
import type { Emulator } from '../core';
import { invalidParam, invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { newId } from '../ids';
import type { Params } from '../params';
import { asDecimal } from '../views';
import { listResponse } from './common';
import { registerSearch } from './search';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

/** A lookup key belongs to one price; `transfer_lookup_key` moves it, otherwise reuse is an error. */
function claimLookupKey(emulator: Emulator, key: string, transfer: boolean, selfId: string): void {
  const holder = emulator.store.all('prices').find((p) => p.lookup_key === key && p.id !== selfId);
  if (!holder) return;
  if (!transfer) {
    throw invalidParam(
      'lookup_key',
      `A price (\`${holder.id}\`) already uses that lookup key.`,
      'lookup_key_already_exists',
    );
  }
  const moved = { ...holder, lookup_key: null };
  emulator.store.put('prices', moved);
  emulator.emitUpdate('price.updated', holder, moved);
}

function productFor(emulator: Emulator, params: Params): string {
  const productId = params.string('product');
  if (productId) return emulator.store.get('products', productId, 'product').id;
  const data = params.object('product_data');
  if (!data) throw invalidRequest('Missing required param: product.', 'product');
  const now = emulator.now();
  const product: Stripe.Product = {
    id: newId('prod', 14),
    object: 'product',
    active: data.bool('active') ?? true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: data.metadata() ?? {},
    name: data.requiredString('name'),
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: now,
    url: null,
  };
  emulator.store.put('products', product);
  emulator.emit('product.created', product);
  return product.id;
}

export function registerPrices(router: Router): void {
  router.on('POST', '/v1/prices', ({ emulator, params }) => {
    const currency = params.requiredString('currency').toLowerCase();
    const unitAmount =
      params.int('unit_amount') ??
      (params.number('unit_amount_decimal') !== undefined
        ? Math.round(params.number('unit_amount_decimal') ?? 0)
        : undefined);
    if (unitAmount === undefined) throw invalidRequest('Missing required param: unit_amount.', 'unit_amount');
    if (unitAmount < 0) throw invalidParam('unit_amount', 'This value must be greater than or equal to 0.');
    const recurringParams = params.object('recurring');
    const recurring: Stripe.Price.Recurring | null = recurringParams
      ? {
          interval: recurringParams.oneOf('interval', INTERVALS) ?? 'month',
          interval_count: recurringParams.int('interval_count') ?? 1,
          meter: null,
          trial_period_days: null,
          usage_type: 'licensed',
        }
      : null;
    if (recurringParams && !recurringParams.has('interval'))
      throw invalidRequest('Missing required param: recurring[interval].', 'recurring[interval]');
    const id = newId('price');
    const lookupKey = params.string('lookup_key') ?? null;
    if (lookupKey) claimLookupKey(emulator, lookupKey, params.bool('transfer_lookup_key') ?? false, id);
    const price: Stripe.Price = {
      id,
      object: 'price',
      active: params.bool('active') ?? true,
      billing_scheme: 'per_unit',
      created: emulator.now(),
      currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: lookupKey,
      metadata: params.metadata() ?? {},
      nickname: params.string('nickname') ?? null,
      product: productFor(emulator, params),
      recurring,
      tax_behavior:
        params.oneOf('tax_behavior', ['exclusive', 'inclusive', 'unspecified'] as const) ?? 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: recurring ? 'recurring' : 'one_time',
      unit_amount: unitAmount,
      unit_amount_decimal: asDecimal(String(unitAmount)),
    };
    emulator.store.put('prices', price);
    emulator.emit('price.created', price);
    return price;
  });

  registerSearch(router, 'prices', 'prices');

  router.on('GET', '/v1/prices/:id', ({ emulator, path }) => emulator.store.get('prices', path.id ?? ''));

  router.on('POST', '/v1/prices/:id', ({ emulator, params, path }) => {
    const before = emulator.store.get('prices', path.id ?? '');
    const next: Stripe.Price = { ...before };
    const active = params.bool('active');
    if (active !== undefined) next.active = active;
    const nickname = params.nullableString('nickname');
    if (nickname !== undefined) next.nickname = nickname;
    const metadata = params.metadata(before.metadata);
    if (metadata) next.metadata = metadata;
    const lookupKey = params.nullableString('lookup_key');
    if (lookupKey !== undefined) {
      if (lookupKey)
        claimLookupKey(emulator, lookupKey, params.bool('transfer_lookup_key') ?? false, before.id);
      next.lookup_key = lookupKey;
    }
    emulator.store.put('prices', next);
    emulator.emitUpdate('price.updated', before, next);
    return next;
  });

  router.on('GET', '/v1/prices', ({ emulator, params }) => {
    const active = params.bool('active');
    const product = params.string('product');
    const currency = params.string('currency');
    const type = params.string('type');
    const lookupKeys = params.stringArray('lookup_keys');
    const interval = params.object('recurring')?.string('interval');
    const items = emulator.store
      .all('prices')
      .filter(
        (p) =>
          (active === undefined || p.active === active) &&
          (product === undefined || p.product === product) &&
          (currency === undefined || p.currency === currency) &&
          (type === undefined || p.type === type) &&
          (lookupKeys.length === 0 || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))) &&
          (interval === undefined || p.recurring?.interval === interval),
      );
    return listResponse(emulator, items, params, '/v1/prices');
  });
}
