import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, signIn } from '../testing/client.js';
import { PASSWORD, makeOrg } from '../testing/factories.js';
import { describeEachDialect, dialects, makeHarness, type Harness } from '../testing/harness.js';
import { MAX_FAILED_LOGINS, LOCKOUT_MS } from './service.js';

const auditActions = async (h: Harness, orgId: number) =>
  (await h.db.kysely.selectFrom('audit_log').select('action').where('org_id', '=', orgId).orderBy('id').execute()).map(
    (r) => r.action,
  );

describeEachDialect('signing in', (h, { raceIt }) => {
  it('signs in with a session cookie that scripts cannot read', async () => {
    const org = await makeOrg(h());
    const client = new Client(h().app);
    const res = await client.post('/api/auth/login', { email: org.users.associate.email, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email: org.users.associate.email, role: 'associate' });
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('sw_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await client.get('/api/session');
    expect(me.json().user.id).toBe(org.users.associate.id);
    expect(await auditActions(h(), org.orgId)).toContain('login.succeeded');
  });

  it('accepts the email in any case', async () => {
    const org = await makeOrg(h());
    const c = new Client(h().app);
    const res = await c.post('/api/auth/login', { email: org.users.admin.email.toUpperCase(), password: PASSWORD });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a wrong password with one message for unknown and known users, and audits it', async () => {
    const org = await makeOrg(h());
    const c = new Client(h().app);
    const wrong = await c.post('/api/auth/login', { email: org.users.associate.email, password: 'nope nope nope' });
    const unknown = await c.post('/api/auth/login', { email: 'nobody@example.org', password: 'nope nope nope' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(await auditActions(h(), org.orgId)).toContain('login.failed');
  });

  it('names the field of a malformed sign-in', async () => {
    const c = new Client(h().app);
    const res = await c.post('/api/auth/login', { email: 'not-an-email', password: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('email');
    const missing = await c.post('/api/auth/login', { email: 'a@b.org' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('password');
  });

  it(`locks an account after ${MAX_FAILED_LOGINS} failures, even against the right password`, async () => {
    const org = await makeOrg(h());
    const c = new Client(h().app);
    const email = org.users.volunteer.email;
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect((await c.post('/api/auth/login', { email, password: `wrong ${i} wrong` })).statusCode).toBe(401);
    }
    const right = await c.post('/api/auth/login', { email, password: PASSWORD });
    expect(right.statusCode).toBe(401);
    // The answer is the one an unknown email gets: a lockout does not reveal the account.
    const unknown = await c.post('/api/auth/login', { email: 'nobody@example.org', password: PASSWORD });
    expect(right.json()).toEqual(unknown.json());
    expect(await auditActions(h(), org.orgId)).toEqual(
      expect.arrayContaining(['login.locked', 'login.refused_locked']),
    );
    h().clock.advance(LOCKOUT_MS + 1000);
    expect((await c.post('/api/auth/login', { email, password: PASSWORD })).statusCode).toBe(200);
  });

  raceIt('counts guesses sent in parallel, so they cannot slip past the lockout', async () => {
    const org = await makeOrg(h());
    const c = new Client(h().app);
    const email = org.users.associate.email;
    const codes = await Promise.all(
      Array.from({ length: MAX_FAILED_LOGINS + 1 }, (_, i) => c.post('/api/auth/login', { email, password: `guess ${i} guess` })),
    );
    expect(codes.every((r) => r.statusCode === 401)).toBe(true);
    expect((await c.post('/api/auth/login', { email, password: PASSWORD })).statusCode).toBe(401);
    const row = await h().db.kysely.selectFrom('users').select('locked_until').where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.locked_until).toBeGreaterThan(h().clock.now());
  });

  it('signs in to the organization whose account the password opens, when an email is in two', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    const email = `two-orgs-${a.orgId}@example.org`;
    const make = async (org: typeof a, password: string) =>
      (await (await org.as('admin')).post('/api/admin/users', { email, name: 'Pat Twice', role: 'associate', password })).json().id as number;
    const inA = await make(a, 'password of org A');
    const inB = await make(b, 'password of org B');
    const signIn = (body: Record<string, unknown>) => new Client(h().app).post('/api/auth/login', { email, ...body });

    expect((await signIn({ password: 'password of org A' })).json().user.id).toBe(inA);
    expect((await signIn({ password: 'password of org B' })).json().user.id).toBe(inB);
    const wrong = await signIn({ password: 'neither of them' });
    expect(wrong.statusCode).toBe(401);
    // A wrong password counts against both accounts; a right one clears only its own.
    const failed = await h().db.kysely.selectFrom('users').select(['id', 'failed_logins']).where('email', '=', email).orderBy('id').execute();
    expect(failed.map((u) => u.failed_logins)).toEqual([1, 1]);
    expect((await signIn({ password: 'password of org A', organization: b.slug })).statusCode).toBe(401);
    expect((await signIn({ password: 'password of org B', organization: b.slug })).json().user.id).toBe(inB);
  });

  it('asks which organization when one password opens accounts in two', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    const email = `same-pw-${a.orgId}@example.org`;
    for (const org of [a, b]) {
      await (await org.as('admin')).post('/api/admin/users', { email, name: 'Pat Same', role: 'associate', password: 'one password for all' });
    }
    const c = new Client(h().app);
    const ask = await c.post('/api/auth/login', { email, password: 'one password for all' });
    expect(ask.statusCode).toBe(400);
    expect(ask.json().error).toMatchObject({ code: 'invalid', field: 'organization' });
    expect(ask.json().error.message).toContain(a.slug);
    expect(ask.json().error.message).toContain(b.slug);
    expect(c.cookies.sw_session).toBeUndefined();
    const chosen = await c.post('/api/auth/login', { email, password: 'one password for all', organization: a.slug });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().org.slug).toBe(a.slug);
    // A stranger without the password learns nothing: the answer is the one for a wrong password.
    const stranger = await new Client(h().app).post('/api/auth/login', { email, password: 'not the password' });
    const nobody = await new Client(h().app).post('/api/auth/login', { email: 'nobody@example.org', password: 'not the password' });
    expect(stranger.json()).toEqual(nobody.json());
  });

  it('lets an admin unlock by resetting the password', async () => {
    const org = await makeOrg(h());
    const c = new Client(h().app);
    const email = org.users.associate.email;
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await c.post('/api/auth/login', { email, password: 'wrong wrong' });
    const admin = await org.as('admin');
    const users = (await admin.get('/api/admin/users')).json().items;
    expect(users.find((u: { email: string }) => u.email === email).locked).toBe(true);
    const reset = await admin.patch(`/api/admin/users/${org.users.associate.id}`, { password: 'a brand new secret' });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().locked).toBe(false);
    expect((await c.post('/api/auth/login', { email, password: 'a brand new secret' })).statusCode).toBe(200);
  });

  it('signs out: the session stops working', async () => {
    const org = await makeOrg(h());
    const c = await signIn(h().app, org.users.associate.email, PASSWORD);
    const stolen = { ...c.cookies };
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/session')).statusCode).toBe(401);
    const replay = await h().app.inject({ method: 'GET', url: '/api/session', cookies: stolen });
    expect(replay.statusCode).toBe(401);
  });

  it('expires an idle session', async () => {
    const org = await makeOrg(h());
    const c = await signIn(h().app, org.users.associate.email, PASSWORD);
    h().clock.advance(13 * 3600_000);
    expect((await c.get('/api/session')).statusCode).toBe(401);
  });

  it('changes a password, checks the current one, and ends the other sessions', async () => {
    const org = await makeOrg(h());
    const email = org.users.supervisor.email;
    const here = await signIn(h().app, email, PASSWORD);
    const elsewhere = await signIn(h().app, email, PASSWORD);
    const bad = await here.post('/api/auth/password', { currentPassword: 'not it at all', newPassword: 'a new long password' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('currentPassword');
    const short = await here.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('newPassword');
    const ok = await here.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a new long password' });
    expect(ok.statusCode).toBe(200);
    expect((await here.get('/api/session')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/session')).statusCode).toBe(401);
    expect((await new Client(h().app).post('/api/auth/login', { email, password: PASSWORD })).statusCode).toBe(401);
    await signIn(h().app, email, 'a new long password');
    expect(await auditActions(h(), org.orgId)).toContain('password.changed');
    const row = await h().db.kysely.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a deactivated user', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const c = await signIn(h().app, org.users.volunteer.email, PASSWORD);
    await admin.patch(`/api/admin/users/${org.users.volunteer.id}`, { active: false });
    expect((await c.get('/api/session')).statusCode).toBe(401);
    const again = await new Client(h().app).post('/api/auth/login', { email: org.users.volunteer.email, password: PASSWORD });
    expect(again.statusCode).toBe(401);
  });
});

for (const dialect of dialects()) {
  describe(`first start without the demo [${dialect}]`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(dialect);
    });
    afterAll(() => h.close());

    it('asks for the first admin once, then never again', async () => {
      const c = new Client(h.app);
      expect((await c.get('/api/setup')).json()).toEqual({ needed: true });
      const bad = await c.post('/api/setup', { organizationName: 'Food Bank', name: 'Ada', email: 'ada@fb.org', password: 'long enough pw', timeZone: 'Mars/Olympus' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('timeZone');
      const res = await c.post('/api/setup', {
        organizationName: 'Food Bank',
        name: 'Ada',
        email: 'ada@fb.org',
        password: 'long enough pw',
        timeZone: 'Europe/Paris',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.role).toBe('admin');
      expect(res.json().org).toMatchObject({ name: 'Food Bank', slug: 'food-bank', timeZone: 'Europe/Paris' });
      expect((await c.get('/api/session')).statusCode).toBe(200);
      expect((await c.get('/api/setup')).json()).toEqual({ needed: false });
      const again = await new Client(h.app).post('/api/setup', {
        organizationName: 'Takeover',
        name: 'Mallory',
        email: 'm@evil.org',
        password: 'long enough pw',
      });
      expect(again.statusCode).toBe(409);
    });
  });

  describe.runIf(dialect === 'postgres')(`first start, raced [${dialect}]`, () => {
    it('makes one organization when first-time setups arrive at once', async () => {
      const h = await makeHarness(dialect);
      try {
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            new Client(h.app, `203.0.113.${i}`).post('/api/setup', {
              organizationName: `Org ${i}`,
              name: `Admin ${i}`,
              email: `admin${i}@example.org`,
              password: 'long enough pw',
            }),
          ),
        );
        expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
        expect(await h.db.kysely.selectFrom('organizations').select('id').execute()).toHaveLength(1);
        expect(await h.db.kysely.selectFrom('users').select('id').execute()).toHaveLength(1);
      } finally {
        await h.close();
      }
    });
  });

  describe(`login rate limit [${dialect}]`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await makeHarness(dialect, { rateLimits: { login: { max: 3, timeWindow: '1 minute' } } });
    });
    afterAll(() => h.close());

    it('answers 429 to a flood of sign-ins from one address', async () => {
      const c = new Client(h.app, '10.1.2.3');
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await c.post('/api/auth/login', { email: `x${i}@y.org`, password: 'whatever pw' })).statusCode);
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes.slice(3)).toEqual([429, 429]);
      const other = new Client(h.app, '10.9.9.9');
      expect((await other.post('/api/auth/login', { email: 'x@y.org', password: 'whatever pw' })).statusCode).toBe(401);
    });
  });
}
