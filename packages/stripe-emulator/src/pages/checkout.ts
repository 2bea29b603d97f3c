import type Stripe from 'stripe';
import { sessionLineItems, sessionNextCharge, sessionTotals } from '../billing/checkout';
import type { Emulator } from '../core';
import { idOf } from '../views';
import { CARD_SCRIPT, cardFields, date, escapeHtml, money, page } from './layout';

function intervalText(price: Stripe.Price): string {
  if (!price.recurring) return '';
  const { interval, interval_count: count } = price.recurring;
  return count === 1 ? `per ${interval}` : `every ${count} ${interval}s`;
}

/** A coupon's terms as Stripe's page words them: what it takes off and for how long. */
function couponTerms(coupon: Stripe.Coupon, currency: string): string {
  const off =
    coupon.percent_off != null
      ? `${coupon.percent_off}% off`
      : `${money(coupon.amount_off ?? 0, coupon.currency ?? currency)} off`;
  if (coupon.duration === 'forever') return `${off} forever`;
  if (coupon.duration === 'once') return `${off} once`;
  const months = coupon.duration_in_months ?? 1;
  return `${off} for ${months} ${months === 1 ? 'month' : 'months'}`;
}

const shortDate = (timestamp: number) =>
  new Date(timestamp * 1000).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function renderClosedCheckout(session: Stripe.Checkout.Session): string {
  const message =
    session.status === 'complete'
      ? 'This checkout session is already complete.'
      : 'This checkout session has expired.';
  return page(
    'Checkout',
    `<main class="wrap single"><div class="card"><h1 data-testid="checkout-closed">${escapeHtml(message)}</h1></div></main>`,
  );
}

export function renderCheckout(
  emulator: Emulator,
  session: Stripe.Checkout.Session,
  state: { error?: string; notice?: string; email?: string; name?: string } = {},
): string {
  const extras = emulator.store.checkoutExtras(session.id);
  const items = sessionLineItems(emulator, session);
  const totals = sessionTotals(emulator, session);
  const currency = session.currency ?? 'usd';
  const trialDays = extras?.trialPeriodDays ?? null;
  const first = items[0];
  const customerId = idOf(session.customer);
  const customer = customerId ? emulator.store.find('customers', customerId) : undefined;
  const email = customer?.email ?? session.customer_email ?? state.email ?? '';
  // What the customer pays after today, discounts that last included: the page never quotes the full price
  // for a period the coupon still covers.
  const next = sessionNextCharge(emulator, session);
  const discountRows = (session.discounts ?? [])
    .map((d) => {
      const coupon = emulator.store.find('coupons', idOf(d.coupon) ?? '');
      const promo = d.promotion_code
        ? emulator.store.find('promotion_codes', idOf(d.promotion_code) ?? '')
        : undefined;
      const label = promo?.code ?? coupon?.name ?? coupon?.id ?? 'Discount';
      const off =
        coupon?.percent_off != null
          ? `${coupon.percent_off}% off`
          : `${money(coupon?.amount_off ?? 0, currency)} off`;
      const terms = coupon
        ? `<br><span class="muted" data-testid="discount-terms">${escapeHtml(couponTerms(coupon, currency))}</span>`
        : '';
      return `<div class="row" data-testid="discount"><span>${escapeHtml(label)} <span class="muted">(${escapeHtml(off)})</span>${terms}</span><span>${money(-(totals.total_details?.amount_discount ?? 0), currency)}</span></div>`;
    })
    .join('');
  const lines = items
    .map(
      (item) =>
        `<div class="row" data-testid="line-item"><span>${escapeHtml(item.description)}${(item.quantity ?? 1) > 1 ? ` × ${item.quantity}` : ''}<br><span class="muted">${item.price ? money(item.price.unit_amount ?? 0, currency) : ''} ${item.price ? escapeHtml(intervalText(item.price)) : ''}</span></span><span>${money(item.amount_subtotal, currency)}</span></div>`,
    )
    .join('');
  const headline = trialDays
    ? `<div class="big" data-testid="trial">${trialDays} days free</div><div class="muted">Then ${money(next?.amount ?? 0, currency)} ${first?.price ? escapeHtml(intervalText(first.price)) : ''}</div>`
    : `<div class="big">${money(totals.amount_total ?? 0, currency)}</div><div class="muted">${first?.price ? escapeHtml(intervalText(first.price)) : ''}</div>`;
  const promoForm =
    session.allow_promotion_codes && (session.discounts ?? []).length === 0
      ? `<form method="post" action="/c/pay/${session.id}/promo" class="card">
          <label for="promotionCode">Promotion code</label>
          <div class="inline"><input id="promotionCode" name="code" data-testid="promotion-code"><button type="submit" class="secondary" data-testid="apply-promotion-code">Apply</button></div>
        </form>`
      : '';
  const emailField = customer
    ? `<label>Email</label><div data-testid="customer-email">${escapeHtml(email)}</div>`
    : `<label for="email">Email</label><input id="email" name="email" type="email" data-testid="email" autocomplete="email" value="${escapeHtml(email)}" required>`;
  const buttonLabel = trialDays ? 'Start trial' : 'Pay';
  const body = `
<main class="wrap">
  <section>
    ${session.cancel_url ? `<a href="${escapeHtml(session.cancel_url)}" data-testid="cancel-link">← Cancel and return</a>` : ''}
    <h1 style="margin-top:16px">Subscribe to ${escapeHtml(first?.description ?? 'your plan')}</h1>
    ${headline}
    <div class="card" style="margin-top:20px">
      ${lines}
      ${discountRows}
      ${trialDays ? `<div class="row"><span>Trial ends</span><span>${escapeHtml(date(emulator.now() + trialDays * 86_400))}</span></div>` : ''}
      <div class="row total"><span>Total due today</span><span data-testid="total-due">${money(totals.amount_total ?? 0, currency)}</span></div>
      ${next ? `<div class="row muted"><span>Next charge</span><span data-testid="next-charge">${money(next.amount, currency)} on ${escapeHtml(shortDate(next.at))}</span></div>` : ''}
    </div>
  </section>
  <section>
    ${state.notice ? `<div class="notice" role="status">${escapeHtml(state.notice)}</div>` : ''}
    ${promoForm}
    <form method="post" action="/c/pay/${session.id}" class="card" data-once>
      ${state.error ? `<div class="alert" role="alert" data-testid="error">${escapeHtml(state.error)}</div>` : ''}
      ${emailField}
      <h2>Payment method</h2>
      ${cardFields()}
      <button type="submit" class="full" data-testid="submit">${buttonLabel}</button>
      <p class="muted" style="font-size:12px">Test cards: 4242 4242 4242 4242 succeeds · 4000 0000 0000 0341 fails later charges · 4000 0000 0000 9995 is declined.</p>
    </form>
  </section>
</main>`;
  return page('Checkout', body, CARD_SCRIPT);
}
