import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
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
    /**
     * Set by staff (the console's "Ban", issue 14): no sign-in of any kind creates a session while it is set
     * (auth.ts refuses it in better-auth's session hook), and the ban ended every session the user had.
     */
    bannedAt: timestamp('bannedAt'),
    /** Why, as staff wrote it (also in hub."AuditLog"); for staff only, never shown to the customer. */
    banReason: text('banReason'),
    createdAt: timestamp('createdAt').defaultNow(),
    updatedAt: timestamp('updatedAt').defaultNow(),
  },
  // Emails are compared case-insensitively; the database refuses two spellings of one address.
  (t) => [
    uniqueIndex('User_email_lower_key').on(sql`lower(${t.email})`),
    check('User_role_check', sql`${t.role} IN ('user', 'support', 'admin')`),
    // The console's customer search (issue 14): partial, case-insensitive email and name matches (ILIKE
    // '%…%') through trigram indexes (pg_trgm), and the sign-up date it sorts by.
    index('User_email_trgm_idx').using('gin', t.email.op('gin_trgm_ops')),
    index('User_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('User_createdAt_idx').on(t.createdAt, t.id),
    // One or two characters have no trigram: the search matches the start of the email or the name instead.
    index('User_email_prefix_idx').on(sql`lower(${t.email}) text_pattern_ops`),
    index('User_name_prefix_idx').on(sql`lower(${t.name}) text_pattern_ops`),
  ],
);

export const session = core.table(
  'Session',
  {
    id: text('id').primaryKey(),
    userId: text('userId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    token: text('token').notNull().unique(),
    expiresAt: timestamp('expiresAt').notNull(),
    ipAddress: text('ipAddress'),
    userAgent: text('userAgent'),
    /**
     * better-auth's organization plugin: the account the user acts for ("Personal" when null). The header's
     * switcher sets it; the launch token carries it (with the member's role) into the apps.
     */
    activeOrganizationId: text('activeOrganizationId').references((): AnyPgColumn => organization.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
    updatedAt: timestamp('updatedAt').notNull().defaultNow(),
  },
  // The console's customer page lists a customer's sessions (issue 14); better-auth itself finds them by token.
  (t) => [index('Session_userId_createdAt_idx').on(t.userId, t.createdAt)],
);

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

/**
 * A business account (issue 15), kept by better-auth's organization plugin (model `organization`). `slug` is
 * generated from the name; `billingEmail` is where the organization's invoices go.
 */
export const organization = core.table('Organization', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  billingEmail: text('billingEmail').notNull(),
  /** The plugin's own optional fields; the Hub sets neither today. */
  logo: text('logo'),
  metadata: text('metadata'),
  createdAt: timestamp('createdAt').notNull().defaultNow(),
  updatedAt: timestamp('updatedAt').notNull().defaultNow(),
});

/**
 * A user's place in an organization (the plugin's model `member`); `role` is one of the contract's
 * ORGANIZATION_ROLES, the CHECK refuses any other word. Exactly one owner per organization: the
 * partial unique index refuses a second, so ownership moves only by demoting the owner before promoting another.
 */
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
  (t) => [
    unique('Membership_organizationId_userId_key').on(t.organizationId, t.userId),
    index('Membership_userId_idx').on(t.userId),
    uniqueIndex('Membership_one_owner_key').on(t.organizationId).where(sql`${t.role} = 'owner'`),
    check('Membership_role_check', sql`${t.role} IN ('owner', 'admin', 'member', 'viewer')`),
  ],
);

/**
 * An invitation to join an organization by email (the plugin's model `invitation`): pending until the invited
 * address accepts or declines it, an owner or admin revokes it ('canceled'), or `expiresAt` passes.
 */
export const invitation = core.table(
  'Invitation',
  {
    id: text('id').primaryKey(),
    organizationId: text('organizationId')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role').notNull().default('member'),
    status: text('status').notNull().default('pending'),
    expiresAt: timestamp('expiresAt').notNull(),
    inviterId: text('inviterId')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    createdAt: timestamp('createdAt').notNull().defaultNow(),
  },
  (t) => [
    index('Invitation_organizationId_idx').on(t.organizationId),
    index('Invitation_email_idx').on(sql`lower(${t.email})`),
    check('Invitation_role_check', sql`${t.role} IN ('admin', 'member', 'viewer')`),
    check('Invitation_status_check', sql`${t.status} IN ('pending', 'accepted', 'rejected', 'canceled')`),
  ],
);
