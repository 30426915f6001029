// PostgreSQL runs the shared index (postings.ts) with the same tables and SQL as SQLite. Two
// differences: writers lock a document's forward row before rewriting it (SQLite has one
// writer at a time anyway), and the migration declares terms and words `collate "C"`, so that
// prefix ranges and their order are by code point, as on SQLite.
import { PostingsSearch } from './postings.js';

export class PostgresSearch extends PostingsSearch {
  constructor() {
    super(true);
  }
}
