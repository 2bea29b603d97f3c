import { schema } from '@omg/db';
import { connectAs, uniqueEmail } from '@omg/db/testing';
import { serveOverHttp, type TServedOverHttp } from '@omg/platform/testing/serve-over-http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET, POST } from '@/app/api/auth/[...all]/route';
import { exportAccountData } from '@/lib/account/export-account-data';
import { SoftwareAuthenticator } from '@/testing/software-authenticator';

const HUB = process.env.HUB_URL ?? 'http://localhost:3100';
const ORIGIN = new URL(HUB).origin;
const admin = connectAs('admin');
let server: TServedOverHttp | undefined;

beforeAll(async () => {
  // The Hub's real auth route (better-auth behind apiRoute, with the passkey plugin), over HTTP behind one hop.
  server = await serveOverHttp(
    (request) =>
      (request.method === 'GET' ? GET : POST)(request, {
        params: Promise.resolve({ all: new URL(request.url).pathname.split('/').slice(3) }),
      }),
    { hops: 1, origin: HUB },
  );
});

afterAll(async () => {
  await server?.close();
  await admin.pool.end();
});

/** One browser: its cookies follow the responses, its address is its own (limits are per address). */
function browser() {
  const jar = new Map<string, string>();
  const ip = `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;
  async function call(path: string, body?: unknown, raw?: string) {
    const headers = new Headers({ origin: HUB, 'x-forwarded-for': ip });
    if (body !== undefined || raw !== undefined) headers.set('content-type', 'application/json');
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(`${server?.url}/api/auth${path}`, {
      method: body === undefined && raw === undefined ? 'GET' : 'POST',
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      if (/Max-Age=0/i.test(cookie) || pair.slice(at + 1) === '') jar.delete(pair.slice(0, at));
      else jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: the answers' shapes are what these tests check
    return { status: response.status, json: (text ? JSON.parse(text) : null) as any };
  }
  const signedInAs = async () => (await call('/get-session')).json?.user?.email ?? null;
  return { call, jar, signedInAs };
}

const PASSWORD = 'correct-horse-42';

/** A new account, signed in in its own browser, with one passkey on its own software authenticator. */
async function accountWithPasskey(prefix: string) {
  const email = uniqueEmail(prefix);
  const owner = browser();
  expect((await owner.call('/sign-up/email', { email, password: PASSWORD, name: 'Pass Key' })).status).toBe(
    200,
  );
  const authenticator = new SoftwareAuthenticator(ORIGIN);
  const options = await owner.call('/passkey/register-options', { password: PASSWORD });
  expect(options.status).toBe(200);
  const added = await owner.call('/passkey/register', { response: authenticator.create(options.json) });
  expect(added.status).toBe(200);
  const [user] = await admin.db.select().from(schema.user).where(eq(schema.user.email, email));
  return { email, owner, authenticator, userId: user?.id ?? '', passkeyId: added.json.id as string };
}

/** Sign-in options for a fresh browser (a new address each, so the per-address limit is not what answers). */
async function signInOptions() {
  const b = browser();
  const options = await b.call('/passkey/sign-in-options', {});
  expect(options.status).toBe(200);
  return { b, options: options.json };
}

async function passkeyRow(userId: string) {
  const [row] = await admin.db.select().from(schema.passkey).where(eq(schema.passkey.userId, userId));
  return row;
}

describe('adding a passkey (POST /api/auth/passkey/register-options, /register)', () => {
  it('asks for the password, stores the verified key, and excludes it from the next registration', async () => {
    const email = uniqueEmail('pk-add');
    const b = browser();
    await b.call('/sign-up/email', { email, password: PASSWORD, name: 'N' });
    expect((await browser().call('/passkey/register-options', { password: PASSWORD })).status).toBe(401);
    const wrong = await b.call('/passkey/register-options', { password: 'not-the-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.code).toBe('INVALID_PASSWORD');

    const options = await b.call('/passkey/register-options', { password: PASSWORD });
    expect(options.json).toMatchObject({
      rp: { id: new URL(HUB).hostname, name: 'OMG System' },
      user: { name: email },
      attestation: 'none',
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    const authenticator = new SoftwareAuthenticator(ORIGIN);
    const response = authenticator.create(options.json);
    const added = await b.call('/passkey/register', { response, name: 'My laptop' });
    expect(added.status).toBe(200);
    expect(added.json.name).toBe('My laptop');
    const [user] = await admin.db.select().from(schema.user).where(eq(schema.user.email, email));
    const row = await passkeyRow(user?.id ?? '');
    expect(row).toMatchObject({
      name: 'My laptop',
      credentialID: response.id,
      counter: 0,
      deviceType: 'singleDevice',
      transports: 'internal',
      lastUsedAt: null,
    });
    // The challenge was taken out: the same answer again adds nothing.
    const replay = await b.call('/passkey/register', { response });
    expect(replay.status).toBe(400);
    expect(replay.json.code).toBe('PASSKEY_CHALLENGE_INVALID');

    // The next registration excludes it, so the authenticator that holds it refuses to make a second one.
    const next = await b.call('/passkey/register-options', { password: PASSWORD });
    expect(next.json.excludeCredentials).toEqual([
      { id: response.id, type: 'public-key', transports: ['internal'] },
    ]);
    expect(() => authenticator.create(next.json)).toThrow('InvalidStateError');
    // An authenticator that ignores the list and sends the same credential again is refused by the database.
    const again = await b.call('/passkey/register', {
      response: authenticator.create(
        { ...next.json, excludeCredentials: [] },
        { credential: authenticator.credentials[0] },
      ),
    });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('PASSKEY_ALREADY_REGISTERED');
  });

  it('refuses another account’s challenge, a wrong origin or RP ID, an expired challenge and garbage', async () => {
    const a = browser();
    const b = browser();
    await a.call('/sign-up/email', { email: uniqueEmail('pk-reg-a'), password: PASSWORD, name: 'A' });
    await b.call('/sign-up/email', { email: uniqueEmail('pk-reg-b'), password: PASSWORD, name: 'B' });
    const authenticator = new SoftwareAuthenticator(ORIGIN);

    // B's challenge answered in A's session.
    const forB = await b.call('/passkey/register-options', { password: PASSWORD });
    const stolen = await a.call('/passkey/register', { response: authenticator.create(forB.json) });
    expect(stolen.status).toBe(400);
    expect(stolen.json.code).toBe('PASSKEY_CHALLENGE_INVALID');

    const fresh = () => a.call('/passkey/register-options', { password: PASSWORD }).then((r) => r.json);
    const otherOrigin = await a.call('/passkey/register', {
      response: new SoftwareAuthenticator(ORIGIN).create(await fresh(), {
        origin: 'https://omg.example.evil',
      }),
    });
    expect(otherOrigin.status).toBe(400);
    expect(otherOrigin.json.code).toBe('PASSKEY_NOT_VERIFIED');
    const otherRp = await a.call('/passkey/register', {
      response: new SoftwareAuthenticator(ORIGIN).create(await fresh(), { rpId: 'evil.example' }),
    });
    expect(otherRp.json.code).toBe('PASSKEY_NOT_VERIFIED');

    const late = await fresh();
    await admin.db
      .update(schema.verification)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.verification.identifier, `passkey-register:${late.challenge}`));
    const expired = await a.call('/passkey/register', {
      response: new SoftwareAuthenticator(ORIGIN).create(late),
    });
    expect(expired.json.code).toBe('PASSKEY_CHALLENGE_INVALID');

    expect((await a.call('/passkey/register', { response: 'x' })).status).toBe(400);
    expect((await a.call('/passkey/register', undefined, '{"response":')).status).toBe(400);
    const notJson = new SoftwareAuthenticator(ORIGIN).create(await fresh());
    notJson.response.clientDataJSON = 'bm90LWpzb24';
    const unreadable = await a.call('/passkey/register', { response: notJson });
    expect(unreadable.status).toBe(400);
    expect(unreadable.json.code).toBe('PASSKEY_RESPONSE_INVALID');
    // Nothing was added to either account.
    for (const someone of [a, b]) {
      const { user } = (await someone.call('/get-session')).json;
      expect(await passkeyRow(user.id)).toBeUndefined();
    }
  });
});

describe('signing in with a passkey (POST /api/auth/passkey/sign-in-options, /sign-in)', () => {
  it('makes a normal Hub session with no email typed, skips the 2FA code, and records the use', async () => {
    const { email, authenticator, userId } = await accountWithPasskey('pk-signin');
    // Two-factor on: the password alone now stops at the code step…
    await admin.db.update(schema.user).set({ twoFactorEnabled: true }).where(eq(schema.user.id, userId));
    const withPassword = browser();
    expect((await withPassword.call('/sign-in/email', { email, password: PASSWORD })).json).toMatchObject({
      twoFactorRedirect: true,
    });
    expect(await withPassword.signedInAs()).toBeNull();

    // …while a passkey is both factors: a session straight away.
    const { b, options } = await signInOptions();
    expect(options).toMatchObject({ rpId: new URL(HUB).hostname, userVerification: 'preferred' });
    expect(options.allowCredentials ?? []).toEqual([]);
    const signedIn = await b.call('/passkey/sign-in', { response: authenticator.get(options) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.json).toMatchObject({ token: null, user: { email } });
    expect(await b.signedInAs()).toBe(email);
    // A session row like any other (the Account page lists it, single logout ends it), with the client's address.
    const sessions = await admin.db.select().from(schema.session).where(eq(schema.session.userId, userId));
    expect(sessions.some((s) => /^10\./.test(s.ipAddress ?? ''))).toBe(true);
    const row = await passkeyRow(userId);
    expect(row?.counter).toBe(1);
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('refuses a forged, replayed or expired challenge, and a challenge issued for adding a passkey', async () => {
    const { authenticator, owner } = await accountWithPasskey('pk-challenge');
    const forged = await signInOptions();
    const forgedAnswer = await forged.b.call('/passkey/sign-in', {
      response: authenticator.get(forged.options, { challenge: 'bm90LWlzc3VlZC1ieS10aGUtaHVi' }),
    });
    expect(forgedAnswer.status).toBe(400);
    expect(forgedAnswer.json.code).toBe('PASSKEY_CHALLENGE_INVALID');

    const first = await signInOptions();
    const answer = authenticator.get(first.options);
    expect((await first.b.call('/passkey/sign-in', { response: answer })).status).toBe(200);
    const replayer = browser();
    const replay = await replayer.call('/passkey/sign-in', { response: answer });
    expect(replay.status).toBe(400);
    expect(replay.json.code).toBe('PASSKEY_CHALLENGE_INVALID');
    expect(await replayer.signedInAs()).toBeNull();

    const late = await signInOptions();
    await admin.db
      .update(schema.verification)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.verification.identifier, `passkey-sign-in:${late.options.challenge}`));
    const expired = await late.b.call('/passkey/sign-in', { response: authenticator.get(late.options) });
    expect(expired.json.code).toBe('PASSKEY_CHALLENGE_INVALID');
    expect(await late.b.signedInAs()).toBeNull();

    // A registration's challenge is no sign-in challenge.
    const registration = await owner.call('/passkey/register-options', { password: PASSWORD });
    const crossed = browser();
    const wrongCeremony = await crossed.call('/passkey/sign-in', {
      response: authenticator.get({ challenge: registration.json.challenge }),
    });
    expect(wrongCeremony.json.code).toBe('PASSKEY_CHALLENGE_INVALID');
    expect(await crossed.signedInAs()).toBeNull();
  });

  it('refuses an unknown credential, another account’s credential id, a bad signature, another origin or RP ID', async () => {
    const mine = await accountWithPasskey('pk-mine');
    const theirs = await accountWithPasskey('pk-theirs');
    const attempt = async (build: (options: { challenge: string; rpId?: string }) => unknown) => {
      const { b, options } = await signInOptions();
      const answer = await b.call('/passkey/sign-in', { response: build(options) });
      expect(await b.signedInAs()).toBeNull();
      return answer;
    };

    const stranger = new SoftwareAuthenticator(ORIGIN);
    stranger.create({ challenge: 'x', rp: {}, user: { id: 'c29tZW9uZQ' } });
    const unknown = await attempt((o) => stranger.get(o));
    expect(unknown.status).toBe(401);
    expect(unknown.json.code).toBe('PASSKEY_NOT_FOUND');

    const theirId = theirs.authenticator.get({ challenge: 'x' }).id;
    // My key claiming their credential id (with their user handle): the signature is not theirs.
    const claimed = await attempt((o) =>
      mine.authenticator.get(o, {
        claimId: theirId,
        userHandle: theirs.authenticator.credentials[0]?.userHandle,
      }),
    );
    expect(claimed.status).toBe(401);
    expect(claimed.json.code).toBe('PASSKEY_NOT_VERIFIED');
    // Their credential id with my user handle: the credential is not my account's.
    const handle = await attempt((o) => mine.authenticator.get(o, { claimId: theirId }));
    expect(handle.json.code).toBe('PASSKEY_NOT_FOUND');

    const badSignature = await attempt((o) => {
      const answer = mine.authenticator.get(o);
      const signature = Buffer.from(answer.response.signature, 'base64url');
      signature.writeUInt8(signature.readUInt8(signature.length - 1) ^ 0x01, signature.length - 1);
      return { ...answer, response: { ...answer.response, signature: signature.toString('base64url') } };
    });
    expect(badSignature.status).toBe(401);
    expect(badSignature.json.code).toBe('PASSKEY_NOT_VERIFIED');

    const otherOrigin = await attempt((o) =>
      mine.authenticator.get(o, { origin: 'https://omg.example.evil' }),
    );
    expect(otherOrigin.json.code).toBe('PASSKEY_NOT_VERIFIED');
    const otherRp = await attempt((o) => mine.authenticator.get(o, { rpId: 'evil.example' }));
    expect(otherRp.json.code).toBe('PASSKEY_NOT_VERIFIED');

    const garbage = browser();
    expect((await garbage.call('/passkey/sign-in', { response: { id: 'x' } })).status).toBe(400);
    expect((await garbage.call('/passkey/sign-in', undefined, 'not json')).status).toBe(400);
    expect(await garbage.signedInAs()).toBeNull();
    // None of these counted as a use.
    expect((await passkeyRow(mine.userId))?.lastUsedAt).toBeNull();
  });

  it('refuses a counter that went back or stood still once it is counting', async () => {
    const { authenticator, userId } = await accountWithPasskey('pk-counter');
    const first = await signInOptions();
    expect(
      (await first.b.call('/passkey/sign-in', { response: authenticator.get(first.options, { counter: 5 }) }))
        .status,
    ).toBe(200);
    for (const counter of [3, 5]) {
      const { b, options } = await signInOptions();
      const cloned = await b.call('/passkey/sign-in', { response: authenticator.get(options, { counter }) });
      expect(cloned.status).toBe(401);
      expect(cloned.json.code).toBe('PASSKEY_COUNTER_ROLLBACK');
      expect(await b.signedInAs()).toBeNull();
    }
    expect((await passkeyRow(userId))?.counter).toBe(5);
    const next = await signInOptions();
    expect(
      (await next.b.call('/passkey/sign-in', { response: authenticator.get(next.options, { counter: 6 }) }))
        .status,
    ).toBe(200);
  });

  it('a deleted account never signs in with its passkey', async () => {
    const { authenticator, userId } = await accountWithPasskey('pk-deleted');
    await admin.db.update(schema.user).set({ deletedAt: new Date() }).where(eq(schema.user.id, userId));
    const { b, options } = await signInOptions();
    const refused = await b.call('/passkey/sign-in', { response: authenticator.get(options) });
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('PASSKEY_NOT_FOUND');
    expect(await b.signedInAs()).toBeNull();
  });

  it('counts sign-in attempts per address like the password sign-in', async () => {
    const b = browser();
    const stranger = new SoftwareAuthenticator(ORIGIN);
    stranger.create({ challenge: 'x', rp: {}, user: { id: 'c29tZW9uZQ' } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const options = (await b.call('/passkey/sign-in-options', {})).json;
      statuses.push((await b.call('/passkey/sign-in', { response: stranger.get(options) })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('managing passkeys (POST /api/auth/passkey/rename, /remove)', () => {
  it('the account’s data download lists its passkeys, without keys or credential ids', async () => {
    const { userId, authenticator } = await accountWithPasskey('pk-export');
    let text = '';
    for await (const piece of exportAccountData(admin.db, userId)) text += piece;
    const data = JSON.parse(text);
    expect(data.passkeys).toEqual([
      expect.objectContaining({
        name: expect.stringMatching(/^Passkey/),
        deviceType: 'singleDevice',
        lastUsedAt: null,
      }),
    ]);
    const credentialId = authenticator.get({ challenge: 'x' }).id;
    expect(text).not.toContain(credentialId);
    const [row] = await admin.db.select().from(schema.passkey).where(eq(schema.passkey.userId, userId));
    expect(text).not.toContain(row?.publicKey);
  });

  it('renames and removes only the account’s own passkeys; a removed passkey signs in nowhere', async () => {
    const mine = await accountWithPasskey('pk-manage');
    const theirs = await accountWithPasskey('pk-manage-other');
    expect((await browser().call('/passkey/rename', { id: mine.passkeyId, name: 'x' })).status).toBe(401);
    const foreign = await theirs.owner.call('/passkey/rename', { id: mine.passkeyId, name: 'Mine now' });
    expect(foreign.status).toBe(404);
    expect((await theirs.owner.call('/passkey/remove', { id: mine.passkeyId })).status).toBe(404);
    expect((await mine.owner.call('/passkey/rename', { id: mine.passkeyId, name: '  ' })).status).toBe(400);
    expect((await mine.owner.call('/passkey/rename', { id: mine.passkeyId, name: 'Phone' })).status).toBe(
      200,
    );
    expect((await passkeyRow(mine.userId))?.name).toBe('Phone');

    expect((await mine.owner.call('/passkey/remove', { id: mine.passkeyId })).status).toBe(200);
    expect(await passkeyRow(mine.userId)).toBeUndefined();
    expect((await mine.owner.call('/passkey/remove', { id: mine.passkeyId })).status).toBe(404);
    const { b, options } = await signInOptions();
    const refused = await b.call('/passkey/sign-in', { response: mine.authenticator.get(options) });
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe('PASSKEY_NOT_FOUND');
    expect(refused.json.message).toMatch(/not registered.*removed/);
    // The other account's passkey still works.
    const other = await signInOptions();
    expect(
      (await other.b.call('/passkey/sign-in', { response: theirs.authenticator.get(other.options) })).status,
    ).toBe(200);
  });
});
