// Entry point: config → database → migrations → demo seed (first start) → HTTP.
import fs from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { anyUser, existingEmails } from './admin/api.js';
import { migrateToLatest, openDb } from './db/index.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './demo/seed.js';
import { createInboundDoor, createMailListener, createMailRuntime, type MailListener } from './mail/api.js';
import { housekeeping } from './platform/housekeeping.js';
import { patronJobTypes } from './patrons/api.js';
import { promiseJobTypes } from './promises/api.js';
import { createPlatform } from './platform/index.js';
import { staffingJobTypes } from './staffing/watch.js';
import { JobRunner } from './platform/jobs/index.js';

async function start(config: Config) {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDb(config.database);
  const applied = await migrateToLatest(db);
  if (applied.length) console.log(`Database migrated: ${applied.join(', ')}`);
  const platform = await createPlatform(db, { publicUrl: config.publicUrl });

  const empty = !(await anyUser(platform.db));
  if (empty && config.seedDemo !== false) {
    console.log('Empty database: seeding the demo organization (a community theater)…');
    await seedDemo(platform);
  }

  const app = await buildApp({
    platform,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    installRelay: config.relay,
    logger: { level: config.logLevel },
  });
  await app.listen({ port: config.port, host: config.host });
  const mail = createMailRuntime(platform, { installRelay: config.relay, log: app.log });
  // Every instance runs jobs; the table's leases decide which instance runs each one.
  const jobs = new JobRunner({
    db,
    clock: platform.clock,
    types: [housekeeping, ...mail.jobTypes, ...promiseJobTypes(platform), ...staffingJobTypes(platform), ...patronJobTypes(platform)],
    log: app.log,
  });
  await jobs.start();
  // Inbound mail beside HTTP: the 250 only once the message is committed (mail/inbound.ts).
  let smtp: MailListener | null = null;
  if (config.smtp) {
    const door = createInboundDoor(platform);
    smtp = createMailListener({
      ...door,
      ...(config.smtp.hostname ? { hostname: config.smtp.hostname } : {}),
      ...(config.smtp.maxMessageBytes ? { maxMessageBytes: config.smtp.maxMessageBytes } : {}),
      tls: config.smtp.tls,
      auth: config.smtp.auth ? { users: config.smtp.auth } : null,
      allowedNetworks: config.smtp.allowedNetworks,
      log: app.log,
    });
    const bound = await smtp.listen(config.smtp.port, config.smtp.host);
    console.log(`Mail: SMTP listener on ${bound.host}:${bound.port}${config.smtp.tls ? ' (STARTTLS)' : ''}`);
  }

  const where = db.dialect === 'postgres' ? 'PostgreSQL' : config.database.sqliteFile;
  console.log(`\nServewell is serving ${config.publicUrl} (database: ${where})`);
  const demo = await existingEmails(platform.db, DEMO_LOGINS.map((l) => l.email));
  if (demo.length) {
    console.log(`Demo logins (password "${DEMO_PASSWORD}"):`);
    for (const l of DEMO_LOGINS) console.log(`  ${l.role.padEnd(10)} ${l.email}`);
  } else if (!(await anyUser(platform.db))) {
    console.log(`No users yet: open ${config.publicUrl}/setup to create the first admin.`);
  }
  console.log(`API docs: ${config.publicUrl}/api/docs\n`);

  const stop = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    // Live streams end on close (live/routes.ts); should anything else hold on, do not hang.
    setTimeout(() => {
      console.error('Shutdown is taking too long; exiting.');
      process.exit(1);
    }, 15_000).unref();
    // A client that stalls mid-request (half its headers, part of a body) would hold the HTTP
    // server open until the watchdog: what is still connected after a few seconds is cut.
    setTimeout(() => app.server.closeAllConnections(), 3_000).unref();
    // Claim nothing more, finish or hand back the jobs in hand, while requests drain.
    await Promise.all([jobs.stop({ timeoutMs: 10_000 }), app.close(), smtp?.close()]);
    await mail.close();
    await platform.events.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

try {
  await start(loadConfig(process.env));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
}
