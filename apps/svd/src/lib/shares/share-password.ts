import { hash, type Options, verify } from '@node-rs/argon2';

/**
 * The Hub's account-password parameters (apps/hub/src/lib/auth/password-hash.ts): argon2id at OWASP's minimum,
 * 19 MiB, 2 passes, 1 lane; `algorithm: 2` is Argon2id (an ambient const enum isolatedModules cannot read).
 */
const ARGON2ID_PARAMETERS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Longest password a link takes; a longer one offered to a link is simply wrong (and still costs one verify). */
export const MAX_SHARE_PASSWORD_LENGTH = 256;

// NFKC, so the same typed password verifies whichever Unicode form the recipient's device sends.
const normalized = (password: string) => password.normalize('NFKC');

export const hashSharePassword = (password: string) => hash(normalized(password), ARGON2ID_PARAMETERS);

// Verified against when there is no real hash to check (unknown, dead or password-less link offered a password),
// so every attempt that carries a password costs one argon2 verify and a miss is not answered measurably faster.
let dummyHash: Promise<string> | null = null;

/**
 * Whether `password` opens a link whose stored hash is `stored` (null: the link has none, or there is no link).
 * Always runs exactly one argon2id verify.
 */
export async function verifySharePassword(stored: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashSharePassword('not a password of any link');
  const candidate = password.length > MAX_SHARE_PASSWORD_LENGTH ? '' : password;
  const ok = await verify(stored ?? (await dummyHash), normalized(candidate)).catch(() => false);
  return ok && stored !== null && password.length <= MAX_SHARE_PASSWORD_LENGTH;
}
