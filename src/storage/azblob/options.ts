import { DATA_COMMANDS, type OptionSpec } from '../../core/option-spec.ts';

/** The Azure Blob storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
export const azblobOptions = [
  {
    name: 'azure-account',
    type: 'string',
    commands: DATA_COMMANDS,
    group: 'storage',
    description:
      'Azure Blob: storage account (default from AZURE_STORAGE_ACCOUNT or the connection string).',
  },
  {
    name: 'azure-endpoint',
    type: 'string',
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'Azure Blob: blob service endpoint (Azurite, sovereign clouds).',
  },
] as const satisfies readonly OptionSpec[];
