// Says out loud what a run without PostgreSQL leaves out.
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    console.warn(
      '\nTEST_DATABASE_URL is not set: integration tests run on SQLite only, and the PostgreSQL-only ' +
        'tests are skipped: races between transactions, two app instances on one database, the search plans and the\n' +
        'search consistency between dialects.\n' +
        'Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them (CI does).\n',
    );
  }
}
