import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type Stripe from 'stripe';
import { notFound } from './errors';

/** A pending proration waiting for the subscription's next invoice. */
export interface PendingItem {
  id: string;
  customer: string;
  subscription: string;
  subscription_item: string;
  price: string;
  amount: number;
  currency: string;
  description: string;
  period: { start: number; end: number };
  quantity: number;
}

/** What a checkout session needs at completion that Stripe's Session object does not show. */
export interface CheckoutExtras {
  lineItems: Array<{ id: string; price: string; quantity: number }>;
  trialPeriodDays: number | null;
  subscriptionMetadata: Record<string, string>;
  subscriptionDescription: string | null;
}

/** `Stripe.Event` is a union over every event type; this is its common shape with an untyped payload. */
export interface StoredEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface IdempotencyRecord {
  /** Wall-clock milliseconds; Stripe forgets keys after 24 hours. */
  storedAt: number;
  fingerprint: string;
  status: number;
  body: string;
}

export interface Collections {
  customers: Stripe.Customer;
  products: Stripe.Product;
  prices: Stripe.Price;
  coupons: Stripe.Coupon;
  promotion_codes: Stripe.PromotionCode;
  discounts: Stripe.Discount;
  checkout_sessions: Stripe.Checkout.Session;
  subscriptions: Stripe.Subscription;
  invoices: Stripe.Invoice;
  pending_items: PendingItem;
  payment_methods: Stripe.PaymentMethod;
  charges: Stripe.Charge;
  payment_intents: Stripe.PaymentIntent;
  invoice_payments: Stripe.InvoicePayment;
  refunds: Stripe.Refund;
  billing_portal_sessions: Stripe.BillingPortal.Session;
  billing_portal_configurations: Stripe.BillingPortal.Configuration;
  events: StoredEvent;
  webhook_endpoints: Stripe.WebhookEndpoint;
}

export type Kind = keyof Collections;

const KINDS: Kind[] = [
  'customers',
  'products',
  'prices',
  'coupons',
  'promotion_codes',
  'discounts',
  'checkout_sessions',
  'subscriptions',
  'invoices',
  'pending_items',
  'payment_methods',
  'charges',
  'payment_intents',
  'invoice_payments',
  'refunds',
  'billing_portal_sessions',
  'billing_portal_configurations',
  'events',
  'webhook_endpoints',
];

/** Names used in Stripe's "No such …" messages. */
const RESOURCE_NAMES: Record<Kind, string> = {
  customers: 'customer',
  products: 'product',
  prices: 'price',
  coupons: 'coupon',
  promotion_codes: 'promotion code',
  discounts: 'discount',
  checkout_sessions: 'checkout.session',
  subscriptions: 'subscription',
  invoices: 'invoice',
  pending_items: 'invoiceitem',
  payment_methods: 'PaymentMethod',
  charges: 'charge',
  payment_intents: 'payment_intent',
  invoice_payments: 'invoice_payment',
  refunds: 'refund',
  billing_portal_sessions: 'billing_portal.session',
  billing_portal_configurations: 'billing_portal.configuration',
  events: 'event',
  webhook_endpoints: 'webhook endpoint',
};

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const SAVE_DELAY_MS = 50;

interface State {
  objects: { [K in Kind]: Record<string, Collections[K]> };
  deleted: Record<string, Kind>;
  checkoutExtras: Record<string, CheckoutExtras>;
  idempotency: Record<string, IdempotencyRecord>;
  /** One-off facts such as "trial_will_end sent for this trial", so scheduled work runs once. */
  flags: Record<string, true>;
  clockOffset: number;
  invoiceSequence: number;
  /** Webhook deliveries (first ones and retries) still owed when the emulator last stopped; resumed at start. */
  pendingDeliveries: PendingDelivery[];
}

export interface PendingDelivery {
  eventId: string;
  url: string;
  attempt: number;
}

function emptyState(): State {
  const objects = {} as State['objects'];
  for (const kind of KINDS) (objects as Record<Kind, Record<string, unknown>>)[kind] = {};
  return {
    objects,
    deleted: {},
    checkoutExtras: {},
    idempotency: {},
    flags: {},
    clockOffset: 0,
    invoiceSequence: 0,
    pendingDeliveries: [],
  };
}

/** All emulator state, in memory, optionally mirrored to a JSON file after every change. */
export class Store {
  private state: State = emptyState();
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(private readonly persistPath?: string) {
    if (persistPath && existsSync(persistPath)) {
      const loaded = JSON.parse(readFileSync(persistPath, 'utf8')) as Partial<State>;
      this.state = { ...emptyState(), ...loaded, objects: { ...emptyState().objects, ...loaded.objects } };
    }
  }

  get clockOffset(): number {
    return this.state.clockOffset;
  }

  set clockOffset(value: number) {
    this.state.clockOffset = value;
  }

  get pendingDeliveries(): PendingDelivery[] {
    return this.state.pendingDeliveries;
  }

  set pendingDeliveries(value: PendingDelivery[]) {
    this.state.pendingDeliveries = value;
  }

  nextInvoiceNumber(prefix: string): string {
    this.state.invoiceSequence += 1;
    return `${prefix}-${String(this.state.invoiceSequence).padStart(4, '0')}`;
  }

  find<K extends Kind>(kind: K, id: string): Collections[K] | undefined {
    return this.state.objects[kind][id];
  }

  get<K extends Kind>(kind: K, id: string, param = 'id'): Collections[K] {
    const found = this.find(kind, id);
    if (!found) throw notFound(RESOURCE_NAMES[kind], id, param);
    return found;
  }

  put<K extends Kind>(kind: K, obj: Collections[K]): Collections[K] {
    (this.state.objects[kind] as Record<string, Collections[K]>)[obj.id] = obj;
    return obj;
  }

  remove(kind: Kind, id: string): void {
    delete this.state.objects[kind][id];
    this.state.deleted[id] = kind;
  }

  /** Drops objects outright (no "deleted" tombstone), for data Stripe itself stops keeping. */
  discard<K extends Kind>(kind: K, keep: (obj: Collections[K]) => boolean): void {
    const objects = this.state.objects[kind] as Record<string, Collections[K]>;
    for (const [id, obj] of Object.entries(objects)) if (!keep(obj)) delete objects[id];
  }

  wasDeleted(kind: Kind, id: string): boolean {
    return this.state.deleted[id] === kind;
  }

  /** Oldest first, in creation order. */
  all<K extends Kind>(kind: K): Collections[K][] {
    return Object.values(this.state.objects[kind]);
  }

  checkoutExtras(sessionId: string): CheckoutExtras | undefined {
    return this.state.checkoutExtras[sessionId];
  }

  setCheckoutExtras(sessionId: string, extras: CheckoutExtras): void {
    this.state.checkoutExtras[sessionId] = extras;
  }

  idempotency(key: string): IdempotencyRecord | undefined {
    const record = this.state.idempotency[key];
    if (record && Date.now() - record.storedAt > IDEMPOTENCY_TTL_MS) {
      delete this.state.idempotency[key];
      return undefined;
    }
    return record;
  }

  setIdempotency(key: string, record: Omit<IdempotencyRecord, 'storedAt'>): void {
    this.state.idempotency[key] = { ...record, storedAt: Date.now() };
  }

  flag(key: string): boolean {
    return this.state.flags[key] === true;
  }

  setFlag(key: string): void {
    this.state.flags[key] = true;
  }

  reset(): void {
    this.state = emptyState();
    this.flush();
  }

  /**
   * Writes are coalesced: a burst of requests costs one write of the (possibly large) state. `flush` writes
   * at once, for shutdown.
   */
  save(): void {
    if (!this.persistPath || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (!this.persistPath) return;
    mkdirSync(dirname(this.persistPath), { recursive: true });
    const tmp = `${this.persistPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.persistPath);
  }
}
