import { randomUUID } from 'node:crypto';
import { SVD_APP_ID } from '@omg/contract';
import { schema } from '@omg/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  admin,
  createOrganization,
  hub,
  launchedUser,
  occupyStorage,
  provision,
  removeMember,
  svd,
  type TTeamSeat,
  type TVaultUser,
} from '@/app/api/__tests__/vault-fixtures';
import { getVaultStatus } from '../entitlements/get-vault-status';
import { findEntitledSession } from './find-entitled-session';
import { createSvdSession, findSvdSession } from './session';

const DAY = 86_400_000;

afterAll(async () => {
  await Promise.all([admin.pool.end(), hub.pool.end(), svd.pool.end()]);
});

const tokenOf = (user: TVaultUser) => user.cookie.slice('svd_session='.length);

/** A second SVD session of the same launch (same Hub session, same space): one token per way of reading. */
async function twinToken(user: TVaultUser): Promise<string> {
  const [row] = await svd.db
    .select()
    .from(schema.svdSession)
    .where(eq(schema.svdSession.userId, user.userId));
  if (!row) throw new Error('no session to copy');
  const twin = await createSvdSession(svd.db, {
    userId: user.userId,
    hubSessionId: row.hubSessionId,
    hubSessionExpiresAt: row.expiresAt,
    organizationId: row.organizationId,
  });
  return twin.token;
}

async function subscribe(userId: string, values: { plan: string; status: string; trialEndsAt?: Date }) {
  await admin.pool.query(
    `INSERT INTO hub."Subscription" (id, "userId", "appId", plan, status, "trialEndsAt", "currentPeriodEnd")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`,
    [
      userId,
      SVD_APP_ID,
      values.plan,
      values.status,
      values.trialEndsAt ?? null,
      new Date(Date.now() + 20 * DAY),
    ],
  );
}

/** A document of `bytes` (a row without a blob) in a new vault of the user's personal space or the team's. */
async function store(userId: string, bytes: number, organizationId: string | null = null) {
  const vaultId = randomUUID();
  await svd.db.insert(schema.vault).values({ id: vaultId, userId, organizationId, name: `V ${vaultId}` });
  await occupyStorage(userId, vaultId, bytes, organizationId);
}

/** A running comp of Pro for 30 days, as staff grant it (hub."Comp"). */
async function comp(userId: string) {
  await admin.pool.query(
    `INSERT INTO hub."Comp" ("userId", "appId", plan, reason, "startsAt", "endsAt", "grantedBy")
     VALUES ($1, $2, 'pro', 'press', $3, $4, $1)`,
    [userId, SVD_APP_ID, new Date(Date.now() - DAY), new Date(Date.now() + 30 * DAY)],
  );
}

async function hubSessionOf(userId: string): Promise<string> {
  const [row] = await svd.db.select().from(schema.svdSession).where(eq(schema.svdSession.userId, userId));
  if (!row) throw new Error('no session');
  return row.hubSessionId;
}

interface TCase {
  name: string;
  /** Launches the user (into a team for the team cases) and sets the case up; returns the user. */
  setUp: () => Promise<TVaultUser>;
  /** What the combined read must answer: the entitlement's state, or null for no session. */
  state: string | null;
  /** Further expectations on the combined answer, so a case cannot pass with both reads equally wrong. */
  check?: (found: NonNullable<Awaited<ReturnType<typeof findEntitledSession>>>) => void;
}

async function team(role: TTeamSeat['role'], plan: string | null = 'business_starter') {
  const organizationId = await createOrganization('Entitled', plan);
  return { organizationId, user: await launchedUser({ organizationId, role }) };
}

const CASES: TCase[] = [
  { name: 'personal, free trial', setUp: () => launchedUser(), state: 'trial' },
  {
    name: 'personal, trial ended (read-only)',
    setUp: async () => {
      const user = await launchedUser();
      await svd.pool.query(`UPDATE securevault."UserProfile" SET "createdAt" = $2 WHERE "userId" = $1`, [
        user.userId,
        new Date(Date.now() - 20 * DAY),
      ]);
      return user;
    },
    state: 'trial_ended',
    check: (found) => expect(found.status.entitlement.readOnly).toBe(true),
  },
  {
    name: 'personal, pro',
    setUp: async () => {
      const user = await launchedUser();
      await provision(user.userId, 'pro');
      return user;
    },
    state: 'active',
    check: (found) => expect(found.status.entitlement.plan).toBe('pro'),
  },
  {
    name: 'personal, paid plan on its trial',
    setUp: async () => {
      const user = await launchedUser();
      await subscribe(user.userId, {
        plan: 'growth',
        status: 'active',
        trialEndsAt: new Date(Date.now() + 5 * DAY),
      });
      return user;
    },
    state: 'active',
    check: (found) => expect(found.status.entitlement.trialEndsAt).not.toBeNull(),
  },
  {
    name: 'personal, past due (grace)',
    setUp: async () => {
      const user = await launchedUser();
      await subscribe(user.userId, { plan: 'growth', status: 'past_due' });
      return user;
    },
    state: 'past_due',
  },
  {
    name: 'personal, canceled (read-only)',
    setUp: async () => {
      const user = await launchedUser();
      await provision(user.userId, 'growth', 'canceled');
      return user;
    },
    state: 'canceled',
    check: (found) => expect(found.status.uploadBlockedReason).toMatch(/canceled/),
  },
  {
    name: 'personal, comped',
    setUp: async () => {
      const user = await launchedUser();
      await comp(user.userId);
      return user;
    },
    state: 'active',
    check: (found) => expect(found.status.entitlement.plan).toBe('pro'),
  },
  {
    name: 'personal, over the storage of its plan (read-only mode)',
    setUp: async () => {
      const user = await launchedUser();
      await provision(user.userId, 'starter');
      await store(user.userId, 10 ** 13);
      return user;
    },
    state: 'active',
    check: (found) => {
      expect(found.status.overStorage).toBe(true);
      expect(found.status.storageUsedBytes).toBe(10 ** 13);
    },
  },
  {
    name: 'team member, pooled storage of another member',
    setUp: async () => {
      const { organizationId, user } = await team('member');
      const other = await launchedUser({ organizationId, role: 'admin' });
      await store(other.userId, 12_345, organizationId);
      // The member's own personal documents and plan do not count in the team.
      await store(user.userId, 999);
      await provision(user.userId, 'pro');
      // The team upgrades after that: its row's new version is written after the member's personal one.
      await admin.pool.query(
        `UPDATE hub."Subscription" SET plan = 'business_growth' WHERE "organizationId" = $1`,
        [organizationId],
      );
      return user;
    },
    state: 'active',
    check: (found) => {
      expect(found.team?.role).toBe('member');
      expect(found.status.storageUsedBytes).toBe(12_345);
      expect(found.status.entitlement.plan).toBe('business_growth');
    },
  },
  {
    name: 'team admin, business plan',
    setUp: async () => (await team('admin', 'business_growth')).user,
    state: 'active',
    check: (found) => expect(found.status.entitlement.plan).toBe('business_growth'),
  },
  {
    name: 'team without a business plan, its owner comped (read-only: a comp is personal)',
    setUp: async () => {
      const { user } = await team('owner', null);
      await comp(user.userId);
      return user;
    },
    state: 'trial_ended',
    check: (found) => expect(found.status.entitlement.readOnly).toBe(true),
  },
  {
    name: 'team member removed: no team, the personal status',
    setUp: async () => {
      const { organizationId, user } = await team('member');
      await removeMember(organizationId, user.userId);
      await provision(user.userId, 'growth');
      return user;
    },
    state: 'active',
    check: (found) => {
      expect(found.organizationId).not.toBeNull();
      expect(found.team).toBeNull();
      expect(found.status.entitlement.plan).toBe('growth');
    },
  },
  {
    name: 'team member re-added with another role',
    setUp: async () => {
      const { organizationId, user } = await team('member');
      await removeMember(organizationId, user.userId);
      await addMember(organizationId, user.userId, 'viewer');
      return user;
    },
    state: 'active',
    check: (found) => expect(found.team?.role).toBe('viewer'),
  },
  {
    name: 'SVD session expired',
    setUp: async () => {
      const user = await launchedUser();
      await svd.pool.query(`UPDATE securevault."Session" SET "expiresAt" = $2 WHERE "userId" = $1`, [
        user.userId,
        new Date(Date.now() - 1000),
      ]);
      return user;
    },
    state: null,
  },
  {
    name: 'SVD session revoked (signed out of SVD)',
    setUp: async () => {
      const user = await launchedUser();
      await svd.pool.query(`DELETE FROM securevault."Session" WHERE "userId" = $1`, [user.userId]);
      return user;
    },
    state: null,
  },
  {
    name: 'Hub session ended (single logout)',
    setUp: async () => {
      const user = await launchedUser();
      await hub.pool.query(`DELETE FROM core."Session" WHERE id = $1`, [await hubSessionOf(user.userId)]);
      return user;
    },
    state: null,
  },
  {
    name: 'Hub session expired',
    setUp: async () => {
      const user = await launchedUser();
      await hub.pool.query(`UPDATE core."Session" SET "expiresAt" = $2 WHERE id = $1`, [
        await hubSessionOf(user.userId),
        new Date(Date.now() - 1000),
      ]);
      return user;
    },
    state: null,
  },
];

describe('findEntitledSession: the session and its status in one statement', () => {
  // Every case's launch at once (each its own user and team): their password hashes run side by side.
  const users = new Map<string, TVaultUser>();
  beforeAll(async () => {
    const launched = await Promise.all(CASES.map((c) => c.setUp()));
    CASES.forEach((c, i) => {
      users.set(c.name, launched[i] as TVaultUser);
    });
  });

  it.each(CASES)('equals findSvdSession then getVaultStatus: $name', async ({ name, state, check }) => {
    const user = users.get(name) as TVaultUser;
    // Two sessions of the same launch (a dead one is deleted by whichever read finds it).
    const revoked =
      state === null &&
      (await svd.db.$count(schema.svdSession, eq(schema.svdSession.userId, user.userId))) === 0;
    const twin = revoked ? 'revoked-token' : await twinToken(user);
    const now = new Date();

    const found = await findEntitledSession(svd.db, tokenOf(user), now);
    const session = await findSvdSession(svd.db, twin, now);
    const twoStep = session
      ? {
          ...session,
          // The space the session shows: the team's while a member (spaceOf refuses a removed one), else personal.
          status: await getVaultStatus(
            svd.db,
            { userId: session.userId, organizationId: session.team?.organizationId },
            now,
          ),
        }
      : null;

    // The same answer but for the session's own id (each read has its own session of the launch).
    expect(found && { ...found, id: 'session' }).toEqual(twoStep && { ...twoStep, id: 'session' });
    expect(found?.status.entitlement.state ?? null).toBe(state);
    if (found) {
      expect(found.userId).toBe(user.userId);
      check?.(found);
    } else {
      // A dead session is deleted by the combined read as by the two-step one.
      expect(await svd.db.$count(schema.svdSession, eq(schema.svdSession.userId, user.userId))).toBe(0);
    }
  });

  it('answers null without a cookie', async () => {
    expect(await findEntitledSession(svd.db, undefined)).toBeNull();
  });
});
