import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of DESIGN §4, enforced: a lower folder may not import a higher one.
 *   faces (action, cli) → engine → the parts (sources, storage, archive, retention, report,
 *   options, notify, metrics, fleet, drill) → core
 * Only src/action (and the artifact backend, which wraps @actions/artifact) imports @actions/*.
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
    files: ['src/storage/artifact/**'],
    rules: restrict(ENGINE, FACES),
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
