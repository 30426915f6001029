// A real server process for the crash tests: the SMTP listener wired to the durable store on
// the database named in the environment. CRASH=before-commit|after-commit kills the process
// (SIGKILL, no cleanup) at that point of the first message's store, before any 250 is sent.
import { migrateToLatest, openDb } from '../../db/index.js';
import { createPlatform } from '../../platform/index.js';
import { createInboundDoor } from '../inbound.js';
import { createMailListener } from '../listener.js';

const db = process.env.DATABASE_URL
  ? openDb({ databaseUrl: process.env.DATABASE_URL, pgSchema: process.env.PG_SCHEMA!, poolSize: 4 })
  : openDb({ sqliteFile: process.env.SQLITE_FILE! });
await migrateToLatest(db);
const p = await createPlatform(db, { publicUrl: 'http://desk.test' });
const door = createInboundDoor(p);
const crash = process.env.CRASH;
const listener = createMailListener({
  isKnownRecipient: door.isKnownRecipient,
  async store(m) {
    if (crash === 'before-commit') process.kill(process.pid, 'SIGKILL');
    await door.store(m);
    if (crash === 'after-commit') process.kill(process.pid, 'SIGKILL');
  },
  hostname: 'mx.crash.test',
  log: { info: () => {}, warn: () => {}, error: (d, m) => console.error(m, d) },
});
const { port } = await listener.listen(0, '127.0.0.1');
console.log(`port ${port}`);
