import type { OptionSpec } from '../../core/option-spec.ts';

/** The Redis source's options. Imports nothing but the spec type: the schema loads this at start-up. */
export const redisOptions = [
  {
    name: 'redis-mode',
    type: 'enum',
    values: ['auto', 'rdb', 'logical'],
    default: 'auto',
    commands: ['backup'],
    group: 'sources',
    description:
      'Redis: `rdb` snapshot through replication, `logical` SCAN+DUMP (for managed services), or `auto`.',
  },
] as const satisfies readonly OptionSpec[];
