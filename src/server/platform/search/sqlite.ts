// SQLite runs the shared index (postings.ts) as it is: the same tables and SQL as PostgreSQL.
import { PostingsSearch } from './postings.js';

export class SqliteSearch extends PostingsSearch {}
