import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of DESIGN §4, enforced: a lower folder may not import a higher one.
 *   faces (action, cli) → engine → the parts (sources, storage, archive, retention, report,
 *   options, notify, metrics, fleet, drill) → core
 * Only src/action (and the artifact backend, which wraps @actions/artifact) imports @actions/*.
 * src/options/schema.ts imports the source and storage registries (for the options each driver
 * declares in its options.ts), so those import only types back from src/options.
 */
const ACTIONS = {
  group: ['@actions/*'],
  message: 'Only src/action and the artifact backend may import @actions/*.',
};
const ENGINE = {
  group: ['**/engine/*', '**/engine'],
  message: 'Nothing below engine/ imports engine/: move what you need into src/core/.',
};
const FACES = {
  group: ['**/action/*', '**/cli/*', '**/faces.ts'],
  message: 'Only the faces import the faces.',
};
const OPTION_TYPES = {
  group: ['**/options/*'],
  allowTypeImports: true,
  message:
    'Drivers get their options parsed and typed: import only types from src/options (its schema imports the registries).',
};
const LOWER = [
  'archive',
  'sources',
  'storage',
  'retention',
  'report',
  'options',
  'notify',
  'metrics',
  'fleet',
  'drill',
];
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', '__tests__/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/core/**'],
    rules: restrict(ACTIONS, ENGINE, FACES, {
      group: LOWER.flatMap((d) => [`**/${d}/*`]),
      message: 'core/ is the bottom layer: it imports no other part of Lifeboat.',
    }),
  },
  {
    files: LOWER.map((d) => `src/${d}/**`),
    ignores: ['src/storage/artifact/**'],
    rules: restrict(ACTIONS, ENGINE, FACES),
  },
  {
    files: ['src/sources/**', 'src/storage/**'],
    ignores: ['src/storage/artifact/**'],
    rules: restrict(ACTIONS, ENGINE, FACES, OPTION_TYPES),
  },
  {
    files: ['src/storage/artifact/**'],
    rules: restrict(ENGINE, FACES, OPTION_TYPES),
  },
  {
    // The schema loads every driver's option declarations at start-up, for every run: they
    // must not pull in a driver, its client library or anything else.
    files: ['src/sources/*/options.ts', 'src/storage/*/options.ts'],
    rules: restrict(ACTIONS, ENGINE, FACES, {
      regex: String.raw`^(?!\.\./\.\./core/option-spec\.ts$|\.\./[\w-]+/options\.ts$)`,
      message:
        "A driver's options.ts is loaded at every start-up: it imports only src/core/option-spec.ts (or another driver's options.ts).",
    }),
  },
  { files: ['src/engine/**'], rules: restrict(ACTIONS, FACES) },
  {
    files: ['src/cli/**'],
    rules: restrict(ACTIONS, {
      group: ['**/action/*'],
      message: 'The CLI does not import the action face.',
    }),
  },
);
