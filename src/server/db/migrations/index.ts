// The ordered list of migrations. Kysely's FileMigrationProvider reads a folder at run time;
// a static list works the same under tsx, vitest and a bundler.
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_search_presence.js';
import * as m0003 from './0003_jobs.js';
import * as m0004 from './0004_office.js';
import * as m0005 from './0005_search.js';
import * as m0006 from './0006_mail.js';
import * as m0007 from './0007_promises.js';
import * as m0008 from './0008_staffing.js';
import * as m0009 from './0009_patron_memory.js';
import * as m0010 from './0010_mail_inbound.js';
import * as m0011 from './0011_notifications.js';
import * as m0012 from './0012_jobs_due_kind.js';
import * as m0013 from './0013_mail_imap.js';
import * as m0014 from './0014_patron_list.js';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_search_presence': m0002,
  '0003_jobs': m0003,
  '0004_office': m0004,
  '0005_search': m0005,
  '0006_mail': m0006,
  '0007_promises': m0007,
  '0008_staffing': m0008,
  '0009_patron_memory': m0009,
  '0010_mail_inbound': m0010,
  '0011_notifications': m0011,
  '0012_jobs_due_kind': m0012,
  '0013_mail_imap': m0013,
  '0014_patron_list': m0014,
};
