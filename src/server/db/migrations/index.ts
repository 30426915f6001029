// The ordered list of migrations. Kysely's FileMigrationProvider reads a folder at run time;
// a static list works the same under tsx, vitest and a bundler.
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_search_presence.js';
import * as m0005 from './0005_search.js';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_search_presence': m0002,
  '0005_search': m0005,
};
