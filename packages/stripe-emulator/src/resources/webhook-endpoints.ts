import type Stripe from 'stripe';
import { invalidParam } from '../errors';
import type { Router } from '../http/router';
import { newId, newSecret } from '../ids';
import { deleted, listResponse } from './common';

/** Stripe shows an endpoint's secret only in the response that created it. */
function withoutSecret(endpoint: Stripe.WebhookEndpoint): Stripe.WebhookEndpoint {
  const { secret: _secret, ...rest } = endpoint;
  return rest;
}

export function registerWebhookEndpoints(router: Router): void {
  router.on('POST', '/v1/webhook_endpoints', ({ emulator, params }) => {
    const url = params.requiredString('url');
    if (!/^https?:\/\//.test(url))
      throw invalidParam('url', 'Invalid URL: must be an http(s) URL.', 'url_invalid');
    const events = params.stringArray('enabled_events');
    if (events.length === 0)
      throw invalidParam('enabled_events', 'Missing required param: enabled_events.', 'parameter_missing');
    const endpoint: Stripe.WebhookEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: params.string('api_version') ?? null,
      application: null,
      created: emulator.now(),
      description: params.string('description') ?? null,
      enabled_events: events,
      livemode: false,
      metadata: params.metadata() ?? {},
      secret: newSecret('whsec'),
      status: 'enabled',
      url,
    };
    emulator.store.put('webhook_endpoints', endpoint);
    return endpoint;
  });

  router.on('GET', '/v1/webhook_endpoints/:id', ({ emulator, path }) =>
    withoutSecret(emulator.store.get('webhook_endpoints', path.id ?? '')),
  );

  router.on('POST', '/v1/webhook_endpoints/:id', ({ emulator, params, path }) => {
    const before = emulator.store.get('webhook_endpoints', path.id ?? '');
    const next: Stripe.WebhookEndpoint = { ...before };
    const url = params.string('url');
    if (url) next.url = url;
    const events = params.stringArray('enabled_events');
    if (events.length > 0) next.enabled_events = events;
    const disabled = params.bool('disabled');
    if (disabled !== undefined) next.status = disabled ? 'disabled' : 'enabled';
    const metadata = params.metadata(before.metadata);
    if (metadata) next.metadata = metadata;
    emulator.store.put('webhook_endpoints', next);
    return withoutSecret(next);
  });

  router.on('DELETE', '/v1/webhook_endpoints/:id', ({ emulator, path }) => {
    const endpoint = emulator.store.get('webhook_endpoints', path.id ?? '');
    emulator.store.remove('webhook_endpoints', endpoint.id);
    return deleted(endpoint.id, 'webhook_endpoint');
  });

  router.on('GET', '/v1/webhook_endpoints', ({ emulator, params }) =>
    listResponse(
      emulator,
      emulator.store.all('webhook_endpoints').map(withoutSecret),
      params,
      '/v1/webhook_endpoints',
    ),
  );
}
