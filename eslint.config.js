// The linter: a few rules that catch real bugs, and the floors of the house (README "Layout") as
// import boundaries, so an upward import fails `npm test` with a message saying where it may go.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Bottom up; a folder may import its own floor and every floor below it (bench/, test/, scripts/ stand on top). */
export const FLOORS = [['proto'], ['core'], ['sdk'], ['modules'], ['node'], ['localnet'], ['cli']];

/** `no-restricted-imports` patterns forbidding every floor above `floor`. */
function above(floor) {
  const higher = FLOORS.slice(floor + 1).flat();
  return higher.map((folder) => ({
    regex: `^(\\.\\./)+${folder}/`,
    message: `${FLOORS[floor].join(', ')}/ stands below ${folder}/: move what you need down a floor, or pass it in.`,
  }));
}

/** classic-level only through core/store/level-reads.ts, which sets how LevelDB reads before any database opens. */
const LEVELDB = { name: 'classic-level', message: 'import ClassicLevel from core/store/level-reads.ts: it sets how LevelDB reads its tables before any database opens' };

const floorRules = FLOORS.slice(0, -1).map((names, floor) => ({
  files: names.map((folder) => `${folder}/**/*.ts`),
  ignores: ['**/*.test.ts'],
  rules: { 'no-restricted-imports': ['error', { paths: [LEVELDB], patterns: above(floor) }] },
}));

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.dev/', '.localnet/', 'proto/gen/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      // The code base uses non-null assertions where an index is known to exist (noUncheckedIndexedAccess).
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Tests build loosely typed fixtures (genesis JSON, decoded events) on purpose.
    files: ['**/*.test.ts', 'test/support/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The explorer's page runs in the browser as plain ES modules (node/explorer/static, no build step).
    files: ['node/explorer/static/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'fetch', 'URL', 'URLSearchParams', 'Node', 'AbortController', 'atob', 'setTimeout', 'clearTimeout'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    // The `cairn` launcher is CommonJS on purpose: any Node from 18 on runs it (cli/launcher.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [LEVELDB] }] } },
  ...floorRules,
);
