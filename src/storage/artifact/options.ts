import { DATA_COMMANDS, type OptionSpec } from '../../core/option-spec.ts';

/** The GitHub artifacts storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
export const artifactOptions = [
  {
    name: 'retention-days',
    type: 'number',
    commands: ['backup'],
    group: 'storage',
    description: 'GitHub artifacts: days to keep each artifact (capped by the repository setting).',
  },
  {
    name: 'artifact-repository',
    type: 'string',
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'GitHub artifacts: `owner/repo` holding the backups (default: this repository).',
  },
] as const satisfies readonly OptionSpec[];
