import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runDue } from '../billing/scheduler';
import type { Emulator } from '../core';
import { ApiError } from '../errors';
import { parseForm } from '../form';
import { Params } from '../params';
import type { RequestValidator } from '../schema/validate-request';
import type { Router } from './router';

const NO_KEY_MESSAGE =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

function mask(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 3)}****`;
  return `${key.slice(0, 8)}${'*'.repeat(Math.max(4, key.length - 12))}${key.slice(-4)}`;
}

function apiKeyOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return decoded.split(':')[0] ?? '';
  }
  return '';
}

function authenticate(emulator: Emulator, req: IncomingMessage): string {
  const key = apiKeyOf(req);
  if (key === null) throw new ApiError(401, 'invalid_request_error', NO_KEY_MESSAGE);
  const expected = emulator.config.apiKey;
  const ok = expected ? key === expected : /^(sk|rk)_test_\w+$/.test(key);
  if (!ok) throw new ApiError(401, 'invalid_request_error', `Invalid API Key provided: ${mask(key)}`);
  return key;
}

export interface ApiResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * One Stripe API call: authentication, idempotency, parameter decoding, the handler, `expand[]`, and errors
 * in Stripe's body format. Handlers are synchronous, so requests never interleave.
 */
export function handleApi(
  emulator: Emulator,
  router: Router,
  validate: RequestValidator,
  req: IncomingMessage,
  url: URL,
  rawBody: string,
  requestId: string,
): ApiResponse {
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = {
    'stripe-version': String(req.headers['stripe-version'] ?? emulator.apiVersion),
  };
  const respond = (status: number, payload: unknown): ApiResponse => ({
    status,
    body: JSON.stringify(payload, null, 2),
    headers,
  });
  let idempotencyKey: string | null = null;
  let cacheKey: string | null = null;
  let fingerprint = '';
  let executing = false;
  try {
    const apiKey = authenticate(emulator, req);
    const header = req.headers['idempotency-key'];
    if (method === 'POST' && typeof header === 'string' && header) {
      idempotencyKey = header;
      cacheKey = `${apiKey}:${header}`;
      fingerprint = createHash('sha256').update(`${method} ${url.pathname}\n${rawBody}`).digest('hex');
      const previous = emulator.store.idempotency(cacheKey);
      if (previous) {
        if (previous.fingerprint !== fingerprint) {
          throw new ApiError(
            400,
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${header}' if you meant to execute a different request.`,
          );
        }
        headers['idempotent-replayed'] = 'true';
        headers['idempotency-key'] = header;
        return { status: previous.status, body: previous.body, headers };
      }
      headers['idempotency-key'] = header;
    }
    const match = router.match(method, url.pathname);
    if (!match) {
      throw new ApiError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      );
    }
    runDue(emulator, emulator.now());
    const query = parseForm(url.search.slice(1));
    const body = method === 'POST' ? parseForm(rawBody) : {};
    const decoded = { ...query, ...body };
    // Before the handler, as Stripe does: a request with a parameter it would refuse changes nothing, and its
    // error is not kept for the idempotency key (Stripe saves results only once an endpoint starts executing).
    validate(match.operation, decoded);
    executing = true;
    const params = new Params(decoded);
    emulator.request = { id: requestId, idempotency_key: idempotencyKey };
    let result: unknown;
    try {
      result = match.handler({ emulator, params, path: match.path });
    } finally {
      emulator.request = null;
    }
    const response = respond(200, emulator.expand(emulator.view(result), params.expand()));
    if (cacheKey) emulator.store.setIdempotency(cacheKey, { fingerprint, status: 200, body: response.body });
    if (method !== 'GET') emulator.save();
    return response;
  } catch (e) {
    if (e instanceof ApiError) {
      const response = respond(e.status, e.body());
      if (cacheKey && executing && e.type !== 'idempotency_error') {
        emulator.store.setIdempotency(cacheKey, { fingerprint, status: e.status, body: response.body });
      }
      if (method !== 'GET') emulator.save();
      return response;
    }
    console.error('[stripe-emulator] internal error', e);
    return respond(500, { error: { type: 'api_error', message: 'An unknown error occurred' } });
  }
}

export function sendJson(res: ServerResponse, response: ApiResponse): void {
  res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
  res.end(response.body);
}
