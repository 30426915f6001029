import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, auditKindOf } from '../../contracts/audit.js';
import { signIn } from '../testing/client.js';
import { PASSWORD, logCall, makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';

describeEachDialect('administration', (h, { raceIt }) => {
  it('keeps admin routes from every other role', async () => {
    const org = await makeOrg(h());
    for (const role of ['supervisor', 'associate', 'volunteer'] as const) {
      const c = await org.as(role);
      expect((await c.get('/api/admin/audit')).statusCode, role).toBe(403);
      expect((await c.post('/api/admin/teams', { name: 'Sneaky' })).statusCode, role).toBe(403);
      const promote = await c.patch(`/api/admin/users/${org.users[role].id}`, { role: 'admin' });
      expect(promote.statusCode, role).toBe(403);
      expect(promote.json().error.code).toBe('forbidden');
    }
  });

  it('creates a user who can sign in, and refuses a duplicate email', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const res = await admin.post('/api/admin/users', {
      email: `new-${org.orgId}@test.org`,
      name: 'New Person',
      role: 'associate',
      teamId: org.teams.development,
      password: 'welcome to the desk',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ role: 'associate', teamId: org.teams.development, active: true });
    await signIn(h().app, `new-${org.orgId}@test.org`, 'welcome to the desk');
    const dup = await admin.post('/api/admin/users', {
      email: `NEW-${org.orgId}@test.org`,
      name: 'Again',
      role: 'volunteer',
      password: 'welcome to the desk',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('email');
  });

  it('keeps user emails unique per organization, so one cannot learn another’s users', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    const email = `shared-${a.orgId}@example.org`;
    const body = { email, name: 'Sam Shared', role: 'associate', password: 'welcome to the desk' };
    expect((await (await a.as('admin')).post('/api/admin/users', body)).statusCode).toBe(201);
    // Another organization's user with this email is no concern of B's: no 409 to learn from.
    expect((await (await b.as('admin')).post('/api/admin/users', { ...body, email: email.toUpperCase() })).statusCode).toBe(201);
    const again = await (await b.as('admin')).post('/api/admin/users', body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.field).toBe('email');
  });

  it('names the bad field of a user', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ email: 'x@y.org', name: 'X', role: 'wizard', password: 'long enough pw' }, 'role'],
      [{ email: 'x@y.org', name: '', role: 'associate', password: 'long enough pw' }, 'name'],
      [{ email: 'x@y.org', name: 'X', role: 'associate', password: 'short' }, 'password'],
      [{ email: 'x@y.org', name: 'X', role: 'associate', password: 'long enough pw', teamId: 999999 }, 'teamId'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post('/api/admin/users', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    const before = await h().db.kysely.selectFrom('users').select('id').where('email', '=', 'x@y.org').execute();
    expect(before).toEqual([]);
  });

  it('audits a role change and ends the changed user’s sessions', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const volunteer = await signIn(h().app, org.users.volunteer.email, PASSWORD);
    const res = await admin.patch(`/api/admin/users/${org.users.volunteer.id}`, { role: 'associate' });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('associate');
    expect((await volunteer.get('/api/session')).statusCode).toBe(401);
    const audit = (await admin.get('/api/admin/audit?action=user.role_changed')).json();
    expect(audit.items[0]).toMatchObject({
      action: 'user.role_changed',
      actor: { id: org.users.admin.id },
      targetId: String(org.users.volunteer.id),
      detail: { from: 'volunteer', to: 'associate' },
    });
  });

  it('never leaves the organization without an active admin', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const demote = await admin.patch(`/api/admin/users/${org.users.admin.id}`, { role: 'supervisor' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.field).toBe('role');
    const self = await admin.patch(`/api/admin/users/${org.users.admin.id}`, { active: false });
    expect(self.statusCode).toBe(409);
    await admin.patch(`/api/admin/users/${org.users.supervisor.id}`, { role: 'admin' });
    expect((await admin.patch(`/api/admin/users/${org.users.admin.id}`, { role: 'supervisor' })).statusCode).toBe(200);
  });

  it('gives the staff a directory without emails or lock state; the full user list is for admins', async () => {
    const org = await makeOrg(h());
    for (const role of ['supervisor', 'associate', 'volunteer'] as const) {
      const client = await org.as(role);
      const res = await client.get('/api/users');
      expect(res.statusCode, role).toBe(200);
      const items = res.json().items as Array<Record<string, unknown>>;
      expect(items).toHaveLength(4);
      for (const u of items) expect(Object.keys(u).sort(), role).toEqual(['active', 'id', 'name', 'role', 'teamId']);
      expect(res.body).not.toContain('@test.servewell.org');
      expect((await client.get('/api/admin/users')).statusCode, role).toBe(403);
    }
    const full = (await (await org.as('admin')).get('/api/admin/users')).json().items;
    expect(full.find((u: { id: number }) => u.id === org.users.volunteer.id)).toMatchObject({
      email: org.users.volunteer.email,
      locked: false,
      active: true,
      createdAt: expect.any(Number),
    });
  });

  raceIt('never leaves the organization without an admin when two admins demote each other at once', async () => {
    for (let round = 0; round < 6; round++) {
      const org = await makeOrg(h());
      await (await org.as('admin')).patch(`/api/admin/users/${org.users.supervisor.id}`, { role: 'admin' });
      const a = await signIn(h().app, org.users.admin.email, PASSWORD);
      const b = await signIn(h().app, org.users.supervisor.email, PASSWORD);
      const change = round % 2 ? { active: false } : { role: 'associate' };
      const results = await Promise.all([
        a.patch(`/api/admin/users/${org.users.supervisor.id}`, change),
        b.patch(`/api/admin/users/${org.users.admin.id}`, change),
      ]);
      const admins = await h()
        .db.kysely.selectFrom('users')
        .select('id')
        .where('org_id', '=', org.orgId)
        .where('role', '=', 'admin')
        .where('deactivated_at', 'is', null)
        .execute();
      expect(admins, `round ${round}`).toHaveLength(1);
      // The loser is refused: as the last admin (409), or, having been demoted a moment
      // earlier, as no longer an admin (403) or with its session ended (401).
      const codes = results.map((r) => r.statusCode).sort();
      expect([[200, 401], [200, 403], [200, 409]], `round ${round}`).toContainEqual(codes);
    }
  });

  raceIt('answers 409, never 500, when a team is deleted while a case moves into it', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const associate = await org.as('associate');
    for (let round = 0; round < 8; round++) {
      const team = (await admin.post('/api/admin/teams', { name: `Pop-up ${round}` })).json();
      const { ref } = await logCall(associate);
      const [deleted, moved] = await Promise.all([
        admin.delete(`/api/admin/teams/${team.id}`),
        associate.patch(`/api/cases/${ref}`, { teamId: team.id }),
      ]);
      const outcome = `round ${round}: delete ${deleted.statusCode} ${deleted.body}, move ${moved.statusCode} ${moved.body}`;
      // Either the move won (the team keeps its case) or the delete did (the move is refused).
      if (moved.statusCode === 200) {
        expect(deleted.statusCode, outcome).toBe(409);
        expect(deleted.json().error.message, outcome).toMatch(/still has cases/);
      } else {
        expect(deleted.statusCode, outcome).toBe(200);
        expect([400, 409], outcome).toContain(moved.statusCode);
      }
      const row = await h().db.kysely.selectFrom('cases').select('team_id').where('org_id', '=', org.orgId).where('number', '=', Number(ref.split('-')[1])).executeTakeFirstOrThrow();
      expect(row.team_id, outcome).toBe(moved.statusCode === 200 ? team.id : org.teams.boxOffice);
    }
  });

  it('cannot reach another organization’s users', async () => {
    const a = await makeOrg(h());
    const b = await makeOrg(h());
    const admin = await a.as('admin');
    const res = await admin.patch(`/api/admin/users/${b.users.associate.id}`, { role: 'admin' });
    expect(res.statusCode).toBe(404);
    const list = (await admin.get('/api/admin/users')).json().items.map((u: { email: string }) => u.email);
    expect(list).not.toContain(b.users.associate.email);
  });

  it('manages teams: unique names, rename, and no deletion while cases use one', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const created = await admin.post('/api/admin/teams', { name: 'Education' });
    expect(created.statusCode).toBe(201);
    expect((await admin.post('/api/admin/teams', { name: 'education' })).statusCode).toBe(409);
    const id = created.json().id;
    expect((await admin.patch(`/api/admin/teams/${id}`, { name: 'Learning' })).json().name).toBe('Learning');
    const associate = await org.as('associate');
    await associate.post('/api/cases', {
      channel: 'phone',
      patron: { name: 'Kid Parent' },
      subject: 'Camp question',
      body: 'When does camp start?',
      teamId: id,
    });
    const refused = await admin.delete(`/api/admin/teams/${id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/still has cases/);
    const empty = (await admin.post('/api/admin/teams', { name: 'Facilities' })).json().id;
    expect((await admin.delete(`/api/admin/teams/${empty}`)).statusCode).toBe(200);
    expect((await admin.get('/api/teams')).json().items.map((t: { name: string }) => t.name)).not.toContain('Facilities');
  });

  it('sets the organization’s name, locale, time zone and default team, and checks them', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const bad = await admin.patch('/api/admin/organization', { timeZone: 'Nowhere/Special' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('timeZone');
    const badLocale = await admin.patch('/api/admin/organization', { locale: 'not a locale!' });
    expect(badLocale.json().error.field).toBe('locale');
    const ok = await admin.patch('/api/admin/organization', {
      name: 'Théâtre du Parc',
      locale: 'fr-CA',
      timeZone: 'America/Toronto',
      defaultTeamId: org.teams.development,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Théâtre du Parc', locale: 'fr-CA', timeZone: 'America/Toronto', defaultTeamId: org.teams.development });
    const session = (await (await org.as('associate')).get('/api/session')).json();
    expect(session.org.timeZone).toBe('America/Toronto');
  });

  it('leaves sign-ins out of the audit log unless asked, and filters it by kind', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    await org.as('associate');
    await signIn(h().app, org.users.volunteer.email, PASSWORD);
    await admin.post('/api/admin/teams', { name: 'Ushers' });
    await admin.patch(`/api/admin/users/${org.users.volunteer.id}`, { role: 'associate' });
    const actions = async (query: string) =>
      (await admin.get(`/api/admin/audit${query}`)).json().items.map((e: { action: string }) => e.action) as string[];
    const changes = await actions('');
    expect(changes).toEqual(['user.role_changed', 'team.created']);
    const everything = await actions('?signIns=include');
    expect(everything.filter((a) => a === 'login.succeeded')).toHaveLength(3);
    expect(everything).toEqual(expect.arrayContaining(changes));
    expect(new Set(await actions('?kind=sign_in'))).toEqual(new Set(['login.succeeded']));
    expect(await actions('?kind=user')).toEqual(['user.role_changed']);
    expect(await actions('?kind=team')).toEqual(['team.created']);
    expect(await actions('?kind=case')).toEqual([]);
    const bad = await admin.get('/api/admin/audit?kind=logins');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('kind');
    // Paging stays within the filter.
    const first = (await admin.get('/api/admin/audit?limit=1')).json();
    const second = (await admin.get(`/api/admin/audit?limit=1&before=${first.nextBefore}`)).json();
    expect([...first.items, ...second.items].map((e: { action: string }) => e.action)).toEqual(changes);
  });

  it('names the actor and the target of each entry, and gives its kind', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const associate = await org.as('associate');
    const team = (await admin.post('/api/admin/teams', { name: 'Front of house' })).json();
    await admin.delete(`/api/admin/teams/${team.id}`);
    await admin.patch(`/api/admin/users/${org.users.volunteer.id}`, { role: 'associate' });
    const { ref } = await logCall(associate, { subject: 'Lost scarf' });
    await admin.post(`/api/cases/${ref}/status-link`);
    const patron = (await associate.post('/api/patrons', { name: 'Wanda Wu' })).json();
    const noted = (await associate.post(`/api/patrons/${patron.id}/notes`, { kind: 'general', body: 'Hi' })).json();
    await admin.delete(`/api/patrons/${patron.id}/notes/${noted.notes[0].id}`);
    await admin.patch('/api/admin/organization', { name: 'Renamed Theatre' });
    const items = (await admin.get('/api/admin/audit?signIns=include')).json().items as Array<Record<string, unknown>>;
    const entry = (action: string) => items.find((e) => e.action === action);
    const adminName = org.users.admin.actor.name;
    expect(entry('user.role_changed')).toMatchObject({ kind: 'user', actor: { name: adminName }, targetName: org.users.volunteer.actor.name });
    expect(entry('team.created')).toMatchObject({ kind: 'team', targetName: 'Front of house' });
    expect(entry('team.deleted')).toMatchObject({ kind: 'team', targetName: 'Front of house' }); // from the entry itself
    expect(entry('case.status_link_rotated')).toMatchObject({ kind: 'case', targetId: ref, targetName: 'Lost scarf' });
    expect(entry('patron.note_deleted')).toMatchObject({ kind: 'patron', targetName: 'Wanda Wu' });
    expect(entry('organization.updated')).toMatchObject({ kind: 'organization', targetName: 'Renamed Theatre' });
    expect(entry('login.succeeded')).toMatchObject({ kind: 'sign_in', actor: { name: expect.any(String) }, targetName: expect.any(String) });
  });

  it('pages through the audit log newest first', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    for (let i = 0; i < 5; i++) await admin.post('/api/admin/teams', { name: `Team ${i}` });
    const first = (await admin.get('/api/admin/audit?limit=3')).json();
    expect(first.items).toHaveLength(3);
    expect(first.nextBefore).toBe(first.items[2].id);
    const second = (await admin.get(`/api/admin/audit?limit=3&before=${first.nextBefore}`)).json();
    const ids = [...first.items, ...second.items].map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the audit log’s words', () => {
  it('has a label for every action the server writes, and a kind for each', () => {
    const root = path.resolve('src/server');
    const written = new Set<string>();
    for (const file of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const m of text.matchAll(/action: ([^,\n}]+)/g)) {
        for (const a of m[1]!.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) written.add(a[1]!);
      }
    }
    expect(written.size).toBeGreaterThan(15);
    const missing = [...written].filter((a) => !(a in AUDIT_ACTION_LABELS));
    expect(missing).toEqual([]);
    expect([...written].filter((a) => auditKindOf(a) === 'other')).toEqual([]);
  });
});

