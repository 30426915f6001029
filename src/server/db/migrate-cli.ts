// `npm run migrate`: bring the configured database to the latest schema, then exit.
import { loadConfig, ConfigError } from '../config.js';
import { openDb, migrateToLatest } from './index.js';

try {
  const config = loadConfig(process.env);
  const db = openDb(config.database);
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
  await db.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
