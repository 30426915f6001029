// Lint: typescript-eslint's recommended rules, React hooks rules for the web app, and the
// server's architecture written down as rules (see the README's "Layers"):
//   - SQL lives only in queries.ts files (and the dialect implementations of platform/search,
//     and db/): no query builder, no `sql` tag, no prepared statement anywhere else;
//   - a domain imports another domain only through its api.ts;
//   - the platform kernel knows nothing of Fastify and nothing of any domain;
//   - code inside `inTransaction` never touches a `.db` (it has the transaction handle).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const QUERY_BUILDERS = 'selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom';

const noSql = [
  {
    selector: `CallExpression[callee.property.name=/^(${QUERY_BUILDERS})$/]`,
    message: 'SQL lives in queries.ts: write a query function there and call it.',
  },
  {
    selector: "CallExpression[callee.property.name='transaction']",
    message: 'Open transactions with inTransaction (platform/tx.ts), which gives the work a TxContext.',
  },
];
const noDbInTransaction = [
  {
    selector: "CallExpression[callee.name='inTransaction'] MemberExpression[property.name='db']",
    message:
      'Inside a transaction, read and write through ctx.tx: a read through the database would wait on the transaction itself on SQLite.',
  },
];

const sqlImports = [
  { name: 'kysely', importNames: ['sql'], message: 'SQL lives in queries.ts.' },
];
const preparedImport = { regex: 'db/prepared(\\.js)?$', message: 'Prepared statements live in queries.ts.' };
/** From a domain folder: another domain's files other than its api.ts. */
const deepDomainImport = {
  regex: '^\\.\\./(?!platform/|db/|testing/)[a-z-]+/(?!api\\.js$)',
  message: 'Import another domain only through its api.ts.',
};
/** From the platform kernel: Fastify. */
const fastifyImport = { regex: '^(fastify|@fastify/|fastify-)', message: 'The platform kernel knows nothing of HTTP: put this in platform/http/.' };
/** From the platform: any domain (platform is below every domain). */
const domainFromPlatform = {
  regex: '^(\\.\\./)+(admin|auth|cases|patrons|helpcenter|live|search|jobs|demo|mail|promises|staffing|notifications|[a-z]+/(routes|service|api|policy)\\.js)',
  message: 'The platform is below every domain and imports none of them.',
};

const rules = ({ sql = true, transactions = false, patterns = [] }) => ({
  'no-restricted-syntax': [
    'error',
    ...(sql ? noSql.filter((r) => transactions === false || !r.selector.includes("'transaction'")) : []),
    ...noDbInTransaction,
  ],
  'no-restricted-imports': [
    'error',
    { paths: sql ? sqlImports : [], patterns: [...(sql ? [preparedImport] : []), ...patterns] },
  ],
});

const TESTS = ['src/**/*.test.ts', 'src/server/**/testing/**'];
const KERNEL_SQL = [
  'src/server/platform/queries.ts',
  'src/server/platform/**/queries.ts',
  'src/server/platform/search/sqlite.ts',
  'src/server/platform/search/postgres.ts',
  // The search index of our own: its reading and writing are SQL through and through.
  'src/server/platform/search/postings.ts',
  'src/server/platform/search/changes.ts',
];
const DOMAIN_SQL = ['src/server/*/queries.ts', 'src/server/db/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**', '.bench-data/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'warn',
      'no-console': 'off',
    },
  },
  // The layers, each file in exactly one group.
  {
    files: ['src/server/**/*.ts'],
    ignores: [...TESTS, ...KERNEL_SQL, ...DOMAIN_SQL, 'src/server/platform/**', 'src/server/*.ts', 'src/server/demo/**'],
    rules: rules({ patterns: [deepDomainImport] }),
  },
  { files: DOMAIN_SQL, ignores: TESTS, rules: rules({ sql: false, patterns: [deepDomainImport] }) },
  {
    files: ['src/server/platform/**'],
    ignores: [...TESTS, ...KERNEL_SQL, 'src/server/platform/http/**'],
    // The kernel's own machinery (tx, the job runner, housekeeping) opens transactions.
    rules: rules({ transactions: true, patterns: [fastifyImport, domainFromPlatform] }),
  },
  { files: KERNEL_SQL, ignores: TESTS, rules: rules({ sql: false, patterns: [fastifyImport, domainFromPlatform] }) },
  { files: ['src/server/platform/http/**'], ignores: TESTS, rules: rules({ patterns: [domainFromPlatform] }) },
  // Composition roots (app, main, config, health, the demo seed) wire domains together.
  { files: ['src/server/*.ts', 'src/server/demo/**'], ignores: TESTS, rules: rules({}) },
  {
    files: ['src/server/db/migrations/**'],
    // Migrations are frozen in time and typed against Kysely<any> on purpose (Kysely's guide).
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The web app calls the API only through call() and an endpoint from src/contracts, and
      // asks before destructive steps with components/confirm.tsx, never the browser's dialog.
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use call(endpoint, …) from src/web/api/client.ts.' },
        { name: 'confirm', message: 'Use confirm() from src/web/components/confirm.tsx.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'confirm', message: 'Use confirm() from src/web/components/confirm.tsx.' },
        { object: 'window', property: 'fetch', message: 'Use call(endpoint, …) from src/web/api/client.ts.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^\\/api\\//], TemplateElement[value.raw=/^\\/api\\//]',
          message: 'Call an endpoint described in src/contracts with call(), not a URL.',
        },
      ],
    },
  },
  {
    // The one place that turns an endpoint into a request.
    files: ['src/web/api/client.ts'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/web/**/*.test.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
