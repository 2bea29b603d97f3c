import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgSchema,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Identity shared by every app: users, their Hub sessions and credentials (better-auth's tables). */
export const core = pgSchema('core');

export const user = core.table(
  'User',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull().unique(),
    name: text('name'),
    image: text('image'),
    accountType: text('accountType').default('personal'),
    emailVerified: boolean('emailVerified').notNull().default(false),
    /** better-auth's twoFactor plugin: sign-in asks for a code after the password. */
    twoFactorEnabled: boolean('twoFactorEnabled').notNull().default(false),
    /**
     * When the owner deleted the account: sign-in is gone at once (credentials and sessions removed, the address
     * freed); each app purges its own data after ACCOUNT_DELETION_GRACE_DAYS (SVD: npm run svd:purge-deleted).
     */
    deletedAt: timestamp('deletedAt'),
    /**
     * Who may open the operator's console at the Hub's /admin (issue 14): 'user' (every customer), 'support' or
     * 'admin'. Granted only by `npm run admin:grant`, never from a page; every grant is in hub."AuditLog".
     */
    role: text('role').notNull().default('user'),
    createdAt: timestamp('createdAt').defaultNow(),
    updatedAt: timestamp('updatedAt').defaultNow(),
  },
  // Emails are compared case-insensitively; the database refuses two spellings of one address.
  (t) => [
    uniqueIndex('User_email_lower_key').on(sql`lower(${t.email})`),
    check('User_role_check', sql`${t.role} IN ('user', 'support', 'admin')`),
  ],
);

export const session = core.table('Session', {
  id: text('id').primaryKey(),
  userId: text('userId')
    .notNull()
    .references(() => user.id, { onDelete: 'cascade' }),
  token: text('token').notNull().unique(),
  expiresAt: timestamp('expiresAt').notNull(),
  ipAddress: text('ipAddress'),
  userAgent: text('userAgent'),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
});

export const account = core.table('Account', {
  id: text('id').primaryKey(),
  userId: text('userId')
    .notNull()
    .references(() => user.id, { onDelete: 'cascade' }),
  accountId: text('accountId').notNull(),
  providerId: text('providerId').notNull(),
  accessToken: text('accessToken'),
  refreshToken: text('refreshToken'),
  idToken: text('idToken'),
  accessTokenExpiresAt: timestamp('accessTokenExpiresAt'),
  refreshTokenExpiresAt: timestamp('refreshTokenExpiresAt'),
  scope: text('scope'),
  password: text('password'),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
});

export const verification = core.table('Verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expiresAt').notNull(),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
});

/**
 * better-auth's twoFactor plugin: the TOTP secret and the backup codes, both encrypted with BETTER_AUTH_SECRET
 * (a used backup code is removed from the list). `verified` stays false until the first code is confirmed.
 */
export const twoFactor = core.table(
  'TwoFactor',
  {
    id: text('id').primaryKey(),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull(),
    backupCodes: text('backupCodes').notNull(),
    verified: boolean('verified').notNull().default(true),
    failedVerificationCount: integer('failedVerificationCount').notNull().default(0),
    lockedUntil: timestamp('lockedUntil'),
  },
  (t) => [uniqueIndex('TwoFactor_userId_key').on(t.userId)],
);

/**
 * WebAuthn credentials (passkeys): the shape of better-auth's passkey plugin, so the plugin can take the table over
 * when a release matches our better-auth. `publicKey` is the COSE key (base64url); `counter` guards against clones.
 */
export const passkey = core.table(
  'Passkey',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    publicKey: text('publicKey').notNull(),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    credentialID: text('credentialID').notNull(),
    counter: integer('counter').notNull().default(0),
    deviceType: text('deviceType').notNull(),
    backedUp: boolean('backedUp').notNull().default(false),
    transports: text('transports'),
    aaguid: text('aaguid'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    lastUsedAt: timestamp('lastUsedAt'),
  },
  (t) => [
    uniqueIndex('Passkey_credentialID_key').on(t.credentialID),
    index('Passkey_userId_idx').on(t.userId),
  ],
);

/** Login attempts counted in the database, so the limit holds across several Hub instances. */
export const rateLimit = core.table('RateLimit', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  count: integer('count').notNull(),
  lastRequest: bigint('lastRequest', { mode: 'number' }).notNull(),
});

export const organization = core.table('Organization', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
});

export const membership = core.table(
  'Membership',
  {
    id: text('id').primaryKey(),
    organizationId: text('organizationId')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('member'),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [unique('Membership_organizationId_userId_key').on(t.organizationId, t.userId)],
);
