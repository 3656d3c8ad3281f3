import type { OptionSpec } from '../../core/option-spec.ts';

/** The `dir:` source's options. Imports nothing but the spec type: the schema loads this at start-up. */
export const dirOptions = [
  {
    name: 'exclude',
    type: 'lines',
    commands: ['backup'],
    group: 'sources',
    description:
      '`dir:` sources: glob patterns (relative to the source folder) to leave out, one per line.',
  },
  {
    name: 'incremental-rehash',
    type: 'boolean',
    default: 'false',
    commands: ['backup'],
    group: 'sources',
    description:
      'With `mode: incremental`, `dir:` sources: read and hash every file instead of trusting size, mode and mtime; unchanged content is still referenced, not stored.',
  },
] as const satisfies readonly OptionSpec[];
