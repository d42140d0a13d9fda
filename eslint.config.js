// @ts-check
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The one-way flow between the rooms of src/ (README, "Architecture"): each room may import only
 * from the rooms listed for it. Files at the top of src/ (main, wirefeed, config, logger) wire
 * everything and may import anything in src/; nothing in src/ imports tools/ or tests/.
 */
const ROOMS = {
  domain: [],
  store: ['domain'],
  articles: ['domain', 'store'],
  importer: ['domain', 'store', 'articles', 'publication'],
  feeds: ['domain', 'articles'],
  validation: ['domain', 'feeds'],
  pages: ['domain', 'articles'],
  publication: ['domain', 'articles'],
  // The revision ledger file speaks articles' RevisionLedger and writes with publication's atomic writer.
  state: ['domain', 'articles', 'publication'],
  jobs: ['domain', 'store', 'articles', 'feeds', 'validation', 'pages', 'publication', 'state', 'logger.ts'],
  http: ['domain', 'publication', 'logger.ts'],
  cli: ['*'],
};
const TOP_FILES = ['main.ts', 'wirefeed.ts', 'config.ts', 'logger.ts'];
const everything = [...Object.keys(ROOMS), ...TOP_FILES];

const zones = [
  ...Object.entries(ROOMS)
    .filter(([, allowed]) => !allowed.includes('*'))
    .map(([room, allowed]) => ({
      target: `./src/${room}`,
      from: everything.filter((other) => other !== room && !allowed.includes(other)).map((other) => `./src/${other}`),
      message: `src/${room} may import only from ${allowed.length > 0 ? allowed.join(', ') : 'itself'} (the one-way flow in README "Architecture").`,
    })),
  { target: './src', from: ['./tools', './tests'], message: 'The service never imports tooling or tests.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'public/', 'coverage/', '.corpus/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'tools/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js'] })],
      // So that the rules read the TypeScript files they follow imports into.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      // Value imports only: import-x skips `import type`, which cannot create a cycle at run time.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
);
