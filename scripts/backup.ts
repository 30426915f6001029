// `npm run backup`: a consistent copy of the configured database into DATA_DIR/backups.
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { backupPostgres, backupSqlite } from '../src/server/platform/backup.js';

try {
  const config = loadConfig(process.env);
  const dir = path.join(config.dataDir, 'backups');
  const dest = config.database.databaseUrl
    ? await backupPostgres(config.database.databaseUrl, dir)
    : await backupSqlite(config.database.sqliteFile!, dir);
  console.log(`Backup written: ${dest}`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Backup failed: ${(err as Error).message}`);
  process.exit(1);
}
