import type { OptionSpec } from '../../core/option-spec.ts';

/** The MySQL/MariaDB source's options. Imports nothing but the spec type: the schema loads this at start-up. */
export const mysqlOptions = [
  {
    name: 'databases',
    type: 'lines',
    commands: ['backup', 'restore'],
    group: 'sources',
    description:
      'MySQL/MariaDB: databases to dump (default: the one in the URL, or all); on restore, which of them goes to a target URL naming one database.',
  },
] as const satisfies readonly OptionSpec[];
