import { beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobPage, JobView } from '../../contracts/jobs.js';
import { defineJob, enqueueJob, JobRunner, type JobType } from '../platform/jobs/index.js';
import { quietLog } from '../platform/jobs/testing/kit.js';
import { makeOrg } from '../testing/factories.js';
import { describeEachDialect } from '../testing/harness.js';

describeEachDialect('the admin job screen', (h) => {
  let failing = true;
  const runs: string[] = [];
  const notice = defineJob({
    kind: 'test.notice',
    payload: z.object({ to: z.string() }),
    maxAttempts: 2,
    backoffMs: 1000,
    run: async ({ to }) => {
      runs.push(to);
      if (failing) throw new Error(`mailbox of ${to} is full`);
    },
  });
  const runner = () => new JobRunner({ db: h().db, clock: h().clock, types: [notice], log: quietLog() });
  const enqueue = <P>(type: JobType<P>, payload: P, orgId: number | null, runAt?: number) =>
    h()
      .db.kysely.transaction()
      .execute((tx) => enqueueJob(tx, type, payload, { now: h().clock.now(), orgId, ...(runAt ? { runAt } : {}) }));
  /** Fails a job through every attempt, as the runner would. */
  async function killed(orgId: number | null, to: string): Promise<number> {
    const id = (await enqueue(notice, { to }, orgId))!;
    const r = runner();
    await r.runDue();
    h().clock.advance(60_000);
    await r.runDue();
    return id;
  }

  beforeEach(async () => {
    await h().db.kysely.deleteFrom('jobs').execute();
    failing = true;
    runs.length = 0;
  });

  it('shows an admin the dead job with its error; retry runs it again, discard removes it; both audited', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const id = await killed(org.orgId, 'ana@example.org');
    expect(runs).toEqual(['ana@example.org', 'ana@example.org']);

    const dead = await admin.get('/api/admin/jobs?state=dead');
    expect(dead.statusCode).toBe(200);
    const [job] = (dead.json() as JobPage).items;
    expect(job).toMatchObject({
      id,
      kind: 'test.notice',
      state: 'dead',
      system: false,
      attempts: 2,
      maxAttempts: 2,
      lastError: 'Error: mailbox of ana@example.org is full',
      payload: { to: 'ana@example.org' },
    });

    const retried = await admin.post(`/api/admin/jobs/${id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id, state: 'queued', attempts: 0, runAt: h().clock.now() });
    expect((await admin.post(`/api/admin/jobs/${id}/retry`)).statusCode).toBe(409); // not dead any more
    failing = false;
    expect(await runner().runDue()).toBe(1);
    expect(runs).toHaveLength(3);
    expect((await admin.get('/api/admin/jobs?state=queued')).json().items).toEqual([]);

    failing = true;
    const other = await killed(org.orgId, 'ben@example.org');
    const discarded = await admin.delete(`/api/admin/jobs/${other}`);
    expect(discarded.statusCode).toBe(200);
    expect(await h().db.kysely.selectFrom('jobs').select('id').where('id', '=', other).execute()).toEqual([]);
    expect((await admin.delete(`/api/admin/jobs/${other}`)).statusCode).toBe(404);

    const audit = await admin.get('/api/admin/audit?action=job.retried');
    expect(audit.json().items[0]).toMatchObject({ action: 'job.retried', targetType: 'job', targetId: String(id) });
    const gone = await admin.get('/api/admin/audit?action=job.discarded');
    expect(gone.json().items[0]).toMatchObject({ targetId: String(other), detail: { kind: 'test.notice', state: 'dead' } });
  });

  it("keeps each organization's jobs to its own admins, and shows system jobs to all", async () => {
    const [mine, theirs] = [await makeOrg(h()), await makeOrg(h())];
    const theirJob = await killed(theirs.orgId, 'theirs@example.org');
    const systemJob = await killed(null, 'system@example.org');
    const admin = await mine.as('admin');
    const ids = ((await admin.get('/api/admin/jobs?state=dead')).json() as JobPage).items.map((j) => j.id);
    expect(ids).toEqual([systemJob]);
    for (const res of [await admin.post(`/api/admin/jobs/${theirJob}/retry`), await admin.delete(`/api/admin/jobs/${theirJob}`)]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect(await h().db.kysely.selectFrom('jobs').select('state').where('id', '=', theirJob).executeTakeFirst()).toEqual({ state: 'dead' });
    const theirAdmin = await theirs.as('admin');
    const theirIds = ((await theirAdmin.get('/api/admin/jobs?state=dead')).json() as JobPage).items.map((j) => j.id);
    expect(theirIds).toEqual([systemJob, theirJob]);
  });

  it('refuses every other role', async () => {
    const org = await makeOrg(h());
    const id = await killed(org.orgId, 'x@example.org');
    for (const role of ['supervisor', 'associate', 'volunteer'] as const) {
      const c = await org.as(role);
      for (const res of [
        await c.get('/api/admin/jobs?state=dead'),
        await c.post(`/api/admin/jobs/${id}/retry`),
        await c.delete(`/api/admin/jobs/${id}`),
      ]) {
        expect(res.statusCode, role).toBe(403);
      }
    }
    expect(await h().db.kysely.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirst()).toEqual({ state: 'dead' });
  });

  it('answers 400 naming the field for a bad id, state or cursor', async () => {
    const admin = await (await makeOrg(h())).as('admin');
    const cases: Array<[Promise<{ statusCode: number; json(): { error: { field?: string } } }>, string]> = [
      [admin.post('/api/admin/jobs/abc/retry'), 'id'],
      [admin.post('/api/admin/jobs/0/retry'), 'id'],
      [admin.delete('/api/admin/jobs/99999999999'), 'id'],
      [admin.get('/api/admin/jobs'), 'state'],
      [admin.get('/api/admin/jobs?state=done'), 'state'],
      [admin.get('/api/admin/jobs?state=dead&after=not%20a%20cursor'), 'after'],
      [admin.get(`/api/admin/jobs?state=dead&after=${Buffer.from('j-4').toString('base64url')}`), 'after'],
      [admin.get(`/api/admin/jobs?state=dead&after=${Buffer.from('[1,2]').toString('base64url')}`), 'after'],
      [admin.get('/api/admin/jobs?state=dead&limit=1000'), 'limit'],
    ];
    for (const [pending, field] of cases) {
      const res = await pending;
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
  });

  it('pages through queued jobs by keyset, newest first, and will not discard a running job', async () => {
    const org = await makeOrg(h());
    const admin = await org.as('admin');
    const later = h().clock.now() + 3600_000;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await enqueue(notice, { to: `p${i}@example.org` }, i === 2 ? null : org.orgId, later))!);
    const seen: JobView[] = [];
    let after: string | null = null;
    do {
      const res = await admin.get(`/api/admin/jobs?state=queued&limit=2${after ? `&after=${after}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as JobPage;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      after = page.nextCursor;
    } while (after);
    expect(seen.map((j) => j.id)).toEqual([...ids].reverse());
    expect(seen.find((j) => j.id === ids[2])!.system).toBe(true);

    await h().db.kysely.updateTable('jobs').set({ state: 'running', lease_owner: 'elsewhere' }).where('id', '=', ids[0]!).execute();
    const refused = await admin.delete(`/api/admin/jobs/${ids[0]}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/running/);
    expect(((await admin.get('/api/admin/jobs?state=running')).json() as JobPage).items.map((j) => j.id)).toEqual([ids[0]]);
  });
});
