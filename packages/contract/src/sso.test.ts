import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  issueLaunchToken,
  MAX_LAUNCH_TOKEN_TTL_SECONDS,
  MIN_SSO_SECRET_BYTES,
  ssoSecretKey,
  type TLaunchTokenFailure,
  type TVerifyLaunchTokenResult,
  verifyLaunchToken,
  ZSsoSecretSchema,
} from './sso';

const SECRET = 'test-sso-secret-0123456789-abcdefghij'; // 37 bytes
const OTHER_SECRET = 'another-sso-secret-0123456789-abcdefg';
const ISSUER = 'https://hub.example.test';
const AUDIENCE = 'app_securevault' as const;
const NOW = new Date('2030-01-15T12:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const USER = {
  id: 'usr_123',
  email: 'ada@example.test',
  name: 'Ada Lovelace',
  accountType: 'business' as const,
};

const secondsAfter = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

const issue = (overrides: Partial<Parameters<typeof issueLaunchToken>[0]> = {}) =>
  issueLaunchToken({
    secret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
    user: USER,
    sessionId: 'sess_abc',
    now: NOW,
    ...overrides,
  });

const verify = (
  token: string | null | undefined,
  overrides: Partial<Parameters<typeof verifyLaunchToken>[1]> = {},
) => verifyLaunchToken(token, { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, now: NOW, ...overrides });

const validPayload = (): JWTPayload => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: USER.id,
  email: USER.email,
  name: USER.name,
  accountType: USER.accountType,
  sid: 'sess_abc',
  jti: 'jti-fixed',
  iat: NOW_S,
  exp: NOW_S + 120,
});

/** Signs arbitrary claims directly with jose, bypassing issueLaunchToken's own validation. */
const signRaw = (payload: JWTPayload, { secret = SECRET, alg = 'HS256' } = {}) =>
  new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function expectFailure(result: TVerifyLaunchTokenResult, reason: TLaunchTokenFailure) {
  expect(result).toMatchObject({ ok: false, reason });
  if (result.ok) throw new Error('unreachable');
  expect(result.message).toMatch(/SecureVault Docs/);
}

describe('issueLaunchToken / verifyLaunchToken round trip', () => {
  it('issues an HS256 token that verifies with every claim', async () => {
    const issued = await issue();

    const [header] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
    expect(issued.expiresAt).toEqual(new Date((NOW_S + 120) * 1000));

    const result = await verify(issued.token);
    expect(result).toEqual({
      ok: true,
      claims: {
        iss: ISSUER,
        aud: 'app_securevault',
        sub: 'usr_123',
        email: 'ada@example.test',
        name: 'Ada Lovelace',
        accountType: 'business',
        sid: 'sess_abc',
        jti: issued.jti,
        iat: NOW_S,
        exp: NOW_S + 120,
      },
    });
  });

  it('keeps a null name as null', async () => {
    const issued = await issue({ user: { ...USER, name: null, accountType: 'personal' } });
    const result = await verify(issued.token);
    expect(result.ok && result.claims).toMatchObject({ name: null, accountType: 'personal' });
  });

  it('uses a fresh jti on every issue', async () => {
    const a = await issue();
    const b = await issue();
    expect(a.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.jti).not.toBe(b.jti);
    expect(a.token).not.toBe(b.token);
  });

  it('honours a custom ttl up to the 300 s cap', async () => {
    const issued = await issue({ ttlSeconds: MAX_LAUNCH_TOKEN_TTL_SECONDS });
    expect(issued.expiresAt).toEqual(new Date((NOW_S + 300) * 1000));
    const result = await verify(issued.token, { now: secondsAfter(NOW, 299) });
    expect(result.ok).toBe(true);
  });
});

describe('issueLaunchToken input checks', () => {
  it('refuses a ttl above 300 s', async () => {
    await expect(issue({ ttlSeconds: 301 })).rejects.toThrow(/ttlSeconds/);
  });

  it('refuses a zero, negative or fractional ttl', async () => {
    await expect(issue({ ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds/);
    await expect(issue({ ttlSeconds: -5 })).rejects.toThrow(/ttlSeconds/);
    await expect(issue({ ttlSeconds: 1.5 })).rejects.toThrow(/ttlSeconds/);
  });

  it('refuses a short secret', async () => {
    await expect(issue({ secret: 'too-short' })).rejects.toThrow(/at least 32 bytes/);
  });

  it('refuses claims the verifier would reject (empty session id)', async () => {
    await expect(issue({ sessionId: '' })).rejects.toThrow(/sid/);
  });
});

describe('ssoSecretKey', () => {
  it('accepts exactly 32 bytes and returns them UTF-8 encoded', () => {
    const secret = 'x'.repeat(MIN_SSO_SECRET_BYTES);
    expect(ssoSecretKey(secret)).toEqual(new TextEncoder().encode(secret));
  });

  it('rejects 31 bytes with a clear message', () => {
    expect(() => ssoSecretKey('x'.repeat(31))).toThrow(
      'SSO_SECRET is too short: 31 bytes; it must be at least 32 bytes',
    );
  });

  it('counts bytes, not characters', () => {
    // 16 × "é" is 16 characters but 32 UTF-8 bytes.
    expect(ssoSecretKey('é'.repeat(16)).byteLength).toBe(32);
    expect(() => ssoSecretKey('é'.repeat(15))).toThrow(/30 bytes/);
  });

  it('rejects an unset secret', () => {
    expect(() => ssoSecretKey(undefined as unknown as string)).toThrow(/SSO_SECRET is not set/);
    expect(() => ssoSecretKey('')).toThrow(/SSO_SECRET is not set/);
  });

  it('makes verifyLaunchToken throw (misconfiguration, not a bad token)', async () => {
    const { token } = await issue();
    await expect(verify(token, { secret: 'short' })).rejects.toThrow(/SSO_SECRET/);
  });
});

describe('ZSsoSecretSchema', () => {
  it('accepts what ssoSecretKey accepts and refuses what it refuses, counting bytes', () => {
    expect(ZSsoSecretSchema.safeParse('x'.repeat(MIN_SSO_SECRET_BYTES)).success).toBe(true);
    expect(ZSsoSecretSchema.safeParse('é'.repeat(16)).success).toBe(true);
    const short = ZSsoSecretSchema.safeParse('é'.repeat(15));
    expect(short.success).toBe(false);
    expect(short.error?.issues[0]?.message).toBe('must be at least 32 bytes');
    expect(ZSsoSecretSchema.safeParse('').success).toBe(false);
  });
});

describe('verifyLaunchToken expiry and clock skew', () => {
  it('reports an expired token with the user-facing message', async () => {
    const { token } = await issue();
    const result = await verify(token, { now: secondsAfter(NOW, 10 * 60) });
    expectFailure(result, 'expired');
    expect(!result.ok && result.message).toBe(
      'This sign-in link has expired — launch SecureVault Docs again from your portal.',
    );
  });

  it('accepts a token up to 30 s past exp', async () => {
    const { token } = await issue();
    const result = await verify(token, { now: secondsAfter(NOW, 120 + 29) });
    expect(result.ok).toBe(true);
  });

  it('rejects a token more than 30 s past exp', async () => {
    const { token } = await issue();
    expectFailure(await verify(token, { now: secondsAfter(NOW, 120 + 31) }), 'expired');
  });

  it('applies a custom clock tolerance', async () => {
    const { token } = await issue();
    expectFailure(await verify(token, { now: secondsAfter(NOW, 121), clockToleranceSeconds: 0 }), 'expired');
  });

  it('accepts an iat up to 30 s in the future (issuer clock ahead)', async () => {
    const { token } = await issue({ now: secondsAfter(NOW, 25) });
    expect((await verify(token)).ok).toBe(true);
  });

  it('rejects an iat more than 30 s in the future', async () => {
    const { token } = await issue({ now: secondsAfter(NOW, 60) });
    expectFailure(await verify(token), 'invalid_claims');
  });

  it('rejects a correctly signed token whose exp - iat exceeds 300 s', async () => {
    const token = await signRaw({ ...validPayload(), exp: NOW_S + 301 });
    expectFailure(await verify(token), 'invalid_claims');
  });

  it('accepts a hand-signed token with exp - iat exactly 300 s', async () => {
    const token = await signRaw({ ...validPayload(), exp: NOW_S + 300 });
    expect((await verify(token)).ok).toBe(true);
  });
});

describe('verifyLaunchToken algorithm pinning and signatures', () => {
  it('refuses an alg: none token', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(validPayload())}.`;
    const result = await verify(token);
    expect(result.ok).toBe(false);
    expect(['bad_signature', 'malformed']).toContain(!result.ok && result.reason);
  });

  it('refuses a token signed with another secret', async () => {
    const { token } = await issue({ secret: OTHER_SECRET });
    expectFailure(await verify(token), 'bad_signature');
  });

  it('refuses an HS512 token signed with the right secret', async () => {
    const token = await signRaw(validPayload(), { alg: 'HS512' });
    // Sanity check: the token really is HS512 and otherwise valid.
    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg).toBe('HS512');
    expectFailure(await verify(token), 'bad_signature');
  });

  it('refuses an RS256 token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(validPayload()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expectFailure(await verify(token), 'bad_signature');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const { token } = await issue();
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64url({ ...validPayload(), sub: 'usr_admin' })}.${signature}`;
    expectFailure(await verify(forged), 'bad_signature');
  });

  it('checks the signature before the expiry (a forged token is never "expired")', async () => {
    const { token } = await issue({ secret: OTHER_SECRET });
    expectFailure(await verify(token, { now: secondsAfter(NOW, 3600) }), 'bad_signature');
  });
});

describe('verifyLaunchToken audience and issuer', () => {
  it('refuses a token for another app as wrong_audience', async () => {
    const { token } = await issue({ audience: 'app_crm' });
    const result = await verify(token);
    expectFailure(result, 'wrong_audience');
    expect(!result.ok && result.message).toMatch(/different app/);
  });

  it('refuses a token from another issuer as wrong_issuer', async () => {
    const { token } = await issue({ issuer: 'https://evil.example.test' });
    expectFailure(await verify(token), 'wrong_issuer');
  });

  it('refuses an array aud even when it contains this app', async () => {
    const token = await signRaw({ ...validPayload(), aud: [AUDIENCE, 'app_crm'] });
    expectFailure(await verify(token), 'invalid_claims');
  });
});

describe('verifyLaunchToken malformed and missing input', () => {
  it.each([
    [undefined, 'missing'],
    [null, 'missing'],
    ['', 'missing'],
    ['   ', 'missing'],
    ['abc', 'malformed'],
    ['a.b.c', 'malformed'],
    ['a.b', 'malformed'],
    ['x'.repeat(5000), 'malformed'],
  ] as const)('%j → %s', async (token, reason) => {
    expectFailure(await verify(token), reason);
  });

  it('reports a signed non-JSON payload as malformed', async () => {
    const header = b64url({ alg: 'HS256' });
    const payload = Buffer.from('not json').toString('base64url');
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    expectFailure(await verify(`${header}.${payload}.${signature}`), 'malformed');
  });

  it('tolerates surrounding whitespace from form fields', async () => {
    const { token } = await issue();
    expect((await verify(`  ${token}\n`)).ok).toBe(true);
  });
});

describe('verifyLaunchToken claim shape', () => {
  it.each(['sid', 'sub', 'email', 'jti', 'accountType', 'exp', 'iat'])(
    'refuses a correctly signed token without %s',
    async (claim) => {
      const payload = validPayload();
      delete payload[claim];
      expectFailure(await verify(await signRaw(payload)), 'invalid_claims');
    },
  );

  it('refuses a missing iss or aud as invalid_claims, not as a mismatch', async () => {
    const noIss = validPayload();
    delete noIss.iss;
    expectFailure(await verify(await signRaw(noIss)), 'invalid_claims');
    const noAud = validPayload();
    delete noAud.aud;
    expectFailure(await verify(await signRaw(noAud)), 'invalid_claims');
  });

  it('refuses an unknown accountType', async () => {
    const token = await signRaw({ ...validPayload(), accountType: 'admin' });
    expectFailure(await verify(token), 'invalid_claims');
  });

  it('refuses a non-numeric exp', async () => {
    const token = await signRaw({ ...validPayload(), exp: 'later' as unknown as number });
    expectFailure(await verify(token), 'invalid_claims');
  });

  it('drops unknown claims instead of passing them through', async () => {
    const token = await signRaw({ ...validPayload(), role: 'admin' });
    const result = await verify(token);
    expect(result.ok).toBe(true);
    expect(result.ok && 'role' in result.claims).toBe(false);
  });
});

describe('business launches: organizationId and organizationRole (issue 15)', () => {
  it('carries the organization and the role when issued with one, nothing when not', async () => {
    const business = await verify((await issue({ organization: { id: 'org_1', role: 'viewer' } })).token);
    expect(business.ok && business.claims).toMatchObject({
      organizationId: 'org_1',
      organizationRole: 'viewer',
    });
    const personal = await verify((await issue()).token);
    expect(personal.ok && 'organizationId' in personal.claims).toBe(false);
    expect(personal.ok && 'organizationRole' in personal.claims).toBe(false);
  });

  it.each([
    ['an organization without a role', { organizationId: 'org_1' }],
    ['a role without an organization', { organizationRole: 'owner' }],
    ['an unknown role', { organizationId: 'org_1', organizationRole: 'superuser' }],
    ['an empty organization id', { organizationId: '', organizationRole: 'member' }],
    ['a role of the wrong type', { organizationId: 'org_1', organizationRole: ['owner'] }],
  ])('refuses a correctly signed token with %s', async (_label, extra) => {
    expectFailure(await verify(await signRaw({ ...validPayload(), ...extra })), 'invalid_claims');
  });

  it('refuses to issue a token with an unknown role', async () => {
    await expect(
      issue({ organization: { id: 'org_1', role: 'superuser' as unknown as 'owner' } }),
    ).rejects.toThrow(/organizationRole/);
  });
});
