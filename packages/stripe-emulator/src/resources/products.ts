import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import type { Router } from '../http/router';
import { newId } from '../ids';
import { deleted, listResponse } from './common';
import { registerSearch } from './search';

export function registerProducts(router: Router): void {
  router.on('POST', '/v1/products', ({ emulator, params }) => {
    const id = params.string('id') ?? newId('prod', 14);
    if (emulator.store.find('products', id)) {
      throw invalidRequest(`Product already exists.`, 'id');
    }
    const now = emulator.now();
    const product: Stripe.Product = {
      id,
      object: 'product',
      active: params.bool('active') ?? true,
      created: now,
      default_price: null,
      description: params.string('description') ?? null,
      images: params.stringArray('images'),
      livemode: false,
      marketing_features: params.array('marketing_features').map((f) => ({ name: f.string('name') })),
      metadata: params.metadata() ?? {},
      name: params.requiredString('name'),
      package_dimensions: null,
      shippable: null,
      statement_descriptor: params.string('statement_descriptor') ?? null,
      tax_code: null,
      tax_details: null,
      type: 'service',
      unit_label: params.string('unit_label') ?? null,
      updated: now,
      url: params.string('url') ?? null,
    };
    emulator.store.put('products', product);
    emulator.emit('product.created', product);
    return product;
  });

  registerSearch(router, 'products', 'products');

  router.on('GET', '/v1/products/:id', ({ emulator, path }) => {
    if (emulator.store.wasDeleted('products', path.id ?? '')) return deleted(path.id ?? '', 'product');
    return emulator.store.get('products', path.id ?? '');
  });

  router.on('POST', '/v1/products/:id', ({ emulator, params, path }) => {
    const before = emulator.store.get('products', path.id ?? '');
    const next: Stripe.Product = { ...before, updated: emulator.now() };
    const name = params.string('name');
    if (name) next.name = name;
    const active = params.bool('active');
    if (active !== undefined) next.active = active;
    const description = params.nullableString('description');
    if (description !== undefined) next.description = description;
    const metadata = params.metadata(before.metadata);
    if (metadata) next.metadata = metadata;
    const defaultPrice = params.nullableString('default_price');
    if (defaultPrice !== undefined) {
      if (defaultPrice) emulator.store.get('prices', defaultPrice, 'default_price');
      next.default_price = defaultPrice;
    }
    if (params.has('marketing_features')) {
      next.marketing_features = params.array('marketing_features').map((f) => ({ name: f.string('name') }));
    }
    emulator.store.put('products', next);
    emulator.emitUpdate('product.updated', before, next);
    return next;
  });

  router.on('DELETE', '/v1/products/:id', ({ emulator, path }) => {
    const product = emulator.store.get('products', path.id ?? '');
    if (emulator.store.all('prices').some((p) => p.product === product.id)) {
      throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.');
    }
    emulator.store.remove('products', product.id);
    emulator.emit('product.deleted', product);
    return deleted(product.id, 'product');
  });

  router.on('GET', '/v1/products', ({ emulator, params }) => {
    const active = params.bool('active');
    const ids = params.stringArray('ids');
    const items = emulator.store
      .all('products')
      .filter(
        (p) => (active === undefined || p.active === active) && (ids.length === 0 || ids.includes(p.id)),
      );
    return listResponse(emulator, items, params, '/v1/products');
  });
}
