// PostgreSQL runs the shared index (postings.ts) as it is: the same tables and SQL as SQLite.
// Its only differences are in the migration: `collate "C"` on terms and words, so that prefix
// ranges and their order are by code point, as on SQLite.
import { PostingsSearch } from './postings.js';

export class PostgresSearch extends PostingsSearch {}
