// Two app instances on one PostgreSQL, each with its own runner, mail runtime and live stream:
// 1,000 promises fall due at the same moment. Each reminder and each escalation happens exactly
// once across both instances (notifications, outbox, the loopback relay), both instances do
// the work, and browsers connected to either instance hear of it live.
import { describe, expect, it } from 'vitest';
import { createMailRuntime, type MailRuntime } from '../mail/api.js';
import { startRelay } from '../mail/testing/relay.js';
import { hashPassword } from '../platform/passwords.js';
import { JobRunner, type AnyJobType } from '../platform/jobs/index.js';
import { quietLog, until } from '../platform/jobs/testing/kit.js';
import { signIn } from '../testing/client.js';
import { PASSWORD } from '../testing/factories.js';
import { TEST_DATABASE_URL, makeHarness, type Harness } from '../testing/harness.js';
import { promiseJobTypes } from './api.js';
import { promisesFallingDue } from './testing/fixture.js';
import { openStream } from '../testing/stream.js';

const N = 1000;

/** The same job types, counting the jobs this instance ran. */
const counted = (types: AnyJobType[], ran: { n: number }): AnyJobType[] =>
  types.map((t) => ({ ...t, run: (payload, job) => (ran.n++, t.run(payload, job)) }));

describe.runIf(TEST_DATABASE_URL)('promises on two instances of one PostgreSQL', () => {
  it('reminds and escalates each of 1,000 promises due at once exactly once, live on both instances', async () => {
    const relay = await startRelay();
    let a: Harness | undefined;
    let b: Harness | undefined;
    const runners: JobRunner[] = [];
    const mails: MailRuntime[] = [];
    const streams: Array<{ close(): void }> = [];
    try {
      a = await makeHarness('postgres');
      b = await makeHarness('postgres', { pgSchema: a.pgSchema! });
      const t0 = a.clock.now();
      const due = t0 + 3600_000;
      const fx = await promisesFallingDue(a.p, { n: N, dueAt: due, leadMs: 0, relayPort: relay.port, passwordHash: await hashPassword(PASSWORD) });

      // A browser on each instance: the owner's on B, the supervisor's on A.
      const ownerOnB = await openStream(b.app, (await signIn(b.app, fx.ownerEmail, PASSWORD)).cookies);
      const supervisorOnA = await openStream(a.app, (await signIn(a.app, fx.supervisorEmail, PASSWORD)).cookies);
      streams.push(ownerOnB, supervisorOnA);
      expect([ownerOnB.status, supervisorOnA.status]).toEqual([200, 200]);

      const ran = [{ n: 0 }, { n: 0 }];
      for (const [i, h] of [a, b].entries()) {
        const mail = createMailRuntime(h.p, { log: quietLog() });
        mails.push(mail);
        const runner = new JobRunner({ db: h.db, clock: h.clock, types: counted([...promiseJobTypes(h.p), ...mail.jobTypes], ran[i]!), pollMs: 50, log: quietLog() });
        runners.push(runner);
        await runner.start();
      }

      // The moment comes on both instances' clocks.
      const started = Date.now();
      a.clock.set(due);
      b.clock.set(due);
      const k = a.db.kysely;
      const count = async (kind: string) =>
        Number((await k.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).executeTakeFirstOrThrow()).n);
      await until(async () => (await count('promise.escalation')) === N && (await count('promise.reminder')) === N, 'every reminder and escalation', 120_000).catch(
        async (err: Error) => {
          const jobs = await k.selectFrom('jobs').select(['kind', 'state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['kind', 'state']).execute();
          const errs = await k.selectFrom('jobs').select(['kind', 'last_error']).where('last_error', 'is not', null).limit(3).execute();
          throw new Error(`${err.message}: reminders ${await count('promise.reminder')}, escalations ${await count('promise.escalation')}, jobs ${JSON.stringify(jobs)} ${JSON.stringify(errs)}`);
        },
      );
      const notifiedMs = Date.now() - started;
      await until(async () => relay.relayed.length >= 2 * N, 'every email at the relay', 120_000);
      const mailedMs = Date.now() - started;
      await until(() => ownerOnB.events.filter((e) => e.type === 'notification').length >= N, 'the owner’s browser on B to hear every reminder', 30_000);
      await until(() => supervisorOnA.events.filter((e) => e.type === 'notification').length >= N, 'the supervisor’s browser on A to hear every escalation', 30_000);
      await new Promise((r) => setTimeout(r, 300)); // anything more would be a duplicate
      for (const r of runners.splice(0)) await r.stop();

      expect(await count('promise.reminder')).toBe(N);
      expect(await count('promise.escalation')).toBe(N);
      const outbox = await k.selectFrom('mail_outbox').select(['message_id', 'state']).where('org_id', '=', fx.orgId).execute();
      expect(outbox).toHaveLength(2 * N);
      expect(outbox.every((m) => m.state === 'sent')).toBe(true);
      expect(relay.relayed).toHaveLength(2 * N);
      expect(new Set(relay.relayed.map((m) => m.messageId)).size).toBe(2 * N);
      const ownerNotes = ownerOnB.events.filter((e) => e.type === 'notification');
      expect(ownerNotes.every((e) => e.type === 'notification' && e.userId === fx.ownerId)).toBe(true);
      expect(ownerNotes).toHaveLength(N);
      expect(supervisorOnA.events.filter((e) => e.type === 'notification')).toHaveLength(N);
      expect(ownerOnB.events.some((e) => e.type === 'promise.changed')).toBe(true);
      expect(ran[0]!.n).toBeGreaterThan(0);
      expect(ran[1]!.n).toBeGreaterThan(0);
      const states = await k.selectFrom('promises').select('state').where('org_id', '=', fx.orgId).where('escalated_at', 'is', null).execute();
      expect(states).toHaveLength(0);
      console.log(
        `two instances: ${N} promises due at once → ${N} reminders + ${N} escalations notified in ${notifiedMs} ms, ` +
          `${2 * N} emails relayed in ${mailedMs} ms; jobs run by A ${ran[0]!.n}, by B ${ran[1]!.n}`,
      );
    } finally {
      for (const s of streams) s.close();
      for (const r of runners) await r.stop();
      for (const m of mails) await m.close();
      await b?.close();
      await a?.close();
      await relay.close();
    }
  }, 300_000);
});
