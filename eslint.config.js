// Lint: typescript-eslint's recommended rules, React hooks rules for the web app.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

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
