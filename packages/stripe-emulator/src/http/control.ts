import { completeCheckout } from '../billing/checkout';
import { runDue } from '../billing/scheduler';
import type { ApiFaults, Emulator } from '../core';
import { ApiError, invalidParam } from '../errors';
import { parseForm } from '../form';
import type { DeliveryMode } from '../webhooks';

export interface ControlResponse {
  status: number;
  body: unknown;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  return parseForm(raw);
}

const asNumber = (v: unknown): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
const asBool = (v: unknown): boolean | undefined =>
  v === undefined ? undefined : v === true || v === 'true';

/** Advances emulated time and runs whatever fell due; the same operation backs HTTP and the in-process handle. */
export function advanceClock(emulator: Emulator, seconds: number): { now: number; ran: number } {
  if (!Number.isFinite(seconds) || seconds < 0)
    throw invalidParam('seconds', 'seconds must be a non-negative number');
  runDue(emulator, emulator.now());
  emulator.clock.advance(Math.floor(seconds));
  const ran = runDue(emulator, emulator.now());
  emulator.save();
  return { now: emulator.now(), ran };
}

export function deliveryModeFrom(body: Record<string, unknown>): Partial<DeliveryMode> {
  const mode: Partial<DeliveryMode> = {};
  const duplicates = asBool(body.duplicates);
  if (duplicates !== undefined) mode.duplicates = duplicates;
  const shuffle = asBool(body.shuffle);
  if (shuffle !== undefined) mode.shuffle = shuffle;
  const delayMs = asNumber(body.delayMs);
  if (delayMs !== undefined) mode.delayMs = delayMs;
  const seed = asNumber(body.seed);
  if (seed !== undefined) mode.seed = seed;
  return mode;
}

/** Turns the API's drill switches on or off; only the fields given change. */
export function setFaults(emulator: Emulator, body: Record<string, unknown>): ApiFaults {
  const latencyMs = asNumber(body.latencyMs);
  if (latencyMs !== undefined && (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 600_000)) {
    throw invalidParam('latencyMs', 'latencyMs must be a whole number of milliseconds from 0 to 600000');
  }
  const unavailable = asBool(body.unavailable);
  emulator.faults = {
    latencyMs: latencyMs ?? emulator.faults.latencyMs,
    unavailable: unavailable ?? emulator.faults.unavailable,
  };
  return emulator.faults;
}

/** `/_emulator/*`: test switches. Unauthenticated on purpose; the emulator binds to loopback only. */
export async function handleControl(
  emulator: Emulator,
  method: string,
  pathname: string,
  raw: string,
  contentType: string | undefined,
): Promise<ControlResponse> {
  try {
    const body = parseBody(raw, contentType);
    const route = `${method} ${pathname}`;
    if (route === 'GET /_emulator/health') return { status: 200, body: { ok: true, now: emulator.now() } };
    if (route === 'POST /_emulator/reset') {
      emulator.reset();
      return { status: 200, body: { ok: true } };
    }
    if (route === 'GET /_emulator/clock') {
      return { status: 200, body: { now: emulator.now(), offset: emulator.clock.offset } };
    }
    if (route === 'POST /_emulator/clock/advance') {
      const seconds = asNumber(body.seconds) ?? (asNumber(body.days) ?? 0) * 86_400;
      return { status: 200, body: advanceClock(emulator, seconds) };
    }
    if (route === 'POST /_emulator/webhooks/mode') {
      return { status: 200, body: emulator.webhooks.setMode(deliveryModeFrom(body)) };
    }
    if (route === 'POST /_emulator/webhooks/flush') {
      await emulator.webhooks.flush();
      return { status: 200, body: { ok: true, deliveries: emulator.webhooks.log.length } };
    }
    if (route === 'GET /_emulator/faults') return { status: 200, body: emulator.faults };
    if (route === 'POST /_emulator/faults') return { status: 200, body: setFaults(emulator, body) };
    if (route === 'GET /_emulator/webhooks/deliveries') {
      return { status: 200, body: { data: emulator.webhooks.log } };
    }
    const complete = /^POST \/_emulator\/checkout\/([^/]+)\/complete$/.exec(route);
    if (complete?.[1]) {
      const card = typeof body.card === 'string' ? body.card : '4242424242424242';
      const session = completeCheckout(emulator, complete[1], {
        email: typeof body.email === 'string' ? body.email : undefined,
        name: typeof body.name === 'string' ? body.name : undefined,
        card: { number: card, expMonth: 12, expYear: 2034, cvc: '123' },
      });
      emulator.save();
      return { status: 200, body: session };
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: `Unknown control route ${route}` } },
    };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body() };
    if (e instanceof SyntaxError)
      return { status: 400, body: { error: { type: 'invalid_request_error', message: e.message } } };
    throw e;
  }
}
