// Says out loud what a run without PostgreSQL leaves out.
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    console.warn(
      '\nTEST_DATABASE_URL is not set: integration tests run on SQLite only, and the PostgreSQL-only ' +
        'tests (two app instances on one database) are skipped.\n' +
        'Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them (CI does).\n',
    );
  }
}
