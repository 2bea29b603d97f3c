import type Stripe from 'stripe';
import { Clock } from './clock';
import { API_VERSION, DEFAULT_DUNNING, type DunningPolicy } from './config';
import { expand } from './expand';
import { newId } from './ids';
import { type Kind, Store, type StoredEvent } from './store';
import { couponIsValid, includable, viewSubscription } from './views';
import { type RetryPolicy, WebhookDispatcher, type WebhookTarget } from './webhooks';

export interface EmulatorConfig {
  persistPath?: string;
  webhooks?: Array<{ url: string; secret: string; events?: string[] }>;
  apiKey?: string;
  publicBaseUrl: string;
  dunning?: Partial<DunningPolicy>;
  webhookRetry?: Partial<RetryPolicy>;
}

export interface RequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

/** Stripe keeps events for 30 days; so does the emulator, which keeps a long dev session's state small. */
const EVENT_RETENTION_SECONDS = 30 * 86_400;

/** Field names whose ids do not carry a recognisable prefix (coupons and products may have custom ids). */
const FIELD_KINDS: Record<string, Kind> = {
  coupon: 'coupons',
  product: 'products',
  price: 'prices',
  customer: 'customers',
  subscription: 'subscriptions',
  latest_invoice: 'invoices',
  invoice: 'invoices',
  default_payment_method: 'payment_methods',
  payment_method: 'payment_methods',
  promotion_code: 'promotion_codes',
  charge: 'charges',
  payment_intent: 'payment_intents',
  latest_charge: 'charges',
  discounts: 'discounts',
};

const PREFIX_KINDS: Array<[string, Kind]> = [
  ['cus_', 'customers'],
  ['prod_', 'products'],
  ['price_', 'prices'],
  ['sub_', 'subscriptions'],
  ['in_', 'invoices'],
  ['cs_', 'checkout_sessions'],
  ['pm_', 'payment_methods'],
  ['ch_', 'charges'],
  ['pi_', 'payment_intents'],
  ['re_', 'refunds'],
  ['inpay_', 'invoice_payments'],
  ['promo_', 'promotion_codes'],
  ['di_', 'discounts'],
];

/**
 * Drill switches for the API (`/v1/*`) only; the control API and the hosted pages stay prompt so a test can
 * always turn them off again. `latencyMs` holds every API answer back that long; `unavailable` answers 503
 * `api_error` (after the latency), as Stripe does during an incident.
 */
export interface ApiFaults {
  latencyMs: number;
  unavailable: boolean;
}

export const NO_FAULTS: ApiFaults = { latencyMs: 0, unavailable: false };

/** The emulated Stripe account: state, time, events and their delivery. HTTP and pages sit on top of it. */
export class Emulator {
  readonly store: Store;
  readonly clock: Clock;
  readonly webhooks: WebhookDispatcher;
  readonly dunning: DunningPolicy;
  readonly apiVersion = API_VERSION;
  /** Set by the HTTP layer while a request runs, so events record which request caused them. */
  request: RequestInfo | null = null;
  /** Outage switches for drills (off by default): what a slow or failing Stripe looks like to a client. */
  faults: ApiFaults = { ...NO_FAULTS };
  private readonly staticTargets: WebhookTarget[];
  private emitted = 0;

  constructor(readonly config: EmulatorConfig) {
    this.store = new Store(config.persistPath);
    this.clock = new Clock(this.store.clockOffset);
    this.dunning = { ...DEFAULT_DUNNING, ...config.dunning };
    this.webhooks = new WebhookDispatcher({
      maxAttempts: 8,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      timeoutMs: 10_000,
      ...config.webhookRetry,
    });
    this.staticTargets = (config.webhooks ?? []).map((w, i) => ({
      id: `we_static_${i}`,
      url: w.url,
      secret: w.secret,
      enabledEvents: w.events ?? ['*'],
    }));
  }

  /**
   * Picks up the webhook deliveries the previous run still owed (persisted by `stop`), to endpoints that still
   * exist; events that are gone are dropped.
   */
  resumeDeliveries(): void {
    const targets = this.webhookTargets();
    const owed = this.store.pendingDeliveries.flatMap(({ eventId, url, attempt }) => {
      const event = this.store.find('events', eventId);
      const target = targets.find((t) => t.url === url);
      return event && target ? [{ event, target, attempt }] : [];
    });
    this.store.pendingDeliveries = [];
    this.webhooks.resume(owed);
  }

  /** Stops delivering and remembers what was still owed, for the next start with the same `persistPath`. */
  stop(): void {
    this.store.pendingDeliveries = this.webhooks.close();
    this.flush();
  }

  now(): number {
    return this.clock.now();
  }

  get baseUrl(): string {
    return this.config.publicBaseUrl;
  }

  webhookTargets(): WebhookTarget[] {
    const dynamic = this.store
      .all('webhook_endpoints')
      .filter((endpoint) => endpoint.status === 'enabled' && endpoint.secret)
      .map((endpoint) => ({
        id: endpoint.id,
        url: endpoint.url,
        secret: endpoint.secret ?? '',
        enabledEvents: endpoint.enabled_events,
      }));
    return [...this.staticTargets, ...dynamic];
  }

  /** The object as the API shows it: derived parts (embedded prices) refreshed from current state. */
  view<T>(obj: T): T {
    const o = obj as { object?: string } | null;
    if (!o) return obj;
    if (o.object === 'subscription') return viewSubscription(this.store, obj as Stripe.Subscription) as T;
    // A deleted coupon (`{ id, object, deleted }`) has no `valid`: Stripe.DeletedCoupon declares none.
    if (o.object === 'coupon' && !(obj as { deleted?: boolean }).deleted) {
      const coupon = obj as Stripe.Coupon;
      return { ...coupon, valid: couponIsValid(coupon, this.now()) } as T;
    }
    return obj;
  }

  resolve = (field: string, id: string): unknown => {
    const kind = FIELD_KINDS[field] ?? PREFIX_KINDS.find(([prefix]) => id.startsWith(prefix))?.[1];
    if (!kind) return undefined;
    const found = this.store.find(kind, id);
    return found ? this.view(found) : undefined;
  };

  expand<T>(obj: T, paths: string[]): T {
    return expand(obj, paths, this.resolve, (field, parent) => includable(this.store, field, parent));
  }

  emit(type: string, object: unknown, previousAttributes?: Record<string, unknown>): StoredEvent {
    const targets = this.webhookTargets();
    const event: StoredEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.apiVersion,
      created: this.now(),
      data: {
        object: JSON.parse(JSON.stringify(this.view(object))),
        ...(previousAttributes
          ? { previous_attributes: JSON.parse(JSON.stringify(previousAttributes)) }
          : {}),
      },
      livemode: false,
      pending_webhooks: targets.filter((t) => t.enabledEvents.includes('*') || t.enabledEvents.includes(type))
        .length,
      request: this.request ?? { id: null, idempotency_key: null },
      type,
    };
    this.store.put('events', event);
    this.webhooks.enqueue(event, targets);
    this.emitted += 1;
    if (this.emitted % 500 === 0) {
      const cutoff = event.created - EVENT_RETENTION_SECONDS;
      this.store.discard('events', (e) => e.created >= cutoff);
    }
    return event;
  }

  /** Emits `<type>` with `previous_attributes` holding the top-level fields that differ from `before`. */
  emitUpdate(type: string, before: unknown, after: unknown): StoredEvent | null {
    const prev = JSON.parse(JSON.stringify(this.view(before))) as Record<string, unknown>;
    const next = JSON.parse(JSON.stringify(this.view(after))) as Record<string, unknown>;
    const changed: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(prev), ...Object.keys(next)])) {
      if (JSON.stringify(prev[key]) !== JSON.stringify(next[key])) changed[key] = prev[key] ?? null;
    }
    if (Object.keys(changed).length === 0) return null;
    return this.emit(type, after, changed);
  }

  reset(): void {
    this.faults = { ...NO_FAULTS };
    this.store.reset();
    this.clock.reset();
    this.webhooks.clear();
  }

  save(): void {
    this.store.clockOffset = this.clock.offset;
    this.store.save();
  }

  flush(): void {
    this.store.clockOffset = this.clock.offset;
    this.store.flush();
  }
}
