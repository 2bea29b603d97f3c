import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Stripe-looking ids (`cus_…`, `sub_…`); test-mode objects carry `_test_` in a few prefixes, as on Stripe. */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${out}`;
}

export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}
