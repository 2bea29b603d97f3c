import type Stripe from 'stripe';
import { INCOMPLETE_EXPIRY_SECONDS } from '../config';
import type { Emulator } from '../core';
import { expireCheckoutSession } from './checkout';
import { cancelOpenInvoicePayments } from './invoices';
import { renewSubscription, retryInvoice } from './subscription-lifecycle';

type Task = { at: number; run: () => void };

/** Stripe announces the end of a trial three days ahead. */
const TRIAL_NOTICE_SECONDS = 3 * 86_400;

const RENEWING: Stripe.Subscription.Status[] = ['active', 'trialing', 'past_due', 'unpaid'];

function dueTasks(emulator: Emulator, until: number): Task[] {
  const tasks: Task[] = [];
  for (const sub of emulator.store.all('subscriptions')) {
    const end = sub.items.data[0]?.current_period_end;
    if (RENEWING.includes(sub.status) && end !== undefined) {
      const at = sub.cancel_at !== null && sub.cancel_at < end ? sub.cancel_at : end;
      if (at <= until) tasks.push({ at, run: () => renewSubscription(emulator, sub) });
    }
    const notice = sub.trial_end !== null ? sub.trial_end - TRIAL_NOTICE_SECONDS : null;
    const noticeKey = `trial_will_end:${sub.id}:${sub.trial_end}`;
    if (
      sub.status === 'trialing' &&
      notice !== null &&
      notice <= until &&
      notice >= (sub.trial_start ?? 0) &&
      !emulator.store.flag(noticeKey)
    ) {
      tasks.push({
        at: notice,
        run: () => {
          emulator.store.setFlag(noticeKey);
          emulator.emit('customer.subscription.trial_will_end', sub);
        },
      });
    }
    if (sub.status === 'incomplete' && sub.created + INCOMPLETE_EXPIRY_SECONDS <= until) {
      tasks.push({ at: sub.created + INCOMPLETE_EXPIRY_SECONDS, run: () => expireIncomplete(emulator, sub) });
    }
  }
  for (const invoice of emulator.store.all('invoices')) {
    const at = invoice.next_payment_attempt;
    if (invoice.status === 'open' && at !== null && at <= until) {
      tasks.push({ at, run: () => retryInvoice(emulator, invoice) });
    }
  }
  for (const session of emulator.store.all('checkout_sessions')) {
    if (session.status === 'open' && session.expires_at <= until) {
      tasks.push({ at: session.expires_at, run: () => expireCheckoutSession(emulator, session) });
    }
  }
  return tasks;
}

function expireIncomplete(emulator: Emulator, sub: Stripe.Subscription): void {
  const latest = typeof sub.latest_invoice === 'string' ? sub.latest_invoice : sub.latest_invoice?.id;
  const invoice = latest ? emulator.store.find('invoices', latest) : undefined;
  if (invoice?.status === 'open') {
    const voided: Stripe.Invoice = {
      ...invoice,
      status: 'void',
      next_payment_attempt: null,
      status_transitions: { ...invoice.status_transitions, voided_at: emulator.now() },
    };
    emulator.store.put('invoices', voided);
    cancelOpenInvoicePayments(emulator, invoice.id);
    emulator.emit('invoice.voided', voided);
  }
  const next: Stripe.Subscription = { ...sub, status: 'incomplete_expired', ended_at: emulator.now() };
  emulator.store.put('subscriptions', next);
  emulator.emitUpdate('customer.subscription.updated', sub, next);
}

/**
 * Runs everything that falls due up to `until` in time order (renewals, trial ends, scheduled cancellations,
 * dunning retries, expiries), each with the clock pinned to its due time so timestamps read as on Stripe.
 */
export function runDue(emulator: Emulator, until: number): number {
  let ran = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const tasks = dueTasks(emulator, until);
    if (tasks.length === 0) break;
    const next = tasks.reduce((a, b) => (b.at < a.at ? b : a));
    emulator.clock.at(next.at, next.run);
    ran += 1;
  }
  return ran;
}
