// kill -9 of an app instance's job worker while it runs promise reminders and their mail, then a
// restart: every due reminder and escalation is notified exactly once, and reaches the loopback
// relay under exactly one Message-ID. (A worker killed between the relay's answer and the
// record of it sends that same message again on the retry, under the same Message-ID, as the
// outbox documents; the test counts such repeats against the tries recorded as interrupted.)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDb, type Db } from '../db/index.js';
import { createMailRuntime } from '../mail/api.js';
import { CLAIM_MS } from '../mail/deliver.js';
import { startRelay } from '../mail/testing/relay.js';
import { TestClock } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { createPlatform } from '../platform/index.js';
import { JobRunner } from '../platform/jobs/index.js';
import { quietLog, until } from '../platform/jobs/testing/kit.js';
import { TEST_DATABASE_URL, createSchema, dialects, dropSchema } from '../testing/harness.js';
import { promiseJobTypes } from './api.js';
import { promisesFallingDue } from './testing/fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const N = 120;
const HOUR = 3600_000;

for (const dialect of dialects()) {
  describe(`promise reminders when a worker is killed [${dialect}]`, () => {
    it('sends each due reminder and escalation exactly once after a restart', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-promise-crash-'));
      const schema = dialect === 'postgres' ? await createSchema() : undefined;
      const env: Record<string, string> =
        dialect === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL!, PG_SCHEMA: schema! } : { SQLITE_FILE: path.join(dir, 'servewell.db') };
      const db: Db =
        dialect === 'postgres'
          ? openDb({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, poolSize: 4 })
          : openDb({ sqliteFile: env.SQLITE_FILE });
      const relay = await startRelay();
      // The relay answers slowly, so deliveries are in flight when the worker dies.
      relay.onMessage = () => new Promise((r) => setTimeout(r, 25));
      // The promises are made at t0 on a still clock, due an hour later and reminded half an hour
      // before; the worker's clock then runs from just before the reminders, and the restart's
      // from after the due time (and the mail claims' expiry).
      const t0 = Date.now();
      const p = await createPlatform(db, { clock: new TestClock(t0), publicUrl: 'http://desk.test' });
      let restarted: JobRunner | undefined;
      let p2: Platform | undefined;
      try {
        await migrateToLatest(db);
        const fx = await promisesFallingDue(p, { n: N, dueAt: t0 + HOUR, leadMs: HOUR / 2, relayPort: relay.port });
        const k = db.kysely;
        const count = async (kind: string) =>
          Number((await k.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).executeTakeFirstOrThrow()).n);

        const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing/worker.ts')], {
          env: { ...process.env, ...env, LEASE_MS: '2000', CLOCK_OFFSET_MS: String(t0 + HOUR / 2 - Date.now() - 3000) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
        const alive = () => {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the worker exited on its own (${child.exitCode ?? child.signalCode})`);
        };
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        await until(() => (alive(), /owner (\S+)/.test(out)), 'the worker to start', 60_000);
        const owner = /owner (\S+)/.exec(out)![1]!;
        const held = async () =>
          (await k.selectFrom('jobs').select('id').where('state', '=', 'running').where('lease_owner', '=', owner).execute()).length;
        await until(
          async () => (alive(), relay.relayed.length >= 15 && (await held()) > 0),
          'the worker to be sending reminders',
          // Generous: on a loaded CI machine the worker and its relay share two cores.
          60_000,
        ).catch(async (err: Error) => {
          const jobs = await k.selectFrom('jobs').select(['kind', 'state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['kind', 'state']).execute();
          throw new Error(`${err.message}: relayed ${relay.relayed.length}, held ${await held()}, t+${Date.now() - t0} ms, jobs ${JSON.stringify(jobs)}`);
        });
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
        const heldAtDeath = await held();
        const sentBefore = relay.relayed.length;
        expect(heldAtDeath).toBeGreaterThan(0); // it died holding jobs
        expect(sentBefore).toBeLessThan(2 * N); // with work left

        // The restart, after the due time and after the dead worker's mail claims (3 minutes,
        // mail/deliver.ts) and job leases (2 s) have run out.
        const offset = t0 + HOUR + CLAIM_MS + 60_000 - Date.now();
        const later = { now: () => Date.now() + offset };
        p2 = await createPlatform(db, { clock: later, publicUrl: 'http://desk.test' });
        const mail = createMailRuntime(p2, { log: quietLog() });
        restarted = new JobRunner({ db, clock: later, types: [...promiseJobTypes(p2), ...mail.jobTypes], pollMs: 50, log: quietLog() });
        await restarted.start();
        await until(
          async () =>
            (await count('promise.escalation')) === N &&
            (await k.selectFrom('mail_outbox').select('id').where('org_id', '=', fx.orgId).where('state', '!=', 'sent').execute()).length === 0,
          'every reminder and escalation to be sent',
          120_000,
        );
        await restarted.stop();
        restarted = undefined;
        await mail.close();

        expect(await count('promise.reminder')).toBe(N);
        expect(await count('promise.escalation')).toBe(N);
        const keys = await k.selectFrom('notifications').select(['dedupe_key']).where('org_id', '=', fx.orgId).execute();
        expect(new Set(keys.map((r) => r.dedupe_key)).size).toBe(2 * N);
        const outbox = await k.selectFrom('mail_outbox').select(['message_id', 'dedupe_key', 'state']).where('org_id', '=', fx.orgId).execute();
        expect(outbox.filter((m) => m.dedupe_key?.startsWith('promise.remind:'))).toHaveLength(N);
        expect(outbox.filter((m) => m.dedupe_key?.startsWith('promise.escalate:'))).toHaveLength(N);
        const ids = new Set(outbox.map((m) => m.message_id));
        const atRelay = relay.relayed.map((m) => m.messageId!);
        expect(new Set(atRelay)).toEqual(ids); // each one arrived, under its one Message-ID
        const repeats = atRelay.length - ids.size;
        const interrupted = await k.selectFrom('mail_attempts').select('id').where('org_id', '=', fx.orgId).where('outcome', '=', 'interrupted').execute();
        expect(repeats).toBeLessThanOrEqual(interrupted.length);
        const toOwner = relay.relayed.filter((m) => m.to.includes(fx.ownerEmail));
        expect(new Set(toOwner.map((m) => m.messageId)).size).toBe(N);
        console.log(
          `[${dialect}] killed holding ${heldAtDeath} jobs after ${sentBefore} relayed; ${N} reminders + ${N} escalations; ` +
            `relay saw ${atRelay.length} messages, ${ids.size} distinct (${repeats} resends after ${interrupted.length} interrupted tries)`,
        );
        const promises = await k.selectFrom('promises').select(['state', 'reminded_at', 'escalated_at']).where('org_id', '=', fx.orgId).execute();
        expect(promises.every((r) => r.state === 'broken' && r.reminded_at !== null && r.escalated_at !== null)).toBe(true);
      } finally {
        await restarted?.stop();
        await p.events.close();
        await p2?.events.close();
        await db.close();
        await relay.close();
        if (schema) await dropSchema(schema);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  });
}
