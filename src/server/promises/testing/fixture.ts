// An organization with promises falling due together, for the crash and two-instance tests and
// the benchmark: one owner, one supervisor, its relay set to a loopback SMTP server, and `n`
// cases each with one promise, all due at `dueAt`, reminded `leadMs` before.
import { addTeam, createOrganization, insertUser, setDefaultTeam } from '../../admin/api.js';
import { openCase } from '../../cases/api.js';
import { setRelayIn } from '../../mail/api.js';
import { createPatronIn } from '../../patrons/api.js';
import type { Platform } from '../../platform/context.js';
import { inTransaction } from '../../platform/tx.js';
import { makePromise } from '../api.js';
import { saveTeamSettings } from '../queries.js';

export interface DueFixture {
  orgId: number;
  teamId: number;
  ownerId: number;
  ownerEmail: string;
  supervisorId: number;
  supervisorEmail: string;
  promiseIds: number[];
}

export async function promisesFallingDue(
  p: Platform,
  opts: { n: number; dueAt: number; leadMs: number; relayPort?: number; batch?: number; tag?: string; passwordHash?: string },
): Promise<DueFixture> {
  const tag = opts.tag ?? Math.random().toString(36).slice(2, 8);
  const base = await inTransaction(p, async (ctx) => {
    const org = await createOrganization(ctx, { name: `Due ${tag}`, casePrefix: 'SW', timeZone: 'America/Chicago' });
    const team = await addTeam(ctx, org.id, 'Box office');
    await setDefaultTeam(ctx.tx, org.id, team.id);
    const hash = opts.passwordHash ?? 'not-a-password-hash';
    const owner = await insertUser(ctx, org.id, { email: `owner-${tag}@test.servewell.org`, name: 'Olive Owner', role: 'associate', teamId: team.id, password: 'x' }, hash);
    const sup = await insertUser(ctx, org.id, { email: `sup-${tag}@test.servewell.org`, name: 'Sam Supervisor', role: 'supervisor', teamId: team.id, password: 'x' }, hash);
    await saveTeamSettings(ctx.tx, { team_id: team.id, org_id: org.id, reminder_lead_ms: opts.leadMs, escalate_after_ms: 0, updated_at: ctx.clock.now() });
    if (opts.relayPort) {
      await setRelayIn(ctx, org.id, { mode: 'smtp', host: '127.0.0.1', port: opts.relayPort, security: 'none', username: null, allowSelfSigned: false });
    }
    return { org, team, owner, sup };
  });
  const promiseIds: number[] = [];
  const batch = opts.batch ?? 100;
  for (let start = 0; start < opts.n; start += batch) {
    const ids = await inTransaction(p, async (ctx) => {
      const out: number[] = [];
      for (let i = start; i < Math.min(opts.n, start + batch); i++) {
        const patron = await createPatronIn(ctx, base.org.id, { name: `Patron ${i}`, email: `patron-${i}-${tag}@example.org` });
        const kase = await openCase(ctx, {
          orgId: base.org.id,
          channel: 'phone',
          patronId: patron.id,
          subject: `Question ${i}`,
          body: 'Needs an answer from finance.',
          direction: 'in',
          status: 'open',
          priority: 'normal',
          teamId: base.team.id,
          assigneeId: base.owner.id,
          tags: [],
          createdBy: base.owner.id,
        });
        const promise = await makePromise(ctx, {
          orgId: base.org.id,
          caseId: kase.id,
          ownerUserId: base.owner.id,
          what: `Call back about question ${i}`,
          dueAt: opts.dueAt,
          how: 'call',
          permissionAsked: true,
          byUserId: base.owner.id,
        });
        out.push(promise.id);
      }
      return out;
    });
    promiseIds.push(...ids);
  }
  return {
    orgId: base.org.id,
    teamId: base.team.id,
    ownerId: base.owner.id,
    ownerEmail: base.owner.email,
    supervisorId: base.sup.id,
    supervisorEmail: base.sup.email,
    promiseIds,
  };
}
