/**
 * The one option schema. The action's inputs (action.yml), the CLI's --flags and the README's
 * option table are all generated from or checked against this list.
 */
export const COMMANDS = [
  'backup',
  'restore',
  'verify',
  'list',
  'prune',
  'status',
  'drill',
] as const;
export type Command = (typeof COMMANDS)[number];

export type OptionType = 'string' | 'lines' | 'number' | 'boolean' | 'enum';

export interface OptionSpec {
  name: string;
  type: OptionType;
  description: string;
  /** Default as the user would type it; undefined = no default. */
  default?: string;
  /** Accepted values for enums. */
  values?: readonly string[];
  /** Commands that read it; 'all' for every command. */
  commands: readonly Command[] | 'all';
  /** Masked everywhere, never echoed. */
  secret?: boolean;
  /** Default written into action.yml only (an expression the runner evaluates). */
  actionDefault?: string;
  /** Shown in docs under this heading. */
  group: 'main' | 'retention' | 'encryption' | 'sources' | 'storage';
}

const DATA: readonly Command[] = [
  'backup',
  'restore',
  'verify',
  'list',
  'prune',
  'status',
  'drill',
];
const RETENTION: readonly Command[] = ['backup', 'prune'];

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'command',
    type: 'enum',
    values: COMMANDS,
    default: 'backup',
    commands: 'all',
    group: 'main',
    description: 'What to do: backup, restore, verify, list, prune, status or drill.',
  },
  {
    name: 'source',
    type: 'lines',
    commands: ['backup', 'drill'],
    group: 'main',
    description:
      'Source URL(s), one per line, optionally `name=URL`: `sqlite:<path>`, `dir:<path or glob>`, `postgres://…`, `mysql://…`, `mariadb://…`, `redis://…`.',
  },
  {
    name: 'destination',
    type: 'lines',
    commands: DATA,
    group: 'main',
    description:
      'Storage URL(s), one per line: `file:<path>`, `s3://bucket/prefix`, `gs://…`, `azblob://container/prefix`, `sftp://user@host/path`, `artifact:`. Backups go to every line; restores read the first that has the backup.',
  },
  {
    name: 'name',
    type: 'string',
    commands: DATA,
    group: 'main',
    description: 'Backup set name. Default: derived from the first source (file or database name).',
  },
  {
    name: 'compression',
    type: 'enum',
    values: ['zstd', 'gzip', 'none'],
    default: 'zstd',
    commands: ['backup'],
    group: 'main',
    description:
      "Archive compression. zstd uses the `zstd` executable when present (multi-threaded), Node's zlib otherwise.",
  },
  {
    name: 'backup',
    type: 'string',
    default: 'latest',
    commands: ['restore', 'verify', 'drill'],
    group: 'main',
    description: 'Which backup to restore or verify: a backup id or `latest`.',
  },
  {
    name: 'target',
    type: 'lines',
    commands: ['restore', 'drill'],
    group: 'main',
    description:
      'Where to restore, one per line (`name=URL` when the backup has several sources). Must be new or empty unless `overwrite` is set.',
  },
  {
    name: 'overwrite',
    type: 'boolean',
    default: 'false',
    commands: ['restore'],
    group: 'main',
    description:
      'Allow restoring over an existing, non-empty target. The previous data is kept until the restored copy passes its checks, and put back if it does not.',
  },
  {
    name: 'verify-after-backup',
    type: 'boolean',
    default: 'true',
    commands: ['backup'],
    group: 'main',
    description:
      'Read the stored archive back after the upload and check its size and sha256 against what was sent (chunk checksums and the manifest were checked while writing; `verify` walks every chunk again). When false, the checksum the store computed while receiving is the proof.',
  },
  {
    name: 'exclude',
    type: 'lines',
    commands: ['backup'],
    group: 'sources',
    description:
      '`dir:` sources: glob patterns (relative to the source folder) to leave out, one per line.',
  },
  {
    name: 'databases',
    type: 'lines',
    commands: ['backup', 'restore'],
    group: 'sources',
    description:
      'MySQL/MariaDB: databases to dump (default: the one in the URL, or all); on restore, which of them goes to a target URL naming one database.',
  },
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
    type: 'number',
    commands: ['backup', 'restore'],
    group: 'sources',
    description:
      'PostgreSQL: parallel dump/restore jobs (directory format; needs temporary disk the size of the dump).',
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
  {
    name: 'keep-last',
    type: 'number',
    commands: RETENTION,
    group: 'retention',
    description: 'Keep the N newest backups.',
  },
  {
    name: 'keep-hourly',
    type: 'number',
    commands: RETENTION,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N hours that have one.',
  },
  {
    name: 'keep-daily',
    type: 'number',
    commands: RETENTION,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N days that have one (UTC).',
  },
  {
    name: 'keep-weekly',
    type: 'number',
    commands: RETENTION,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N ISO weeks that have one.',
  },
  {
    name: 'keep-monthly',
    type: 'number',
    commands: RETENTION,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N months that have one.',
  },
  {
    name: 'keep-yearly',
    type: 'number',
    commands: RETENTION,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N years that have one.',
  },
  {
    name: 'keep-within',
    type: 'string',
    commands: RETENTION,
    group: 'retention',
    description:
      'Keep every backup younger than this, relative to the newest (`7d`, `2w`, `1y6m`, `12h`).',
  },
  {
    name: 'dry-run',
    type: 'boolean',
    default: 'false',
    commands: ['prune'],
    group: 'retention',
    description: 'Show the retention plan without deleting anything.',
  },
  {
    name: 'lock-wait',
    type: 'string',
    default: '0s',
    commands: RETENTION,
    group: 'retention',
    description:
      "How long a backup or prune waits for another run's lock on the same set (`10m`, `1h`) before failing with a message naming the holder. `0s`: fail at once.",
  },
  {
    name: 'lock-ttl',
    type: 'string',
    default: '15m',
    commands: RETENTION,
    group: 'retention',
    description:
      "How long a set's lock lasts without being refreshed (a running holder refreshes it every third of this). A crashed run's lock expires after this and the next run takes it over.",
  },
  {
    name: 'break-lock',
    type: 'boolean',
    default: 'false',
    commands: RETENTION,
    group: 'retention',
    description:
      "Remove the set's lock, whoever holds it, before taking it. Only for a lock left by a run known to be dead: two runs of one set at once may delete each other's backups.",
  },
  {
    name: 'schedule',
    type: 'lines',
    commands: ['status', 'backup'],
    group: 'retention',
    description:
      "Cron line(s) the backups should follow (UTC). Default: the calling workflow's own `on.schedule`.",
  },
  {
    name: 'grace',
    type: 'string',
    commands: ['status', 'backup'],
    group: 'retention',
    description:
      'How late the newest backup may be before `status` fails (`30m`, `2h`). Default: half the expected interval.',
  },
  {
    name: 'age-recipients',
    type: 'lines',
    commands: ['backup'],
    group: 'encryption',
    description: 'age public keys to encrypt to (not available in this release).',
  },
  {
    name: 'age-identity',
    type: 'string',
    secret: true,
    commands: ['restore', 'verify', 'drill'],
    group: 'encryption',
    description: 'age identity to decrypt with (not available in this release).',
  },
  {
    name: 'passphrase',
    type: 'string',
    secret: true,
    commands: DATA,
    group: 'encryption',
    description: 'age passphrase (not available in this release).',
  },
  {
    name: 's3-endpoint',
    type: 'string',
    commands: DATA,
    group: 'storage',
    description: 'S3: endpoint URL for S3-compatible stores (MinIO, R2, B2, Spaces).',
  },
  {
    name: 's3-region',
    type: 'string',
    commands: DATA,
    group: 'storage',
    description: 'S3: region (default from AWS_REGION, else us-east-1).',
  },
  {
    name: 's3-force-path-style',
    type: 'boolean',
    default: 'false',
    commands: DATA,
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
  {
    name: 'azure-account',
    type: 'string',
    commands: DATA,
    group: 'storage',
    description:
      'Azure Blob: storage account (default from AZURE_STORAGE_ACCOUNT or the connection string).',
  },
  {
    name: 'azure-endpoint',
    type: 'string',
    commands: DATA,
    group: 'storage',
    description: 'Azure Blob: blob service endpoint (Azurite, sovereign clouds).',
  },
  {
    name: 'sftp-private-key',
    type: 'string',
    secret: true,
    commands: DATA,
    group: 'storage',
    description: 'SFTP: private key (pass a secret).',
  },
  {
    name: 'sftp-private-key-passphrase',
    type: 'string',
    secret: true,
    commands: DATA,
    group: 'storage',
    description: 'SFTP: passphrase of the private key.',
  },
  {
    name: 'sftp-password',
    type: 'string',
    secret: true,
    commands: DATA,
    group: 'storage',
    description: 'SFTP: password (prefer a key).',
  },
  {
    name: 'sftp-host-fingerprint',
    type: 'string',
    commands: DATA,
    group: 'storage',
    description:
      "SFTP: the server's host key fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints).",
  },
  {
    name: 'sftp-known-hosts',
    type: 'string',
    commands: DATA,
    group: 'storage',
    description: 'SFTP: known_hosts content to check the server against.',
  },
  {
    name: 'sftp-accept-unknown-host',
    type: 'boolean',
    default: 'false',
    commands: DATA,
    group: 'storage',
    description: 'SFTP: accept a server whose host key is not pinned (not recommended).',
  },
  {
    name: 'retention-days',
    type: 'number',
    commands: ['backup'],
    group: 'storage',
    description: 'GitHub artifacts: days to keep each artifact (capped by the repository setting).',
  },
  {
    name: 'github-token',
    type: 'string',
    secret: true,
    commands: DATA,
    group: 'storage',
    actionDefault: '${{ github.token }}',
    description:
      'GitHub artifacts: token to list, download and delete artifacts of other runs (needs `actions: read`, `actions: write` to prune).',
  },
  {
    name: 'artifact-repository',
    type: 'string',
    commands: DATA,
    group: 'storage',
    description: 'GitHub artifacts: `owner/repo` holding the backups (default: this repository).',
  },
];

export function optionSpec(name: string): OptionSpec | undefined {
  return OPTIONS.find((o) => o.name === name);
}

/** Action outputs (and the CLI's --json `outputs`). */
export const OUTPUTS: ReadonlyArray<{ name: string; description: string }> = [
  {
    name: 'backup-id',
    description: 'Id of the backup made, restored or verified (`20261122T030000Z-abcdef`).',
  },
  {
    name: 'location',
    description: 'Where the archive was stored (backup) or restored to (restore).',
  },
  {
    name: 'safety-backup-id',
    description:
      '`restore` with overwrite: the safety backup(s) of the replaced data, as `set/id` (one per line).',
  },
  { name: 'size', description: 'Archive size in bytes.' },
  { name: 'sha256', description: 'sha256 of the archive as stored.' },
  { name: 'duration-ms', description: 'Wall time of the command in milliseconds.' },
  {
    name: 'error-kind',
    description:
      "How the run ended, set on every run: `none`, `config` (bad input; the CLI's exit code 2), `operational` (a source, storage or freshness failure; exit 1) or `integrity` (a checksum, size or structure mismatch: the backup cannot be trusted; exit 3). Branch on it with `if: failure() && steps.<id>.outputs.error-kind == 'integrity'`.",
  },
  {
    name: 'verified',
    description:
      '`true` when the stored archive was read back and its size and sha256 matched (backup), or proven before and while restoring (restore, verify).',
  },
  { name: 'count', description: '`list`: number of backups.' },
  { name: 'backups', description: '`list`: the backups as JSON.' },
  { name: 'removed', description: '`prune` (and backup with keep-*): backups removed.' },
  { name: 'kept', description: '`prune` (and backup with keep-*): backups kept.' },
  {
    name: 'fresh',
    description: '`status`: `true` when the newest backup is recent enough for the schedule.',
  },
  { name: 'newest-age-ms', description: '`status`: age of the newest verified backup.' },
  {
    name: 'next-expected',
    description: '`status`: next time a scheduled backup is expected (ISO 8601).',
  },
];
