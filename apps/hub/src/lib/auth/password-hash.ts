import { hash as argon2Hash, verify as argon2Verify, type Options } from '@node-rs/argon2';
import { schema, type TDatabase } from '@omg/db';
import { verifyPassword as verifyScrypt } from 'better-auth/crypto';
import { and, eq } from 'drizzle-orm';
import { logger } from '../logger';

/**
 * argon2id at OWASP's minimum (Password Storage Cheat Sheet: 19 MiB, 2 passes, 1 lane). Native (@node-rs/argon2,
 * off the event loop) it takes about a fifth of the time better-auth's scrypt (N=16384, r=16) did on the same
 * machine, so sign-in is no longer bound by the hash. `algorithm: 2` is Algorithm.Argon2id: the library declares
 * it as an ambient const enum, which isolatedModules cannot read.
 */
export const ARGON2ID_PARAMETERS: Options = {
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/** An argon2id hash in the PHC string format; anything else stored is better-auth's former scrypt "salt:key". */
const isArgon2 = (stored: string) => stored.startsWith('$argon2');

/** NFKC as better-auth's scrypt did, so the same typed password verifies whichever Unicode form the device sends. */
const normalized = (password: string) => password.normalize('NFKC');

/**
 * The Hub's password hash for better-auth (`emailAndPassword.password`). New hashes are argon2id. Hashes written
 * before the switch (scrypt) keep verifying, and the first successful check of one replaces it with argon2id —
 * matched on the old hash itself, which is unique (random salt) and makes a concurrent rehash a no-op.
 */
export function createPasswordHash(database: TDatabase) {
  return {
    hash: (password: string) => argon2Hash(normalized(password), ARGON2ID_PARAMETERS),
    verify: async ({ hash, password }: { hash: string; password: string }): Promise<boolean> => {
      if (isArgon2(hash)) return argon2Verify(hash, normalized(password));
      if (!(await verifyScrypt({ hash, password }))) return false;
      try {
        const upgraded = await argon2Hash(normalized(password), ARGON2ID_PARAMETERS);
        await database
          .update(schema.account)
          .set({ password: upgraded, updatedAt: new Date() })
          .where(and(eq(schema.account.providerId, 'credential'), eq(schema.account.password, hash)));
      } catch (error) {
        // The password was right: the sign-in goes on, and the next one tries the upgrade again.
        logger.warn({ err: error }, 'password hash upgrade to argon2id failed');
      }
      return true;
    },
  };
}
