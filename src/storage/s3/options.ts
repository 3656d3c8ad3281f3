import { DATA_COMMANDS, type OptionSpec } from '../../core/option-spec.ts';

/** The S3 storage backend's options. Imports nothing but the spec type: the schema loads this at start-up. */
export const s3Options = [
  {
    name: 's3-endpoint',
    type: 'string',
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'S3: endpoint URL for S3-compatible stores (MinIO, R2, B2, Spaces).',
  },
  {
    name: 's3-region',
    type: 'string',
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'S3: region (default from AWS_REGION, else us-east-1).',
  },
  {
    name: 's3-force-path-style',
    type: 'boolean',
    default: 'false',
    commands: DATA_COMMANDS,
    group: 'storage',
    description: 'S3: path-style addressing (MinIO and most self-hosted stores).',
  },
  {
    name: 's3-sse',
    type: 'enum',
    values: ['', 'AES256', 'aws:kms'],
    commands: ['backup'],
    group: 'storage',
    description: 'S3: server-side encryption.',
  },
  {
    name: 's3-sse-kms-key-id',
    type: 'string',
    commands: ['backup'],
    group: 'storage',
    description: 'S3: KMS key for `aws:kms` encryption.',
  },
  {
    name: 's3-storage-class',
    type: 'string',
    commands: ['backup'],
    group: 'storage',
    description: 'S3: storage class (STANDARD_IA, GLACIER_IR, …).',
  },
  {
    name: 'expected-size',
    type: 'string',
    commands: ['backup'],
    group: 'storage',
    description:
      'S3: the largest archive you expect (`500GiB`, `5TiB`). Without it parts are 8 MiB, enough for archives up to about 78 GiB; with it parts grow to fit 10,000 parts, at the cost of memory.',
  },
] as const satisfies readonly OptionSpec[];
