/**
 * What the benchmark seeds in its throw-away world, all through the apps' own front doors where it matters:
 * accounts (seedUser, then a real sign-in over HTTP for each session cookie), SecureVault subscriptions (the
 * Hub's checkout, the emulator's hosted page, the signed webhook), an SVD session (the real hand-off) and a vault.
 */

import { createLaunchState } from '@omg/contract';
import { findSubscription, schema } from '@omg/db';
import { seedUser } from '@omg/db/setup';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { TBenchStack } from './stack';

export const BENCH_PASSWORD = 'Bench-password-2026';

let addressCounter = 0;
/** A fresh client address per call (the Hub trusts one hop in the benchmark): per-address limits never bite. */
export function nextClientAddress(): string {
  addressCounter += 1;
  const n = addressCounter;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** name=value of every Set-Cookie, as a Cookie header. */
export function cookiesOf(response: Response, skip: (name: string) => boolean = () => false): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .filter((pair) => pair.includes('=') && !pair.endsWith('=') && !skip(pair.split('=')[0] ?? ''))
    .join('; ');
}

export async function signInOverHttp(stack: TBenchStack, email: string): Promise<string> {
  const response = await fetch(`${stack.hubUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: stack.hubUrl,
      'x-forwarded-for': nextClientAddress(),
    },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${email}: ${response.status} ${await response.text()}`);
  return cookiesOf(response);
}

/** A paid SecureVault subscription through the Hub's checkout and the emulator, provisioned by the webhook. */
async function subscribe(stack: TBenchStack, user: { id: string; cookie: string }, plan: string) {
  const response = await fetch(`${stack.hubUrl}/api/checkout/create-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.hubUrl, cookie: user.cookie },
    body: JSON.stringify({ productId: 'app_securevault', plan }),
  });
  if (response.status !== 200) throw new Error(`checkout: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  stack.emulator.completeCheckout(new URL(url).pathname.split('/').pop() ?? '', { card: '4242424242424242' });
  for (let waited = 0; waited < 30_000; waited += 100) {
    const row = await findSubscription(stack.admin.db, { userId: user.id, appId: 'app_securevault' });
    if (row?.stripeSubscriptionId) return row.stripeSubscriptionId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the subscription of ${user.id} was not provisioned within 30 s`);
}

export interface TBenchWorld {
  hubCookie: string;
  svdCookie: string;
  /** The state cookie every benchmark launch is bound to (SVD's /login/start would set it). */
  launchState: string;
  vaultId: string;
  signInEmails: string[];
  /** Stripe subscription ids the webhook benchmark sends customer.subscription.updated events for. */
  subscriptionIds: string[];
}

/** One launch: the Hub's form page for a state, and the token in it. */
export async function issueToken(stack: TBenchStack, hubCookie: string, state: string): Promise<string> {
  const response = await fetch(`${stack.hubUrl}/launch/securevault?state=${state}`, {
    headers: { cookie: hubCookie },
    redirect: 'manual',
  });
  const token = /name="token" value="([^"]+)"/.exec(await response.text())?.[1];
  if (response.status !== 200 || !token) throw new Error(`launch: ${response.status}, no token`);
  return token;
}

export async function seedWorld(
  stack: TBenchStack,
  options: { signInUsers: number; subscribers: number; log: (line: string) => void },
): Promise<TBenchWorld> {
  const { db } = stack.admin;
  const account = async (name: string) => {
    const email = `${name}@bench.example`;
    const id = await seedUser(db, { email, password: BENCH_PASSWORD, name });
    return { id, email, cookie: await signInOverHttp(stack, email) };
  };
  const main = await account('bench-main');
  // Pro: 1 GB per file, room for the 256 MB upload.
  await subscribe(stack, main, 'pro');
  const subscriptionIds: string[] = [];
  for (let i = 0; i < options.subscribers; i += 1) {
    subscriptionIds.push(await subscribe(stack, await account(`bench-subscriber-${i}`), 'growth'));
  }
  options.log(`${options.subscribers + 1} SecureVault subscriptions through checkout and webhook`);
  const signInEmails: string[] = [];
  for (let i = 0; i < options.signInUsers; i += 1) {
    // Signed in once here, so each hash is already argon2id (a seeded scrypt one is upgraded at the first sign-in).
    signInEmails.push((await account(`bench-signin-${i}`)).email);
  }
  const launchState = createLaunchState();
  const token = await issueToken(stack, main.cookie, launchState);
  const login = await fetch(`${stack.svdUrl}/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: stack.hubUrl,
      cookie: `svd_launch=${launchState}`,
    },
    body: new URLSearchParams({ token }).toString(),
    redirect: 'manual',
  });
  if (login.status !== 303) throw new Error(`hand-off: ${login.status} ${await login.text()}`);
  const svdCookie = cookiesOf(login, (name) => name === 'svd_launch');
  const vault = await fetch(`${stack.svdUrl}/api/vaults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.svdUrl, cookie: svdCookie },
    body: JSON.stringify({ name: 'Benchmark' }),
  });
  if (vault.status !== 201) throw new Error(`vault: ${vault.status} ${await vault.text()}`);
  const { vault: created } = (await vault.json()) as { vault: { id: string } };
  return {
    hubCookie: main.cookie,
    svdCookie,
    launchState,
    vaultId: created.id,
    signInEmails,
    subscriptionIds,
  };
}

/** How the webhook left each of these events: processed once, without error, or not. */
export async function eventsAppliedOnce(
  stack: TBenchStack,
  ids: string[],
): Promise<{ ok: number; bad: string[] }> {
  const rows = await stack.admin.db
    .select({
      id: schema.billingEvent.id,
      attempts: schema.billingEvent.attempts,
      error: schema.billingEvent.error,
    })
    .from(schema.billingEvent)
    .where(
      and(
        isNotNull(schema.billingEvent.processedAt),
        eq(schema.billingEvent.type, 'customer.subscription.updated'),
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const bad: string[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row?.attempts !== 1 || row.error) bad.push(id);
  }
  return { ok: ids.length - bad.length, bad };
}
