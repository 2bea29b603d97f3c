import { type Browser, chromium } from '@playwright/test';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeEmulator } from './index';
import { type Catalog, createCatalog, startEmulator } from './test/helpers';

let emu: StripeEmulator;
let stripe: Stripe;
let catalog: Catalog;
let browser: Browser;

beforeAll(async () => {
  ({ emu, stripe } = await startEmulator());
  catalog = await createCatalog(stripe);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await emu?.close();
});

describe('hosted pages in Chromium', () => {
  it('is declined with 9995, then pays with 4242 and lands on success_url; the portal cancels', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.monthly.id, quantity: 1 }],
      success_url: `${emu.url}/?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${emu.url}/?cancelled=1`,
    });
    const page = await browser.newPage();
    try {
      await page.goto(session.url ?? '');
      await expect(page.getByRole('link', { name: /Cancel and return/ }).getAttribute('href')).resolves.toBe(
        `${emu.url}/?cancelled=1`,
      );
      await page.getByLabel('Email').fill('browser@example.com');
      await page.getByLabel('Card number').fill('4000000000009995');
      await page.getByLabel('Expiration (MM / YY)').fill('12 / 34');
      await page.getByLabel('CVC').fill('123');
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.getByTestId('error').waitFor();
      expect(await page.getByTestId('error').textContent()).toBe('Your card has insufficient funds.');
      expect(await page.getByLabel('Email').inputValue()).toBe('browser@example.com');

      await page.getByLabel('Card number').fill('4242424242424242');
      expect(await page.getByLabel('Card number').inputValue()).toBe('4242 4242 4242 4242');
      await page.getByLabel('Expiration (MM / YY)').fill('12 / 34');
      await page.getByLabel('CVC').fill('123');
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.waitForURL(`${emu.url}/?session_id=${session.id}`);

      const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
      expect(done.status).toBe('complete');
      expect((done.subscription as Stripe.Subscription).status).toBe('active');

      const portal = await stripe.billingPortal.sessions.create({
        customer: done.customer as string,
        return_url: `${emu.url}/?from=portal`,
      });
      await page.goto(portal.url);
      expect(await page.getByTestId('subscription-status').textContent()).toBe('active');
      await page.getByRole('button', { name: 'Cancel plan' }).click();
      await page.getByTestId('notice').waitFor();
      const sub = await stripe.subscriptions.retrieve((done.subscription as Stripe.Subscription).id);
      expect(sub.cancel_at_period_end).toBe(true);
      await page.getByTestId('return-link').click();
      await page.waitForURL(`${emu.url}/?from=portal`);
    } finally {
      await page.close();
    }
  }, 30_000);
});
