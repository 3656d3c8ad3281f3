import type { OptionSpec } from '../../core/option-spec.ts';

/**
 * The PostgreSQL source's options. Imports nothing but the spec type: the schema loads this at
 * start-up. A new PostgreSQL-only option (the parallel-dump ones, say) is one more entry here;
 * the registry line already lists this array, so the schema, action.yml, the CLI flags, the
 * README table, OptionValues and the "no postgres source" warning all follow.
 */
export const postgresOptions = [
  {
    name: 'include-schemas',
    type: 'lines',
    commands: ['backup'],
    group: 'sources',
    description: 'PostgreSQL: only these schemas.',
  },
  {
    name: 'exclude-schemas',
    type: 'lines',
    commands: ['backup'],
    group: 'sources',
    description: 'PostgreSQL: leave out these schemas.',
  },
  {
    name: 'include-tables',
    type: 'lines',
    commands: ['backup'],
    group: 'sources',
    description: 'PostgreSQL: only these tables (`schema.table`, patterns as pg_dump).',
  },
  {
    name: 'exclude-tables',
    type: 'lines',
    commands: ['backup'],
    group: 'sources',
    description: 'PostgreSQL: leave out these tables.',
  },
  {
    name: 'globals',
    type: 'boolean',
    default: 'false',
    commands: ['backup', 'restore'],
    group: 'sources',
    description: 'PostgreSQL: also dump roles and tablespaces (`pg_dumpall --globals-only`).',
  },
  {
    name: 'jobs',
    type: 'string',
    commands: ['backup', 'restore'],
    group: 'sources',
    description:
      'PostgreSQL: parallel jobs, a whole number or `auto` (one per core). Backup: more than 1 streams N `pg_dump` workers on one snapshot into the archive (no temporary copy). Restore: a parallel backup loads its data with as many streams as it has workers and builds indexes and constraints with `jobs`; a single-stream backup is copied to the temporary folder (when it has room for it) and restored with `pg_restore --jobs`.',
  },
  {
    name: 'row-counts',
    type: 'enum',
    values: ['exact', 'estimate'],
    default: 'exact',
    commands: ['backup'],
    group: 'sources',
    description:
      'PostgreSQL: exact row counts in the inventory, or planner estimates for very large tables.',
  },
  {
    name: 'pg-bin',
    type: 'string',
    commands: ['backup', 'restore', 'verify', 'drill'],
    group: 'sources',
    description:
      'PostgreSQL: folder holding pg_dump/pg_restore to use instead of searching PATH and the standard install folders.',
  },
] as const satisfies readonly OptionSpec[];
