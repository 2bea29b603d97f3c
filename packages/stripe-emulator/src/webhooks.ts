import { createHmac } from 'node:crypto';
import type { StoredEvent } from './store';

export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
  enabledEvents: string[];
}

export interface DeliveryMode {
  /** Send every event twice, as Stripe occasionally does. */
  duplicates: boolean;
  /** Deliver ready events in a (seeded) random order instead of creation order. */
  shuffle: boolean;
  /** Hold every first delivery this long before sending it. */
  delayMs: number;
  seed: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  endpointId: string;
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
  ok: boolean;
  at: number;
  /** The back-off before the next attempt, or null when this was the last one. */
  retryInMs: number | null;
}

interface Job {
  seq: number;
  event: StoredEvent;
  target: WebhookTarget;
  attempt: number;
  readyAt: number;
  held: boolean;
}

const DEFAULT_MODE: DeliveryMode = { duplicates: false, shuffle: false, delayMs: 0, seed: 1 };

/** While shuffling, first deliveries wait this long so events from neighbouring requests can be reordered. */
const SHUFFLE_WINDOW_MS = 100;

export function signPayload(secret: string, payload: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Delivers events to webhook endpoints one at a time, signed as Stripe signs them, retrying failures with
 * exponential back-off. Order, duplication and delay are switchable for tests.
 */
export class WebhookDispatcher {
  private jobs: Job[] = [];
  private seq = 0;
  private busy = false;
  /** The delivery being sent right now (out of `jobs` until it has an answer). */
  private inFlight: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private random: () => number;
  readonly log: DeliveryRecord[] = [];
  mode: DeliveryMode = { ...DEFAULT_MODE };

  constructor(private readonly policy: RetryPolicy) {
    this.random = seededRandom(this.mode.seed);
  }

  setMode(mode: Partial<DeliveryMode>): DeliveryMode {
    this.mode = { ...this.mode, ...mode };
    if (mode.seed !== undefined) this.random = seededRandom(mode.seed);
    return this.mode;
  }

  enqueue(event: StoredEvent, targets: WebhookTarget[]): void {
    if (this.closed) return;
    const hold = this.mode.shuffle ? Math.max(this.mode.delayMs, SHUFFLE_WINDOW_MS) : this.mode.delayMs;
    const copies = this.mode.duplicates ? 2 : 1;
    for (const target of targets) {
      if (!target.enabledEvents.includes('*') && !target.enabledEvents.includes(event.type)) continue;
      for (let i = 0; i < copies; i++) {
        this.jobs.push({
          seq: this.seq++,
          event,
          target,
          attempt: 1,
          readyAt: Date.now() + hold,
          held: hold > 0,
        });
      }
    }
    this.schedule();
  }

  /**
   * Resolves once nothing is left to deliver: held first deliveries are released at once, retries still wait
   * for their back-off (keep it short in tests).
   */
  flush(): Promise<void> {
    for (const job of this.jobs) {
      if (job.held) {
        job.readyAt = Date.now();
        job.held = false;
      }
    }
    this.schedule();
    if (this.jobs.length === 0 && !this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Back to a fresh start: nothing queued, nothing logged, default delivery mode. */
  clear(): void {
    this.jobs = [];
    this.log.length = 0;
    this.setMode(DEFAULT_MODE);
    this.notifyIdle();
  }

  /**
   * Stops delivering and hands back what was still owed (queued first deliveries, retries waiting for their
   * back-off, and the one being sent), so a restart can pick them up as Stripe keeps retrying across an outage.
   */
  close(): Array<{ eventId: string; url: string; attempt: number }> {
    const owed = [...(this.inFlight ? [this.inFlight] : []), ...this.jobs]
      .sort((a, b) => a.seq - b.seq)
      .map((job) => ({ eventId: job.event.id, url: job.target.url, attempt: job.attempt }));
    this.closed = true;
    this.jobs = [];
    this.schedule();
    return owed;
  }

  /** Queues deliveries an earlier run still owed, at once and with their attempt count. */
  resume(owed: Array<{ event: StoredEvent; target: WebhookTarget; attempt: number }>): void {
    if (this.closed) return;
    for (const { event, target, attempt } of owed) {
      this.jobs.push({ seq: this.seq++, event, target, attempt, readyAt: Date.now(), held: false });
    }
    this.schedule();
  }

  private notifyIdle(): void {
    if (this.jobs.length > 0 || this.busy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedule(): void {
    if (this.busy) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.jobs.length === 0 || this.closed) {
      this.notifyIdle();
      return;
    }
    const next = Math.min(...this.jobs.map((job) => job.readyAt));
    this.timer = setTimeout(() => this.runNext(), Math.max(0, next - Date.now()));
  }

  private pick(): Job | undefined {
    const now = Date.now();
    const ready = this.jobs.filter((job) => job.readyAt <= now);
    if (ready.length === 0) return undefined;
    if (this.mode.shuffle) return ready[Math.floor(this.random() * ready.length)];
    return ready.reduce((a, b) => (b.seq < a.seq ? b : a));
  }

  private async runNext(): Promise<void> {
    this.timer = null;
    const job = this.pick();
    if (!job) {
      this.schedule();
      return;
    }
    this.jobs = this.jobs.filter((j) => j !== job);
    this.busy = true;
    this.inFlight = job;
    try {
      await this.deliver(job);
    } finally {
      this.inFlight = null;
      this.busy = false;
      this.schedule();
    }
  }

  private async deliver(job: Job): Promise<void> {
    const payload = JSON.stringify(job.event, null, 2);
    // Signed with wall-clock time, not emulated time: receivers check it against their own clock.
    const signature = signPayload(job.target.secret, payload, Math.floor(Date.now() / 1000));
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(job.target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const retry = !ok && job.attempt < this.policy.maxAttempts && !this.closed;
    const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (job.attempt - 1));
    this.log.push({
      eventId: job.event.id,
      type: job.event.type,
      endpointId: job.target.id,
      url: job.target.url,
      attempt: job.attempt,
      status,
      error,
      ok,
      at: Date.now(),
      retryInMs: retry ? delay : null,
    });
    if (retry) {
      this.jobs.push({
        ...job,
        seq: job.seq,
        attempt: job.attempt + 1,
        readyAt: Date.now() + delay,
        held: false,
      });
    }
  }
}
