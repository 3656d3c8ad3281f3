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
  'report',
] as const;
export type Command = (typeof COMMANDS)[number];

/** One line per command, for `lifeboat --help` and each command's own help. */
export const COMMAND_SUMMARIES: Readonly<Record<Command, string>> = {
  backup: 'dump the sources into a checksummed archive at every destination',
  restore: 'prove a backup intact, then restore it into a new target',
  verify: 'read a stored backup end to end: checksums, every chunk, structure',
  list: 'show the backups at the destination',
  prune: 'apply the keep-* retention policy',
  status: 'fail when the newest backup is older than the schedule allows',
  drill: 'restore a backup into a scratch target, check it against its manifest and assertions',
  report: 'summarise every set at the destination; with --html, write the dashboard site',
};

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
  /** Lines of a secret `lines` option that are keywords, not secrets (never masked). */
  publicLines?: readonly string[];
  /** Default written into action.yml only (an expression the runner evaluates). */
  actionDefault?: string;
  /** Shown in docs under this heading. */
  group: 'main' | 'retention' | 'encryption' | 'sources' | 'storage' | 'monitoring';
}

const DATA: readonly Command[] = [
  'backup',
  'restore',
  'verify',
  'list',
  'prune',
  'status',
  'drill',
  'report',
];
const RETENTION: readonly Command[] = ['backup', 'prune'];
/** Commands whose result is worth telling someone about (list only reads). */
const ANNOUNCED: readonly Command[] = ['backup', 'restore', 'verify', 'prune', 'status', 'drill'];
/** keep-* also drive the report's preview of what the next prune would delete. */
const RETENTION_PLAN: readonly Command[] = [...RETENTION, 'report'];

const DECLARED_OPTIONS = [
  {
    name: 'command',
    type: 'enum',
    values: COMMANDS,
    default: 'backup',
    commands: 'all',
    group: 'main',
    description: 'What to do: backup, restore, verify, list, prune, status, drill or report.',
  },
  {
    name: 'source',
    type: 'lines',
    commands: ['backup', 'drill'],
    group: 'main',
    description:
      'Source URL(s), one per line, optionally `name=URL`: `sqlite:<path>`, `dir:<path or glob>`, `postgres://…`, `mysql://…`, `mariadb://…`, `redis://…`, `chroma://…`, `chroma+dir:<path>`, `qdrant://…`.',
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
    description: 'Which backup to restore, verify or drill: a backup id or `latest`.',
  },
  {
    name: 'target',
    type: 'lines',
    commands: ['restore', 'drill'],
    group: 'main',
    description:
      'Where to restore, one per line (`name=URL` when the backup has several sources). Must be new or empty unless `overwrite` is set. For `drill`: the scratch server (PostgreSQL, MySQL), spare Redis database, or SQLite/dir path (default: a temporary one).',
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
    type: 'string',
    commands: ['backup', 'restore'],
    group: 'sources',
    description:
      'PostgreSQL: parallel jobs, a whole number or `auto` (one per core). Backup: more than 1 streams N `pg_dump` workers on one snapshot into the archive (no temporary copy). Restore: jobs for indexes and constraints (the data loads with as many streams as the backup has).',
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
    commands: RETENTION_PLAN,
    group: 'retention',
    description: 'Keep the N newest backups.',
  },
  {
    name: 'keep-hourly',
    type: 'number',
    commands: RETENTION_PLAN,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N hours that have one.',
  },
  {
    name: 'keep-daily',
    type: 'number',
    commands: RETENTION_PLAN,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N days that have one (UTC).',
  },
  {
    name: 'keep-weekly',
    type: 'number',
    commands: RETENTION_PLAN,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N ISO weeks that have one.',
  },
  {
    name: 'keep-monthly',
    type: 'number',
    commands: RETENTION_PLAN,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N months that have one.',
  },
  {
    name: 'keep-yearly',
    type: 'number',
    commands: RETENTION_PLAN,
    group: 'retention',
    description: 'Keep the newest backup of each of the last N years that have one.',
  },
  {
    name: 'keep-within',
    type: 'string',
    commands: RETENTION_PLAN,
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
    commands: ['status', 'backup', 'report'],
    group: 'retention',
    description:
      "Cron line(s) the backups should follow (UTC). Default: the calling workflow's own `on.schedule`. For `report` there is no default (its own workflow's cron is not the backups'), and a line `set=cron` applies to that set only.",
  },
  {
    name: 'grace',
    type: 'string',
    commands: ['status', 'backup', 'report'],
    group: 'retention',
    description:
      'How late the newest backup may be before `status` fails (`30m`, `2h`). Default: half the expected interval.',
  },
  {
    name: 'age-recipients',
    type: 'lines',
    commands: ['backup', 'restore'],
    group: 'encryption',
    description:
      'Encrypt backups (age format) to these public keys, one per line: `age1…` (age-keygen), `ssh-ed25519 …` or `ssh-rsa …`, or the path of a file of them. Every recipient can decrypt. On `restore`: the recipients of the safety backup (default: those of the backup restored). See docs/encryption.md.',
  },
  {
    name: 'age-identity',
    type: 'string',
    secret: true,
    commands: ['restore', 'verify', 'drill', 'backup'],
    group: 'encryption',
    description:
      'Key to decrypt encrypted backups with: `AGE-SECRET-KEY-1…` line(s) or an unencrypted OpenSSH ed25519/rsa private key, from a secret (or the path of such a file). Never needed by list, prune or status. On `backup` with `mode: incremental`: reads the encrypted parent (without it, a new full chain starts).',
  },
  {
    name: 'passphrase',
    type: 'string',
    secret: true,
    commands: DATA,
    group: 'encryption',
    description:
      'Encrypt backups with this passphrase (age scrypt) instead of age-recipients, and decrypt with it. Prefer public keys: a passphrase must be known to every workflow that makes backups.',
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
  // --- notify ---
  {
    name: 'notify',
    type: 'lines',
    secret: true,
    publicLines: ['github-issue'],
    commands: ANNOUNCED,
    group: 'monitoring',
    description:
      'Who to tell, one target per line: a Slack or Discord incoming webhook URL, a Microsoft Teams workflow webhook URL, any other `https://` URL (a generic JSON webhook), or `github-issue` (`github-issue=owner/repo` for another repository; uses `github-token`, which needs `issues: write`). Prefix a URL with `slack=`, `discord=`, `teams=` or `webhook=` to choose the payload when the host does not tell. Webhook URLs are secrets. A failed notification is a warning, never a failed run.',
  },
  {
    name: 'notify-on',
    type: 'enum',
    values: ['failure', 'always', 'change'],
    default: 'failure',
    commands: ANNOUNCED,
    group: 'monitoring',
    description:
      "When to notify: `failure`, `always`, or `change` (only when the result differs from the previous run of the same set and command, as recorded at the destination). `github-issue` follows the set's state whatever this says: opened on failure, commented on repeats, closed on the next success.",
  },
  {
    name: 'notify-secret',
    type: 'string',
    secret: true,
    commands: ANNOUNCED,
    group: 'monitoring',
    description:
      'Generic webhooks: key for the `X-Lifeboat-Signature: sha256=<hex>` header, the HMAC-SHA256 of the request body.',
  },
  {
    name: 'metrics-file',
    type: 'string',
    commands: ANNOUNCED,
    group: 'monitoring',
    description:
      "Write the run's metrics in Prometheus text format to this file (for node_exporter's textfile collector), atomically. Series of other sets and commands already in the file are kept.",
  },
  {
    name: 'pushgateway',
    type: 'string',
    commands: ANNOUNCED,
    group: 'monitoring',
    description:
      "Prometheus Pushgateway URL: the run's metrics are PUT to `/metrics/job/lifeboat/set/<set>/command/<command>`.",
  },
  // --- toolkit ---
  {
    name: 'keep-alive',
    type: 'boolean',
    default: 'false',
    commands: ['status', 'backup'],
    group: 'main',
    description:
      'GitHub disables scheduled workflows of public repositories after 60 days without activity, and backups stop silently. From day 45 `status` (and `backup`) warns; with `keep-alive: true` and `permissions: actions: write` it re-enables the calling workflow through the REST API, which restarts the count.',
  },
  // --- dashboard ---
  {
    name: 'html',
    type: 'string',
    commands: ['report'],
    group: 'main',
    description:
      '`report`: folder to write the dashboard into (a static site: `index.html`, a page per set, `catalog.json`; no script, works from `file://` and GitHub Pages).',
  },
  {
    name: 'repository',
    type: 'string',
    commands: ['report'],
    group: 'main',
    description:
      '`report`: `owner/repo` whose workflows the dashboard\'s "run a backup now" and "restore…" links open. Default in the action: this repository.',
  },
  {
    name: 'backup-workflow',
    type: 'string',
    commands: ['report'],
    group: 'main',
    description:
      '`report`: file name of the backup workflow (`backup.yml`), for the "run a backup now" link to its `workflow_dispatch` page.',
  },
  {
    name: 'restore-workflow',
    type: 'string',
    commands: ['report'],
    group: 'main',
    description:
      '`report`: file name of the restore workflow (`restore.yml`), for the "restore…" links to its `workflow_dispatch` page.',
  },
  // --- crypto ---
  {
    name: 'signing-key',
    type: 'string',
    secret: true,
    commands: ['backup', 'restore'],
    group: 'encryption',
    description:
      "Sign every backup: an unencrypted OpenSSH ssh-ed25519 private key, from a secret (or the path of the key file). Stores `<id>.sig` (SSHSIG, namespace `lifeboat`) over the backup's index, checkable with `ssh-keygen -Y verify`. On `restore`: signs the safety backup.",
  },
  {
    name: 'allowed-signers',
    type: 'lines',
    commands: DATA,
    group: 'encryption',
    description:
      'Require signed backups: ssh-keygen allowed-signers lines (`principal ssh-ed25519 AAAA…`), or the path of such a file. verify, restore and drill then refuse an unsigned or badly signed backup (exit 3) before touching anything; list shows signed/unsigned/bad; retention and status count only well-signed backups as good.',
  },
  // --- vector ---
  {
    name: 'chroma-tenant',
    type: 'string',
    commands: ['backup', 'restore', 'verify', 'drill'],
    group: 'sources',
    description:
      'Chroma: tenant of `chroma://` sources and targets (default `default_tenant`); `?tenant=` in a URL wins.',
  },
  {
    name: 'chroma-database',
    type: 'string',
    commands: ['backup', 'restore', 'verify', 'drill'],
    group: 'sources',
    description:
      'Chroma: database of `chroma://` sources and targets (default `default_database`); `?database=` in a URL wins.',
  },
  {
    name: 'collection-suffix',
    type: 'string',
    commands: ['restore', 'drill'],
    group: 'sources',
    description:
      'Chroma and Qdrant restores: appended to every restored collection name (e.g. `_restored`), so the copies sit beside the originals. A drill always uses `_drill_<short id>`.',
  },
  {
    name: 'consistency',
    type: 'lines',
    commands: ['backup', 'drill'],
    group: 'sources',
    description:
      'Cross-store checks, one per line: `<sql source>: <query returning ids> == <vector source>/<collection>`, e.g. `app: SELECT id::text FROM documents == vectors/docs`. Checked during backup, and by drill on the restored copies; differences beyond `consistency-tolerance` fail the run (exit 3).',
  },
  {
    name: 'consistency-tolerance',
    type: 'number',
    default: '0',
    commands: ['backup', 'drill'],
    group: 'sources',
    description:
      'How many differences (ids missing from the vector store, orphan vectors, duplicates) a `consistency` check accepts before it fails the run.',
  },
  // --- drill ---
  {
    name: 'assert',
    type: 'lines',
    commands: ['drill'],
    group: 'main',
    description:
      "Drill assertions, one per line, checked on the scratch copy: SQL sources `<SELECT query> <op> <number or 'text'>` (op: `>=`, `>`, `<=`, `<`, `=`, `!=`; the first column of the first row is compared); Redis `keys <op> N`, `exists <key>`; `dir:` `files <op> N`, `file <path>`. Prefix a line with `@<source> ` when the backup has several sources.",
  },
  {
    name: 'max-rto',
    type: 'string',
    commands: ['drill'],
    group: 'main',
    description:
      'Drill: the longest acceptable time to recover (download, restore and checks), e.g. `15m`. Longer fails the run.',
  },
  {
    name: 'max-age',
    type: 'string',
    commands: ['drill'],
    group: 'main',
    description:
      'Drill: the oldest acceptable backup at drill time (the recovery point), e.g. `26h`. Older fails the run.',
  },
  {
    name: 'keep-scratch',
    type: 'boolean',
    default: 'false',
    commands: ['drill'],
    group: 'main',
    description:
      'Drill: leave the scratch database, file or folder in place for inspection instead of removing it.',
  },
  // --- incremental ---
  {
    name: 'mode',
    type: 'enum',
    values: ['full', 'incremental'],
    default: 'full',
    commands: ['backup'],
    group: 'main',
    description:
      '`incremental`: `dir:` and `sqlite:` sources store only what changed since the newest backup of the set (files whose path, size, mode and mtime match are referenced; SQLite pages whose sha256 matches are referenced). The first backup, and one every `full-every`, is full. Restores read the whole chain back to its full backup.',
  },
  {
    name: 'full-every',
    type: 'string',
    default: '24',
    commands: ['backup'],
    group: 'main',
    description:
      "With `mode: incremental`: start a new chain with a full backup after this many backups (a count, e.g. `24`), or once the chain's full backup is older than a duration (e.g. `1d`, `7d`).",
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

export const OPTIONS: readonly OptionSpec[] = DECLARED_OPTIONS;

type DeclaredOption = (typeof DECLARED_OPTIONS)[number];
/** Every option's name: a misspelt name is a compile error wherever an option is read. */
export type OptionName = DeclaredOption['name'];
type ValueOfType<T extends OptionType> = T extends 'lines'
  ? string[]
  : T extends 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : string;
/** Parsed option values by name, each typed by its declared type (absent when not given). */
export type OptionValues = {
  -readonly [S in DeclaredOption as S['name']]?: ValueOfType<S['type']>;
};

/**
 * What to mask of a secret option's raw value: the whole value, and for a `lines` option each
 * line on its own, except keyword lines (`github-issue`), which would otherwise turn every
 * mention of the word in the log into `***`.
 */
export function secretForms(spec: OptionSpec, value: string): string[] {
  if (!spec.secret || value === '') return [];
  if (spec.type !== 'lines') return [value];
  const keywords = spec.publicLines ?? [];
  const lines = value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !keywords.includes(l));
  return lines.length ? [value, ...lines] : [];
}

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
  {
    name: 'drill-ok',
    description:
      "`drill`: `true` when every check passed, `false` when one failed (`status`: the set's last drill).",
  },
  {
    name: 'rto-ms',
    description:
      '`drill`: time to recover (download, restore and checks) in milliseconds (`status`: of the last drill).',
  },
  {
    name: 'backup-age-ms',
    description: '`drill`: age of the drilled backup at drill time (the recovery point).',
  },
  // --- dashboard ---
  { name: 'sets', description: '`report`: number of backup sets reported.' },
  {
    name: 'healthy',
    description:
      '`report`: `true` when every set is fresh and drilled and every destination could be read.',
  },
  { name: 'html', description: '`report` with `html`: the folder the dashboard was written to.' },
];
