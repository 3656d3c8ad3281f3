export const id = 547;
export const ids = [547];
export const modules = {

/***/ 88547:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

;// CONCATENATED MODULE: ./build/src/engine/errors.js
class errors_LifeboatError extends Error {
    /** A short hint telling the person what to do next, shown after the message. */
    hint;
    constructor(message, options) {
        super(message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.hint = options?.hint;
    }
}
/** Bad input: an option, a URL, a missing tool. Exit code 2. */
class ConfigError extends errors_LifeboatError {
    kind = 'config';
    option;
    constructor(option, message, options) {
        super(option ? `${option}: ${message}` : message, options);
        this.option = option;
    }
}
/** A source could not be dumped or restored (server down, dump tool failed, …). Exit code 1. */
class SourceError extends errors_LifeboatError {
    kind = 'source';
}
/** A storage operation failed. `transient` errors may be retried; others fail at once. Exit 1. */
class StorageError extends errors_LifeboatError {
    kind = 'storage';
    transient;
    notFound;
    constructor(message, options) {
        super(message, options);
        this.transient = options?.transient ?? false;
        this.notFound = options?.notFound ?? false;
    }
}
/** A checksum, size or structure did not match: the backup cannot be trusted. Exit code 3. */
class IntegrityError extends errors_LifeboatError {
    kind = 'integrity';
}
/** The newest backup is older than the schedule allows (missed runs, RPO breached). Exit 1. */
class FreshnessError extends errors_LifeboatError {
    kind = 'freshness';
}
function isNotFound(err) {
    return err instanceof StorageError && err.notFound;
}
function isTransient(err) {
    return err instanceof StorageError && err.transient;
}
/** Exit codes shared by the CLI and the action's tests. */
const ExitCode = { ok: 0, failure: 1, config: 2, integrity: 3 };
function exitCodeFor(err) {
    if (err instanceof ConfigError)
        return ExitCode.config;
    if (err instanceof IntegrityError)
        return ExitCode.integrity;
    return ExitCode.failure;
}
/** The one line a person reads: message, then the hint if any. */
function describeError(err) {
    if (err instanceof errors_LifeboatError)
        return err.hint ? `${err.message}\n  fix: ${err.hint}` : err.message;
    if (err instanceof Error)
        return err.message;
    return String(err);
}

;// CONCATENATED MODULE: ./build/src/engine/log.js
class Redactor {
    secrets = new Set();
    listeners = [];
    /** Register a secret and its derived forms (URL-encoded, base64). Short values are ignored. */
    add(secret) {
        if (!secret || secret.length < 3)
            return;
        for (const form of derivedForms(secret)) {
            if (form.length < 3 || this.secrets.has(form))
                continue;
            this.secrets.add(form);
            for (const listener of this.listeners)
                listener(form);
        }
    }
    /** Called for each form already registered and every future one (the action hooks core.setSecret). */
    onSecret(listener) {
        this.listeners.push(listener);
        for (const s of this.secrets)
            listener(s);
    }
    redact(text) {
        let out = text;
        // Longest first so a secret containing another is replaced whole.
        const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
        for (const s of sorted)
            out = out.split(s).join('***');
        return out;
    }
}
function derivedForms(secret) {
    const forms = new Set([secret]);
    forms.add(encodeURIComponent(secret));
    try {
        forms.add(encodeURI(secret));
    }
    catch {
        // lone surrogates cannot be URI-encoded; the raw form is still masked
    }
    forms.add(Buffer.from(secret, 'utf8').toString('base64'));
    forms.add(Buffer.from(secret, 'utf8').toString('base64url'));
    return [...forms];
}
/** Wraps a logger so every line is redacted. */
function redactingLogger(inner, redactor) {
    return {
        info: (m) => inner.info(redactor.redact(m)),
        warn: (m) => inner.warn(redactor.redact(m)),
        error: (m) => inner.error(redactor.redact(m)),
        debug: (m) => inner.debug(redactor.redact(m)),
    };
}
const silentLogger = { info() { }, warn() { }, error() { }, debug() { } };
/** Remove the password (and any token-ish query values) from a URL before showing it. */
function redactUrl(url) {
    try {
        const u = new URL(url);
        if (u.password)
            u.password = '***';
        for (const key of [...u.searchParams.keys()]) {
            if (/pass|secret|token|key|sig|credential/i.test(key))
                u.searchParams.set(key, '***');
        }
        return u.toString();
    }
    catch {
        return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
    }
}
function formatBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    return `${m} min ${Math.round(s - m * 60)} s`;
}

;// CONCATENATED MODULE: ./build/src/options/schema.js
/**
 * The one option schema. The action's inputs (action.yml), the CLI's --flags and the README's
 * option table are all generated from or checked against this list.
 */
const schema_COMMANDS = [
    'backup',
    'restore',
    'verify',
    'list',
    'prune',
    'status',
    'drill',
];
const DATA = [
    'backup',
    'restore',
    'verify',
    'list',
    'prune',
    'status',
    'drill',
];
const RETENTION = ['backup', 'prune'];
const OPTIONS = [
    {
        name: 'command',
        type: 'enum',
        values: schema_COMMANDS,
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
        description: 'Source URL(s), one per line, optionally `name=URL`: `sqlite:<path>`, `dir:<path or glob>`, `postgres://…`, `mysql://…`, `mariadb://…`, `redis://…`.',
    },
    {
        name: 'destination',
        type: 'lines',
        commands: DATA,
        group: 'main',
        description: 'Storage URL(s), one per line: `file:<path>`, `s3://bucket/prefix`, `gs://…`, `azblob://container/prefix`, `sftp://user@host/path`, `artifact:`. Backups go to every line; restores read the first that has the backup.',
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
        description: "Archive compression. zstd uses the `zstd` executable when present (multi-threaded), Node's zlib otherwise.",
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
        description: 'Where to restore, one per line (`name=URL` when the backup has several sources). Must be new or empty unless `overwrite` is set.',
    },
    {
        name: 'overwrite',
        type: 'boolean',
        default: 'false',
        commands: ['restore'],
        group: 'main',
        description: 'Allow restoring over an existing, non-empty target. The previous data is kept until the restored copy passes its checks, and put back if it does not.',
    },
    {
        name: 'verify-after-backup',
        type: 'boolean',
        default: 'true',
        commands: ['backup'],
        group: 'main',
        description: 'Read the stored archive back and check every chunk before reporting success. When false, the checksum computed while uploading and confirmed by the store is the proof.',
    },
    {
        name: 'exclude',
        type: 'lines',
        commands: ['backup'],
        group: 'sources',
        description: '`dir:` sources: glob patterns (relative to the source folder) to leave out, one per line.',
    },
    {
        name: 'databases',
        type: 'lines',
        commands: ['backup', 'restore'],
        group: 'sources',
        description: 'MySQL/MariaDB: databases to dump (default: the one in the URL, or all); on restore, which of them goes to a target URL naming one database.',
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
        commands: ['backup'],
        group: 'sources',
        description: 'PostgreSQL: also dump roles and tablespaces (`pg_dumpall --globals-only`).',
    },
    {
        name: 'jobs',
        type: 'number',
        commands: ['backup', 'restore'],
        group: 'sources',
        description: 'PostgreSQL: parallel dump/restore jobs (directory format; needs temporary disk the size of the dump).',
    },
    {
        name: 'row-counts',
        type: 'enum',
        values: ['exact', 'estimate'],
        default: 'exact',
        commands: ['backup'],
        group: 'sources',
        description: 'PostgreSQL: exact row counts in the inventory, or planner estimates for very large tables.',
    },
    {
        name: 'pg-bin',
        type: 'string',
        commands: ['backup', 'restore', 'verify', 'drill'],
        group: 'sources',
        description: 'PostgreSQL: folder holding pg_dump/pg_restore to use instead of searching PATH and the standard install folders.',
    },
    {
        name: 'redis-mode',
        type: 'enum',
        values: ['auto', 'rdb', 'logical'],
        default: 'auto',
        commands: ['backup'],
        group: 'sources',
        description: 'Redis: `rdb` snapshot through replication, `logical` SCAN+DUMP (for managed services), or `auto`.',
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
        description: 'Keep every backup younger than this, relative to the newest (`7d`, `2w`, `1y6m`, `12h`).',
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
        name: 'schedule',
        type: 'lines',
        commands: ['status', 'backup'],
        group: 'retention',
        description: "Cron line(s) the backups should follow (UTC). Default: the calling workflow's own `on.schedule`.",
    },
    {
        name: 'grace',
        type: 'string',
        commands: ['status', 'backup'],
        group: 'retention',
        description: 'How late the newest backup may be before `status` fails (`30m`, `2h`). Default: half the expected interval.',
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
        description: 'S3: the largest archive you expect (`500GiB`, `5TiB`). Without it parts are 32 MiB, enough for about 312 GiB; with it parts grow to fit 10,000 parts, at the cost of memory.',
    },
    {
        name: 'azure-account',
        type: 'string',
        commands: DATA,
        group: 'storage',
        description: 'Azure Blob: storage account (default from AZURE_STORAGE_ACCOUNT or the connection string).',
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
        description: "SFTP: the server's host key fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints).",
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
        description: 'GitHub artifacts: token to list, download and delete artifacts of other runs (needs `actions: read`, `actions: write` to prune).',
    },
    {
        name: 'artifact-repository',
        type: 'string',
        commands: DATA,
        group: 'storage',
        description: 'GitHub artifacts: `owner/repo` holding the backups (default: this repository).',
    },
];
function optionSpec(name) {
    return OPTIONS.find((o) => o.name === name);
}
/** Action outputs (and the CLI's --json `outputs`). */
const OUTPUTS = [
    {
        name: 'backup-id',
        description: 'Id of the backup made, restored or verified (`20261122T030000Z-abcdef`).',
    },
    {
        name: 'location',
        description: 'Where the archive was stored (backup) or restored to (restore).',
    },
    { name: 'size', description: 'Archive size in bytes.' },
    { name: 'sha256', description: 'sha256 of the archive as stored.' },
    { name: 'duration-ms', description: 'Wall time of the command in milliseconds.' },
    {
        name: 'verified',
        description: '`true` when the stored archive was read back and every chunk checked.',
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

;// CONCATENATED MODULE: ./build/src/options/parse.js


function parseOptions(raw) {
    for (const key of Object.keys(raw)) {
        if (!OPTIONS.some((o) => o.name === key)) {
            throw new ConfigError(key, `unknown option '${key}'`, {
                hint: `see the option table in the README`,
            });
        }
    }
    const values = {};
    for (const spec of OPTIONS) {
        const value = parseValue(spec, raw[spec.name]);
        if (value !== undefined)
            values[spec.name] = value;
    }
    const command = values['command'];
    return { command, values };
}
function isBlank(v) {
    if (v === undefined)
        return true;
    if (typeof v === 'boolean')
        return false;
    if (Array.isArray(v))
        return v.every((s) => s.trim() === '');
    return v.trim() === '';
}
function parseValue(spec, raw) {
    const input = isBlank(raw) ? spec.default : raw;
    if (input === undefined)
        return undefined;
    switch (spec.type) {
        case 'lines': {
            const list = Array.isArray(input) ? input : String(input).split(/\r?\n/);
            const lines = list
                .flatMap((s) => s.split(/\r?\n/))
                .map((s) => s.trim())
                .filter((s) => s && !s.startsWith('#'));
            return lines.length ? lines : undefined;
        }
        case 'boolean': {
            if (typeof input === 'boolean')
                return input;
            const v = String(input).trim().toLowerCase();
            if (['true', 'yes', '1', 'on'].includes(v))
                return true;
            if (['false', 'no', '0', 'off'].includes(v))
                return false;
            throw new ConfigError(spec.name, `'${v}' is not a boolean`, { hint: 'use true or false' });
        }
        case 'number': {
            const v = single(spec, input);
            if (!/^\d+$/.test(v)) {
                throw new ConfigError(spec.name, `'${v}' is not a whole number`, {
                    hint: 'use a whole number such as 7',
                });
            }
            return Number(v);
        }
        case 'enum': {
            const v = single(spec, input);
            const allowed = spec.values ?? [];
            if (!allowed.includes(v)) {
                const shown = allowed.filter((a) => a !== '');
                throw new ConfigError(spec.name, `unknown value '${v}'`, {
                    hint: `use one of: ${shown.join(', ')}`,
                });
            }
            return v === '' ? undefined : v;
        }
        case 'string':
            return single(spec, input);
    }
}
function single(spec, input) {
    if (Array.isArray(input)) {
        if (input.length > 1)
            throw new ConfigError(spec.name, 'given more than once', { hint: 'give it once' });
        return (input[0] ?? '').trim();
    }
    return String(input).trim();
}
function isCommand(v) {
    return COMMANDS.includes(v);
}
/** Typed accessors so engine code reads `str(o, 'name')` instead of casting. */
function str(o, name) {
    const v = o.values[name];
    return typeof v === 'string' ? v : undefined;
}
function lines(o, name) {
    const v = o.values[name];
    return Array.isArray(v) ? v : [];
}
function num(o, name) {
    const v = o.values[name];
    return typeof v === 'number' ? v : undefined;
}
function bool(o, name) {
    return o.values[name] === true;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./build/src/archive/compression.js






const ZSTD_LEVEL = 3;
const GZIP_LEVEL = 6;
const EXTENSIONS = {
    zstd: '.tar.zst',
    gzip: '.tar.gz',
    none: '.tar',
};
function archiveExtension(c) {
    return EXTENSIONS[c];
}
/** The compression of an archive key, by its extension (an `.age` suffix is looked through). */
function compressionFromKey(key) {
    const k = key.endsWith('.age') ? key.slice(0, -'.age'.length) : key;
    if (k.endsWith('.tar.zst'))
        return 'zstd';
    if (k.endsWith('.tar.gz'))
        return 'gzip';
    if (k.endsWith('.tar'))
        return 'none';
    return undefined;
}
let pathCache;
function findOnPath(command) {
    const path = process.env.PATH ?? '';
    if (pathCache?.path === path)
        return pathCache.found;
    let found;
    for (const dir of path.split(external_node_path_.delimiter)) {
        if (!dir)
            continue;
        const candidate = (0,external_node_path_.join)(dir, command);
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            if ((0,external_node_fs_.statSync)(candidate).isFile()) {
                found = candidate;
                break;
            }
        }
        catch {
            // not here
        }
    }
    pathCache = { path, found };
    return found;
}
/**
 * Which zstd does the work: the CLI (multi-threaded, much faster) when it is on PATH, else
 * Node's zlib. LIFEBOAT_ZSTD=node forces zlib (Node's own multi-threaded mode is broken:
 * nodejs/node#59899, so zlib runs single-threaded).
 */
function zstdImplementation() {
    if (process.env.LIFEBOAT_ZSTD === 'node')
        return 'node';
    return findOnPath('zstd') ? 'cli' : 'node';
}
function compressStream(c) {
    switch (c) {
        case 'none':
            return new external_node_stream_.PassThrough();
        case 'gzip':
            return relay(external_node_zlib_.createGzip({ level: GZIP_LEVEL }), compressError('gzip'));
        case 'zstd':
            if (zstdImplementation() === 'cli') {
                return childStream(findOnPath('zstd'), ['-q', '-c', '-T0', `-${ZSTD_LEVEL}`], compressError('zstd'));
            }
            return relay(external_node_zlib_.createZstdCompress({
                params: {
                    [external_node_zlib_.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL,
                    // Like the CLI: a content checksum in every frame, so corruption is caught on decompression.
                    [external_node_zlib_.constants.ZSTD_c_checksumFlag]: 1,
                },
            }), compressError('zstd'));
    }
}
/** Decompression of an archive read from storage: corrupt input fails the stream with an IntegrityError. */
function decompressStream(c) {
    switch (c) {
        case 'none':
            return new external_node_stream_.PassThrough();
        case 'gzip':
            return relay(external_node_zlib_.createGunzip(), corruptError('gzip'));
        case 'zstd':
            if (zstdImplementation() === 'cli') {
                return childStream(findOnPath('zstd'), ['-q', '-d', '-c'], corruptError('zstd'));
            }
            return relay(external_node_zlib_.createZstdDecompress(), corruptError('zstd'));
    }
}
function compressError(format) {
    return (err) => new Error(`${format} compression failed: ${err.message}`, { cause: err });
}
function corruptError(format) {
    return (err) => new IntegrityError(`the archive's ${format} stream is corrupt: ${err.message}`, {
        cause: err,
        hint: 'the stored copy is damaged: restore from another destination or another backup',
    });
}
/**
 * One Duplex over a writable end and a readable end (a zlib stream, or a child's stdin and
 * stdout), with backpressure both ways, errors mapped by `mapError`, and the readable side
 * ending only once `settle` says the work succeeded (a child's exit status).
 */
class Relay extends external_node_stream_.Duplex {
    #input;
    #output;
    #mapError;
    #kill;
    #pendingWrite;
    #failed = false;
    constructor(input, output, mapError, hooks = {}) {
        super();
        this.#input = input;
        this.#output = output;
        this.#mapError = mapError;
        this.#kill = hooks.kill ?? (() => undefined);
        const settle = hooks.settle ?? ((done) => output.once('end', () => done()));
        output.on('data', (chunk) => {
            if (!this.push(chunk))
                output.pause();
        });
        output.on('error', (err) => this.#fail(err));
        if (input !== output)
            input.on('error', () => this.#releaseWrite());
        input.on('drain', () => this.#releaseWrite());
        input.on('close', () => this.#releaseWrite());
        settle((err) => {
            if (err)
                this.#fail(err);
            else if (!this.#failed)
                this.push(null);
        });
    }
    #releaseWrite() {
        const cb = this.#pendingWrite;
        this.#pendingWrite = undefined;
        cb?.();
    }
    #fail(err) {
        if (this.#failed)
            return;
        this.#failed = true;
        this.#releaseWrite();
        this.destroy(this.#mapError(err));
    }
    _read() {
        this.#output.resume();
    }
    _write(chunk, _enc, callback) {
        if (this.#input.destroyed || this.#input.writableEnded) {
            // The other end is gone; its exit status (or error) reports why.
            callback();
            return;
        }
        if (this.#input.write(chunk))
            callback();
        else
            this.#pendingWrite = callback;
    }
    _final(callback) {
        if (!this.#input.destroyed && !this.#input.writableEnded)
            this.#input.end();
        callback();
    }
    _destroy(err, callback) {
        this.#failed = true;
        this.#releaseWrite();
        this.#kill();
        callback(err);
    }
}
function relay(stream, mapError) {
    return new Relay(stream, stream, mapError, { kill: () => stream.destroy() });
}
function childStream(command, args, mapError) {
    const child = (0,external_node_child_process_.spawn)(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s) => {
        if (stderr.length < 4096)
            stderr += s;
    });
    let stdinError;
    child.stdin.on('error', (err) => {
        stdinError = err;
    });
    const name = command.split('/').pop();
    return new Relay(child.stdin, child.stdout, mapError, {
        settle: (done) => {
            child.once('error', (err) => done(err));
            child.once('close', (code, signal) => {
                if (code === 0 && !stdinError)
                    done();
                else if (code === 0)
                    done(stdinError);
                else {
                    const why = stderr.trim().split('\n').slice(-3).join('; ');
                    done(new Error(`${name} exited with ${signal ?? `code ${code}`}${why ? `: ${why}` : ''}`));
                }
            });
        },
        kill: () => {
            if (child.exitCode === null && child.signalCode === null)
                child.kill('SIGTERM');
        },
    });
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./build/src/archive/hash.js



/** A pass-through that hashes (sha256) and counts the bytes flowing through it. */
class HashingStream extends external_node_stream_.Transform {
    #hash = (0,external_node_crypto_.createHash)('sha256');
    #bytes = 0;
    #digest;
    get bytes() {
        return this.#bytes;
    }
    /** Hex sha256 of everything that passed; available once the writable side has finished. */
    digest() {
        if (this.#digest === undefined)
            throw new Error('HashingStream.digest() called before the stream ended');
        return this.#digest;
    }
    _transform(chunk, _encoding, callback) {
        this.#hash.update(chunk);
        this.#bytes += chunk.length;
        callback(null, chunk);
    }
    _flush(callback) {
        this.#digest = this.#hash.digest('hex');
        callback();
    }
}
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** One line in `sha256sum -c` format: "<hex>  <name>\n". */
function sha256sumLine(sha256, fileName) {
    if (!SHA256_HEX.test(sha256))
        throw new Error(`not a sha256 hex digest: ${sha256}`);
    if (fileName === '' || /[\n\r\\]/.test(fileName))
        throw new Error(`file name cannot go in a sha256sum line: ${fileName}`);
    return `${sha256}  ${fileName}\n`;
}
/** Parses a one-line `sha256sum` file (text or binary mode marker). */
function parseSha256sum(text) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const m = lines.length === 1 ? /^([0-9a-fA-F]{64}) [ *](.+?)\r?$/.exec(lines[0]) : null;
    if (!m) {
        throw new IntegrityError('the .sha256 file is not a single `sha256sum` line', {
            hint: 'it should read "<64 hex digits>  <archive file name>"',
        });
    }
    return { sha256: m[1].toLowerCase(), fileName: m[2] };
}

;// CONCATENATED MODULE: ./build/src/archive/tar.js

/**
 * A minimal POSIX pax tar codec: ustar headers plus 'x' extended headers, 512-byte blocks.
 * It writes only what Lifeboat archives need and, when reading, accepts only that: the input
 * comes from storage we do not control, so every field is checked before it is trusted.
 */
const BLOCK_SIZE = 512;
/** Two zero blocks end a tar archive. */
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK_SIZE);
/** Largest value an 11-digit octal ustar field holds. */
const MAX_OCTAL_11 = 0o77777777777;
const TYPE_FLAGS = { file: '0', directory: '5', symlink: '2' };
function paddingFor(size) {
    const rest = size % BLOCK_SIZE;
    return rest === 0 ? 0 : BLOCK_SIZE - rest;
}
function isPlainAscii(s, maxBytes) {
    return s.length <= maxBytes && /^[\x20-\x7e]*$/.test(s);
}
function writeString(block, offset, length, value) {
    const bytes = Buffer.from(value, 'utf8');
    bytes.copy(block, offset, 0, Math.min(bytes.length, length));
}
function writeOctal(block, offset, length, value) {
    block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}
/** One pax record: "<len> <key>=<value>\n", where len counts the whole record. */
function paxRecord(key, value) {
    const body = Buffer.byteLength(key) + Buffer.byteLength(value) + 3;
    const digits = String(body).length;
    let len = body + digits;
    if (String(len).length !== digits)
        len = body + String(len).length;
    return Buffer.from(`${len} ${key}=${value}\n`, 'utf8');
}
function formatPaxTime(ms) {
    const sign = ms < 0 ? '-' : '';
    const abs = Math.abs(ms);
    const sec = Math.floor(abs / 1000);
    const frac = abs % 1000;
    return frac === 0 ? `${sign}${sec}` : `${sign}${sec}.${String(frac).padStart(3, '0')}`;
}
function ustarBlock(h) {
    const block = Buffer.alloc(BLOCK_SIZE);
    writeString(block, 0, 100, h.name);
    writeOctal(block, 100, 8, h.mode & 0o7777);
    writeOctal(block, 108, 8, 0);
    writeOctal(block, 116, 8, 0);
    writeOctal(block, 124, 12, h.size);
    writeOctal(block, 136, 12, h.mtimeSec);
    block.write(h.flag, 156, 1, 'ascii');
    writeString(block, 157, 100, h.linkname);
    block.write('ustar\0', 257, 6, 'ascii');
    block.write('00', 263, 2, 'ascii');
    writeOctal(block, 329, 8, 0);
    writeOctal(block, 337, 8, 0);
    block.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < BLOCK_SIZE; i++)
        sum += block[i];
    block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    return block;
}
/** A placeholder ustar name for entries whose real name travels in the pax `path` record. */
function fallbackName(name) {
    const ascii = name.replace(/[^\x20-\x7e]/g, '_');
    return ascii.length <= 100 ? ascii : ascii.slice(ascii.length - 100);
}
/** Encodes the header blocks of one entry: an optional pax 'x' entry, then the ustar header. */
function encodeHeader(h) {
    if (!Number.isSafeInteger(h.mtimeMs))
        throw new RangeError(`invalid mtime for ${h.name}`);
    if (!Number.isSafeInteger(h.size) || h.size < 0)
        throw new RangeError(`invalid size for ${h.name}`);
    const records = [];
    let name = h.name;
    let linkname = h.linkname ?? '';
    if (!isPlainAscii(h.name, 100)) {
        records.push(paxRecord('path', h.name));
        name = fallbackName(h.name);
    }
    if (!isPlainAscii(linkname, 100)) {
        records.push(paxRecord('linkpath', linkname));
        linkname = fallbackName(linkname);
    }
    let size = h.size;
    if (size > MAX_OCTAL_11) {
        records.push(paxRecord('size', String(size)));
        size = 0;
    }
    let mtimeSec = Math.floor(h.mtimeMs / 1000);
    if (h.mtimeMs % 1000 !== 0 || mtimeSec < 0 || mtimeSec > MAX_OCTAL_11) {
        records.push(paxRecord('mtime', formatPaxTime(h.mtimeMs)));
        mtimeSec = Math.min(Math.max(mtimeSec, 0), MAX_OCTAL_11);
    }
    for (const [k, v] of h.records ?? [])
        records.push(paxRecord(k, v));
    const main = ustarBlock({
        name,
        flag: TYPE_FLAGS[h.type],
        size,
        mode: h.mode,
        mtimeSec,
        linkname,
    });
    if (records.length === 0)
        return main;
    const pax = Buffer.concat(records);
    const base = h.name.replace(/\/$/, '').split('/').pop() ?? 'entry';
    const paxHeader = ustarBlock({
        name: fallbackName(`PaxHeaders/${base}`),
        flag: 'x',
        size: pax.length,
        mode: 0o644,
        mtimeSec,
        linkname: '',
    });
    return Buffer.concat([paxHeader, pax, Buffer.alloc(paddingFor(pax.length)), main]);
}
const DEFAULT_LIMITS = { maxPaxSize: 1024 * 1024 };
function toBuffer(value) {
    if (Buffer.isBuffer(value))
        return value;
    if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (typeof value === 'string')
        return Buffer.from(value, 'utf8');
    throw new IntegrityError('archive stream produced something other than bytes');
}
/** Exact-length reads over an async byte stream. */
class ByteSource {
    #it;
    #bufs = [];
    #len = 0;
    #eof = false;
    /** Bytes handed out so far (for error messages). */
    position = 0;
    constructor(input) {
        this.#it = input[Symbol.asyncIterator]();
    }
    async #pull() {
        if (this.#eof)
            return false;
        const r = await this.#it.next();
        if (r.done) {
            this.#eof = true;
            return false;
        }
        const b = toBuffer(r.value);
        if (b.length > 0) {
            this.#bufs.push(b);
            this.#len += b.length;
        }
        return true;
    }
    /** Exactly n bytes, or an IntegrityError naming what was cut short. */
    async read(n, what) {
        while (this.#len < n) {
            if (!(await this.#pull())) {
                throw new IntegrityError(`archive is truncated: it ends at byte ${this.position + this.#len} inside ${what}`, {
                    hint: 'the stored copy is incomplete: restore from another destination or another backup',
                });
            }
        }
        return this.#take(n);
    }
    /** Up to n bytes; an empty buffer only at the end of the stream. */
    async readSome(n) {
        while (this.#len === 0)
            if (!(await this.#pull()))
                return Buffer.alloc(0);
        return this.#take(Math.min(n, this.#len));
    }
    #take(n) {
        this.position += n;
        if (n === 0)
            return Buffer.alloc(0);
        const first = this.#bufs[0];
        if (first.length >= n) {
            this.#len -= n;
            if (first.length === n)
                this.#bufs.shift();
            else
                this.#bufs[0] = first.subarray(n);
            return first.subarray(0, n);
        }
        const out = Buffer.allocUnsafe(n);
        let filled = 0;
        while (filled < n) {
            const b = this.#bufs[0];
            const take = Math.min(b.length, n - filled);
            b.copy(out, filled, 0, take);
            filled += take;
            if (take === b.length)
                this.#bufs.shift();
            else
                this.#bufs[0] = b.subarray(take);
        }
        this.#len -= n;
        return out;
    }
    /** Stops reading; destroys the input if it is a stream. */
    async close() {
        if (!this.#eof)
            await this.#it.return?.();
    }
}
function isZeroBlock(block) {
    for (let i = 0; i < block.length; i++)
        if (block[i] !== 0)
            return false;
    return true;
}
function fieldText(block, offset, length) {
    const raw = block.subarray(offset, offset + length);
    const nul = raw.indexOf(0);
    return raw.subarray(0, nul === -1 ? length : nul).toString('utf8');
}
/** An octal (NUL/space terminated) or base-256 numeric field. */
function parseNumber(block, offset, length, field) {
    const raw = block.subarray(offset, offset + length);
    const first = raw[0];
    if (first & 0x80) {
        // base-256: big-endian two's complement, high bit of the first byte set.
        const negative = first === 0xff;
        if (!negative && first !== 0x80)
            throw new IntegrityError(`tar header has a malformed ${field} field`);
        let value = 0;
        for (let i = 1; i < raw.length; i++) {
            value = value * 256 + (negative ? 255 - raw[i] : raw[i]);
            if (value > Number.MAX_SAFE_INTEGER)
                throw new IntegrityError(`tar header ${field} field is out of range`);
        }
        return negative ? -(value + 1) : value;
    }
    const text = raw
        .toString('latin1')
        .replace(/[\0 ]+$/, '')
        .replace(/^ +/, '');
    if (text === '')
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw new IntegrityError(`tar header has a malformed ${field} field`);
    const value = parseInt(text, 8);
    if (!Number.isSafeInteger(value))
        throw new IntegrityError(`tar header ${field} field is out of range`);
    return value;
}
function checksumOk(block) {
    const stored = parseNumber(block, 148, 8, 'checksum');
    let unsigned = 0;
    let signed = 0;
    for (let i = 0; i < BLOCK_SIZE; i++) {
        const b = i >= 148 && i < 156 ? 0x20 : block[i];
        unsigned += b;
        signed += b > 127 ? b - 256 : b;
    }
    return stored === unsigned || stored === signed;
}
function parseUstar(block, at) {
    const magic = block.subarray(257, 263).toString('latin1');
    if (magic !== 'ustar\0' && magic !== 'ustar ') {
        throw new IntegrityError(`archive has no valid tar header at byte ${at}`);
    }
    if (!checksumOk(block))
        throw new IntegrityError(`tar header checksum mismatch at byte ${at}`);
    const prefix = fieldText(block, 345, 155);
    const name = fieldText(block, 0, 100);
    return {
        name: prefix && magic === 'ustar\0' ? `${prefix}/${name}` : name,
        flag: String.fromCharCode(block[156]),
        size: parseNumber(block, 124, 12, 'size'),
        mode: parseNumber(block, 100, 8, 'mode'),
        mtimeSec: parseNumber(block, 136, 12, 'mtime'),
        linkname: fieldText(block, 157, 100),
    };
}
/** Parses a pax extended header body into keyword → value (UTF-8). */
function parsePax(buf) {
    const out = new Map();
    let pos = 0;
    while (pos < buf.length) {
        const space = buf.indexOf(0x20, pos);
        if (space === -1 || space - pos > 20)
            throw new IntegrityError('malformed pax extended header');
        const lenText = buf.subarray(pos, space).toString('latin1');
        if (!/^[1-9][0-9]*$/.test(lenText))
            throw new IntegrityError('malformed pax extended header');
        const len = Number(lenText);
        const end = pos + len;
        if (end > buf.length || buf[end - 1] !== 0x0a)
            throw new IntegrityError('malformed pax extended header');
        const record = buf.subarray(space + 1, end - 1).toString('utf8');
        const eq = record.indexOf('=');
        if (eq <= 0)
            throw new IntegrityError('malformed pax extended header record');
        const key = record.slice(0, eq);
        const value = record.slice(eq + 1);
        if (value === '')
            out.delete(key);
        else
            out.set(key, value);
        pos = end;
    }
    return out;
}
/** Parses a pax time ("sec[.frac]", optionally negative) into whole milliseconds. */
function parsePaxTime(value) {
    const m = /^(-?)([0-9]{1,15})(?:\.([0-9]+))?$/.exec(value);
    if (!m)
        throw new IntegrityError(`malformed pax mtime '${value.slice(0, 40)}'`);
    const ms = Number(m[2]) * 1000 + Number((m[3] ?? '').slice(0, 3).padEnd(3, '0'));
    return m[1] ? -ms : ms;
}
function parseDecimal(value, field) {
    if (!/^[0-9]{1,16}$/.test(value))
        throw new IntegrityError(`malformed pax ${field} '${value.slice(0, 40)}'`);
    const n = Number(value);
    if (!Number.isSafeInteger(n))
        throw new IntegrityError(`pax ${field} is out of range`);
    return n;
}
/**
 * Reads tar entries one at a time. After `next()` returns an entry, its body must be read
 * with `readBody()` (or skipped with `skipBody()`) before `next()` is called again.
 */
class TarReader {
    #src;
    #limits;
    #pendingBody = 0;
    constructor(input, limits = {}) {
        this.#src = new ByteSource(input);
        this.#limits = { ...DEFAULT_LIMITS, ...limits };
    }
    get position() {
        return this.#src.position;
    }
    /** The next entry's header, or null at the end-of-archive marker (a zero block). */
    async next() {
        if (this.#pendingBody !== 0)
            throw new Error('TarReader.next() called before the previous body was read');
        let pax;
        for (;;) {
            const at = this.#src.position;
            const block = await this.#src.read(BLOCK_SIZE, 'a tar header');
            if (isZeroBlock(block)) {
                if (pax)
                    throw new IntegrityError(`archive ends right after a pax header at byte ${at}`);
                return null;
            }
            const raw = parseUstar(block, at);
            if (raw.flag === 'x') {
                if (pax)
                    throw new IntegrityError(`two pax headers in a row at byte ${at}`);
                if (raw.size > this.#limits.maxPaxSize) {
                    throw new IntegrityError(`pax header at byte ${at} is ${raw.size} bytes, more than the allowed ${this.#limits.maxPaxSize}`);
                }
                const body = await this.#src.read(raw.size, 'a pax header');
                await this.#src.read(paddingFor(raw.size), 'a pax header');
                pax = parsePax(body);
                continue;
            }
            return this.#entry(raw, pax ?? new Map(), at);
        }
    }
    #entry(raw, pax, at) {
        let type;
        if (raw.flag === '0' || raw.flag === '\0')
            type = 'file';
        else if (raw.flag === '5')
            type = 'directory';
        else if (raw.flag === '2')
            type = 'symlink';
        else {
            const kinds = {
                '1': 'hardlink',
                '3': 'character device',
                '4': 'block device',
                '6': 'fifo',
                '7': 'contiguous file',
                g: 'global pax header',
                L: 'GNU long name',
                K: 'GNU long link',
            };
            throw new IntegrityError(`archive holds an unsupported tar entry (${kinds[raw.flag] ?? `type '${raw.flag}'`}) at byte ${at}`);
        }
        const size = pax.has('size') ? parseDecimal(pax.get('size'), 'size') : raw.size;
        if (size < 0)
            throw new IntegrityError(`tar entry at byte ${at} has a negative size`);
        if (type !== 'file' && size !== 0) {
            throw new IntegrityError(`tar ${type} entry at byte ${at} has a body (${size} bytes)`);
        }
        const mtimeMs = pax.has('mtime') ? parsePaxTime(pax.get('mtime')) : raw.mtimeSec * 1000;
        const name = pax.get('path') ?? raw.name;
        if (name === '' || name.includes('\0'))
            throw new IntegrityError(`tar entry at byte ${at} has an invalid name`);
        const linkname = pax.get('linkpath') ?? raw.linkname;
        this.#pendingBody = size;
        return { name, type, size, mode: raw.mode & 0o7777, mtimeMs, linkname, pax };
    }
    /** The whole body of the current entry (callers bound `size` first). */
    async readBody(what) {
        const size = this.#pendingBody;
        const body = await this.#src.read(size, what);
        await this.#src.read(paddingFor(size), what);
        this.#pendingBody = 0;
        return body;
    }
    /**
     * After the end-of-archive block: everything left must be zero blocks (at least one more, so
     * the archive had its two end blocks) up to the end of the stream.
     */
    async expectEnd() {
        let zeros = BLOCK_SIZE;
        for (;;) {
            const at = this.#src.position;
            const piece = await this.#src.readSome(64 * 1024);
            if (piece.length === 0)
                break;
            if (!isZeroBlock(piece))
                throw new IntegrityError(`archive has data after its end marker (byte ${at})`);
            zeros += piece.length;
        }
        if (zeros < 2 * BLOCK_SIZE || zeros % BLOCK_SIZE !== 0) {
            throw new IntegrityError('archive is truncated: its end-of-archive blocks are incomplete', {
                hint: 'the stored copy is incomplete: restore from another destination or another backup',
            });
        }
    }
    async close() {
        await this.#src.close();
    }
}
/** True when a '/'-separated relative path is safe to join under a folder. */
function isSafeRelativePath(p) {
    if (p === '' || p.includes('\0') || p.startsWith('/'))
        return false;
    for (const seg of p.split('/'))
        if (seg === '' || seg === '.' || seg === '..')
            return false;
    return true;
}

;// CONCATENATED MODULE: ./build/src/archive/types.js
/** Archive format version written by this release. Every earlier version stays readable. */
const FORMAT_VERSION = 1;
/** First tar entry of every archive. */
const HEADER_ENTRY = 'lifeboat.json';
/** Last tar entry of every archive (before the tar end blocks). */
const MANIFEST_ENTRY = 'lifeboat-manifest.json';

;// CONCATENATED MODULE: ./build/src/archive/writer.js





const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
/** No chunk may be larger than this, so a reader can refuse anything bigger outright. */
const MAX_CHUNK_SIZE = 256 * 1024 * 1024;
/** Largest header or manifest JSON a reader accepts by default. */
const MAX_JSON_SIZE = 16 * 1024 * 1024;
/** Vendor prefix of Lifeboat's pax keywords. */
const PAX_VENDOR = 'LIFEBOAT';
const PART_SUFFIX = '.lbpart-';
/** Entry name of part `n` of a member stored in more than one chunk. */
function partEntryName(memberEntry, n) {
    return `${memberEntry}${PART_SUFFIX}${String(n).padStart(6, '0')}`;
}
/** Source folder names: one safe path segment, never clashing with the archive's own entries. */
function isValidSourceName(name) {
    return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && name.length <= 200;
}
/**
 * Writes a Lifeboat archive (format v1, see docs/archive-format.md) as an uncompressed tar
 * stream. File members are cut into chunks of at most `chunkSize` bytes; each chunk is held in
 * memory only until its sha256 is known, so memory stays bounded whatever a member's size.
 */
class ArchiveWriter {
    chunkSize;
    /** The uncompressed tar bytes. Writes wait while the consumer is slow. */
    stream;
    #wake;
    #failed;
    #state = 'new';
    #queue = Promise.resolve();
    #sources = new Set();
    #currentSource;
    constructor(options = {}) {
        const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
        if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new RangeError(`chunkSize must be an integer between 1 and ${MAX_CHUNK_SIZE}`);
        }
        this.chunkSize = chunkSize;
        this.stream = new external_node_stream_.Readable({
            highWaterMark: Math.min(chunkSize, 1024 * 1024),
            read: () => this.#wakeUp(),
            destroy: (err, callback) => {
                this.#failed ??=
                    err ?? new Error('the archive stream was closed before the archive was finished');
                this.#wakeUp();
                callback(err);
            },
        });
    }
    #wakeUp() {
        const wake = this.#wake;
        this.#wake = undefined;
        wake?.();
    }
    async #push(buf) {
        if (this.#failed)
            throw this.#failed;
        if (buf.length === 0)
            return;
        if (!this.stream.push(buf)) {
            await new Promise((resolve) => (this.#wake = resolve));
            if (this.#failed)
                throw this.#failed;
        }
    }
    /** Runs archive writes one after another, whatever the callers do. */
    #serialize(work) {
        const run = this.#queue.then(work);
        this.#queue = run.catch(() => undefined);
        return run;
    }
    async #writeJson(name, value, pretty, time) {
        const json = Buffer.from(JSON.stringify(value, null, pretty ? 2 : undefined) + '\n', 'utf8');
        if (json.length > MAX_JSON_SIZE) {
            throw new SourceError(`${name} would be ${json.length} bytes, more than the ${MAX_JSON_SIZE} bytes readers accept`, { hint: 'back up fewer members per archive (for example split a directory source)' });
        }
        const sha256 = (0,external_node_crypto_.createHash)('sha256').update(json).digest('hex');
        await this.#push(encodeHeader({
            name,
            type: 'file',
            size: json.length,
            mode: 0o644,
            mtimeMs: Number.isSafeInteger(Date.parse(time)) ? Date.parse(time) : Date.now(),
            records: [[`${PAX_VENDOR}.sha256`, sha256]],
        }));
        await this.#push(json);
        await this.#push(Buffer.alloc(paddingFor(json.length)));
    }
    /** Writes HEADER_ENTRY; must be the first call. */
    writeHeader(header) {
        return this.#serialize(async () => {
            if (this.#state !== 'new')
                throw new Error('ArchiveWriter.writeHeader() must be called once, first');
            if (header.format !== FORMAT_VERSION)
                throw new Error(`this writer writes format ${FORMAT_VERSION}`);
            if (header.chunkSize !== this.chunkSize) {
                throw new Error(`header.chunkSize (${header.chunkSize}) differs from the writer's (${this.chunkSize})`);
            }
            this.#state = 'open';
            await this.#writeJson(HEADER_ENTRY, header, true, header.createdAt);
        });
    }
    /** A sink for one source; member paths are written under `${sourceName}/`. */
    sourceSink(sourceName) {
        if (!isValidSourceName(sourceName))
            throw new Error(`invalid source folder name '${sourceName}'`);
        if (this.#sources.has(sourceName))
            throw new Error(`source folder '${sourceName}' was already written`);
        this.#sources.add(sourceName);
        const records = [];
        const paths = new Set();
        const symlinks = new Set();
        const begin = (path) => {
            if (this.#state !== 'open') {
                throw new Error(this.#state === 'new' ? 'write the archive header first' : 'the archive is finished');
            }
            if (this.#currentSource !== sourceName && this.#currentSource !== undefined) {
                const done = this.#currentSource;
                if (records.length > 0) {
                    throw new Error(`members of '${sourceName}' must be written together (after '${done}' started)`);
                }
            }
            this.#currentSource = sourceName;
            const p = path.endsWith('/') ? path.slice(0, -1) : path;
            if (!isSafeRelativePath(p)) {
                throw new SourceError(`cannot store member '${path}' of ${sourceName}: the path must be relative without '.' or '..' parts`);
            }
            if (paths.has(p))
                throw new SourceError(`member '${p}' of ${sourceName} was written twice`);
            const parts = p.split('/');
            for (let i = 1; i < parts.length; i++) {
                if (symlinks.has(parts.slice(0, i).join('/'))) {
                    throw new SourceError(`member '${p}' of ${sourceName} lies under a symlink member`);
                }
            }
            paths.add(p);
            return p;
        };
        const sink = {
            addFile: (path, body, meta) => this.#serialize(async () => {
                const p = begin(path);
                const record = await this.#writeFile(`${sourceName}/${p}`, p, body, meta);
                records.push(record);
                return record;
            }),
            addDirectory: (path, meta) => this.#serialize(async () => {
                const p = begin(path);
                const { mode, mtimeMs } = metaOf(meta, 0o755);
                await this.#push(encodeHeader({
                    name: `${sourceName}/${p}/`,
                    type: 'directory',
                    size: 0,
                    mode,
                    mtimeMs,
                }));
                const record = {
                    path: p,
                    type: 'directory',
                    mode,
                    mtime: new Date(mtimeMs).toISOString(),
                };
                records.push(record);
                return record;
            }),
            addSymlink: (path, target, meta) => this.#serialize(async () => {
                const p = begin(path);
                if (target === '' || target.includes('\0'))
                    throw new SourceError(`symlink '${p}' has an invalid target`);
                const { mode, mtimeMs } = metaOf(meta, 0o777);
                await this.#push(encodeHeader({
                    name: `${sourceName}/${p}`,
                    type: 'symlink',
                    size: 0,
                    mode,
                    mtimeMs,
                    linkname: target,
                }));
                symlinks.add(p);
                const record = {
                    path: p,
                    type: 'symlink',
                    mode,
                    mtime: new Date(mtimeMs).toISOString(),
                    linkTarget: target,
                };
                records.push(record);
                return record;
            }),
            records: () => records.map((r) => ({ ...r })),
        };
        return sink;
    }
    async #writeFile(entry, path, body, meta) {
        const { mode, mtimeMs } = metaOf(meta, 0o644);
        const memberHash = (0,external_node_crypto_.createHash)('sha256');
        const chunks = [];
        let total = 0;
        let pending = [];
        let pendingLen = 0;
        let fileSha = '';
        const emit = async (last) => {
            const n = chunks.length;
            const single = last && n === 0;
            const chunkHash = (0,external_node_crypto_.createHash)('sha256');
            for (const piece of pending) {
                chunkHash.update(piece);
                // A member of one chunk has the chunk's hash; only longer members need a second pass.
                if (!single)
                    memberHash.update(piece);
            }
            const sha256 = chunkHash.digest('hex');
            total += pendingLen;
            const name = single ? entry : partEntryName(entry, n);
            const records = [
                [`${PAX_VENDOR}.member`, path],
                [`${PAX_VENDOR}.part`, String(n)],
                [`${PAX_VENDOR}.sha256`, sha256],
            ];
            const chunk = { entry: name, size: pendingLen, sha256 };
            chunks.push(chunk);
            let memberSha;
            if (last) {
                memberSha = single ? sha256 : memberHash.digest('hex');
                records.push([`${PAX_VENDOR}.parts`, String(chunks.length)], [`${PAX_VENDOR}.size`, String(total)], [`${PAX_VENDOR}.member-sha256`, memberSha]);
            }
            await this.#push(encodeHeader({ name, type: 'file', size: pendingLen, mode, mtimeMs, records }));
            for (const piece of pending)
                await this.#push(piece);
            await this.#push(Buffer.alloc(paddingFor(pendingLen)));
            pending = [];
            pendingLen = 0;
            if (memberSha)
                fileSha = memberSha;
        };
        const take = async (input) => {
            let piece = input;
            // Emit a chunk only once a byte beyond it is known to exist: then no chunk is empty and
            // the last chunk is known when it is written.
            while (pendingLen + piece.length > this.chunkSize) {
                const need = this.chunkSize - pendingLen;
                pending.push(piece.subarray(0, need));
                pendingLen += need;
                piece = piece.subarray(need);
                await emit(false);
            }
            if (piece.length > 0) {
                pending.push(piece);
                pendingLen += piece.length;
            }
        };
        try {
            if (Buffer.isBuffer(body)) {
                await take(body);
            }
            else {
                for await (const piece of body)
                    await take(writer_toBuffer(piece));
            }
            await emit(true);
        }
        catch (err) {
            // Parts already written cannot be taken back: the archive is unusable from here on.
            if (chunks.length > 0)
                this.abort(err instanceof Error ? err : new Error(String(err)));
            throw err;
        }
        return {
            path,
            type: 'file',
            mode,
            mtime: new Date(mtimeMs).toISOString(),
            size: total,
            sha256: fileSha,
            chunks,
        };
    }
    /** Writes MANIFEST_ENTRY, then the tar end-of-archive blocks, and ends `stream`. */
    finish(manifest) {
        return this.#serialize(async () => {
            if (this.#state !== 'open') {
                throw new Error(this.#state === 'new'
                    ? 'write the archive header first'
                    : 'the archive is already finished');
            }
            this.#state = 'finished';
            await this.#writeJson(MANIFEST_ENTRY, manifest, false, manifest.finishedAt);
            await this.#push(END_OF_ARCHIVE);
            if (this.#failed)
                throw this.#failed;
            this.stream.push(null);
        });
    }
    /** Fails the stream (the consumer sees the error); used when a dump fails midway. */
    abort(err) {
        this.#state = 'finished';
        this.#failed ??= err;
        if (!this.stream.destroyed)
            this.stream.destroy(err);
        this.#wakeUp();
    }
}
function writer_toBuffer(piece) {
    if (Buffer.isBuffer(piece))
        return piece;
    if (piece instanceof Uint8Array)
        return Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (typeof piece === 'string')
        return Buffer.from(piece, 'utf8');
    throw new TypeError('a member body must produce bytes');
}
function metaOf(meta, defaultMode) {
    const mode = (meta?.mode ?? defaultMode) & 0o7777;
    const mtimeMs = (meta?.mtime ?? new Date()).getTime();
    if (!Number.isSafeInteger(mtimeMs))
        throw new SourceError('member mtime is not a valid date');
    return { mode, mtimeMs };
}

;// CONCATENATED MODULE: ./build/src/engine/url.js

/** The scheme of a source/target/destination URL ('sqlite' for 'sqlite:./x.db'), lower-cased. */
function schemeOf(url) {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url.trim());
    return m?.[1]?.toLowerCase();
}
/** Split `name=URL` lines; a bare URL gets no name. Blank lines and `#` comments are skipped. */
function parseNamedLines(value) {
    const lines = Array.isArray(value) ? value : (value ?? '').split(/\r?\n/);
    const out = [];
    for (const raw of lines) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const m = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)=(.+)$/.exec(line);
        if (m && !schemeOf(line)?.startsWith(m[1].toLowerCase()))
            out.push({ name: m[1], url: m[2].trim() });
        else
            out.push({ url: line });
    }
    return out;
}
/** Parse a `scheme://…` URL, or fail with a ConfigError naming the option. */
function parseUrl(option, url) {
    try {
        return new URL(url);
    }
    catch {
        throw new ConfigError(option, `malformed URL '${url}'`, {
            hint: 'write it as scheme://[user[:password]@]host[:port]/path; percent-encode special characters in the password',
        });
    }
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
;// CONCATENATED MODULE: ./build/src/sources/dir.js
/**
 * Directory source (`dir:<path>`, `dir:<glob>`, e.g. `dir:./uploads`, `dir:/var/data/*.csv`).
 *
 * Members are the tree itself: directories, regular files (streamed) and symlinks stored as
 * links, never followed, each with its mode and mtime, paths relative to the folder (for a glob:
 * to its static part). Restores extract into a staging folder beside the target and rename it
 * into place. Archives are hostile input: absolute paths, `..`, paths through a symlink and
 * symlinks leading out of the restored tree are refused before anything reaches the target.
 */







const GLOB_MAGIC = /[*?[\]{}]/;
function message(err) {
    return err instanceof Error ? err.message : String(err);
}
function errno(err) {
    return err?.code;
}
/** Relative paths are relative to the run's working directory, when the engine passes one. */
function workingDir(ctx) {
    const cwd = ctx.cwd;
    return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}
/** The absolute path (or glob) a `dir:` URL, or for targets a plain path, names. */
function dirPath(url, option, cwd = process.cwd()) {
    const raw = url.trim();
    const scheme = schemeOf(raw);
    let path;
    if (scheme === 'dir') {
        path = raw.slice('dir:'.length);
        if (path.startsWith('//')) {
            path = path.slice(2);
            if (!path.startsWith('/') && !path.startsWith('.')) {
                throw new ConfigError(option, `'${raw}' names a host; dir: is a local folder`, {
                    hint: 'write dir:./relative/folder or dir:/absolute/folder',
                });
            }
        }
    }
    else if (scheme && scheme.length > 1) {
        throw new ConfigError(option, `'${raw}' is not a dir: URL`, {
            hint: 'write dir:<folder>, e.g. dir:./restored',
        });
    }
    else {
        path = raw;
    }
    if (!path) {
        throw new ConfigError(option, `'${raw}' names no folder`, {
            hint: 'write dir:<folder or glob>, e.g. dir:./uploads or dir:/var/data/*.csv',
        });
    }
    return (0,external_node_path_.resolve)(cwd, path);
}
/** The leading segments of a glob that hold no pattern characters: what matches are relative to. */
function staticBase(pattern) {
    const segments = pattern.split('/');
    const fixed = [];
    for (const s of segments) {
        if (GLOB_MAGIC.test(s))
            break;
        fixed.push(s);
    }
    return fixed.join('/') || '/';
}
/** Exclude patterns from the `exclude` option (string[] or newline-separated text). */
function excludePatterns(value) {
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\r?\n/) : [];
    return list.map((p) => String(p).trim().replace(/^\.\//, '').replace(/\/+$/, '')).filter(Boolean);
}
/**
 * Whether a relative path is excluded: a pattern is matched against the whole relative path,
 * and a pattern without '/' also against the last name at any depth (as in .gitignore).
 */
function isExcluded(rel, patterns) {
    const name = external_node_path_.posix.basename(rel);
    return patterns.some((p) => (0,external_node_path_.matchesGlob)(rel, p) || (!p.includes('/') && (0,external_node_path_.matchesGlob)(name, p)));
}
async function lstatOrUndefined(path) {
    try {
        return await (0,promises_.lstat)(path);
    }
    catch (err) {
        if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR')
            return undefined;
        throw new SourceError(`cannot read ${path}: ${message(err)}`, { cause: err });
    }
}
async function resolveSpec(path) {
    const missing = (what) => new ConfigError('source', `${what} does not exist`, {
        hint: 'check the path (relative paths are relative to the working directory)',
    });
    // A literal name that happens to contain [ or { is still a literal name.
    const literal = await (0,promises_.stat)(path).catch(() => undefined);
    if (literal || !GLOB_MAGIC.test(path)) {
        if (!literal)
            throw missing(path);
        if (literal.isDirectory())
            return { base: path };
        return { base: (0,external_node_path_.dirname)(path), single: (0,external_node_path_.basename)(path) };
    }
    const base = staticBase(path);
    const st = await (0,promises_.stat)(base).catch(() => undefined);
    if (!st?.isDirectory())
        throw missing(`${base} (the folder of ${path})`);
    return { base, pattern: path };
}
/**
 * Everything a source names, parents before children, as lstat sees it (symlinks are never
 * followed; the base folder itself is). Excluded paths and their subtrees are left out;
 * sockets, FIFOs and devices and paths that vanish are skipped with a warning.
 */
async function* walkSource(spec, excludes, log) {
    const seen = new Set();
    async function* visit(abs, rel) {
        if (seen.has(rel))
            return;
        seen.add(rel);
        if (isExcluded(rel, excludes))
            return;
        const st = await lstatOrUndefined(abs);
        if (!st) {
            log.warn(`${abs} vanished while being backed up; skipped`);
            return;
        }
        if (!st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) {
            log.warn(`${abs} is not a regular file, folder or symlink (socket, FIFO or device); skipped`);
            return;
        }
        yield { abs, rel, st };
        if (st.isDirectory())
            yield* children(abs, rel);
    }
    async function* children(abs, rel) {
        let names;
        try {
            names = await (0,promises_.readdir)(abs);
        }
        catch (err) {
            if (errno(err) === 'ENOENT') {
                log.warn(`${abs} vanished while being backed up; skipped`);
                return;
            }
            throw new SourceError(`cannot list ${abs}: ${message(err)}`, { cause: err });
        }
        names.sort();
        for (const name of names)
            yield* visit((0,external_node_path_.join)(abs, name), rel ? `${rel}/${name}` : name);
    }
    if (spec.single !== undefined) {
        yield* visit((0,external_node_path_.join)(spec.base, spec.single), spec.single);
        return;
    }
    if (spec.pattern === undefined) {
        yield* children(spec.base, '');
        return;
    }
    const matches = [];
    for await (const m of (0,promises_.glob)(spec.pattern))
        matches.push(m);
    if (matches.length === 0) {
        throw new ConfigError('source', `${spec.pattern} matches nothing`, {
            hint: 'check the pattern; it is matched with fs.glob (hidden names need an explicit dot)',
        });
    }
    matches.sort();
    for (const m of matches) {
        const rel = (0,external_node_path_.relative)(spec.base, m).split(external_node_path_.sep).join('/');
        if (rel.startsWith('..'))
            continue;
        if (rel === '') {
            yield* children(spec.base, '');
            continue;
        }
        // The folders between the base and a match come first, so they keep their modes; a match
        // below a symlink or an excluded folder is left out.
        const parts = rel.split('/');
        let usable = true;
        for (let i = 1; i < parts.length && usable; i++) {
            const a = parts.slice(0, i).join('/');
            if (isExcluded(a, excludes))
                usable = false;
            else if (!seen.has(a)) {
                const abs = (0,external_node_path_.join)(spec.base, ...parts.slice(0, i));
                const st = await lstatOrUndefined(abs);
                if (!st?.isDirectory())
                    usable = false;
                else {
                    seen.add(a);
                    yield { abs, rel: a, st };
                }
            }
        }
        if (!usable) {
            log.warn(`${m} is below a symlink or an excluded folder; skipped`);
            continue;
        }
        yield* visit(m, rel);
    }
}
/** Whether a symlink at `rel` is absolute or, read lexically, climbs above the root. */
function escapesLexically(rel, target) {
    if (external_node_path_.posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target))
        return true;
    const joined = external_node_path_.posix.normalize(external_node_path_.posix.join(external_node_path_.posix.dirname(rel), target));
    return joined === '..' || joined.startsWith('../');
}
class DirSource {
    kind = 'dir';
    displayUrl;
    path;
    constructor(url, ctx) {
        this.path = dirPath(url, 'source', workingDir(ctx));
        this.displayUrl = `dir:${this.path}`;
    }
    async dump(sink, ctx) {
        const spec = await resolveSpec(this.path);
        const excludes = excludePatterns(ctx.options['exclude']);
        const counts = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
        ctx.log.info(`Reading ${this.path}${excludes.length ? ` (excluding ${excludes.join(', ')})` : ''}…`);
        let lastLog = Date.now();
        for await (const f of walkSource(spec, excludes, ctx.log)) {
            ctx.signal?.throwIfAborted();
            const meta = { mode: f.st.mode & 0o7777, mtime: f.st.mtime };
            if (f.st.isDirectory()) {
                await sink.addDirectory(f.rel, meta);
                counts.directories++;
            }
            else if (f.st.isSymbolicLink()) {
                let target;
                try {
                    target = await (0,promises_.readlink)(f.abs);
                }
                catch (err) {
                    if (errno(err) === 'ENOENT' || errno(err) === 'EINVAL') {
                        ctx.log.warn(`${f.abs} changed while being backed up; skipped`);
                        continue;
                    }
                    throw new SourceError(`cannot read the link ${f.abs}: ${message(err)}`, { cause: err });
                }
                if (escapesLexically(f.rel, target)) {
                    ctx.log.warn(`${f.abs} links outside the folder (-> ${target}); it is stored, but restores refuse such links`);
                }
                await sink.addSymlink(f.rel, target, meta);
                counts.symlinks++;
            }
            else {
                const size = await addFile(sink, f, ctx.log);
                if (size !== undefined) {
                    counts.files++;
                    counts.bytes += size;
                }
            }
            if (Date.now() - lastLog > 10_000) {
                lastLog = Date.now();
                ctx.log.info(`  ${counts.files} files, ${formatBytes(counts.bytes)} so far…`);
            }
        }
        ctx.log.info(`${this.path}: ${counts.files} files, ${counts.directories} folders, ${counts.symlinks} symlinks, ${formatBytes(counts.bytes)}`);
        return {
            versions: {},
            inventory: {
                files: counts.files,
                totalBytes: counts.bytes,
                extra: { directories: counts.directories, symlinks: counts.symlinks },
            },
            details: spec.pattern ? { glob: true } : {},
        };
    }
}
/**
 * Streams one regular file into the sink. It is opened without following links (what was
 * listed as a file might be something else by now) and read up to the size it had when opened,
 * so a file that keeps growing still ends. Returns the bytes stored, or undefined if skipped.
 */
async function addFile(sink, f, log) {
    let handle;
    try {
        handle = await (0,promises_.open)(f.abs, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK);
    }
    catch (err) {
        if (errno(err) === 'ENOENT' || errno(err) === 'ELOOP' || errno(err) === 'ENXIO') {
            log.warn(`${f.abs} vanished or changed type while being backed up; skipped`);
            return undefined;
        }
        throw new SourceError(`cannot open ${f.abs}: ${message(err)}`, { cause: err });
    }
    try {
        const st = await handle.stat();
        if (!st.isFile()) {
            log.warn(`${f.abs} is no longer a regular file; skipped`);
            return undefined;
        }
        const body = st.size === 0
            ? Buffer.alloc(0)
            : handle.createReadStream({ start: 0, end: st.size - 1, autoClose: false });
        const record = await sink.addFile(f.rel, body, { mode: st.mode & 0o7777, mtime: st.mtime });
        const after = await handle.stat();
        if (after.mtimeMs !== st.mtimeMs || after.size !== st.size || record.size !== st.size) {
            log.warn(`${f.abs} changed while being read; the backup holds the bytes read`);
        }
        return record.size ?? st.size;
    }
    finally {
        await handle.close();
    }
}
/** Checks a member path from an archive: relative, canonical, no '..'. Returns it without a trailing '/'. */
function checkMemberPath(path) {
    const p = path.replace(/\/+$/, '');
    const bad = (why) => new IntegrityError(`refusing archive member '${path}': ${why}`);
    if (!p || p.includes('\0'))
        throw bad('empty or invalid name');
    if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p))
        throw bad('absolute path');
    if (process.platform === 'win32' && p.includes('\\'))
        throw bad('backslash in a path');
    for (const s of p.split('/')) {
        if (s === '..')
            throw bad("'..' leads out of the restore folder");
        if (s === '' || s === '.')
            throw bad('not a canonical relative path');
    }
    return p;
}
/**
 * Follows a symlink target through the links of the restored tree (`links`: path → target),
 * segment by segment as the OS would. False when it ever climbs above the root, is absolute or
 * loops: lexical checks alone miss `a -> .` followed by `b -> a/x/../..`.
 */
function staysInside(links, linkPath) {
    let hops = 0;
    const walk = (from, target) => {
        if (target === '' || external_node_path_.posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target))
            return undefined;
        let at = [...from];
        for (const s of target.split('/')) {
            if (s === '' || s === '.')
                continue;
            if (s === '..') {
                if (at.length === 0)
                    return undefined;
                at.pop();
                continue;
            }
            at.push(s);
            const next = links.get(at.join('/'));
            if (next !== undefined) {
                if (++hops > 40)
                    return undefined;
                const resolved = walk(at.slice(0, -1), next);
                if (!resolved)
                    return undefined;
                at = resolved;
            }
        }
        return at;
    };
    const target = links.get(linkPath);
    if (target === undefined)
        return true;
    return walk(linkPath.split('/').slice(0, -1), target) !== undefined;
}
/**
 * The rules every member of a dir source must follow, shared by restore and verify: safe
 * paths, each once, nothing below a symlink or a file, links that stay inside.
 */
class TreeRules {
    links = new Map();
    types = new Map();
    /** Folders made only as parents of later members; a directory member may still name them. */
    implicit = new Set();
    admit(m) {
        const rel = checkMemberPath(m.path);
        if (m.type !== 'file' && m.type !== 'directory' && m.type !== 'symlink') {
            throw new IntegrityError(`refusing archive member '${m.path}': unsupported type ${String(m.type)}`);
        }
        if (this.types.has(rel) || (this.implicit.has(rel) && m.type !== 'directory')) {
            throw new IntegrityError(`refusing archive member '${m.path}': it appears twice`);
        }
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
            const a = parts.slice(0, i).join('/');
            const t = this.types.get(a);
            if (t === 'symlink') {
                throw new IntegrityError(`refusing archive member '${m.path}': it goes through the symlink '${a}'`);
            }
            if (t === 'file') {
                throw new IntegrityError(`refusing archive member '${m.path}': '${a}' is a file`);
            }
            if (t === undefined)
                this.implicit.add(a);
        }
        if (m.type === 'file' && !m.body) {
            throw new IntegrityError(`archive member '${m.path}' is a file without content`);
        }
        if (m.type === 'symlink') {
            const target = m.linkTarget ?? '';
            if (!target || target.includes('\0') || escapesLexically(rel, target)) {
                throw new IntegrityError(`refusing symlink '${m.path}' -> '${target}': it points outside the restored folder`);
            }
            this.links.set(rel, target);
            if (!staysInside(this.links, rel)) {
                throw new IntegrityError(`refusing symlink '${m.path}' -> '${target}': it leads outside the restored folder`);
            }
        }
        this.types.set(rel, m.type);
        return rel;
    }
    /** Links added later can make an earlier one escape; checked once the tree is complete. */
    finish() {
        for (const [rel, target] of this.links) {
            if (!staysInside(this.links, rel)) {
                throw new IntegrityError(`refusing symlink '${rel}' -> '${target}': through other links it leads outside the restored folder`);
            }
        }
    }
}
function checkAgainstManifest(inventory, counts) {
    if (typeof inventory?.files === 'number' && inventory.files !== counts.files) {
        throw new IntegrityError(`the archive holds ${counts.files} files, the manifest says ${inventory.files}`);
    }
    if (typeof inventory?.totalBytes === 'number' && inventory.totalBytes !== counts.bytes) {
        throw new IntegrityError(`the archive holds ${counts.bytes} bytes of files, the manifest says ${inventory.totalBytes}`);
    }
}
/**
 * Makes the folders above a member one by one, refusing any that is not a real folder. The
 * rules already refuse paths through links they know of; this also holds on case-insensitive
 * filesystems, where 'Link/x' would otherwise go through a link named 'link'.
 */
async function ensureParents(root, rel, made) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
        const a = parts.slice(0, i).join('/');
        if (made.has(a))
            continue;
        const abs = (0,external_node_path_.join)(root, ...parts.slice(0, i));
        try {
            await (0,promises_.mkdir)(abs, { mode: 0o700 });
        }
        catch (err) {
            if (errno(err) !== 'EEXIST')
                throw err;
            if (!(await (0,promises_.lstat)(abs)).isDirectory()) {
                throw new IntegrityError(`refusing archive member '${rel}': '${a}' is not a folder`);
            }
        }
        made.add(a);
    }
}
/** Writes the members under `root` (a fresh, private folder). Throws on the first bad member. */
async function extractInto(root, members, ctx) {
    const rules = new TreeRules();
    const counts = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
    const dirs = [];
    const made = new Set();
    for await (const m of members) {
        ctx.signal?.throwIfAborted();
        const rel = rules.admit(m);
        const abs = (0,external_node_path_.join)(root, ...rel.split('/'));
        await ensureParents(root, rel, made);
        if (m.type === 'directory') {
            if (!made.has(rel)) {
                try {
                    await (0,promises_.mkdir)(abs, { mode: 0o700 });
                }
                catch (err) {
                    // Already made as the parent of an earlier member: fine, as long as it is a folder.
                    if (errno(err) !== 'EEXIST' || !(await (0,promises_.lstat)(abs)).isDirectory())
                        throw err;
                }
                made.add(rel);
            }
            dirs.push({ abs, depth: rel.split('/').length, mode: m.mode, mtime: m.mtime });
            counts.directories++;
        }
        else if (m.type === 'symlink') {
            await (0,promises_.symlink)(m.linkTarget, abs);
            await (0,promises_.lutimes)(abs, m.mtime, m.mtime);
            counts.symlinks++;
        }
        else {
            const handle = await (0,promises_.open)(abs, external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_EXCL | external_node_fs_.constants.O_NOFOLLOW, 0o600);
            try {
                const out = (0,external_node_fs_.createWriteStream)(abs, { fd: handle.fd, autoClose: false });
                await (0,external_node_stream_promises_.pipeline)(m.body, out);
                await handle.chmod(m.mode & 0o777);
                await handle.utimes(m.mtime, m.mtime);
                counts.files++;
                counts.bytes += out.bytesWritten;
            }
            finally {
                await handle.close();
            }
        }
    }
    rules.finish();
    // Folders last and deepest first: writing into a folder changes its mtime, and a read-only
    // folder would refuse its own content.
    dirs.sort((a, b) => b.depth - a.depth);
    for (const d of dirs) {
        await (0,promises_.chmod)(d.abs, d.mode & 0o1777);
        await (0,promises_.utimes)(d.abs, d.mtime, d.mtime);
    }
    return counts;
}
function timestamp() {
    return new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
}
async function restoreDir(members, request, ctx) {
    const target = dirPath(request.target, 'target', workingDir(ctx));
    const location = `dir:${target}`;
    const existing = await (0,promises_.lstat)(target).catch((err) => {
        if (errno(err) === 'ENOENT')
            return undefined;
        throw new SourceError(`cannot read ${target}: ${message(err)}`, { cause: err });
    });
    let replace = false;
    if (existing) {
        if (!existing.isDirectory()) {
            throw new ConfigError('target', `${target} exists and is not a folder`, {
                hint: 'choose a new or empty folder',
            });
        }
        if ((await (0,promises_.readdir)(target)).length > 0) {
            if (!request.overwrite) {
                throw new ConfigError('target', `${target} is not empty`, {
                    hint: 'pass overwrite: true or choose a new or empty folder',
                });
            }
            replace = true;
        }
    }
    const parent = (0,external_node_path_.dirname)(target);
    await (0,promises_.mkdir)(parent, { recursive: true });
    const staging = await (0,promises_.mkdtemp)((0,external_node_path_.join)(parent, `.${(0,external_node_path_.basename)(target)}.lifeboat-staging-`));
    let counts;
    try {
        counts = await extractInto(staging, members, ctx);
        checkAgainstManifest(request.manifest.inventory, counts);
        await (0,promises_.chmod)(staging, existing ? existing.mode & 0o1777 : 0o755);
    }
    catch (err) {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
        if (err instanceof errors_LifeboatError)
            throw err;
        throw new SourceError(`restoring into ${target} failed: ${message(err)}`, { cause: err });
    }
    if (!replace) {
        try {
            // rename() replaces an empty folder in one step.
            await (0,promises_.rename)(staging, target);
        }
        catch (err) {
            await (0,promises_.rm)(staging, { recursive: true, force: true });
            throw new SourceError(`cannot move the restored folder to ${target}: ${message(err)}`, {
                cause: err,
            });
        }
    }
    else {
        const previous = `${target}.lifeboat-previous-${timestamp()}`;
        try {
            await (0,promises_.rename)(target, previous);
        }
        catch (err) {
            await (0,promises_.rm)(staging, { recursive: true, force: true });
            throw new SourceError(`cannot move ${target} aside: ${message(err)}`, { cause: err });
        }
        try {
            await (0,promises_.rename)(staging, target);
        }
        catch (err) {
            await (0,promises_.rename)(previous, target).catch((e) => {
                throw new SourceError(`restore into ${target} failed (${message(err)}) and the previous folder could not be put back (${message(e)})`, { cause: err, hint: `move ${previous} back to ${target} by hand` });
            });
            await (0,promises_.rm)(staging, { recursive: true, force: true });
            throw new SourceError(`cannot move the restored folder to ${target}: ${message(err)}; the previous folder is back`, {
                cause: err,
            });
        }
        try {
            await (0,promises_.rm)(previous, { recursive: true, force: true });
        }
        catch (err) {
            ctx.log.warn(`the previous content of ${target} is left in ${previous}: ${message(err)}`);
        }
    }
    ctx.log.info(`Restored ${counts.files} files (${formatBytes(counts.bytes)}) into ${target}${replace ? ', replacing its previous content' : ''}`);
    const result = {
        location,
        inventory: {
            files: counts.files,
            totalBytes: counts.bytes,
            extra: { directories: counts.directories, symlinks: counts.symlinks },
        },
    };
    if (replace)
        result.notes = [`${target} was overwritten`];
    return result;
}
/** Structural check without writing anything: the same path and link rules as a restore. */
async function verifyDir(members, manifest, ctx) {
    const rules = new TreeRules();
    const counts = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
    for await (const m of members) {
        ctx.signal?.throwIfAborted();
        rules.admit(m);
        if (m.type === 'file') {
            counts.files++;
            for await (const chunk of m.body)
                counts.bytes += chunk.length;
        }
        else if (m.type === 'directory')
            counts.directories++;
        else
            counts.symlinks++;
    }
    rules.finish();
    checkAgainstManifest(manifest.inventory, counts);
}
async function inventoryDir(url, ctx) {
    const path = dirPath(url, 'target', workingDir(ctx));
    const spec = await resolveSpec(path).catch((err) => {
        if (err instanceof ConfigError)
            throw new ConfigError('target', `${path} does not exist`);
        throw err;
    });
    const counts = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
    for await (const f of walkSource(spec, [], ctx.log)) {
        if (f.st.isFile()) {
            counts.files++;
            counts.bytes += f.st.size;
        }
        else if (f.st.isDirectory())
            counts.directories++;
        else
            counts.symlinks++;
    }
    return {
        files: counts.files,
        totalBytes: counts.bytes,
        extra: { directories: counts.directories, symlinks: counts.symlinks },
    };
}
const dirDriver = {
    kind: 'dir',
    schemes: ['dir'],
    open: (url, ctx) => new DirSource(url, ctx),
    restore: restoreDir,
    verify: verifyDir,
    inventory: inventoryDir,
};

// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(80099);
;// CONCATENATED MODULE: ./build/src/sources/sqlite.js
/**
 * SQLite source (`sqlite:<path>`, `sqlite:///abs/path`).
 *
 * One member, `database.sqlite`: a copy made with SQLite's online backup API (node:sqlite
 * `backup()`), so it is a consistent snapshot even while other processes write, WAL included.
 * The copy must pass `PRAGMA integrity_check` before it goes into the archive, and again (with
 * row counts compared to the manifest) before a restore puts it in place.
 */









const SQLITE_MEMBER = 'database.sqlite';
/** Files SQLite keeps beside a database; they belong to it and move with it. */
const SIDECARS = ['-wal', '-shm', '-journal'];
/** Relative paths are relative to the run's working directory, when the engine passes one. */
function sqlite_workingDir(ctx) {
    const cwd = ctx.cwd;
    return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}
/**
 * The file a `sqlite:` URL (or, for targets, a plain path) names, absolute. Relative paths are
 * relative to the working directory.
 */
function sqlitePath(url, option, cwd = process.cwd()) {
    const raw = url.trim();
    const scheme = schemeOf(raw);
    let path;
    if (scheme === 'sqlite') {
        path = raw.slice('sqlite:'.length);
        if (path.startsWith('//')) {
            path = path.slice(2);
            if (!path.startsWith('/') && !path.startsWith('.')) {
                throw new ConfigError(option, `'${raw}' names a host; SQLite databases are local files`, {
                    hint: 'write sqlite:./relative/path.db or sqlite:///absolute/path.db',
                });
            }
        }
    }
    else if (scheme && scheme.length > 1) {
        throw new ConfigError(option, `'${raw}' is not a sqlite: URL`, {
            hint: 'write sqlite:<path to the database file>',
        });
    }
    else {
        path = raw;
    }
    if (!path) {
        throw new ConfigError(option, `'${raw}' names no file`, {
            hint: 'write sqlite:<path to the database file>, e.g. sqlite:./app.db',
        });
    }
    return (0,external_node_path_.resolve)(cwd, path);
}
/** A SQLite error code (SQLITE_NOTADB = 26, SQLITE_CORRUPT = 11) from a node:sqlite error. */
function sqliteErrcode(err) {
    const code = err?.errcode;
    return typeof code === 'number' ? code & 0xff : undefined;
}
function isNotADatabase(err) {
    const code = sqliteErrcode(err);
    return code === 26 || code === 11;
}
function sqlite_message(err) {
    return err instanceof Error ? err.message : String(err);
}
function quoteIdent(name) {
    return `"${name.replaceAll('"', '""')}"`;
}
/** `PRAGMA integrity_check`: undefined when 'ok', else the first problems it reports. */
function integrityProblem(db) {
    const rows = db.prepare('PRAGMA integrity_check(20)').all();
    const lines = rows.map((r) => String(Object.values(r)[0]));
    if (lines.length === 1 && lines[0] === 'ok')
        return undefined;
    return lines.slice(0, 5).join('; ') || 'no result';
}
/** User tables with exact row counts (SQLite's own sqlite_* tables left out), sorted by name. */
function tableCounts(db) {
    const names = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .all()
        .map((r) => String(r.name));
    return names.map((name) => {
        const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(name)}`).get();
        return { name, rows: Number(row.n) };
    });
}
function pragmaValue(db, pragma) {
    const row = db.prepare(`PRAGMA ${pragma}`).get();
    return row ? String(Object.values(row)[0]) : '';
}
/** Differences between the counted tables and the manifest's inventory; empty when they agree. */
function inventoryDifferences(expected, actual) {
    const want = expected?.tables;
    if (!want)
        return [];
    const problems = [];
    const got = new Map(actual.map((t) => [t.name, t.rows]));
    for (const t of want) {
        const rows = got.get(t.name);
        if (rows === undefined)
            problems.push(`table ${t.name} is missing`);
        else if (!t.estimated && rows !== t.rows)
            problems.push(`table ${t.name} has ${rows} rows, the manifest says ${t.rows}`);
    }
    const listed = new Set(want.map((t) => t.name));
    for (const t of actual)
        if (!listed.has(t.name))
            problems.push(`table ${t.name} is not in the manifest`);
    return problems;
}
async function exists(path) {
    try {
        await (0,promises_.lstat)(path);
        return true;
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return false;
        throw err;
    }
}
async function removeWithSidecars(path) {
    for (const p of [path, ...SIDECARS.map((s) => path + s)])
        await (0,promises_.rm)(p, { force: true });
}
async function fsyncDir(dir) {
    try {
        const h = await (0,promises_.open)(dir, 'r');
        try {
            await h.sync();
        }
        finally {
            await h.close();
        }
    }
    catch {
        // Not every filesystem lets a directory be fsynced; the renames are still atomic.
    }
}
/**
 * Opens a database file that must already exist (node:sqlite would otherwise create it) and
 * checks it really is SQLite by reading its schema.
 */
function openExisting(path, readOnly) {
    const db = new external_node_sqlite_.DatabaseSync(path, { readOnly, timeout: 30_000 });
    try {
        db.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
    catch (err) {
        db.close();
        throw err;
    }
    return db;
}
/**
 * Opens a copy we own, runs integrity_check and counts rows. Throws `fail(reason)` on anything
 * wrong, including a file that is not a database at all. Leaves no -wal/-shm behind.
 */
function checkCopy(path, fail) {
    let db;
    try {
        db = openExisting(path, false);
        const problem = integrityProblem(db);
        if (problem)
            throw fail(`integrity_check failed: ${problem}`);
        return {
            tables: tableCounts(db),
            pageSize: Number(pragmaValue(db, 'page_size')),
            journalMode: pragmaValue(db, 'journal_mode'),
        };
    }
    catch (err) {
        if (err instanceof errors_LifeboatError)
            throw err;
        if (isNotADatabase(err))
            throw fail(`not a valid SQLite database (${sqlite_message(err)})`);
        throw fail(sqlite_message(err));
    }
    finally {
        db?.close();
    }
}
class SqliteSource {
    kind = 'sqlite';
    displayUrl;
    path;
    constructor(url, ctx) {
        this.path = sqlitePath(url, 'source', sqlite_workingDir(ctx));
        this.displayUrl = `sqlite:${this.path}`;
    }
    async dump(sink, ctx) {
        const st = await (0,promises_.stat)(this.path).catch((err) => {
            if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
                throw new ConfigError('source', `SQLite database ${this.path} does not exist`, {
                    hint: 'check the path (relative paths are relative to the working directory)',
                });
            }
            throw new SourceError(`cannot read ${this.path}: ${sqlite_message(err)}`, { cause: err });
        });
        if (!st.isFile()) {
            throw new ConfigError('source', `${this.path} is not a file`, {
                hint: 'name the SQLite database file itself; use dir: for a folder',
            });
        }
        const copy = (0,external_node_path_.join)(ctx.tmpDir, `sqlite-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.sqlite`);
        let source;
        try {
            let sourceJournalMode;
            try {
                source = openExisting(this.path, true);
                sourceJournalMode = pragmaValue(source, 'journal_mode');
                ctx.log.info(`Copying SQLite database ${this.path} (${formatBytes(st.size)}) online…`);
                // All pages in one step: SQLite restarts a stepped backup whenever another process
                // writes, which under steady writes may never finish. One step reads one snapshot
                // (in WAL mode writers carry on meanwhile).
                await (0,external_node_sqlite_.backup)(source, copy, { rate: -1 });
            }
            catch (err) {
                if (isNotADatabase(err)) {
                    throw new SourceError(`${this.path} is not a valid SQLite database: ${sqlite_message(err)}`, {
                        cause: err,
                        hint: 'point source at a SQLite database file',
                    });
                }
                throw new SourceError(`copying ${this.path} failed: ${sqlite_message(err)}`, { cause: err });
            }
            finally {
                source?.close();
                source = undefined;
            }
            const checked = checkCopy(copy, (reason) => new SourceError(`SQLite database ${this.path} is corrupt: ${reason}`, {
                hint: 'repair the database (sqlite3 .recover) before backing it up',
            }));
            for (const s of SIDECARS)
                await (0,promises_.rm)(copy + s, { force: true });
            const size = (await (0,promises_.stat)(copy)).size;
            await sink.addFile(SQLITE_MEMBER, (0,external_node_fs_.createReadStream)(copy), { mode: 0o600, mtime: st.mtime });
            const db = new external_node_sqlite_.DatabaseSync(':memory:');
            const version = String(db.prepare('SELECT sqlite_version() AS v').get().v);
            db.close();
            ctx.log.info(`SQLite ${this.path}: ${checked.tables.length} tables, ${formatBytes(size)}, integrity ok`);
            return {
                versions: { sqlite: version },
                inventory: { tables: checked.tables, totalBytes: size, files: 1 },
                details: {
                    pageSize: checked.pageSize,
                    journalMode: sourceJournalMode,
                    sqliteVersion: version,
                },
            };
        }
        finally {
            source?.close();
            await removeWithSidecars(copy);
        }
    }
}
/**
 * Reads the source folder's members: exactly one, `database.sqlite`, written to `path`
 * (created exclusively, fsynced). Anything else in the folder is an IntegrityError.
 */
async function writeMember(members, path) {
    let found = false;
    let mode = 0o600;
    for await (const m of members) {
        if (m.path !== SQLITE_MEMBER || m.type !== 'file' || !m.body || found) {
            throw new IntegrityError(`unexpected member '${m.path}' (${m.type}) in a sqlite backup; expected one file ${SQLITE_MEMBER}`);
        }
        found = true;
        mode = m.mode & 0o777 || 0o600;
        const handle = await (0,promises_.open)(path, 'wx', 0o600);
        try {
            await (0,external_node_stream_promises_.pipeline)(m.body, (0,external_node_fs_.createWriteStream)(path, { fd: handle.fd, autoClose: false }));
            await handle.sync();
        }
        finally {
            await handle.close();
        }
    }
    if (!found)
        throw new IntegrityError(`the backup holds no ${SQLITE_MEMBER}`);
    return mode;
}
function sqlite_timestamp() {
    return new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
}
/**
 * Puts `tmp` in place of an existing database. The previous database and its -wal/-shm (which
 * hold part of its data) are kept aside until `check` passes on the file in place, and put back
 * if anything fails; on success they are removed.
 */
async function replaceDatabase(tmp, target, check) {
    const previous = `${target}.lifeboat-previous-${sqlite_timestamp()}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
    const moved = [];
    let placed = false;
    try {
        for (const s of ['', ...SIDECARS]) {
            if (await exists(target + s)) {
                await (0,promises_.rename)(target + s, previous + s);
                moved.push([target + s, previous + s]);
            }
        }
        await (0,promises_.rename)(tmp, target);
        placed = true;
        check(target);
    }
    catch (err) {
        await removeWithSidecars(tmp);
        if (placed)
            await removeWithSidecars(target);
        const putBack = [];
        for (const [from, to] of moved) {
            try {
                await (0,promises_.rename)(to, from);
            }
            catch (e) {
                putBack.push(`${to} (${sqlite_message(e)})`);
            }
        }
        if (putBack.length) {
            throw new SourceError(`restore into ${target} failed (${sqlite_message(err)}) and the previous database could not be put back: ${putBack.join(', ')}`, { cause: err, hint: `move ${previous} back to ${target} by hand` });
        }
        if (err instanceof errors_LifeboatError)
            throw err;
        throw new SourceError(`restore into ${target} failed: ${sqlite_message(err)}; the previous database is back in place`, { cause: err });
    }
    await fsyncDir((0,external_node_path_.dirname)(target));
    await removeWithSidecars(previous);
}
async function restoreSqlite(members, request, ctx) {
    const target = sqlitePath(request.target, 'target', sqlite_workingDir(ctx));
    const location = `sqlite:${target}`;
    const targetSt = await (0,promises_.lstat)(target).catch(() => undefined);
    if (targetSt?.isDirectory()) {
        throw new ConfigError('target', `${target} is a directory`, {
            hint: 'name the database file to create, e.g. sqlite:./restored.db',
        });
    }
    const present = [];
    for (const p of [target, ...SIDECARS.map((s) => target + s)])
        if (await exists(p))
            present.push(p);
    if (present.length && !request.overwrite) {
        throw new ConfigError('target', `${present[0]} exists`, {
            hint: 'pass overwrite: true or choose a new file',
        });
    }
    const dir = (0,external_node_path_.dirname)(target);
    await (0,promises_.mkdir)(dir, { recursive: true });
    const tmp = (0,external_node_path_.join)(dir, `.${(0,external_node_path_.basename)(target)}.lifeboat-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.tmp`);
    let checked;
    try {
        const mode = await writeMember(members, tmp);
        checked = checkCopy(tmp, (reason) => new IntegrityError(`the restored copy of ${SQLITE_MEMBER} is unusable: ${reason}`));
        const diff = inventoryDifferences(request.manifest.inventory, checked.tables);
        if (diff.length) {
            throw new IntegrityError(`the restored database does not match the manifest: ${diff.slice(0, 5).join('; ')}`);
        }
        await (0,promises_.chmod)(tmp, mode);
    }
    catch (err) {
        await removeWithSidecars(tmp);
        throw err;
    }
    if (!present.length) {
        try {
            await (0,promises_.rename)(tmp, target);
        }
        catch (err) {
            await removeWithSidecars(tmp);
            throw new SourceError(`cannot move the restored database to ${target}: ${sqlite_message(err)}`, {
                cause: err,
            });
        }
        await fsyncDir(dir);
        ctx.log.info(`Restored SQLite database to ${target}`);
        return { location, inventory: { tables: checked.tables } };
    }
    await replaceDatabase(tmp, target, (path) => checkCopy(path, (reason) => new IntegrityError(`the database now at ${target} failed its check: ${reason}`)));
    ctx.log.info(`Restored SQLite database over ${target} (the previous one was replaced)`);
    return {
        location,
        inventory: { tables: checked.tables },
        notes: [`${target} was overwritten`],
    };
}
async function verifySqlite(members, manifest, ctx) {
    const tmp = (0,external_node_path_.join)(ctx.tmpDir, `verify-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.sqlite`);
    try {
        await writeMember(members, tmp);
        const checked = checkCopy(tmp, (reason) => new IntegrityError(`${manifest.name}/${SQLITE_MEMBER}: ${reason}`));
        const diff = inventoryDifferences(manifest.inventory, checked.tables);
        if (diff.length) {
            throw new IntegrityError(`${manifest.name}/${SQLITE_MEMBER} does not match the manifest: ${diff.slice(0, 5).join('; ')}`);
        }
    }
    finally {
        await removeWithSidecars(tmp);
    }
}
async function inventorySqlite(url, ctx) {
    const path = sqlitePath(url, 'target', sqlite_workingDir(ctx));
    if (!(await exists(path))) {
        throw new ConfigError('target', `SQLite database ${path} does not exist`);
    }
    let db;
    try {
        db = openExisting(path, true);
        return { tables: tableCounts(db) };
    }
    catch (err) {
        if (isNotADatabase(err)) {
            throw new SourceError(`${path} is not a valid SQLite database: ${sqlite_message(err)}`, {
                cause: err,
            });
        }
        throw new SourceError(`cannot read ${path}: ${sqlite_message(err)}`, { cause: err });
    }
    finally {
        db?.close();
    }
}
const sqliteDriver = {
    kind: 'sqlite',
    schemes: ['sqlite'],
    open: (url, ctx) => new SqliteSource(url, ctx),
    restore: restoreSqlite,
    verify: verifySqlite,
    inventory: inventorySqlite,
};

// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(83849);
;// CONCATENATED MODULE: ./build/src/sources/postgres-tools.js
/**
 * Finding PostgreSQL client programs (pg_dump, pg_dumpall, pg_restore, psql) of the right major
 * version, and the dump-format facts that decide which pg_restore can read which dump.
 *
 * pg_dump refuses to dump a server newer than itself, and pg_restore cannot read an archive
 * written by a pg_dump whose archive format is newer than its own. So the dump side picks the
 * oldest client at least as new as the server (its dumps stay readable by the most
 * pg_restores), the restore side the newest client there is.
 */




/** Parse `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → { version, major }. */
function parseToolVersion(output) {
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?([a-z]+\d*)?/.exec(output);
    if (!m)
        return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? undefined : Number(m[2]);
    const version = [m[1], m[2], m[3]].filter((x) => x !== undefined).join('.') + (m[4] ?? '');
    const major = a >= 10 ? a : a + (b ?? 0) / 10;
    return { version, major };
}
/** Major version from `server_version_num` (150020 → 15, 90624 → 9.6). */
function majorOfVersionNum(num) {
    return num >= 100000
        ? Math.floor(num / 10000)
        : Math.floor(num / 10000) + (Math.floor(num / 100) % 100) / 10;
}
/** The archive format version (major, minor) pg_dump of a given major writes. */
function archiveVersionWrittenBy(major) {
    if (major >= 17)
        return [1, 16];
    if (major >= 16)
        return [1, 15];
    if (major >= 12)
        return [1, 14];
    if (major >= 9)
        return [1, 13];
    return [1, 12];
}
/** The newest archive format version pg_restore of a given major reads (its own). */
function archiveVersionReadBy(major) {
    return archiveVersionWrittenBy(major);
}
function compareArchiveVersions(a, b) {
    return a[0] - b[0] || a[1] - b[1];
}
function formatArchiveVersion(v) {
    return `${v[0]}.${v[1]}${v[2] === undefined ? '' : `.${v[2]}`}`;
}
/**
 * Read the header of a custom-format dump: 'PGDMP' then the archive version bytes
 * (major, minor, revision). Undefined when the bytes are not a custom-format dump.
 */
function parseDumpHeader(head) {
    if (head.length < 8 || head.subarray(0, 5).toString('latin1') !== 'PGDMP')
        return undefined;
    return [head[5], head[6], head[7]];
}
/** Folders where client programs usually live, most specific first (pg-bin, PATH, per-version installs). */
async function candidateDirs(env, pgBin) {
    const dirs = [];
    if (pgBin)
        dirs.push(pgBin);
    for (const d of (env.PATH ?? '').split(external_node_path_.delimiter))
        if (d)
            dirs.push(d);
    const versioned = [
        ['/usr/lib/postgresql', /^\d+(\.\d+)?$/, (v) => `/usr/lib/postgresql/${v}/bin`],
        ['/usr', /^pgsql-\d+(\.\d+)?$/, (v) => `/usr/${v}/bin`],
        ['/opt/homebrew/opt', /^postgresql@\d+(\.\d+)?$/, (v) => `/opt/homebrew/opt/${v}/bin`],
        ['/usr/local/opt', /^postgresql@\d+(\.\d+)?$/, (v) => `/usr/local/opt/${v}/bin`],
    ];
    for (const [parent, pattern, bin] of versioned) {
        const names = await (0,promises_.readdir)(parent).catch(() => []);
        for (const n of names.filter((x) => pattern.test(x)).sort())
            dirs.push(bin(n));
    }
    return dirs;
}
function versionOf(path, env) {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)(path, ['--version'], { env, timeout: 15_000 }, (err, stdout) => resolve(err ? undefined : stdout));
    });
}
/** Every distinct program named `tool` in the candidate folders, with its version. */
async function findClients(tool, env, pgBin) {
    const found = [];
    const seen = new Set();
    for (const dir of await candidateDirs(env, pgBin)) {
        const path = (0,external_node_path_.join)(dir, tool);
        try {
            await (0,promises_.access)(path, promises_.constants.X_OK);
        }
        catch {
            continue;
        }
        let real = path;
        try {
            real = await (0,promises_.realpath)(path);
        }
        catch {
            // keep the path as given
        }
        const out = await versionOf(path, env);
        const parsed = out ? parseToolVersion(out) : undefined;
        if (!parsed)
            continue;
        // Debian's /usr/bin wrappers and the versioned folders can resolve to the same program.
        const key = `${real}|${parsed.version}`;
        if (seen.has(key))
            continue;
        seen.add(key);
        found.push({ tool, path, dir, ...parsed, fromPgBin: pgBin !== undefined && dir === pgBin });
    }
    return found;
}
/**
 * The client to dump a server of `serverMajor` with: one from pg-bin when it is new enough,
 * otherwise the oldest client whose major is at least the server's.
 */
function pickDumpClient(clients, serverMajor) {
    const fit = clients.filter((c) => c.major >= serverMajor);
    const own = fit.find((c) => c.fromPgBin);
    if (own)
        return own;
    return [...fit].sort((a, b) => a.major - b.major)[0];
}
/** The client to read a dump of archive version `archive` with: pg-bin when it can, else the newest that can. */
function pickRestoreClient(clients, archive) {
    const fit = clients.filter((c) => compareArchiveVersions(archiveVersionReadBy(c.major), archive) >= 0);
    const own = fit.find((c) => c.fromPgBin);
    if (own)
        return own;
    return [...fit].sort((a, b) => b.major - a.major)[0];
}
function listClients(clients) {
    return clients.length ? clients.map((c) => `${c.version} (${c.path})`).join(', ') : 'none';
}
function pgBinOption(ctx) {
    const v = ctx.options['pg-bin'];
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
/** A program of the same folder as `client` (pg_dumpall beside pg_dump), checked to exist. */
async function siblingTool(client, tool, env) {
    const path = (0,external_node_path_.join)(client.dir, tool);
    const out = await versionOf(path, env);
    const parsed = out ? parseToolVersion(out) : undefined;
    if (!parsed) {
        throw new ConfigError('pg-bin', `${tool} was not found beside ${client.path}`, {
            hint: `install the full PostgreSQL ${client.major} client package, or set pg-bin to a folder holding both`,
        });
    }
    return { ...client, tool, path, ...parsed };
}
/**
 * The pg_dump to use for a server of `serverMajor` (`serverVersion` for messages). Looks in
 * pg-bin, PATH and the per-version install folders; when none is new enough and the face can
 * install one (ctx.provideTool, on GitHub-hosted runners) asks it; otherwise fails with a
 * ConfigError naming the server version, the clients found and the fix.
 */
async function resolveDumpClient(serverMajor, serverVersion, ctx) {
    const pgBin = pgBinOption(ctx);
    const clients = await findClients('pg_dump', ctx.env, pgBin);
    const picked = pickDumpClient(clients, serverMajor);
    if (picked)
        return picked;
    if (ctx.provideTool) {
        ctx.log.info(`no pg_dump ${serverMajor} or newer found (found: ${listClients(clients)}); installing one`);
        const dir = await ctx.provideTool('pg_dump', String(serverMajor));
        if (dir) {
            const provided = (await findClients('pg_dump', { ...ctx.env, PATH: '' }, dir)).filter((c) => c.major >= serverMajor);
            if (provided[0])
                return provided[0];
        }
    }
    const newer = Math.floor(serverMajor);
    throw new ConfigError('pg-bin', `the server runs PostgreSQL ${serverVersion}, but no pg_dump of major ${newer} or newer was found (found: ${listClients(clients)}); pg_dump cannot dump a server newer than itself`, {
        hint: `install the PostgreSQL ${newer} client (Debian/Ubuntu: postgresql-client-${newer} from apt.postgresql.org; RHEL: postgresql${newer}; macOS: brew install postgresql@${newer}) or set pg-bin to the folder holding pg_dump ${newer} or newer`,
    });
}
/**
 * The pg_restore (or psql) able to read a dump of archive version `archive`, written by
 * `dumpedWith` (a pg_dump version, for messages). Fails with a ConfigError reporting versions.
 */
async function resolveRestoreClient(tool, archive, dumpedWith, ctx) {
    const pgBin = pgBinOption(ctx);
    const clients = await findClients(tool, ctx.env, pgBin);
    const picked = pickRestoreClient(clients, archive);
    if (picked)
        return picked;
    const needed = archive[1] >= 16 ? 17 : archive[1] >= 15 ? 16 : archive[1] >= 14 ? 12 : 11;
    throw new ConfigError('pg-bin', `the dump was written by pg_dump ${dumpedWith} (archive format ${formatArchiveVersion(archive)}), which no ${tool} found here can read (found: ${listClients(clients)})`, {
        hint: `install a PostgreSQL ${needed} or newer client, or set pg-bin to the folder holding ${tool} ${needed} or newer`,
    });
}

;// CONCATENATED MODULE: ./build/src/sources/postgres.js
/**
 * PostgreSQL source (`postgres://` / `postgresql://[user[:password]@]host[:port]/dbname[?sslmode=…]`).
 *
 * Backup: `pg_dump` in custom format, its own compression off (-Z0, Lifeboat compresses),
 * streamed straight into one member `<dbname>.pgdump`. With `jobs` > 1, a parallel dump in
 * directory format instead: it needs a temporary folder as large as the uncompressed dump, whose
 * files then become members under `<dbname>.pgdump.d/`. With `globals`, `pg_dumpall
 * --globals-only` (roles, tablespaces) becomes `globals.sql`, first in the folder.
 *
 * Credentials reach the tools only through the child's environment (PGPASSWORD and friends);
 * nothing secret is ever on a command line. The inventory (schemas, tables, row counts,
 * sequences) is read in the same snapshot pg_dump dumps (pg_export_snapshot + --snapshot).
 *
 * Restore: into a new database by default (created). An existing database that already has
 * tables is only replaced with `overwrite`: safety backup first, restore into a temporary
 * database, compare with the manifest's inventory, then swap by renaming in one transaction,
 * so a failed restore leaves the old database as it was.
 */












const GLOBALS_MEMBER = 'globals.sql';
const GLOBALS_END = '-- PostgreSQL database cluster dump complete';
const STDERR_TAIL_LINES = 12;
/** URL query parameters understood, with the environment variable that carries each to the tools. */
const PARAM_ENV = {
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
    sslcert: 'PGSSLCERT',
    sslkey: 'PGSSLKEY',
    sslcrl: 'PGSSLCRL',
    sslnegotiation: 'PGSSLNEGOTIATION',
    connect_timeout: 'PGCONNECT_TIMEOUT',
    options: 'PGOPTIONS',
    target_session_attrs: 'PGTARGETSESSIONATTRS',
    gssencmode: 'PGGSSENCMODE',
    channel_binding: 'PGCHANNELBINDING',
};
/**
 * Parse a postgres URL. Missing parts come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE
 * (and PGSSLMODE…) of `env`; `?host=/run/postgresql` selects a Unix socket folder.
 */
function parsePgUrl(url, option, env = {}) {
    const u = parseUrl(option, url);
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme !== 'postgres' && scheme !== 'postgresql') {
        throw new ConfigError(option, `'${redactUrl(url)}' is not a postgres:// URL`);
    }
    const q = new Map();
    for (const [k, v] of u.searchParams)
        q.set(k, v);
    const take = (k) => {
        const v = q.get(k);
        q.delete(k);
        return v === '' ? undefined : v;
    };
    const qHost = take('host');
    const qPort = take('port');
    const qUser = take('user');
    const qPassword = take('password');
    const qDb = take('dbname');
    const params = {};
    for (const [k, v] of q) {
        if (!(k in PARAM_ENV)) {
            throw new ConfigError(option, `unknown connection parameter '${k}' in '${redactUrl(url)}'`, {
                hint: `use only ${Object.keys(PARAM_ENV).join(', ')}, host, port, user, dbname`,
            });
        }
        params[k] = v;
    }
    for (const [k, envName] of Object.entries(PARAM_ENV)) {
        if (params[k] === undefined && env[envName])
            params[k] = env[envName];
    }
    const hostname = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
    const host = qHost ?? (hostname || env.PGHOST || 'localhost');
    const portText = qPort ?? (u.port || env.PGPORT || '5432');
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new ConfigError(option, `port '${portText}' is not a number between 1 and 65535`);
    }
    const user = qUser ?? (u.username ? decodeURIComponent(u.username) : env.PGUSER || env.USER || 'postgres');
    const password = qPassword ?? (u.password ? decodeURIComponent(u.password) : env.PGPASSWORD || undefined);
    const pathDb = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
    if (pathDb.includes('/')) {
        throw new ConfigError(option, `'/${pathDb}' is not a database name`, {
            hint: 'write the database after the host: postgres://user@host:5432/dbname',
        });
    }
    const fromUrl = qDb ?? (pathDb || undefined);
    const database = fromUrl ?? env.PGDATABASE ?? user;
    const shown = new URL(url);
    shown.password = '';
    if (shown.searchParams.has('password'))
        shown.searchParams.delete('password');
    return {
        host,
        port,
        user,
        password,
        database,
        params,
        displayUrl: redactUrl(shown.toString()),
        databaseFromUrl: fromUrl !== undefined,
    };
}
/** The same connection, another database (for a restore's maintenance and temporary databases). */
function withDatabase(conn, database) {
    return { ...conn, database };
}
/** The environment of a child tool: the run's environment plus the connection, password included. */
function childEnv(conn, ctx, appName) {
    const env = { ...ctx.env };
    env.PGHOST = conn.host;
    env.PGPORT = String(conn.port);
    env.PGUSER = conn.user;
    env.PGDATABASE = conn.database;
    if (conn.password !== undefined)
        env.PGPASSWORD = conn.password;
    else
        delete env.PGPASSWORD;
    for (const [k, v] of Object.entries(conn.params))
        env[PARAM_ENV[k]] = v;
    env.PGAPPNAME = appName;
    // Output the tools parse or show must not depend on the user's locale.
    env.LC_MESSAGES = 'C';
    return env;
}
function sslConfig(conn, mode) {
    if (!mode || mode === 'disable' || mode === 'allow' || mode === 'prefer')
        return false;
    if (mode === 'require')
        return { rejectUnauthorized: false };
    const ca = conn.params.sslrootcert;
    return {
        rejectUnauthorized: true,
        ...(ca ? { ca: readFileSyncText(ca) } : {}),
        ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
}
const certCache = new Map();
function readFileSyncText(path) {
    // Read once, lazily; connect() awaits loadCerts() first so this is always a cache hit.
    const v = certCache.get(path);
    if (v === undefined)
        throw new ConfigError('source', `cannot read sslrootcert '${path}'`);
    return v;
}
async function loadCerts(conn, option) {
    const path = conn.params.sslrootcert;
    if (!path || certCache.has(path))
        return;
    try {
        certCache.set(path, await (0,promises_.readFile)(path, 'utf8'));
    }
    catch (err) {
        throw new ConfigError(option, `cannot read sslrootcert '${path}': ${err.message}`);
    }
}
/** One clear error for a failed connection, naming the option and the fix. */
function connectError(err, conn, option, ctx) {
    const e = err;
    const where = `${conn.host}:${conn.port}`;
    const msg = ctx.redactor.redact(e.message ?? String(err));
    switch (e.code) {
        case '28P01':
        case '28000':
            if (/no encryption|SSL off/i.test(msg)) {
                return new ConfigError(option, `the server at ${where} refused an unencrypted connection: ${msg}`, {
                    hint: 'add ?sslmode=require (or verify-full with sslrootcert) to the URL',
                });
            }
            return new ConfigError(option, `authentication failed for user "${conn.user}" at ${where}: ${msg}`, {
                hint: 'check the user and password in the URL (percent-encode special characters) or PGPASSWORD',
            });
        case '3D000':
            return new ConfigError(option, `database "${conn.database}" does not exist on ${where}`, {
                hint: 'check the database name at the end of the URL',
            });
        case 'ECONNREFUSED':
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
        case 'ETIMEDOUT':
        case 'ENOENT':
            return new ConfigError(option, `cannot reach PostgreSQL at ${where} (${e.code}): ${msg}`, {
                hint: 'check the host and port in the URL, that the server is running, and that this machine may connect to it',
            });
        default:
            if (/timeout/i.test(msg)) {
                return new ConfigError(option, `cannot reach PostgreSQL at ${where}: ${msg}`, {
                    hint: 'check the host and port in the URL and any firewall between; connect_timeout=<seconds> sets the wait',
                });
            }
            return new SourceError(`cannot connect to PostgreSQL at ${where}: ${msg}`, { cause: err });
    }
}
async function connect(conn, option, ctx) {
    await loadCerts(conn, option);
    const timeout = Number(conn.params.connect_timeout ?? 20);
    const attempt = async (ssl) => {
        const client = new esm/* default.Client */.Ay.Client({
            host: conn.host,
            port: conn.port,
            user: conn.user,
            database: conn.database,
            ...(conn.password !== undefined ? { password: conn.password } : {}),
            ssl,
            application_name: 'lifeboat',
            connectionTimeoutMillis: (timeout > 0 ? timeout : 20) * 1000,
            ...(conn.params.options ? { options: conn.params.options } : {}),
        });
        // A backend terminated while idle must not crash the process; queries report it.
        client.on('error', () => { });
        try {
            await client.connect();
            return client;
        }
        catch (err) {
            await client.end().catch(() => { });
            throw err;
        }
    };
    const mode = conn.params.sslmode;
    try {
        return await attempt(sslConfig(conn, mode));
    }
    catch (err) {
        const e = err;
        // libpq's default 'prefer' tries TLS first; node-postgres cannot, so retry with TLS.
        if ((mode === undefined || mode === 'prefer') &&
            e.code === '28000' &&
            /no encryption/i.test(e.message ?? '')) {
            try {
                return await attempt({ rejectUnauthorized: false });
            }
            catch (err2) {
                throw connectError(err2, conn, option, ctx);
            }
        }
        throw connectError(err, conn, option, ctx);
    }
}
function postgres_quoteIdent(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
function quoteLiteral(value) {
    return `'${value.replace(/'/g, "''")}'`;
}
/** A libpq conninfo naming only the database (no secret), for the tools' --dbname. */
function dbnameConninfo(database) {
    return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
async function serverInfo(client) {
    const r = await client.query(`SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
            pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()`);
    const row = r.rows[0];
    const versionNum = Number(row.num);
    return {
        version: row.version.split(' ')[0],
        versionNum,
        major: majorOfVersionNum(versionNum),
        encoding: row.encoding,
    };
}
function stringList(options, name) {
    const v = options[name];
    if (v === undefined || v === null || v === '')
        return [];
    const list = Array.isArray(v) ? v : String(v).split(/[\n,]/);
    return list.map((x) => String(x).trim()).filter(Boolean);
}
function filtersOf(options) {
    return {
        includeSchemas: stringList(options, 'include-schemas'),
        excludeSchemas: stringList(options, 'exclude-schemas'),
        includeTables: stringList(options, 'include-tables'),
        excludeTables: stringList(options, 'exclude-tables'),
    };
}
function filterArgs(f) {
    return [
        ...f.includeSchemas.map((p) => `--schema=${p}`),
        ...f.excludeSchemas.map((p) => `--exclude-schema=${p}`),
        ...f.includeTables.map((p) => `--table=${p}`),
        ...f.excludeTables.map((p) => `--exclude-table=${p}`),
    ];
}
/**
 * A pg_dump name pattern (psql's rules: `*`, `?`, `.` between schema and name, unquoted letters
 * folded to lower case, double quotes for literal text) as anchored regexes.
 */
function patternToRegex(pattern) {
    const parts = [''];
    let inQuotes = false;
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i];
        if (ch === '"') {
            if (inQuotes && pattern[i + 1] === '"') {
                parts[parts.length - 1] += '"';
                i++;
            }
            else
                inQuotes = !inQuotes;
        }
        else if (!inQuotes && ch === '.')
            parts.push('');
        else if (!inQuotes && ch === '*')
            parts[parts.length - 1] += '.*';
        else if (!inQuotes && ch === '?')
            parts[parts.length - 1] += '.';
        else {
            const c = inQuotes ? ch : ch.toLowerCase();
            parts[parts.length - 1] += c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
        }
    }
    const anchored = (s) => `^(${s})$`;
    if (parts.length === 1)
        return { name: anchored(parts[0]) };
    return { schema: anchored(parts[parts.length - 2]), name: anchored(parts[parts.length - 1]) };
}
const USER_SCHEMA = `n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;
const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
   AND d.objid = c.oid AND d.deptype = 'e')`;
/** SQL conditions (over n = pg_namespace, c = pg_class) selecting what pg_dump selects. */
function filterSql(f, which, params) {
    const add = (v) => {
        params.push(v);
        return `$${params.length}`;
    };
    const schemaMatch = (patterns) => patterns.map((p) => `n.nspname ~ ${add(patternToRegex(p).name)}`).join(' OR ');
    const tableMatch = (patterns) => patterns
        .map((p) => {
        const r = patternToRegex(p);
        return r.schema
            ? `(n.nspname ~ ${add(r.schema)} AND c.relname ~ ${add(r.name)})`
            : `(c.relname ~ ${add(r.name)} AND pg_catalog.pg_table_is_visible(c.oid))`;
    })
        .join(' OR ');
    const schemas = () => {
        let sql = USER_SCHEMA;
        if (f.includeSchemas.length)
            sql += ` AND (${schemaMatch(f.includeSchemas)})`;
        if (f.excludeSchemas.length)
            sql += ` AND NOT (${schemaMatch(f.excludeSchemas)})`;
        return sql;
    };
    if (which === 'schemas')
        return f.includeTables.length ? 'false' : schemas();
    // As pg_dump documents: with --table, --schema and --exclude-schema do not apply to tables.
    let tables = f.includeTables.length
        ? `${USER_SCHEMA} AND (${tableMatch(f.includeTables)})`
        : schemas();
    if (f.excludeTables.length)
        tables += ` AND NOT (${tableMatch(f.excludeTables)})`;
    return tables;
}
/** Schemas, tables with row counts, sequences and large objects, as pg_dump with these filters sees them. */
async function readInventory(client, f, rowCounts) {
    const params = [];
    const whereTables = filterSql(f, 'tables', params);
    const tables = await client.query(`SELECT n.nspname, c.relname, c.relkind,
            CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(greatest(p.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) t
                 JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf) ELSE greatest(c.reltuples, 0) END AS reltuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${NOT_EXTENSION_MEMBER} AND (${whereTables})
      ORDER BY n.nspname, c.relname`, params);
    const out = [];
    for (const t of tables.rows) {
        const name = `${t.nspname}.${t.relname}`;
        if (rowCounts === 'estimate') {
            out.push({ name, rows: Math.round(Number(t.reltuples)), estimated: true });
            continue;
        }
        const only = t.relkind === 'r' ? 'ONLY ' : '';
        const r = await client.query(`SELECT count(*) AS n FROM ${only}${postgres_quoteIdent(t.nspname)}.${postgres_quoteIdent(t.relname)}`);
        out.push({ name, rows: Number(r.rows[0].n) });
    }
    const tableSchemas = new Set(tables.rows.map((t) => t.nspname));
    const sp = [];
    const whereSchemas = filterSql(f, 'schemas', sp);
    const schemaRows = await client.query(`SELECT n.nspname FROM pg_namespace n WHERE (${whereSchemas}) ORDER BY 1`, sp);
    const schemas = [...new Set([...schemaRows.rows.map((r) => r.nspname), ...tableSchemas])].sort();
    const qp = [];
    const whereSeqs = filterSql(f, 'tables', qp);
    const seqs = await client.query(`SELECT n.nspname, c.relname,
            CASE WHEN has_sequence_privilege(c.oid, 'SELECT') THEN pg_sequence_last_value(c.oid)::text END AS last_value
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND ${NOT_EXTENSION_MEMBER} AND (${whereSeqs})
      ORDER BY 1, 2`, qp);
    const sequences = {};
    for (const s of seqs.rows)
        sequences[`${s.nspname}.${s.relname}`] = s.last_value;
    const lo = await client.query('SELECT count(*) AS n FROM pg_largeobject_metadata');
    return {
        tables: out,
        extra: { schemas, sequences, largeObjects: Number(lo.rows[0].n), rowCounts },
    };
}
/** Roles that own or are granted something in the dump: they must exist for ownership to be restored. */
async function referencedRoles(client) {
    const r = await client.query(`SELECT DISTINCT r FROM (
       SELECT pg_get_userbyid(c.relowner) AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(t.typowner) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             aclexplode(c.relacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_namespace n, aclexplode(n.nspacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(l.lomowner) FROM pg_largeobject_metadata l
     ) x WHERE r IS NOT NULL ORDER BY 1`);
    return r.rows.map((x) => x.r);
}
/** Keeps the last lines a tool wrote to stderr, for error messages. */
class StderrTail {
    text = '';
    push(chunk) {
        this.text = (this.text + chunk.toString('utf8')).slice(-16_384);
    }
    lines(ctx) {
        const lines = this.text.trim().split('\n').filter(Boolean).slice(-STDERR_TAIL_LINES);
        return ctx.redactor.redact(lines.join('\n'));
    }
}
function startTool(client, args, env, stdin, stdout, ctx) {
    ctx.log.debug(`running ${client.path} ${args.join(' ')}`);
    const child = (0,external_node_child_process_.spawn)(client.path, args, { env, stdio: [stdin, stdout, 'pipe'] });
    const stderr = new StderrTail();
    child.stderr.on('data', (c) => stderr.push(c));
    const exited = new Promise((resolve) => {
        child.on('error', (err) => {
            stderr.push(Buffer.from(`${err.message}\n`));
            resolve({ code: -1, signal: null });
        });
        child.on('close', (code, signal) => resolve({ code, signal }));
    });
    const onAbort = () => {
        child.kill('SIGTERM');
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    void exited.then(() => ctx.signal?.removeEventListener('abort', onAbort));
    return { child, stderr, exited };
}
function exitText(r) {
    return r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
}
/**
 * pg_dump's stdout as a stream that only ends cleanly when pg_dump exited 0 after writing a
 * custom-format dump; otherwise it errors with a SourceError (so the member, and the archive,
 * is never finished). `header` receives the first bytes (the archive version).
 */
function dumpStream(run, what, ctx, onHeader) {
    const out = new external_node_stream_.PassThrough({ highWaterMark: 1 << 20 });
    let bytes = 0;
    let head = Buffer.alloc(0);
    const src = run.child.stdout;
    src.on('data', (c) => {
        if (head.length < 8) {
            head = Buffer.concat([head, c]).subarray(0, 8);
            if (head.length >= 8)
                onHeader(head);
        }
        bytes += c.length;
    });
    src.pipe(out, { end: false });
    // The consumer gave up (storage failed, archive aborted): stop pg_dump.
    out.on('close', () => {
        if (run.child.exitCode === null && run.child.signalCode === null)
            run.child.kill('SIGTERM');
    });
    void run.exited.then((r) => {
        if (out.destroyed)
            return;
        let problem;
        if (ctx.signal?.aborted)
            problem = 'the run was cancelled';
        else if (r.code !== 0)
            problem = exitText(r);
        else if (bytes === 0)
            problem = 'it wrote 0 bytes';
        else if (!parseDumpHeader(head))
            problem = 'its output is not a custom-format dump';
        if (problem === undefined) {
            out.end();
            return;
        }
        const tail = run.stderr.lines(ctx);
        out.destroy(new SourceError(`${what} failed (${problem}) after ${formatBytes(bytes)}${tail ? `:\n${tail}` : ''}`, {
            hint: 'the dump is incomplete and was not stored; check the server log and the message above, then run again',
        }));
    });
    return out;
}
function positiveInt(options, name, dflt) {
    const v = options[name];
    if (v === undefined || v === null || v === '')
        return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
        throw new ConfigError(name, `'${String(v)}' is not a whole number of 1 or more`);
    return n;
}
function rowCountsOption(options) {
    const v = options['row-counts'];
    if (v === undefined || v === null || v === '' || v === 'exact')
        return 'exact';
    if (v === 'estimate')
        return 'estimate';
    throw new ConfigError('row-counts', `'${String(v)}' is neither 'exact' nor 'estimate'`);
}
function postgres_bool(options, name) {
    const v = options[name];
    return v === true || v === 'true' || v === '1' || v === 'yes';
}
/** A member-path-safe name for the database's dump. */
function memberBaseName(database) {
    const safe = database.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
    return safe || 'database';
}
async function runToBuffer(run, limit) {
    const chunks = [];
    let size = 0;
    run.child.stdout.on('data', (c) => {
        size += c.length;
        if (size > limit)
            run.child.kill('SIGTERM');
        else
            chunks.push(c);
    });
    await run.exited;
    return Buffer.concat(chunks);
}
async function dumpGlobals(conn, dumpClient, ctx) {
    const tool = await siblingTool(dumpClient, 'pg_dumpall', ctx.env);
    const env = childEnv(conn, ctx, 'lifeboat pg_dumpall');
    const base = ['--globals-only', '--no-password', `--database=${dbnameConninfo(conn.database)}`];
    let run = startTool(tool, base, env, 'ignore', 'pipe', ctx);
    let sql = await runToBuffer(run, 64 << 20);
    let r = await run.exited;
    let note;
    if (r.code !== 0 && /permission denied/i.test(run.stderr.lines(ctx))) {
        // Not a superuser (managed services): roles can still be dumped without their passwords.
        note = 'globals dumped without role passwords (the user may not read pg_authid)';
        ctx.log.warn(note);
        run = startTool(tool, [...base, '--no-role-passwords'], env, 'ignore', 'pipe', ctx);
        sql = await runToBuffer(run, 64 << 20);
        r = await run.exited;
    }
    if (r.code !== 0 || !sql.toString('utf8').includes(GLOBALS_END)) {
        const tail = run.stderr.lines(ctx);
        throw new SourceError(`pg_dumpall --globals-only failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`, {
            hint: 'globals (roles, tablespaces) need a superuser or a role that may read pg_roles; turn globals off otherwise',
        });
    }
    return { sql, version: tool.version, ...(note ? { note } : {}) };
}
async function filesUnder(root, rel = '') {
    const out = [];
    for (const e of (await (0,promises_.readdir)((0,external_node_path_.join)(root, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory())
            out.push(...(await filesUnder(root, p)));
        else if (e.isFile())
            out.push(p);
    }
    return out;
}
class PgSource {
    kind = 'postgres';
    displayUrl;
    conn;
    constructor(conn) {
        this.conn = conn;
        this.displayUrl = conn.displayUrl;
    }
    async dump(sink, ctx) {
        const conn = this.conn;
        ctx.redactor.add(conn.password);
        const filters = filtersOf(ctx.options);
        const rowCounts = rowCountsOption(ctx.options);
        const jobs = positiveInt(ctx.options, 'jobs', 1);
        const wantGlobals = postgres_bool(ctx.options, 'globals');
        const started = Date.now();
        const client = await connect(conn, 'source', ctx);
        let backendPid;
        try {
            backendPid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0]
                .pid;
            const server = await serverInfo(client);
            ctx.log.info(`PostgreSQL ${server.version} at ${conn.host}:${conn.port}, database "${conn.database}"`);
            const dumpClient = await resolveDumpClient(server.major, server.version, ctx);
            ctx.log.info(`using pg_dump ${dumpClient.version} (${dumpClient.path})`);
            const versions = {
                server: server.version,
                pg_dump: dumpClient.version,
            };
            const details = {
                database: conn.database,
                encoding: server.encoding,
                serverVersionNum: server.versionNum,
                rowCounts,
            };
            const notes = [];
            if (wantGlobals) {
                const g = await dumpGlobals(conn, dumpClient, ctx);
                versions.pg_dumpall = g.version;
                if (g.note)
                    notes.push(g.note);
                await sink.addFile(GLOBALS_MEMBER, g.sql, { mode: 0o600 });
                details.globals = GLOBALS_MEMBER;
            }
            // One snapshot for the inventory and the dump, so the row counts are the dumped ones.
            await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            let snapshot;
            try {
                snapshot = (await client.query('SELECT pg_export_snapshot() AS s')).rows[0]
                    .s;
            }
            catch (err) {
                ctx.log.warn(`cannot export a snapshot (${err.message}); row counts are read separately from the dump`);
                await client.query('ROLLBACK');
                await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            }
            details.roles = await referencedRoles(client);
            const base = memberBaseName(conn.database);
            const env = childEnv(conn, ctx, 'lifeboat pg_dump');
            const common = [
                '--no-password',
                ...(snapshot ? [`--snapshot=${snapshot}`] : []),
                ...filterArgs(filters),
            ];
            let inventory;
            if (jobs > 1) {
                inventory = await this.dumpDirectory(sink, ctx, client, dumpClient, env, common, jobs, base, details, filters, rowCounts);
            }
            else {
                const member = `${base}.pgdump`;
                const run = startTool(dumpClient, ['--format=custom', '--compress=0', ...common], env, 'ignore', 'pipe', ctx);
                let header;
                const stream = dumpStream(run, `pg_dump of database "${conn.database}"`, ctx, (h) => (header = h));
                // Counting runs beside the dump; if it fails the dump stream fails too.
                const counting = readInventory(client, filters, rowCounts).catch((err) => {
                    stream.destroy(new SourceError(`reading the inventory of "${conn.database}" failed: ${ctx.redactor.redact(err.message)}`, {
                        cause: err,
                    }));
                    throw err;
                });
                counting.catch(() => { });
                try {
                    await sink.addFile(member, stream, { mode: 0o600 });
                }
                catch (err) {
                    if (run.child.exitCode === null)
                        run.child.kill('SIGTERM');
                    await run.exited;
                    throw err;
                }
                inventory = await counting;
                const v = header ? parseDumpHeader(header) : undefined;
                details.format = 'custom';
                details.member = member;
                if (v)
                    details.archiveVersion = formatArchiveVersion(v);
            }
            await client.query('COMMIT');
            if (notes.length)
                details.notes = notes;
            ctx.log.info(`dumped ${inventory.tables?.length ?? 0} tables of "${conn.database}" in ${((Date.now() - started) / 1000).toFixed(1)} s`);
            return { versions, inventory, details };
        }
        catch (err) {
            // Our session may still be counting rows (or waiting on a lock): end it server-side so
            // closing the client cannot hang.
            if (backendPid !== undefined)
                await terminateBackend(conn, backendPid, ctx);
            throw err;
        }
        finally {
            await client.end().catch(() => { });
        }
    }
    /** Parallel dump in directory format: needs temporary disk as large as the dump. */
    async dumpDirectory(sink, ctx, client, dumpClient, env, common, jobs, base, details, filters, rowCounts) {
        const size = Number((await client.query('SELECT pg_database_size(current_database()) AS s'))
            .rows[0].s);
        try {
            const fs = await (0,promises_.statfs)(ctx.tmpDir);
            const free = fs.bavail * fs.bsize;
            if (free < size) {
                ctx.log.warn(`jobs=${jobs} dumps into ${ctx.tmpDir} first: the database takes ${formatBytes(size)} on the server, only ${formatBytes(free)} is free there`);
            }
        }
        catch {
            // statfs is best effort
        }
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(ctx.tmpDir, 'pgdump-'));
        const out = (0,external_node_path_.join)(dir, 'dump');
        try {
            ctx.log.info(`dumping with ${jobs} parallel jobs into a temporary directory (${formatBytes(size)} on the server)`);
            const run = startTool(dumpClient, ['--format=directory', `--jobs=${jobs}`, '--compress=0', `--file=${out}`, ...common], env, 'ignore', 'ignore', ctx);
            const counting = readInventory(client, filters, rowCounts);
            counting.catch(() => { });
            const r = await run.exited;
            const files = r.code === 0 ? await filesUnder(out).catch(() => []) : [];
            if (r.code !== 0 || !files.includes('toc.dat')) {
                const tail = run.stderr.lines(ctx);
                throw new SourceError(`pg_dump of database "${details.database}" failed (${r.code !== 0 ? exitText(r) : 'no toc.dat written'})${tail ? `:\n${tail}` : ''}`, {
                    hint: 'the dump is incomplete and was not stored; check the server log and the message above',
                });
            }
            const head = Buffer.alloc(8);
            const fh = await (0,promises_.open)((0,external_node_path_.join)(out, 'toc.dat'));
            try {
                await fh.read(head, 0, 8, 0);
            }
            finally {
                await fh.close();
            }
            const prefix = `${base}.pgdump.d`;
            for (const f of ['toc.dat', ...files.filter((x) => x !== 'toc.dat')]) {
                await sink.addFile(external_node_path_.posix.join(prefix, f), (0,external_node_fs_.createReadStream)((0,external_node_path_.join)(out, f)), { mode: 0o600 });
            }
            const inventory = await counting;
            const v = parseDumpHeader(head);
            details.format = 'directory';
            details.member = prefix;
            details.jobs = jobs;
            if (v)
                details.archiveVersion = formatArchiveVersion(v);
            return inventory;
        }
        finally {
            await (0,promises_.rm)(dir, { recursive: true, force: true });
        }
    }
}
async function terminateBackend(conn, pid, ctx) {
    try {
        const c = await connect(conn, 'source', ctx);
        try {
            await c.query('SELECT pg_terminate_backend($1)', [pid]);
        }
        finally {
            await c.end().catch(() => { });
        }
    }
    catch {
        // the server is gone or refuses: nothing left to end
    }
}
/** Drain a member body we do not need (its chunk checksums are still checked). */
async function drain(body) {
    if (!body)
        return;
    for await (const chunk of body)
        void chunk;
}
/** Read the first 8 bytes of a stream and hand back a stream with all of it. */
async function peekHead(body) {
    const it = body[Symbol.asyncIterator]();
    const first = [];
    let len = 0;
    while (len < 8) {
        const n = await it.next();
        if (n.done)
            break;
        const b = Buffer.from(n.value);
        first.push(b);
        len += b.length;
    }
    const head = Buffer.concat(first).subarray(0, 8);
    async function* all() {
        for (const b of first)
            yield b;
        for (;;) {
            const n = await it.next();
            if (n.done)
                return;
            yield Buffer.from(n.value);
        }
    }
    return { head, stream: external_node_stream_.Readable.from(all(), { objectMode: false }) };
}
/**
 * Feed `body` to a tool's stdin. The tool may stop reading early (pg_restore --list reads only
 * the table of contents); the rest of the body is still read, so its checksums are checked.
 */
async function feed(body, run) {
    const stdin = run.child.stdin;
    let open = true;
    stdin.on('error', () => {
        open = false;
    });
    stdin.on('close', () => {
        open = false;
    });
    for await (const chunk of body) {
        if (!open)
            continue;
        if (!stdin.write(chunk)) {
            await new Promise((resolve) => {
                const done = () => {
                    stdin.off('drain', done);
                    stdin.off('close', done);
                    resolve();
                };
                stdin.on('drain', done);
                stdin.on('close', done);
            });
        }
    }
    if (open)
        stdin.end();
}
/** Run a tool over a member's body; a body error (IntegrityError) wins over the tool's complaint. */
async function runOverBody(run, body) {
    let bodyError;
    try {
        await feed(body, run);
    }
    catch (err) {
        bodyError = err;
        run.child.stdin.destroy();
        if (run.child.exitCode === null)
            run.child.kill('SIGTERM');
    }
    const r = await run.exited;
    if (bodyError !== undefined)
        throw bodyError;
    return r;
}
function archiveVersionOf(manifest) {
    const v = manifest.details?.archiveVersion;
    if (typeof v !== 'string')
        return undefined;
    const m = /^(\d+)\.(\d+)/.exec(v);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}
function dumpedWith(manifest) {
    return manifest.versions.pg_dump ?? 'unknown';
}
async function restoreClientFor(manifest, ctx, head) {
    let archive = archiveVersionOf(manifest);
    if (head) {
        const v = parseDumpHeader(head);
        if (!v)
            throw new IntegrityError('the PostgreSQL dump member does not start with a custom-format header (PGDMP)');
        archive = [v[0], v[1]];
    }
    const major = Number(/^(\d+)/.exec(dumpedWith(manifest))?.[1] ?? 0);
    return resolveRestoreClient('pg_restore', archive ?? archiveVersionWrittenBy(major || 12), dumpedWith(manifest), ctx);
}
/** Connections to `database` other than ours, for a clear refusal. */
async function otherConnections(admin, database) {
    const r = await admin.query(`SELECT pid, usename, application_name, client_addr::text, state FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid`, [database]);
    return r.rows.map((x) => `pid ${x.pid} (user ${x.usename ?? '?'}, application '${x.application_name}', from ${x.client_addr ?? 'local socket'}, ${x.state ?? 'unknown state'})`);
}
async function userTableCount(conn, ctx) {
    const c = await connect(conn, 'target', ctx);
    try {
        const r = await c.query(`SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER}`);
        return Number(r.rows[0].n);
    }
    finally {
        await c.end().catch(() => { });
    }
}
async function adminConnection(target, ctx) {
    try {
        return await connect(withDatabase(target, 'postgres'), 'target', ctx);
    }
    catch (err) {
        if (err instanceof ConfigError && /does not exist/.test(err.message)) {
            return connect(withDatabase(target, 'template1'), 'target', ctx);
        }
        throw err;
    }
}
async function createDatabase(admin, name, encoding, ctx) {
    const enc = encoding ? ` ENCODING ${quoteLiteral(encoding)}` : '';
    try {
        await admin.query(`CREATE DATABASE ${postgres_quoteIdent(name)} TEMPLATE template0${enc}`);
    }
    catch (err) {
        if (err.code === '22023' && enc) {
            // The server's default locale does not fit the dump's encoding: use the C locale.
            ctx.log.warn(`creating "${name}" with the C locale: ${err.message}`);
            await admin.query(`CREATE DATABASE ${postgres_quoteIdent(name)} TEMPLATE template0${enc} LC_COLLATE 'C' LC_CTYPE 'C'`);
        }
        else
            throw err;
    }
}
async function dropDatabase(admin, name, ctx) {
    try {
        await admin.query(`DROP DATABASE IF EXISTS ${postgres_quoteIdent(name)}`);
    }
    catch (err) {
        try {
            await admin.query(`DROP DATABASE IF EXISTS ${postgres_quoteIdent(name)} WITH (FORCE)`);
        }
        catch {
            ctx.log.warn(`could not drop the temporary database "${name}": ${err.message}; drop it by hand`);
        }
    }
}
function shortName(base, suffix) {
    // Database names are at most 63 bytes.
    let b = base;
    while (Buffer.byteLength(b + suffix) > 63)
        b = b.slice(0, -1);
    return b + suffix;
}
/** Differences between a restored inventory and the manifest's (table list, exact row counts). */
function compareInventories(expected, actual) {
    const diffs = [];
    const want = new Map((expected.tables ?? []).map((t) => [t.name, t]));
    const got = new Map((actual.tables ?? []).map((t) => [t.name, t]));
    for (const [name, t] of want) {
        const g = got.get(name);
        if (!g)
            diffs.push(`table ${name} is missing`);
        else if (!t.estimated && g.rows !== t.rows)
            diffs.push(`table ${name} has ${g.rows} rows, the backup ${t.rows}`);
    }
    for (const name of got.keys())
        if (!want.has(name))
            diffs.push(`table ${name} is not in the backup`);
    return diffs;
}
/** Give the restored database the old one's owner, settings and database-level grants. */
async function carryOverDatabaseProperties(admin, from, to, ctx) {
    try {
        const d = await admin.query('SELECT pg_get_userbyid(datdba) AS owner, datacl IS NOT NULL AS hasacl FROM pg_database WHERE datname = $1', [from]);
        const row = d.rows[0];
        if (!row)
            return;
        await admin.query(`ALTER DATABASE ${postgres_quoteIdent(to)} OWNER TO ${postgres_quoteIdent(row.owner)}`);
        const settings = await admin.query(`SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role, s.setconfig
         FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1`, [from]);
        for (const s of settings.rows) {
            for (const item of s.setconfig) {
                const eq = item.indexOf('=');
                const key = item.slice(0, eq);
                const value = item.slice(eq + 1);
                const prefix = s.role ? `ALTER ROLE ${postgres_quoteIdent(s.role)} IN DATABASE` : 'ALTER DATABASE';
                await admin.query(`${prefix} ${postgres_quoteIdent(to)} SET ${postgres_quoteIdent(key)} = ${quoteLiteral(value)}`);
            }
        }
        if (row.hasacl) {
            const grants = await admin.query(`SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type, a.is_grantable
           FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = $1`, [from]);
            await admin.query(`REVOKE ALL ON DATABASE ${postgres_quoteIdent(to)} FROM PUBLIC`);
            for (const g of grants.rows) {
                await admin.query(`GRANT ${g.privilege_type} ON DATABASE ${postgres_quoteIdent(to)} TO ${g.grantee ? postgres_quoteIdent(g.grantee) : 'PUBLIC'}${g.is_grantable ? ' WITH GRANT OPTION' : ''}`);
            }
        }
    }
    catch (err) {
        ctx.log.warn(`could not carry over the owner/settings/grants of "${from}": ${err.message}`);
    }
}
async function restoreMembers(members, plan, manifest, ctx, ownerArgs) {
    const details = manifest.details ?? {};
    const format = details.format === 'directory' ? 'directory' : 'custom';
    const prefix = typeof details.member === 'string' ? details.member : undefined;
    const env = childEnv(withDatabase(plan.target, plan.into), ctx, 'lifeboat pg_restore');
    const jobs = positiveInt(ctx.options, 'jobs', typeof details.jobs === 'number' ? details.jobs : 1);
    const args = [
        '--no-password',
        '--exit-on-error',
        `--dbname=${dbnameConninfo(plan.into)}`,
        ...ownerArgs,
    ];
    let used;
    let spool;
    let globals;
    try {
        for await (const entry of members) {
            if (entry.type !== 'file' || !entry.body) {
                await drain(entry.body);
                continue;
            }
            if (entry.path === GLOBALS_MEMBER) {
                globals = await bufferOf(entry.body);
                if (postgres_bool(ctx.options, 'globals'))
                    await applyGlobals(globals, plan.target, ctx);
                continue;
            }
            if (format === 'custom' &&
                (entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump')))) {
                const { head, stream } = await peekHead(entry.body);
                used = await restoreClientFor(manifest, ctx, head);
                ctx.log.info(`restoring with ${used.path} ${used.version} into "${plan.into}"`);
                const run = startTool(used, args, env, 'pipe', 'ignore', ctx);
                const r = await runOverBody(run, stream);
                if (r.code !== 0) {
                    const tail = run.stderr.lines(ctx);
                    throw new SourceError(`pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`);
                }
                continue;
            }
            if (format === 'directory' && prefix && entry.path.startsWith(`${prefix}/`)) {
                const rel = entry.path.slice(prefix.length + 1);
                if (rel.split('/').some((p) => p === '..' || p === '' || p === '.')) {
                    throw new IntegrityError(`refusing member path '${entry.path}'`);
                }
                spool ??= await (0,promises_.mkdtemp)((0,external_node_path_.join)(ctx.tmpDir, 'pgrestore-'));
                const file = (0,external_node_path_.join)(spool, rel);
                await (0,promises_.mkdir)((0,external_node_path_.dirname)(file), { recursive: true });
                await (0,external_node_stream_promises_.pipeline)(entry.body, (0,external_node_fs_.createWriteStream)(file, { mode: 0o600 }));
                continue;
            }
            await drain(entry.body);
        }
        if (format === 'directory') {
            if (!spool)
                throw new IntegrityError(`the archive holds no files of the directory-format dump '${prefix ?? '?'}'`);
            const head = await (0,promises_.readFile)((0,external_node_path_.join)(spool, 'toc.dat')).then((b) => b.subarray(0, 8));
            used = await restoreClientFor(manifest, ctx, head);
            ctx.log.info(`restoring with ${used.path} ${used.version} (${jobs} jobs) into "${plan.into}"`);
            const run = startTool(used, [...args, `--jobs=${jobs}`, '--format=directory', spool], env, 'ignore', 'ignore', ctx);
            const r = await run.exited;
            if (r.code !== 0) {
                const tail = run.stderr.lines(ctx);
                throw new SourceError(`pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`);
            }
        }
        if (!used)
            throw new IntegrityError('the archive holds no PostgreSQL dump for this source');
        return { pgRestore: used.version };
    }
    finally {
        if (spool)
            await (0,promises_.rm)(spool, { recursive: true, force: true });
    }
}
async function bufferOf(body) {
    const chunks = [];
    for await (const c of body)
        chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
}
/** Apply globals.sql (roles, tablespaces) with psql; errors such as "role already exists" are reported, not fatal. */
async function applyGlobals(sql, target, ctx) {
    const psql = await resolveRestoreClient('psql', [1, 0], 'any', ctx);
    const run = startTool(psql, [
        '--no-psqlrc',
        '--quiet',
        '--no-password',
        `--dbname=${dbnameConninfo('postgres')}`,
        '--file=-',
    ], childEnv(withDatabase(target, 'postgres'), ctx, 'lifeboat psql'), 'pipe', 'ignore', ctx);
    const r = await runOverBody(run, external_node_stream_.Readable.from([sql]));
    const tail = run.stderr.lines(ctx);
    if (r.code !== 0)
        throw new SourceError(`applying globals.sql failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`);
    if (tail)
        ctx.log.warn(`globals.sql applied with messages:\n${tail}`);
}
const pgDriver = {
    kind: 'postgres',
    schemes: ['postgres', 'postgresql'],
    open(url, ctx) {
        const conn = parsePgUrl(url, 'source', ctx.env);
        ctx.redactor.add(conn.password);
        filtersOf(ctx.options);
        rowCountsOption(ctx.options);
        positiveInt(ctx.options, 'jobs', 1);
        return new PgSource(conn);
    },
    async verify(members, manifest, ctx) {
        const details = manifest.details ?? {};
        const format = details.format === 'directory' ? 'directory' : 'custom';
        const prefix = typeof details.member === 'string' ? details.member : undefined;
        let checkedDump = false;
        let spool;
        try {
            for await (const entry of members) {
                if (entry.type !== 'file' || !entry.body) {
                    await drain(entry.body);
                    continue;
                }
                if (entry.path === GLOBALS_MEMBER) {
                    const text = (await bufferOf(entry.body)).toString('utf8');
                    if (!text.includes(GLOBALS_END))
                        throw new IntegrityError(`${GLOBALS_MEMBER} is incomplete (no end marker)`);
                    continue;
                }
                const isDump = format === 'custom'
                    ? entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump'))
                    : false;
                if (isDump) {
                    const { head, stream } = await peekHead(entry.body);
                    const client = await restoreClientFor(manifest, ctx, head);
                    const run = startTool(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx);
                    const r = await runOverBody(run, stream);
                    if (r.code !== 0) {
                        throw new IntegrityError(`pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`);
                    }
                    checkedDump = true;
                    continue;
                }
                if (format === 'directory' && prefix && entry.path === `${prefix}/toc.dat`) {
                    spool = await (0,promises_.mkdtemp)((0,external_node_path_.join)(ctx.tmpDir, 'pgverify-'));
                    await (0,external_node_stream_promises_.pipeline)(entry.body, (0,external_node_fs_.createWriteStream)((0,external_node_path_.join)(spool, 'toc.dat'), { mode: 0o600 }));
                    const head = (await (0,promises_.readFile)((0,external_node_path_.join)(spool, 'toc.dat'))).subarray(0, 8);
                    const client = await restoreClientFor(manifest, ctx, head);
                    const run = startTool(client, ['--list', '--format=directory', spool], ctx.env, 'ignore', 'ignore', ctx);
                    const r = await run.exited;
                    if (r.code !== 0) {
                        throw new IntegrityError(`pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`);
                    }
                    checkedDump = true;
                    continue;
                }
                await drain(entry.body);
            }
        }
        finally {
            if (spool)
                await (0,promises_.rm)(spool, { recursive: true, force: true });
        }
        if (!checkedDump)
            throw new IntegrityError(`the archive holds no PostgreSQL dump for source '${manifest.name}'`);
    },
    async restore(members, request, ctx) {
        if (!request.target) {
            throw new ConfigError('target', 'a restore needs a target database URL', {
                hint: 'set target to postgres://user@host:5432/new_database (a new database is created)',
            });
        }
        const target = parsePgUrl(request.target, 'target', ctx.env);
        ctx.redactor.add(target.password);
        if (!target.databaseFromUrl) {
            throw new ConfigError('target', `'${target.displayUrl}' names no database`, {
                hint: 'add the database to restore into after the host: postgres://user@host:5432/new_database',
            });
        }
        const manifest = request.manifest;
        const name = target.database;
        const notes = [];
        // Refuse what cannot work before touching anything.
        await restoreClientFor(manifest, ctx);
        const admin = await adminConnection(target, ctx);
        try {
            const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
            const tables = exists ? await userTableCount(target, ctx) : 0;
            let mode = exists ? 'empty' : 'create';
            if (tables > 0) {
                if (!request.overwrite) {
                    throw new ConfigError('overwrite', `the target database "${name}" already has ${tables} tables; nothing was changed`, {
                        hint: 'restore into a new database (another name in target), or set overwrite to replace it (a safety backup is taken first)',
                    });
                }
                mode = 'overwrite';
                const others = await otherConnections(admin, name);
                if (others.length) {
                    throw new SourceError(`cannot replace "${name}": it has ${others.length} other connection(s): ${others.join('; ')}; nothing was changed`, {
                        hint: 'stop the applications using the database (or pg_terminate_backend them), then restore again',
                    });
                }
            }
            // Owners and grants need their roles; without them restore everything as the connecting user.
            const roles = Array.isArray(manifest.details?.roles)
                ? manifest.details.roles
                : [];
            const present = (await admin.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [roles])).rows.map((r) => r.rolname);
            const missing = roles.filter((r) => !present.includes(r));
            const applyGlobalsFirst = postgres_bool(ctx.options, 'globals') && manifest.details?.globals === GLOBALS_MEMBER;
            const ownerArgs = [];
            if (missing.length && !applyGlobalsFirst) {
                ownerArgs.push('--no-owner', '--no-privileges');
                notes.push(`roles ${missing.join(', ')} do not exist on the target: objects are owned by "${target.user}" and grants were skipped (restore with globals to create the roles first)`);
                ctx.log.warn(notes[notes.length - 1]);
            }
            let safetyId;
            if (mode === 'overwrite' && request.safetyBackup) {
                ctx.log.info(`taking a safety backup of "${name}" before replacing it`);
                safetyId = await request.safetyBackup(request.target);
                notes.push(`safety backup of the previous "${name}": ${safetyId}`);
            }
            const suffix = (0,external_node_crypto_.randomBytes)(4).toString('hex');
            const plan = {
                target,
                into: mode === 'overwrite' ? shortName(name, `_lifeboat_new_${suffix}`) : name,
                mode,
                created: mode !== 'empty',
            };
            const encoding = typeof manifest.details?.encoding === 'string' ? manifest.details.encoding : undefined;
            if (plan.created)
                await createDatabase(admin, plan.into, encoding, ctx);
            let pgRestore;
            try {
                ({ pgRestore } = await restoreMembers(members, plan, manifest, ctx, ownerArgs));
                if (mode === 'overwrite') {
                    const restored = withDatabase(target, plan.into);
                    const c = await connect(restored, 'target', ctx);
                    let actual;
                    try {
                        actual = await readInventory(c, { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] }, 'exact');
                    }
                    finally {
                        await c.end().catch(() => { });
                    }
                    const diffs = compareInventories(manifest.inventory, actual);
                    if (diffs.length) {
                        throw new IntegrityError(`the restored database does not match the backup's inventory (${diffs.length} differences: ${diffs.slice(0, 5).join('; ')}); "${name}" was not changed`);
                    }
                }
            }
            catch (err) {
                if (plan.created)
                    await dropDatabase(admin, plan.into, ctx);
                throw err;
            }
            if (mode === 'overwrite') {
                const others = await otherConnections(admin, name);
                if (others.length) {
                    await dropDatabase(admin, plan.into, ctx);
                    throw new SourceError(`cannot swap the restored database in: "${name}" has ${others.length} other connection(s): ${others.join('; ')}; nothing was changed`, {
                        hint: 'stop the applications using the database (or pg_terminate_backend them), then restore again',
                    });
                }
                const old = shortName(name, `_lifeboat_old_${suffix}`);
                try {
                    await admin.query('BEGIN');
                    await admin.query(`ALTER DATABASE ${postgres_quoteIdent(name)} RENAME TO ${postgres_quoteIdent(old)}`);
                    await admin.query(`ALTER DATABASE ${postgres_quoteIdent(plan.into)} RENAME TO ${postgres_quoteIdent(name)}`);
                    await admin.query('COMMIT');
                }
                catch (err) {
                    await admin.query('ROLLBACK').catch(() => { });
                    await dropDatabase(admin, plan.into, ctx);
                    throw new SourceError(`swapping the restored database in failed: ${err.message}; "${name}" was not changed`, {
                        cause: err,
                    });
                }
                await carryOverDatabaseProperties(admin, old, name, ctx);
                if (safetyId) {
                    await dropDatabase(admin, old, ctx);
                }
                else {
                    notes.push(`the previous "${name}" was kept as "${old}" (no safety backup was taken); drop it when no longer needed`);
                }
            }
            const location = target.displayUrl;
            ctx.log.info(`restored into ${location}`);
            return { location, notes: [...notes, `pg_restore ${pgRestore}`] };
        }
        finally {
            await admin.end().catch(() => { });
        }
    },
    async inventory(url, ctx) {
        const conn = parsePgUrl(url, 'target', ctx.env);
        ctx.redactor.add(conn.password);
        const c = await connect(conn, 'target', ctx);
        try {
            return await readInventory(c, { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] }, rowCountsOption(ctx.options));
        }
        finally {
            await c.end().catch(() => { });
        }
    },
};

// EXTERNAL MODULE: ./node_modules/mysql2/promise.js
var promise = __webpack_require__(27588);
;// CONCATENATED MODULE: ./build/src/sources/mysql-dump-scan.js
/**
 * Reads a mysqldump / mariadb-dump SQL stream as it passes and records what it holds: the
 * tables it creates, the rows its INSERT statements carry, and whether it ends with the
 * `-- Dump completed` trailer the dump tools write only after a full, successful run. Counting
 * from the dump itself gives row counts that match the snapshot exactly, whatever was written
 * to the server meanwhile.
 */
const INSERT_RE = /^INSERT INTO `((?:[^`]|``)+)` VALUES\s*$/;
const CREATE_RE = /^CREATE TABLE `((?:[^`]|``)+)` \($/;
const TRAILER_RE = /\n-- Dump completed(?: on [^\n]*)?\s*$/;
const MAX_PREFIX = 4096;
const NL = 0x0a;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
const CLOSE = 0x29;
const SEMI = 0x3b;
class SqlDumpScan {
    /** Tables in the order the dump creates them, with the rows it inserts. */
    rows = new Map();
    bytes = 0;
    prefix = [];
    /** 'line': reading the start of a line; 'skip': rest of a line we do not care about; 'values': inside an INSERT. */
    mode = 'line';
    table = '';
    depth = 0;
    inQuote = false;
    escape = false;
    tail = Buffer.alloc(0);
    update(chunk) {
        this.bytes += chunk.length;
        this.tail = Buffer.concat([
            this.tail,
            chunk.subarray(Math.max(0, chunk.length - 256)),
        ]).subarray(-256);
        for (let i = 0; i < chunk.length; i++) {
            if (this.mode === 'values') {
                i = this.values(chunk, i);
                if (i >= chunk.length)
                    break;
                continue;
            }
            if (this.mode === 'skip') {
                const nl = chunk.indexOf(NL, i);
                if (nl < 0)
                    break;
                i = nl;
                this.mode = 'line';
                continue;
            }
            const b = chunk[i];
            // 'line': collect the start of the line; decide at '(' (one-line INSERTs) or at its end.
            if (b === NL || (b === OPEN && this.prefix.length > 0 && this.prefix[0] === 0x49) /* I */) {
                const line = Buffer.from(this.prefix).toString('utf8');
                this.prefix = [];
                const insert = INSERT_RE.exec(line.trimEnd());
                if (insert) {
                    this.table = insert[1].replace(/``/g, '`');
                    if (!this.rows.has(this.table))
                        this.rows.set(this.table, 0);
                    this.mode = 'values';
                    this.depth = 0;
                    this.inQuote = false;
                    this.escape = false;
                    if (b === OPEN)
                        i--; // let values mode count this row
                    continue;
                }
                const create = b === NL ? CREATE_RE.exec(line) : null;
                if (create) {
                    const name = create[1].replace(/``/g, '`');
                    if (!this.rows.has(name))
                        this.rows.set(name, 0);
                }
                this.mode = b === NL ? 'line' : 'skip';
                continue;
            }
            if (this.prefix.length < MAX_PREFIX)
                this.prefix.push(b);
            else {
                this.prefix = [];
                this.mode = 'skip';
            }
        }
    }
    /** The hot loop, on locals: returns the index of the ';' that ends the INSERT, or chunk.length. */
    values(chunk, from) {
        let depth = this.depth;
        let inQuote = this.inQuote;
        let escape = this.escape;
        let rows = 0;
        let i = from;
        const n = chunk.length;
        for (; i < n; i++) {
            const b = chunk[i];
            if (inQuote) {
                if (escape)
                    escape = false;
                else if (b === BACKSLASH)
                    escape = true;
                else if (b === QUOTE)
                    inQuote = false;
            }
            else if (b === QUOTE)
                inQuote = true;
            else if (b === OPEN) {
                if (depth === 0)
                    rows++;
                depth++;
            }
            else if (b === CLOSE)
                depth--;
            else if (b === SEMI && depth === 0) {
                this.mode = 'skip';
                break;
            }
        }
        this.depth = depth;
        this.inQuote = inQuote;
        this.escape = escape;
        if (rows)
            this.rows.set(this.table, (this.rows.get(this.table) ?? 0) + rows);
        return i;
    }
    /** True when the stream ends with the dump tool's completion trailer. */
    get complete() {
        return TRAILER_RE.test(this.tail.toString('latin1'));
    }
}

;// CONCATENATED MODULE: ./build/src/sources/mysql.js
/**
 * MySQL / MariaDB source (`mysql://user:password@host:3306/db`, `mariadb://…`).
 *
 * Each database is dumped by the client tool matching the server (mariadb-dump for MariaDB,
 * mysqldump for MySQL) into its own member `<db>.sql`, as one consistent InnoDB snapshot
 * (--single-transaction) with routines, triggers, events and binary columns as hex. The dump
 * has no CREATE DATABASE / USE lines, so a restore can put it into any database name.
 * Credentials reach the tools through a 0600 option file (--defaults-extra-file, the first
 * argument), never the command line or the environment.
 */










/** Schemas that belong to the server, never dumped unless named explicitly. */
const SYSTEM_SCHEMAS = ['information_schema', 'performance_schema', 'mysql', 'sys'];
/** Parse a mysql:// or mariadb:// URL. Password: URL, else MYSQL_PWD / MYSQL_PASSWORD from the environment. */
function parseMysqlUrl(url, option, env = {}) {
    const u = parseUrl(option, url);
    const scheme = u.protocol.replace(/:$/, '');
    if (scheme !== 'mysql' && scheme !== 'mariadb') {
        throw new ConfigError(option, `'${redactUrl(url)}' is not a mysql:// or mariadb:// URL`);
    }
    const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
    if (path.includes('/')) {
        throw new ConfigError(option, `'${path}' is not a database name`, {
            hint: 'write one database: mysql://host:3306/dbname',
        });
    }
    const socket = u.searchParams.get('socket') ?? undefined;
    return {
        host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
        port: u.port ? Number(u.port) : 3306,
        user: u.username ? decodeURIComponent(u.username) : (env.MYSQL_USER ?? 'root'),
        password: u.password ? decodeURIComponent(u.password) : (env.MYSQL_PWD ?? env.MYSQL_PASSWORD),
        socket,
        database: path || undefined,
        displayUrl: redactUrl(url),
    };
}
/** `mariadb-dump --version` / `mysqldump --version` → flavour and version. */
function parseClientVersion(output) {
    let m = /(?:Distrib|from)\s+(\d+\.\d+\.\d+)-MariaDB/i.exec(output);
    if (m)
        return { flavour: 'mariadb', version: m[1] };
    m = /Distrib\s+(\d+\.\d+\.\d+)/.exec(output);
    if (m)
        return { flavour: 'mysql', version: m[1] };
    m = /Ver\s+(\d+\.\d+\.\d+)/.exec(output);
    if (m)
        return { flavour: /MariaDB/i.test(output) ? 'mariadb' : 'mysql', version: m[1] };
    return undefined;
}
function mysql_serverInfo(version, comment = '') {
    const flavour = /mariadb/i.test(version) || /mariadb/i.test(comment) ? 'mariadb' : 'mysql';
    return { flavour, version: /^(\d+\.\d+\.\d+)/.exec(version)?.[1] ?? version, full: version };
}
function majorMinor(v) {
    const [a, b] = v.split('.').map(Number);
    return [a ?? 0, b ?? 0];
}
function olderThan(a, b) {
    const [a1, a2] = majorMinor(a);
    const [b1, b2] = majorMinor(b);
    return a1 < b1 || (a1 === b1 && a2 < b2);
}
const installHint = (server) => server.flavour === 'mariadb'
    ? `install a MariaDB client ${majorMinor(server.version).join('.')} or newer (Debian/Ubuntu: apt-get install mariadb-client; or the MariaDB repository for newer versions) and put its bin folder first on PATH`
    : `install mysqldump ${majorMinor(server.version).join('.')} or newer (Ubuntu: apt-get install mysql-client; or the MySQL APT repository for newer versions) and put its bin folder first on PATH`;
/**
 * Pick the dump tool for a server, with the extra arguments the pair needs, or throw a
 * ConfigError naming the fix. Mismatches that break dumps in practice are refused:
 * - a MySQL mysqldump against MariaDB (it queries MySQL-only tables such as COLUMN_STATISTICS
 *   and writes MySQL-only syntax), and mariadb-dump against MySQL 8+ (unknown collations, GTID);
 * - a client older (major.minor) than the server: it cannot know the server's newer objects.
 * Handled: mysqldump 8+ against MySQL 5.x gets --column-statistics=0; mysqldump always gets
 * --set-gtid-purged=OFF so the dump restores into a server with its own GTIDs.
 */
function chooseDumpClient(server, clients) {
    const same = clients.filter((c) => c.flavour === server.flavour);
    const usable = same.filter((c) => !olderThan(c.version, server.version));
    const client = usable[0];
    if (!client) {
        const found = clients.map((c) => `${c.path} (${c.flavour} ${c.version})`).join(', ') || 'none on PATH';
        const why = same.length
            ? `the ${server.flavour === 'mariadb' ? 'MariaDB' : 'MySQL'} client found is older than the server (${same[0].version} < ${server.version})`
            : `no ${server.flavour === 'mariadb' ? 'MariaDB (mariadb-dump)' : 'MySQL (mysqldump)'} client was found; a ${server.flavour === 'mariadb' ? 'MySQL' : 'MariaDB'} client does not dump this server reliably`;
        throw new ConfigError('source', `cannot dump ${server.flavour} ${server.version}: ${why} (found: ${found})`, {
            hint: installHint(server),
        });
    }
    const args = [];
    const warnings = [];
    if (client.flavour === 'mysql') {
        args.push('--set-gtid-purged=OFF');
        if (majorMinor(client.version)[0] >= 8 && majorMinor(server.version)[0] < 8)
            args.push('--column-statistics=0');
    }
    return { client, args, warnings };
}
/** Every tool by these names on PATH (and in `extraDirs` first), with its version. */
async function detectClients(names, ctx, extraDirs = []) {
    const dirs = [...extraDirs, ...(ctx.env.PATH ?? process.env.PATH ?? '').split(':')].filter(Boolean);
    const out = [];
    const seen = new Set();
    for (const dir of dirs) {
        for (const name of names) {
            const path = (0,external_node_path_.join)(dir, name);
            if (seen.has(path))
                continue;
            seen.add(path);
            const s = await (0,promises_.stat)(path).catch(() => undefined);
            if (!s?.isFile() || !(s.mode & 0o111))
                continue;
            const { code, stdout } = await run(path, ['--version'], ctx);
            const parsed = code === 0 ? parseClientVersion(stdout) : undefined;
            if (parsed)
                out.push({ path, ...parsed });
        }
    }
    return out;
}
function run(cmd, args, ctx) {
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env: mysql_childEnv(ctx) });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.on('error', () => resolve({ code: -1, stdout }));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
    });
}
/** The tools' environment: PATH and locale only, so no MYSQL_PWD or MYSQL_HOST leaks in. */
function mysql_childEnv(ctx) {
    const env = { PATH: ctx.env.PATH ?? process.env.PATH ?? '' };
    for (const k of ['LANG', 'LC_ALL', 'HOME', 'TZ'])
        if (ctx.env[k] !== undefined)
            env[k] = ctx.env[k];
    return env;
}
function optionValue(v) {
    return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
/** A 0600 option file with the connection settings; the caller removes it. */
async function writeOptionFile(target, ctx) {
    const lines = ['[client]', `user=${optionValue(target.user)}`];
    if (target.password !== undefined)
        lines.push(`password=${optionValue(target.password)}`);
    if (target.socket)
        lines.push(`socket=${optionValue(target.socket)}`);
    else
        lines.push(`host=${optionValue(target.host)}`, `port=${target.port}`, 'protocol=TCP');
    const path = (0,external_node_path_.join)(ctx.tmpDir, `mysql-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.cnf`);
    await (0,promises_.writeFile)(path, lines.join('\n') + '\n', { mode: 0o600, flag: 'wx' });
    return path;
}
async function mysql_connect(target, option, ctx, database) {
    ctx.redactor.add(target.password);
    try {
        return await promise.createConnection({
            host: target.host,
            port: target.port,
            user: target.user,
            password: target.password ?? '',
            socketPath: target.socket,
            database,
            charset: 'utf8mb4',
            supportBigNumbers: true,
            bigNumberStrings: true,
            dateStrings: true,
        });
    }
    catch (err) {
        throw classify(err, option, target, ctx);
    }
}
/** Turn a connection/query failure into the error a person can act on. */
function classify(err, option, target, ctx) {
    const e = err;
    const msg = ctx.redactor.redact(e.message ?? String(err));
    if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045) {
        return new ConfigError(option, `${target.displayUrl}: access denied for user '${target.user}'`, {
            hint: 'check the user and password in the URL (percent-encode special characters) or MYSQL_PWD',
        });
    }
    if (e.code === 'ER_BAD_DB_ERROR' || e.errno === 1049) {
        return new ConfigError(option, `${target.displayUrl}: ${msg}`, {
            hint: 'check the database name in the URL or the databases option',
        });
    }
    if (e.code === 'ECONNREFUSED' ||
        e.code === 'ENOTFOUND' ||
        e.code === 'ETIMEDOUT' ||
        e.code === 'EHOSTUNREACH') {
        return new ConfigError(option, `cannot connect to ${target.displayUrl}: ${msg}`, {
            hint: 'check the host and port and that the server is running and reachable',
        });
    }
    return new SourceError(`${target.displayUrl}: ${msg}`, { cause: err });
}
async function queryRows(conn, sql, params = []) {
    const [rows] = await conn.query(sql, params);
    return rows;
}
const ident = (name) => `\`${name.replace(/`/g, '``')}\``;
async function liveInventory(conn, db) {
    const { baseTables, objects } = await listObjects(conn, db);
    const out = [];
    for (const t of baseTables) {
        const [r] = await queryRows(conn, `SELECT COUNT(*) AS c FROM ${ident(db)}.${ident(t)}`);
        out.push({ name: `${db}.${t}`, rows: Number(r.c) });
    }
    return { tables: out, objects };
}
/** Names only, from information_schema: never waits on a table lock. */
async function listObjects(conn, db) {
    const tables = await queryRows(conn, 'SELECT TABLE_NAME AS n, TABLE_TYPE AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [db]);
    const names = async (sql) => (await queryRows(conn, sql, [db])).map((r) => r.n);
    const objects = {
        views: tables.filter((x) => x.t === 'VIEW').map((x) => x.n),
        routines: await names('SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY 1'),
        triggers: await names('SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1'),
        events: await names('SELECT EVENT_NAME AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1'),
    };
    return {
        baseTables: tables
            .filter((x) => x.t === 'BASE TABLE' || x.t === 'SYSTEM VERSIONED')
            .map((x) => x.n),
        objects,
    };
}
/** Anything in a database: tables, views, routines, events. */
async function isEmptyDatabase(conn, db) {
    const [r] = await queryRows(conn, `SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS c`, [db, db, db]);
    return Number(r.c) === 0;
}
async function databaseExists(conn, db) {
    return ((await queryRows(conn, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]))
        .length > 0);
}
/** Member name of a database's dump. */
function memberFor(db) {
    return `${encodeURIComponent(db)}.sql`;
}
function databasesOption(ctx) {
    const v = ctx.options.databases;
    if (v === undefined || v === null || v === '')
        return [];
    const list = Array.isArray(v) ? v.map(String) : String(v).split(/[\n,]/);
    return list.map((s) => s.trim()).filter(Boolean);
}
function stderrTail(child) {
    let text = '';
    child.stderr?.on('data', (d) => (text = (text + d.toString()).slice(-8000)));
    return () => text.trim();
}
async function findClient(server, ctx, kind) {
    const names = kind === 'dump' ? ['mariadb-dump', 'mysqldump'] : ['mariadb', 'mysql'];
    let clients = await detectClients(names, ctx);
    try {
        return { ...chooseDumpClient(server, clients), all: clients };
    }
    catch (err) {
        if (!ctx.provideTool)
            throw err;
        const tool = server.flavour === 'mariadb'
            ? kind === 'dump'
                ? 'mariadb-dump'
                : 'mariadb'
            : kind === 'dump'
                ? 'mysqldump'
                : 'mysql';
        const dir = await ctx.provideTool(tool, majorMinor(server.version).join('.'));
        if (!dir)
            throw err;
        clients = await detectClients(names, ctx, [dir]);
        return { ...chooseDumpClient(server, clients), all: clients };
    }
}
class MysqlSource {
    kind = 'mysql';
    displayUrl;
    target;
    constructor(target) {
        this.target = target;
        this.displayUrl = target.displayUrl;
    }
    async dump(sink, ctx) {
        const conn = await mysql_connect(this.target, 'source', ctx);
        let databases;
        let server;
        const objects = {};
        try {
            const [v] = await queryRows(conn, 'SELECT VERSION() AS v, @@version_comment AS c');
            server = mysql_serverInfo(v.v, v.c);
            const schemata = await queryRows(conn, 'SELECT SCHEMA_NAME AS n, DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME');
            const chosen = databasesOption(ctx);
            if (chosen.length && this.target.database) {
                throw new ConfigError('databases', `the source URL already names database '${this.target.database}'`, {
                    hint: 'name the databases either in the URL path or in the databases option, not both',
                });
            }
            const wanted = chosen.length
                ? chosen
                : this.target.database
                    ? [this.target.database]
                    : schemata.map((s) => s.n).filter((n) => !SYSTEM_SCHEMAS.includes(n));
            const missing = wanted.filter((w) => !schemata.some((s) => s.n === w));
            if (missing.length) {
                throw new ConfigError(chosen.length ? 'databases' : 'source', `database ${missing.map((m) => `'${m}'`).join(', ')} does not exist on ${this.displayUrl}`, {
                    hint: `existing databases: ${schemata
                        .map((s) => s.n)
                        .filter((n) => !SYSTEM_SCHEMAS.includes(n))
                        .join(', ') || '(none)'}`,
                });
            }
            if (!wanted.length)
                throw new ConfigError('source', `${this.displayUrl} has no user databases to back up`);
            databases = wanted.map((n) => {
                const s = schemata.find((x) => x.n === n);
                return { name: n, member: memberFor(n), charset: s.cs, collation: s.co };
            });
            for (const db of databases)
                objects[db.name] = (await listObjects(conn, db.name)).objects;
        }
        catch (err) {
            await conn.end().catch(() => { });
            if (err instanceof ConfigError || err instanceof SourceError)
                throw err;
            throw classify(err, 'source', this.target, ctx);
        }
        await conn.end().catch(() => { });
        const { client, args, warnings } = await findClient(server, ctx, 'dump');
        for (const w of warnings)
            ctx.log.warn(`mysql: ${w}`);
        const versions = {
            server: server.full,
            [client.path.split('/').pop()]: `${client.flavour} ${client.version}`,
        };
        const tables = [];
        const optionFile = await writeOptionFile(this.target, ctx);
        try {
            for (const db of databases) {
                ctx.log.info(`mysql: dumping ${db.name} with ${client.path} (${client.flavour} ${client.version})`);
                const scan = await this.dumpOne(db, client.path, args, optionFile, sink, ctx);
                for (const [t, rows] of scan.rows)
                    tables.push({ name: `${db.name}.${t}`, rows });
                ctx.log.info(`mysql: ${db.name}: ${scan.rows.size} tables, ${formatBytes(scan.bytes)}`);
            }
        }
        finally {
            await (0,promises_.rm)(optionFile, { force: true });
        }
        const inventory = { tables, extra: { objects } };
        return {
            versions,
            inventory,
            details: {
                flavour: server.flavour,
                serverVersion: server.version,
                databases,
                dumpTool: `${client.flavour} ${client.version}`,
            },
        };
    }
    async dumpOne(db, tool, extra, optionFile, sink, ctx) {
        const args = [
            `--defaults-extra-file=${optionFile}`,
            '--single-transaction',
            '--quick',
            '--routines',
            '--triggers',
            '--events',
            '--hex-blob',
            '--no-tablespaces',
            '--default-character-set=utf8mb4',
            '--max-allowed-packet=1G',
            ...extra,
            '--',
            db.name,
        ];
        const child = (0,external_node_child_process_.spawn)(tool, args, { stdio: ['ignore', 'pipe', 'pipe'], env: mysql_childEnv(ctx) });
        const stderr = stderrTail(child);
        const exited = new Promise((resolve) => {
            child.on('error', () => resolve(-1));
            child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
        });
        const onAbort = () => child.kill();
        ctx.signal?.addEventListener('abort', onAbort, { once: true });
        const scan = new SqlDumpScan();
        const label = `${this.displayUrl} database '${db.name}'`;
        async function* body() {
            try {
                for await (const chunk of child.stdout) {
                    scan.update(chunk);
                    yield chunk;
                }
            }
            finally {
                if (child.exitCode === null)
                    child.kill();
            }
            const code = await exited;
            if (code !== 0) {
                const text = ctx.redactor.redact(stderr());
                throw new SourceError(`mysql: the dump of ${label} failed (exit ${code}): ${text || 'no message'}`, {
                    hint: /Lost connection|gone away|2013|Killed|2006/i.test(text)
                        ? 'the server closed the connection during the dump (restart, kill, wait_timeout or max_allowed_packet); run the backup again'
                        : /insufficient privileges|Access denied|command denied/i.test(text)
                            ? 'the backup user needs SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK TABLES on the databases, and to read routine bodies: SHOW_ROUTINE (MySQL 8.0.20+), SHOW CREATE ROUTINE (MariaDB 11.3+) or SELECT on mysql.proc (older MariaDB)'
                            : undefined,
                });
            }
            if (!scan.complete) {
                throw new SourceError(`mysql: the dump of ${label} ends without its '-- Dump completed' trailer: it is incomplete`);
            }
        }
        try {
            await sink.addFile(db.member, external_node_stream_.Readable.from(body()), { mode: 0o600 });
        }
        finally {
            ctx.signal?.removeEventListener('abort', onAbort);
            if (child.exitCode === null)
                child.kill();
        }
        return scan;
    }
}
/** Strip MariaDB's sandbox-mode first line, which MySQL's client rejects ("Unknown command '\-'"). */
async function* forClient(source, stripSandbox) {
    let first = true;
    for await (const c of source) {
        let chunk = c;
        if (first && stripSandbox) {
            if (chunk.subarray(0, 10).toString('latin1').startsWith('/*M!999999')) {
                const nl = chunk.indexOf(0x0a);
                chunk = nl >= 0 ? chunk.subarray(nl + 1) : Buffer.alloc(0);
            }
        }
        first = false;
        yield chunk;
    }
}
function targetUrlFor(request, db) {
    const u = new URL(request.target);
    u.pathname = `/${encodeURIComponent(db)}`;
    return u.toString();
}
async function restoreInto(members, request, ctx) {
    const target = parseMysqlUrl(request.target, 'target', ctx.env);
    const details = request.manifest.details;
    const dumped = details?.databases ?? [];
    if (!dumped.length)
        throw new IntegrityError('mysql: the manifest lists no dumped databases');
    // Which dumped database goes where.
    const plan = new Map();
    if (target.database) {
        const only = databasesOption(ctx).filter((d) => dumped.some((x) => x.name === d));
        const source = dumped.length === 1 ? dumped[0].name : only.length === 1 ? only[0] : undefined;
        if (!source) {
            throw new ConfigError('target', `the backup holds databases ${dumped.map((d) => d.name).join(', ')}; a target naming '${target.database}' can take only one`, {
                hint: 'leave the database out of the target URL to restore each under its own name, or pick one with the databases option',
            });
        }
        plan.set(source, target.database);
    }
    else
        for (const d of dumped)
            plan.set(d.name, d.name);
    const conn = await mysql_connect(target, 'target', ctx);
    const notes = [];
    const created = [];
    let optionFile;
    try {
        const [v] = await queryRows(conn, 'SELECT VERSION() AS v, @@version_comment AS c');
        const server = mysql_serverInfo(v.v, v.c);
        const prepared = [];
        for (const [from, to] of plan) {
            const facts = dumped.find((d) => d.name === from);
            const exists = await databaseExists(conn, to);
            if (exists && !(await isEmptyDatabase(conn, to))) {
                if (!request.overwrite) {
                    throw new ConfigError('target', `database '${to}' on ${target.displayUrl} is not empty`, {
                        hint: 'restore into a new database (name it in the target URL), or set overwrite: true to replace it (a safety backup is taken first)',
                    });
                }
            }
            prepared.push({ from: facts, to });
        }
        for (const { from, to } of prepared) {
            const exists = await databaseExists(conn, to);
            if (exists && !(await isEmptyDatabase(conn, to))) {
                // Overwrite: keep a copy of what is there before touching it.
                if (request.safetyBackup) {
                    const id = await request.safetyBackup(targetUrlFor(request, to));
                    notes.push(`safety backup of '${to}' taken first: ${id}`);
                }
                else
                    notes.push(`overwriting '${to}' without a safety backup (none was offered)`);
                await conn.query(`DROP DATABASE ${ident(to)}`);
            }
            if (!exists || !(await databaseExists(conn, to))) {
                await conn.query(`CREATE DATABASE ${ident(to)} CHARACTER SET ${from.charset} COLLATE ${from.collation}`);
                created.push(to);
            }
        }
        const { client } = await findClient(server, ctx, 'client');
        optionFile = await writeOptionFile(target, ctx);
        const byMember = new Map(prepared.map((p) => [p.from.member, p]));
        const restored = new Set();
        for await (const entry of members) {
            const job = byMember.get(entry.path);
            if (!job || !entry.body) {
                entry.body?.resume();
                continue;
            }
            ctx.log.info(`mysql: restoring ${job.from.name} into ${job.to} with ${client.path}`);
            await runClient(client, optionFile, job.to, entry.body, job.from.name, request.manifest, ctx);
            restored.add(job.from.member);
        }
        for (const p of prepared)
            if (!restored.has(p.from.member))
                throw new IntegrityError(`mysql: the backup lacks ${p.from.member}`);
        // The restored tables must hold exactly the rows the dump carried.
        const tables = [];
        for (const { from, to } of prepared) {
            const live = await liveInventory(conn, to);
            const expected = (request.manifest.inventory.tables ?? []).filter((t) => t.name.startsWith(`${from.name}.`));
            for (const t of expected) {
                const name = `${to}.${t.name.slice(from.name.length + 1)}`;
                const got = live.tables.find((x) => x.name === name);
                if (!got || got.rows !== t.rows) {
                    throw new IntegrityError(`mysql: restored table ${name} holds ${got ? got.rows : 'no'} rows, the backup ${t.rows}`);
                }
            }
            tables.push(...live.tables);
            notes.push(`${from.name} → ${to}: ${live.tables.length} tables, ${live.objects.views.length} views, ${live.objects.routines.length} routines, ${live.objects.triggers.length} triggers`);
        }
        created.length = 0;
        return {
            location: `${target.displayUrl.replace(/\/[^/]*$/, '')}/${prepared.map((p) => p.to).join(',')}`,
            inventory: { tables },
            notes,
        };
    }
    catch (err) {
        // Roll back what this restore created; an overwritten database is in the safety backup.
        for (const db of created)
            await conn.query(`DROP DATABASE IF EXISTS ${ident(db)}`).catch(() => { });
        if (err instanceof ConfigError || err instanceof SourceError || err instanceof IntegrityError)
            throw err;
        throw classify(err, 'target', target, ctx);
    }
    finally {
        if (optionFile)
            await (0,promises_.rm)(optionFile, { force: true });
        await conn.end().catch(() => { });
    }
}
async function runClient(client, optionFile, database, body, sourceName, manifest, ctx) {
    const args = [
        `--defaults-extra-file=${optionFile}`,
        '--binary-mode',
        '--default-character-set=utf8mb4',
        '--max-allowed-packet=1G',
        `--database=${database}`,
    ];
    const child = (0,external_node_child_process_.spawn)(client.path, args, { stdio: ['pipe', 'ignore', 'pipe'], env: mysql_childEnv(ctx) });
    const stderr = stderrTail(child);
    const exited = new Promise((resolve) => {
        child.on('error', () => resolve(-1));
        child.on('close', (code) => resolve(code ?? -1));
    });
    child.stdin.on('error', () => {
        // the client stopped reading (it failed); its exit code and stderr say why
    });
    const scan = new SqlDumpScan();
    const stripSandbox = client.flavour === 'mysql';
    try {
        for await (const chunk of forClient(body, stripSandbox)) {
            scan.update(chunk);
            if (child.exitCode !== null)
                break;
            if (!child.stdin.write(chunk))
                await Promise.race([new Promise((r) => child.stdin.once('drain', r)), exited]);
        }
    }
    catch (err) {
        child.kill();
        await exited;
        throw err;
    }
    if (!scan.complete && child.exitCode === null) {
        child.kill();
        await exited;
        throw new IntegrityError(`mysql: the dump of '${sourceName}' ends without its '-- Dump completed' trailer`);
    }
    child.stdin.end();
    const code = await exited;
    if (code !== 0) {
        const text = ctx.redactor.redact(stderr());
        const crossFlavour = manifest.details?.flavour && manifest.details.flavour !== client.flavour;
        throw new SourceError(`mysql: restoring '${sourceName}' into '${database}' failed (exit ${code}): ${text || 'no message'}`, {
            hint: /Unknown collation|utf8mb4_0900/i.test(text)
                ? 'the dump uses MySQL 8 collations this server does not know; restore into MySQL 8+, or convert the collations first'
                : /DEFINER|SUPER|SET_USER_ID|SYSTEM_USER/i.test(text)
                    ? 'views, routines and triggers keep their DEFINER; restore as a user with SET_USER_ID/SUPER, or create the definer account first'
                    : crossFlavour
                        ? `the backup comes from ${String(manifest.details.flavour)}; restore it into the same flavour`
                        : undefined,
        });
    }
}
async function verifyMembers(members, manifest) {
    const dumped = manifest.details?.databases ?? [];
    const seen = new Set();
    for await (const entry of members) {
        const db = dumped.find((d) => d.member === entry.path);
        if (!db || !entry.body) {
            entry.body?.resume();
            continue;
        }
        const scan = new SqlDumpScan();
        for await (const chunk of entry.body)
            scan.update(chunk);
        if (!scan.complete)
            throw new IntegrityError(`mysql: ${entry.path} lacks the '-- Dump completed' trailer: the dump is incomplete`);
        const listed = (manifest.inventory.tables ?? []).filter((t) => t.name.startsWith(`${db.name}.`));
        const found = [...scan.rows].map(([t, rows]) => ({ name: `${db.name}.${t}`, rows }));
        const key = (l) => JSON.stringify(l.map((t) => [t.name, t.rows]).sort());
        if (key(found) !== key(listed)) {
            throw new IntegrityError(`mysql: ${entry.path} holds tables/rows ${key(found)} but the manifest lists ${key(listed)}`);
        }
        seen.add(entry.path);
    }
    for (const d of dumped)
        if (!seen.has(d.member))
            throw new IntegrityError(`mysql: the backup lacks ${d.member}`);
}
const mysqlDriver = {
    kind: 'mysql',
    schemes: ['mysql', 'mariadb'],
    open(url, ctx) {
        const target = parseMysqlUrl(url, 'source', ctx.env);
        ctx.redactor.add(target.password);
        return new MysqlSource(target);
    },
    restore: restoreInto,
    async verify(members, manifest) {
        await verifyMembers(members, manifest);
    },
    async inventory(url, ctx) {
        const target = parseMysqlUrl(url, 'target', ctx.env);
        const conn = await mysql_connect(target, 'target', ctx);
        try {
            const dbs = target.database
                ? [target.database]
                : (await queryRows(conn, 'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA ORDER BY 1'))
                    .map((r) => r.n)
                    .filter((n) => !SYSTEM_SCHEMAS.includes(n));
            const tables = [];
            const objects = {};
            for (const db of dbs) {
                const inv = await liveInventory(conn, db);
                tables.push(...inv.tables);
                objects[db] = inv.objects;
            }
            return { tables, extra: { objects } };
        }
        catch (err) {
            if (err instanceof ConfigError || err instanceof SourceError)
                throw err;
            throw classify(err, 'target', target, ctx);
        }
        finally {
            await conn.end().catch(() => { });
        }
    },
};

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(78474);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(73136);
;// CONCATENATED MODULE: ./build/src/sources/redis-format.js
/**
 * Byte formats of the Redis source: Redis's CRC-64 (the "Jones" polynomial, used by RDB files
 * and DUMP payloads), a streaming check of an RDB file, and Lifeboat's logical key stream.
 *
 * Logical key stream (`keys.lbr`), format 1. All integers are big-endian.
 *
 *   magic      8 bytes   "LBREDIS" followed by the format byte 0x01
 *   header     u32 n, then n bytes of UTF-8 JSON ({ redisVersion, createdAt })
 *   records, each starting with a one-byte tag:
 *     'S' 0x53  select    u32 db                   (the keys that follow belong to this db)
 *     'K' 0x4B  key       u32 keyLen, key bytes,
 *                         i64 pttl                  (ms left when dumped; -1 = no expiry)
 *                         u8 typeLen, type (ASCII: string, hash, list, set, zset, stream, …)
 *                         u32 payloadLen, payload   (the server's DUMP output, restored with RESTORE)
 *     'E' 0x45  end       u64 key count            (number of 'K' records; must be the last record)
 *
 * A stream without its 'E' record, or with bytes after it, is truncated or corrupt. Each DUMP
 * payload carries its own RDB version and CRC-64, which a structural check also verifies.
 */
const LOGICAL_MAGIC = Buffer.from('LBREDIS\x01', 'latin1');
const TAG_SELECT = 0x53;
const TAG_KEY = 0x4b;
const TAG_END = 0x45;
const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
{
    // Reflected form of 0xad93d23594c935a9.
    const poly = 0x95ac9329ac4bc9b5n;
    for (let i = 0; i < 256; i++) {
        let c = BigInt(i);
        for (let k = 0; k < 8; k++)
            c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
        TABLE_LO[i] = Number(c & 0xffffffffn);
        TABLE_HI[i] = Number(c >> 32n);
    }
}
/** Incremental CRC-64/Jones as Redis computes it (init 0, reflected, no final xor). */
class Crc64 {
    lo = 0;
    hi = 0;
    update(data) {
        let lo = this.lo;
        let hi = this.hi;
        for (let i = 0; i < data.length; i++) {
            const idx = (lo ^ data[i]) & 0xff;
            lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx];
            hi = (hi >>> 8) ^ TABLE_HI[idx];
        }
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return this;
    }
    /** The checksum as Redis stores it: 8 bytes little-endian. */
    digestLE() {
        const b = Buffer.alloc(8);
        b.writeUInt32LE(this.lo, 0);
        b.writeUInt32LE(this.hi, 4);
        return b;
    }
}
/**
 * Checks an RDB file while it streams past: the `REDIS0009`-style magic, the EOF opcode and
 * the CRC-64 trailer (an all-zero trailer means the server runs with `rdbchecksum no`).
 */
class RdbStreamCheck {
    crc = new Crc64();
    tail = Buffer.alloc(0);
    head = Buffer.alloc(0);
    lastFed = -1;
    size = 0;
    update(chunk) {
        this.size += chunk.length;
        if (this.head.length < 9)
            this.head = Buffer.concat([this.head, chunk.subarray(0, 9 - this.head.length)]);
        const all = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
        const feed = all.length - 8;
        if (feed > 0) {
            this.crc.update(all.subarray(0, feed));
            this.lastFed = all[feed - 1];
            this.tail = Buffer.from(all.subarray(feed));
        }
        else
            this.tail = Buffer.from(all);
    }
    /** RDB format version from the magic, e.g. 10. */
    get version() {
        const m = /^REDIS(\d{4})$/.exec(this.head.toString('latin1'));
        return m ? Number(m[1]) : undefined;
    }
    /** Problems found, empty when the file is whole. `checksummed` is false when rdbchecksum was off. */
    finish() {
        const problems = [];
        if (this.version === undefined)
            problems.push('it does not start with the RDB magic (REDISnnnn)');
        if (this.tail.length < 8 || this.lastFed !== 0xff)
            problems.push('it does not end with the RDB EOF marker (truncated)');
        const zero = this.tail.length === 8 && this.tail.every((b) => b === 0);
        if (!zero && problems.length === 0 && !this.crc.digestLE().equals(this.tail)) {
            problems.push('its CRC-64 trailer does not match its content');
        }
        return { problems, checksummed: !zero };
    }
}
/** A DUMP payload ends with a 2-byte RDB version and the CRC-64 of everything before it. */
function dumpPayloadProblem(payload) {
    if (payload.length < 11)
        return 'payload too short';
    const body = payload.subarray(0, payload.length - 8);
    const crc = new Crc64().update(body).digestLE();
    const stored = payload.subarray(payload.length - 8);
    if (stored.every((b) => b === 0))
        return undefined;
    return crc.equals(stored) ? undefined : 'payload CRC-64 mismatch';
}
function encodeSelect(db) {
    const b = Buffer.alloc(5);
    b[0] = TAG_SELECT;
    b.writeUInt32BE(db, 1);
    return b;
}
function encodeKey(key, pttl, type, payload) {
    const typeBuf = Buffer.from(type, 'latin1');
    const head = Buffer.alloc(1 + 4);
    head[0] = TAG_KEY;
    head.writeUInt32BE(key.length, 1);
    const mid = Buffer.alloc(8 + 1);
    mid.writeBigInt64BE(BigInt(pttl), 0);
    mid[8] = typeBuf.length;
    const plen = Buffer.alloc(4);
    plen.writeUInt32BE(payload.length, 0);
    return Buffer.concat([head, key, mid, typeBuf, plen, payload]);
}
function encodeEnd(count) {
    const b = Buffer.alloc(9);
    b[0] = TAG_END;
    b.writeBigUInt64BE(BigInt(count), 1);
    return b;
}
function redis_format_encodeHeader(meta) {
    const json = Buffer.from(JSON.stringify(meta), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length, 0);
    return Buffer.concat([LOGICAL_MAGIC, len, json]);
}
/** Pulls exact byte counts out of a chunked stream. */
class ByteReader {
    it;
    buf = Buffer.alloc(0);
    done = false;
    constructor(source) {
        this.it = source[Symbol.asyncIterator]();
    }
    /** Exactly n bytes, or undefined at a clean end of stream before any of them; throws on a partial read. */
    async read(n) {
        while (this.buf.length < n && !this.done) {
            const r = await this.it.next();
            if (r.done)
                this.done = true;
            else
                this.buf = this.buf.length
                    ? Buffer.concat([this.buf, Buffer.from(r.value)])
                    : Buffer.from(r.value);
        }
        if (this.buf.length === 0 && n > 0)
            return undefined;
        if (this.buf.length < n)
            throw new Error(`stream ends inside a record (${this.buf.length} of ${n} bytes)`);
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return out;
    }
    async exact(n) {
        const b = await this.read(n);
        if (!b)
            throw new Error(`stream ends where ${n} more bytes were expected`);
        return b;
    }
    async atEnd() {
        return (await this.read(1)) === undefined;
    }
}
/** Parse a logical stream: the header, then its records. Throws on any framing problem. */
async function* readLogical(source) {
    const r = new ByteReader(source);
    const magic = await r.read(8);
    if (!magic || !magic.equals(LOGICAL_MAGIC))
        throw new Error('not a Lifeboat Redis key stream (bad magic)');
    const hlen = (await r.exact(4)).readUInt32BE(0);
    yield {
        tag: 'header',
        meta: JSON.parse((await r.exact(hlen)).toString('utf8')),
    };
    let keys = 0;
    for (;;) {
        const tagBuf = await r.read(1);
        if (!tagBuf)
            throw new Error('stream ends without its end record (truncated)');
        const tag = tagBuf[0];
        if (tag === TAG_SELECT)
            yield { tag: 'select', db: (await r.exact(4)).readUInt32BE(0) };
        else if (tag === TAG_KEY) {
            const key = Buffer.from(await r.exact((await r.exact(4)).readUInt32BE(0)));
            const mid = await r.exact(9);
            const pttl = Number(mid.readBigInt64BE(0));
            const type = (await r.exact(mid[8])).toString('latin1');
            const payload = Buffer.from(await r.exact((await r.exact(4)).readUInt32BE(0)));
            keys++;
            yield { tag: 'key', key, pttl, type, payload };
        }
        else if (tag === TAG_END) {
            const count = Number((await r.exact(8)).readBigUInt64BE(0));
            if (count !== keys)
                throw new Error(`end record counts ${count} keys but the stream holds ${keys}`);
            if (!(await r.atEnd()))
                throw new Error('bytes follow the end record');
            yield { tag: 'end', count };
            return;
        }
        else
            throw new Error(`unknown record tag 0x${(tag ?? 0).toString(16)}`);
    }
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
;// CONCATENATED MODULE: ./build/src/sources/redis-protocol.js
/**
 * A minimal RESP2 client: enough for AUTH, SELECT, SCAN, TYPE, DUMP, PTTL, RESTORE, INFO and the
 * replication handshake (SYNC), over TCP, TLS or a unix socket. Commands are pipelined: every
 * reply is matched to its command in order, so a batch costs one round trip.
 */


/** An error reply from the server (`-ERR …`, `-NOPERM …`, `-BUSYKEY …`). */
class RedisReplyError extends Error {
    /** First word of the reply: ERR, NOPERM, WRONGPASS, BUSYKEY, … */
    code;
    constructor(message) {
        super(message);
        this.name = 'RedisReplyError';
        this.code = message.split(' ')[0] ?? 'ERR';
    }
}
/** Incremental RESP2 parser. Bulk strings come back as Buffers (binary safe). */
class RespParser {
    buf = Buffer.alloc(0);
    pos = 0;
    push(data) {
        this.buf =
            this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), data]) : data;
        this.pos = 0;
    }
    /** Unparsed bytes left over (the start of a raw payload after SYNC). */
    takeRest() {
        const rest = this.buf.subarray(this.pos);
        this.buf = Buffer.alloc(0);
        this.pos = 0;
        return rest;
    }
    /** One complete reply, or undefined when more bytes are needed. */
    next() {
        const start = this.pos;
        const out = this.parse();
        if (out === undefined)
            this.pos = start;
        return out;
    }
    line() {
        const end = this.buf.indexOf('\r\n', this.pos);
        if (end < 0)
            return undefined;
        const s = this.buf.toString('utf8', this.pos, end);
        this.pos = end + 2;
        return s;
    }
    parse() {
        if (this.pos >= this.buf.length)
            return undefined;
        const type = String.fromCharCode(this.buf[this.pos]);
        this.pos++;
        const line = this.line();
        if (line === undefined)
            return undefined;
        switch (type) {
            case '+':
                return { value: line };
            case '-':
                return { value: new RedisReplyError(line) };
            case ':':
                return { value: Number(line) };
            case '$': {
                const len = Number(line);
                if (len < 0)
                    return { value: null };
                if (this.pos + len + 2 > this.buf.length)
                    return undefined;
                const value = Buffer.from(this.buf.subarray(this.pos, this.pos + len));
                this.pos += len + 2;
                return { value };
            }
            case '*': {
                const n = Number(line);
                if (n < 0)
                    return { value: null };
                const items = [];
                for (let i = 0; i < n; i++) {
                    const item = this.parse();
                    if (item === undefined)
                        return undefined;
                    items.push(item.value);
                }
                return { value: items };
            }
            default:
                throw new Error(`unexpected RESP type byte '${type}'`);
        }
    }
}
function encodeCommand(args) {
    const parts = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
        const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
        parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
    }
    return Buffer.concat(parts);
}
class RedisConnection {
    socket;
    parser = new RespParser();
    pending = [];
    failure;
    detached = false;
    constructor(socket) {
        this.socket = socket;
        socket.on('data', (d) => this.onData(d));
        socket.on('error', (err) => this.fail(err));
        socket.on('close', () => this.fail(new Error('connection closed by the server')));
    }
    static async connect(opts) {
        const socket = await new Promise((resolve, reject) => {
            const onError = (err) => reject(err);
            let s;
            if (opts.path)
                s = external_node_net_.connect({ path: opts.path }, () => done());
            else if (opts.tls) {
                const host = opts.host ?? '127.0.0.1';
                s = external_node_tls_.connect({ host, port: opts.port ?? 6379, servername: external_node_net_.isIP(host) ? undefined : host }, () => done());
            }
            else
                s = external_node_net_.connect({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 6379 }, () => done());
            function done() {
                s.off('error', onError);
                resolve(s);
            }
            s.once('error', onError);
            opts.signal?.addEventListener('abort', () => s.destroy(new Error('aborted')), { once: true });
        });
        socket.setNoDelay(true);
        const conn = new RedisConnection(socket);
        try {
            if (opts.password !== undefined && opts.password !== '') {
                const args = opts.username
                    ? ['AUTH', opts.username, opts.password]
                    : ['AUTH', opts.password];
                await conn.call(...args);
            }
            if (opts.db !== undefined && opts.db !== 0)
                await conn.call('SELECT', opts.db);
        }
        catch (err) {
            conn.close();
            throw err;
        }
        return conn;
    }
    onData(d) {
        if (this.detached)
            return;
        this.parser.push(d);
        for (;;) {
            if (this.pending.length === 0)
                return;
            let out;
            try {
                out = this.parser.next();
            }
            catch (err) {
                this.fail(err);
                this.socket.destroy();
                return;
            }
            if (!out)
                return;
            this.pending.shift().resolve(out.value);
        }
    }
    fail(err) {
        this.failure ??= err;
        while (this.pending.length)
            this.pending.shift().reject(err);
    }
    /** Send commands in one write; replies (error replies included, as RedisReplyError) in order. */
    pipeline(commands) {
        if (this.failure)
            return Promise.reject(this.failure);
        const replies = commands.map(() => new Promise((resolve, reject) => this.pending.push({ resolve, reject })));
        this.socket.write(Buffer.concat(commands.map(encodeCommand)));
        return Promise.all(replies);
    }
    /** One command; an error reply rejects with RedisReplyError. */
    async call(...args) {
        const [reply] = await this.pipeline([args]);
        if (reply instanceof RedisReplyError)
            throw reply;
        return reply;
    }
    /**
     * Send a command whose answer is a raw byte stream (SYNC) and take over the socket: returns
     * the socket and the bytes already received past any parsed replies.
     */
    detach(args) {
        this.detached = true;
        this.socket.removeAllListeners('data');
        this.socket.removeAllListeners('close');
        this.socket.removeAllListeners('error');
        const head = this.parser.takeRest();
        this.socket.write(encodeCommand(args));
        return { socket: this.socket, head };
    }
    close() {
        this.detached = true;
        this.socket.destroy();
    }
}
function asText(v) {
    if (Buffer.isBuffer(v))
        return v.toString('utf8');
    if (v === null)
        return '';
    if (v instanceof RedisReplyError)
        throw v;
    return String(v);
}
/** Parse `INFO` output into key → value. */
function parseInfo(text) {
    const out = {};
    for (const line of text.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0 && !line.startsWith('#'))
            out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
}

;// CONCATENATED MODULE: ./build/src/sources/redis.js
/**
 * Redis source (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS).
 *
 * Two members, chosen by the `redis-mode` option:
 * - `dump.rdb`: the server's RDB snapshot, taken through the replication protocol (SYNC, as
 *   `redis-cli --rdb` does). It holds every database of the server. A client cannot load an RDB
 *   into a running server, so it is restored as a file (for disaster recovery: copy it into the
 *   data directory of a stopped server).
 * - `keys.lbr`: a logical stream (SCAN + DUMP + PTTL, format in redis-format.ts) of the URL's
 *   database, or of every non-empty one when the URL names none. It is what a restore into a
 *   live `redis://` target replays with RESTORE, keeping TTLs.
 *
 * `auto` (default) takes both, the RDB only when the server allows replication commands
 * (managed services often do not; a warning says so). `rdb` takes only the snapshot and fails
 * when refused; `logical` takes only the key stream.
 */











const RDB_MEMBER = 'dump.rdb';
const LOGICAL_MEMBER = 'keys.lbr';
/** Parse and validate a redis:// URL. Credentials: URL, else REDISCLI_AUTH / REDIS_PASSWORD. */
function parseRedisUrl(url, option, env = {}) {
    const u = parseUrl(option, url);
    const scheme = u.protocol.replace(/:$/, '');
    if (scheme !== 'redis' && scheme !== 'rediss') {
        throw new ConfigError(option, `'${redactUrl(url)}' is not a redis:// or rediss:// URL`);
    }
    const path = u.pathname.replace(/^\/+|\/+$/g, '');
    let db;
    if (path !== '') {
        if (!/^\d+$/.test(path)) {
            throw new ConfigError(option, `'/${path}' is not a database number`, {
                hint: 'write the database as a number after the host, e.g. redis://host:6379/2',
            });
        }
        db = Number(path);
    }
    const password = u.password
        ? decodeURIComponent(u.password)
        : (env.REDISCLI_AUTH ?? env.REDIS_PASSWORD);
    const username = u.username ? decodeURIComponent(u.username) : undefined;
    const conn = {
        host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
        port: u.port ? Number(u.port) : 6379,
        tls: scheme === 'rediss',
    };
    if (password)
        conn.password = password;
    if (username)
        conn.username = username;
    return { conn, db, displayUrl: redactUrl(url) };
}
async function redis_connect(target, option, ctx, db) {
    ctx.redactor.add(target.conn.password);
    try {
        const opts = { ...target.conn };
        if (db !== undefined)
            opts.db = db;
        if (ctx.signal)
            opts.signal = ctx.signal;
        return await RedisConnection.connect(opts);
    }
    catch (err) {
        if (err instanceof RedisReplyError &&
            /WRONGPASS|NOAUTH|invalid password|invalid username/i.test(err.message)) {
            throw new ConfigError(option, `Redis refused the credentials for ${target.displayUrl}: ${err.message}`, {
                hint: 'check the user and password in the URL (redis://user:password@host) or REDISCLI_AUTH',
            });
        }
        if (err instanceof RedisReplyError && /DB index is out of range/i.test(err.message)) {
            throw new ConfigError(option, `${target.displayUrl}: database ${db} does not exist on this server`, {
                hint: "use a database number below the server's `databases` setting (16 by default)",
            });
        }
        const msg = err instanceof Error ? err.message : String(err);
        throw new ConfigError(option, `cannot connect to ${target.displayUrl}: ${ctx.redactor.redact(msg)}`, {
            hint: 'check the host and port, that Redis is running and reachable, and rediss:// for TLS',
            cause: err,
        });
    }
}
/** Non-empty databases and their key counts, from INFO keyspace. */
async function keyspace(conn) {
    const info = parseInfo(asText(await conn.call('INFO', 'keyspace')));
    const out = new Map();
    for (const [k, v] of Object.entries(info)) {
        const m = /^db(\d+)$/.exec(k);
        const keys = /keys=(\d+)/.exec(v);
        if (m && keys)
            out.set(Number(m[1]), Number(keys[1]));
    }
    return out;
}
async function dbSize(conn, db) {
    const [, size] = await conn.pipeline([['SELECT', db], ['DBSIZE']]);
    if (size instanceof RedisReplyError)
        throw size;
    return Number(size);
}
/** SCAN one database in batches; `each` gets the keys of every batch. */
async function scanDb(conn, each) {
    let cursor = '0';
    do {
        const reply = (await conn.call('SCAN', cursor, 'COUNT', 1000));
        cursor = asText(reply[0]);
        const keys = reply[1] ?? [];
        if (keys.length)
            await each(keys);
    } while (cursor !== '0');
}
/** Keys per type in one database (a live scan). */
async function scanTypes(conn, db) {
    await conn.call('SELECT', db);
    const types = {};
    await scanDb(conn, async (keys) => {
        const replies = await conn.pipeline(keys.map((k) => ['TYPE', k]));
        for (const t of replies) {
            const type = asText(t);
            if (type !== 'none')
                types[type] = (types[type] ?? 0) + 1;
        }
    });
    return types;
}
function inventoryFrom(byDb, note) {
    const dbs = [...byDb.keys()].sort((a, b) => a - b);
    const keysByType = {};
    for (const db of dbs)
        keysByType[`db${db}`] = byDb.get(db);
    const extra = { keysByType };
    if (note)
        extra.note = note;
    return {
        tables: dbs.map((db) => ({
            name: `db${db}`,
            rows: Object.values(byDb.get(db)).reduce((a, b) => a + b, 0),
        })),
        extra,
    };
}
/** A tool on PATH (or undefined). */
async function findTool(name, env) {
    for (const dir of (env.PATH ?? process.env.PATH ?? '').split(':')) {
        if (!dir)
            continue;
        const p = (0,external_node_path_.join)(dir, name);
        try {
            const s = await (0,promises_.stat)(p);
            if (s.isFile() && s.mode & 0o111)
                return p;
        }
        catch {
            // not in this folder
        }
    }
    return undefined;
}
/** Runs `redis-check-rdb /dev/stdin` fed by the caller; resolves to its verdict. */
function startRdbCheck(tool, env) {
    // Node gives a child a socket, not a pipe, as stdin, and /dev/stdin cannot open a socket:
    // `cat` turns it into a real pipe. The tool path travels as $0, never through the shell's parser.
    const child = (0,external_node_child_process_.spawn)('sh', ['-c', 'cat | "$0" /dev/stdin', tool], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { PATH: env.PATH ?? process.env.PATH ?? '' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output = (output + d.toString()).slice(-4000)));
    child.stderr.on('data', (d) => (output = (output + d.toString()).slice(-4000)));
    child.stdin.on('error', () => {
        // it exits early on a bad file; the exit code says why
    });
    const done = new Promise((resolve) => {
        child.on('error', (err) => resolve({ ok: false, output: err.message }));
        child.on('close', (code) => resolve({ ok: code === 0, output }));
    });
    return {
        async write(chunk) {
            if (child.stdin.destroyed || child.exitCode !== null)
                return;
            if (!child.stdin.write(chunk))
                await Promise.race([(0,external_node_events_.once)(child.stdin, 'drain'), done]);
        },
        async finish() {
            child.stdin.end();
            return done;
        },
        abort() {
            // Closing its input ends `cat`, then the checker; killing `sh` would leave both running.
            child.stdin.destroy();
        },
    };
}
/** Streams an RDB (or any bytes) through the CRC check and redis-check-rdb; throws when either objects. */
async function* checkedRdb(source, ctx, onDone, makeError) {
    const check = new RdbStreamCheck();
    const tool = await findTool('redis-check-rdb', ctx.env);
    const ext = tool ? startRdbCheck(tool, ctx.env) : undefined;
    let finished = false;
    try {
        for await (const chunk of source) {
            check.update(chunk);
            if (ext)
                await ext.write(chunk);
            yield chunk;
        }
        const verdict = check.finish();
        if (verdict.problems.length)
            throw makeError(`the RDB snapshot is not whole: ${verdict.problems.join('; ')}`);
        if (!verdict.checksummed)
            ctx.log.warn('redis: the server writes RDB files without checksums (rdbchecksum no)');
        if (ext) {
            const r = await ext.finish();
            finished = true;
            if (!r.ok)
                throw makeError(`redis-check-rdb rejected the snapshot: ${r.output.trim().split('\n').slice(-3).join(' | ')}`);
        }
        else
            ctx.log.debug('redis: redis-check-rdb not found; checked the RDB magic, EOF marker and CRC-64 only');
    }
    finally {
        // A failed or abandoned stream must not leave the checker waiting on its input.
        if (!finished)
            ext?.abort();
    }
    onDone({
        size: check.size,
        version: check.version,
        checker: tool ? 'redis-check-rdb + crc64' : 'crc64',
    });
}
/**
 * Ask for an RDB through the replication protocol. Resolves once the server has either started
 * sending the payload or refused (error reply, or closed the connection).
 */
async function openRdbSync(conn) {
    try {
        await conn.call('REPLCONF', 'capa', 'eof');
    }
    catch (err) {
        conn.close();
        return { refused: err.message };
    }
    // Redis 7+: send only the snapshot and do not keep us as a replica. Older servers say no.
    await conn.pipeline([['REPLCONF', 'rdb-only', '1']]);
    const { socket, head } = conn.detach(['SYNC']);
    const it = socketChunks(socket, head);
    let buf = Buffer.alloc(0);
    for (;;) {
        // The server sends bare newlines as keep-alives while it prepares the snapshot.
        let i = 0;
        while (i < buf.length && buf[i] === 0x0a)
            i++;
        buf = buf.subarray(i);
        const end = buf.indexOf('\r\n');
        if (end >= 0)
            break;
        const r = await it.next();
        if (r.done)
            return { refused: 'the server closed the connection instead of sending a snapshot' };
        buf = Buffer.concat([buf, r.value]);
    }
    const end = buf.indexOf('\r\n');
    const line = buf.toString('latin1', 0, end);
    const rest = buf.subarray(end + 2);
    if (line.startsWith('-')) {
        socket.destroy();
        return { refused: line.slice(1) };
    }
    if (line.startsWith('$EOF:')) {
        const mark = Buffer.from(line.slice(5), 'latin1');
        return { stream: untilMark(it, rest, mark, socket), diskless: true };
    }
    if (/^\$\d+$/.test(line))
        return { stream: exactly(it, rest, Number(line.slice(1)), socket), diskless: false };
    socket.destroy();
    return { refused: `unexpected reply to SYNC: ${line.slice(0, 80)}` };
}
async function* socketChunks(socket, head) {
    if (head.length)
        yield head;
    for await (const chunk of socket)
        yield chunk;
}
async function* exactly(it, first, length, socket) {
    let left = length;
    try {
        let chunk = first;
        while (left > 0) {
            if (!chunk) {
                const r = await it.next();
                if (r.done)
                    throw new SourceError(`the connection closed after ${length - left} of ${length} snapshot bytes`);
                chunk = r.value;
            }
            const part = chunk.subarray(0, left);
            left -= part.length;
            if (part.length)
                yield part;
            chunk = undefined;
        }
    }
    finally {
        socket.destroy();
    }
}
async function* untilMark(it, first, mark, socket) {
    // Hold back the last mark-length bytes: the payload ends where the mark appears.
    let hold = first;
    try {
        for (;;) {
            const at = hold.indexOf(mark);
            if (at >= 0) {
                if (at > 0)
                    yield hold.subarray(0, at);
                return;
            }
            if (hold.length > mark.length) {
                yield hold.subarray(0, hold.length - mark.length);
                hold = hold.subarray(hold.length - mark.length);
            }
            const r = await it.next();
            if (r.done)
                throw new SourceError('the connection closed before the end of the snapshot');
            hold = Buffer.concat([hold, r.value]);
        }
    }
    finally {
        socket.destroy();
    }
}
/** The logical stream of the given databases; fills `byDb` with per-type counts as it goes. */
async function* logicalStream(conn, dbs, meta, byDb, ctx) {
    yield redis_format_encodeHeader(meta);
    let total = 0;
    for (const db of dbs) {
        await conn.call('SELECT', db);
        yield encodeSelect(db);
        const types = {};
        byDb.set(db, types);
        let cursor = '0';
        do {
            if (ctx.signal?.aborted)
                throw new SourceError('redis: dump aborted');
            const reply = (await conn.call('SCAN', cursor, 'COUNT', 1000));
            cursor = asText(reply[0]);
            const keys = reply[1] ?? [];
            if (!keys.length)
                continue;
            const replies = await conn.pipeline(keys.flatMap((k) => [
                ['TYPE', k],
                ['PTTL', k],
                ['DUMP', k],
            ]));
            const out = [];
            for (let i = 0; i < keys.length; i++) {
                const [t, ttl, payload] = replies.slice(i * 3, i * 3 + 3);
                for (const r of [t, ttl, payload]) {
                    if (r instanceof RedisReplyError) {
                        throw new SourceError(`redis: reading key ${JSON.stringify(keys[i].toString('utf8'))} of db ${db} failed: ${r.message}`, {
                            hint: 'the user needs +scan +type +pttl +dump (ACL: +@read +@keyspace)',
                        });
                    }
                }
                // Expired or deleted between SCAN and DUMP: it is simply not part of the backup.
                if (!Buffer.isBuffer(payload) || Number(ttl) === -2)
                    continue;
                const type = asText(t);
                types[type] = (types[type] ?? 0) + 1;
                out.push(encodeKey(keys[i], Number(ttl), type, payload));
                total++;
            }
            if (out.length)
                yield Buffer.concat(out);
        } while (cursor !== '0');
    }
    yield encodeEnd(total);
}
function mode(ctx) {
    const m = ctx.options['redis-mode'] ?? 'auto';
    if (m !== 'auto' && m !== 'rdb' && m !== 'logical') {
        throw new ConfigError('redis-mode', `'${String(m)}' is not a Redis mode`, {
            hint: 'use auto, rdb or logical',
        });
    }
    return m;
}
class RedisSource {
    kind = 'redis';
    displayUrl;
    target;
    constructor(target) {
        this.target = target;
        this.displayUrl = target.displayUrl;
    }
    async dump(sink, ctx) {
        const m = mode(ctx);
        const conn = await redis_connect(this.target, 'source', ctx, this.target.db);
        const details = { mode: m };
        const versions = {};
        let inventory;
        try {
            const info = parseInfo(asText(await conn.call('INFO', 'server')));
            versions.server = info.redis_version ?? 'unknown';
            const space = await keyspace(conn);
            const dbs = this.target.db !== undefined ? [this.target.db] : [...space.keys()].sort((a, b) => a - b);
            if (this.target.db !== undefined)
                await conn.call('SELECT', this.target.db);
            if (m !== 'logical') {
                const rdbConn = await redis_connect(this.target, 'source', ctx);
                const sync = await openRdbSync(rdbConn);
                if ('refused' in sync) {
                    const why = ctx.redactor.redact(sync.refused);
                    if (m === 'rdb') {
                        throw new SourceError(`redis: the server refused the replication snapshot (${why})`, {
                            hint: 'managed services often forbid SYNC; set redis-mode: logical (or auto) to back up with SCAN + DUMP',
                        });
                    }
                    ctx.log.warn(`redis: the server refused the RDB snapshot (${why}); continuing with the logical key stream only`);
                    details.rdb = { refused: why };
                }
                else {
                    ctx.log.info(`redis: taking the RDB snapshot of ${this.displayUrl} (all databases)`);
                    let facts;
                    const body = checkedRdb(sync.stream, ctx, (f) => (facts = f), (msg) => new SourceError(`redis: ${msg}`));
                    await sink.addFile(RDB_MEMBER, external_node_stream_.Readable.from(body), { mode: 0o600 });
                    details.rdb = {
                        member: RDB_MEMBER,
                        rdbVersion: facts?.version,
                        checkedWith: facts?.checker,
                        diskless: sync.diskless,
                    };
                    ctx.log.info(`redis: RDB snapshot ${formatBytes(facts?.size ?? 0)}, checked with ${facts?.checker}`);
                    if (m === 'rdb') {
                        // The snapshot holds every database: inventory them all (a live scan at dump time).
                        const byDb = new Map();
                        for (const db of [...space.keys()].sort((a, b) => a - b))
                            byDb.set(db, await scanTypes(conn, db));
                        inventory = inventoryFrom(byDb, 'live scan taken beside the RDB snapshot');
                    }
                }
            }
            if (m !== 'rdb') {
                const byDb = new Map();
                const meta = { redisVersion: versions.server, createdAt: new Date().toISOString() };
                ctx.log.info(`redis: writing the logical key stream of db ${dbs.join(', ') || '(none: server is empty)'}`);
                const rec = await sink.addFile(LOGICAL_MEMBER, external_node_stream_.Readable.from(logicalStream(conn, dbs, meta, byDb, ctx)), {
                    mode: 0o600,
                });
                details.logical = { member: LOGICAL_MEMBER, databases: dbs, format: 1 };
                inventory = inventoryFrom(byDb);
                ctx.log.info(`redis: ${inventory.tables.reduce((a, t) => a + t.rows, 0)} keys, ${formatBytes(rec.size ?? 0)}`);
            }
        }
        finally {
            conn.close();
        }
        return { versions, inventory: inventory ?? { tables: [] }, details };
    }
}
/** `file:` URL or plain path → absolute path (RDB restores). */
function filePathOf(target) {
    if (target.startsWith('file://'))
        return (0,external_node_url_.fileURLToPath)(target);
    if (target.startsWith('file:'))
        return (0,external_node_path_.resolve)(target.slice(5));
    return (0,external_node_path_.resolve)(target);
}
async function restoreRdbFile(members, request, ctx) {
    let path = filePathOf(request.target);
    const existing = await (0,promises_.stat)(path).catch(() => undefined);
    if (existing?.isDirectory())
        path = (0,external_node_path_.join)(path, 'dump.rdb');
    else if (request.target.endsWith('/'))
        path = (0,external_node_path_.join)(path, 'dump.rdb');
    const there = await (0,promises_.stat)(path).catch(() => undefined);
    if (there && !request.overwrite) {
        throw new ConfigError('target', `${path} already exists`, {
            hint: 'choose a new path, or set overwrite: true to replace it',
        });
    }
    let written = false;
    for await (const entry of members) {
        if (entry.path !== RDB_MEMBER || !entry.body) {
            entry.body?.resume();
            continue;
        }
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
        const tmp = `${path}.lifeboat-${process.pid}.tmp`;
        const fh = await (0,promises_.open)(tmp, 'w', 0o600);
        try {
            const check = checkedRdb(entry.body, ctx, () => { }, (msg) => new IntegrityError(`redis: ${msg}`));
            for await (const chunk of check)
                await fh.write(chunk);
            await fh.sync();
        }
        catch (err) {
            await fh.close();
            await (0,promises_.rm)(tmp, { force: true });
            throw err;
        }
        await fh.close();
        await (0,promises_.rename)(tmp, path);
        written = true;
    }
    if (!written) {
        throw new ConfigError('target', 'this backup holds no RDB snapshot (it was taken in logical mode or the server refused SYNC)', {
            hint: 'restore it into a live server with a redis://host:port/db target',
        });
    }
    return {
        location: path,
        notes: [
            `RDB snapshot written to ${path}; a running server cannot load it. To use it: stop Redis, copy it to the`,
            "server's `dir`/`dbfilename` (CONFIG GET dir / dbfilename), disable appendonly or remove the AOF, start Redis.",
        ],
    };
}
async function restoreLogical(members, request, ctx) {
    const target = parseRedisUrl(request.target, 'target', ctx.env);
    const logical = request.manifest.details?.logical;
    if (!logical) {
        throw new ConfigError('target', 'this backup holds only an RDB snapshot (redis-mode: rdb), which a live server cannot load', {
            hint: 'restore it to a file path (target: /path/to/dump.rdb) and place it in the data directory of a stopped Redis; take future backups with redis-mode: auto',
        });
    }
    const sourceDbs = logical.databases ?? [];
    if (target.db !== undefined && sourceDbs.length > 1) {
        throw new ConfigError('target', `the backup holds databases ${sourceDbs.join(', ')}; a target with /${target.db} can take only one`, {
            hint: 'leave the database out of the target URL to restore each into its own number',
        });
    }
    const mapDb = (db) => target.db ?? db;
    const conn = await redis_connect(target, 'target', ctx);
    const notes = [];
    try {
        const busy = [];
        for (const db of sourceDbs) {
            const n = await dbSize(conn, mapDb(db));
            if (n > 0)
                busy.push(`db ${mapDb(db)} holds ${n} keys`);
        }
        if (busy.length && !request.overwrite) {
            throw new ConfigError('target', `${target.displayUrl} is not empty (${busy.join(', ')})`, {
                hint: 'restore into an empty database (e.g. another /db number), or set overwrite: true to replace the keys the backup holds',
            });
        }
        if (busy.length && request.safetyBackup) {
            const id = await request.safetyBackup(request.target);
            notes.push(`safety backup of the target taken first: ${id}`);
        }
        const replace = request.overwrite;
        let batch = [];
        let batchBytes = 0;
        let restored = 0;
        const flush = async () => {
            if (!batch.length)
                return;
            const cmds = batch;
            batch = [];
            batchBytes = 0;
            const replies = await conn.pipeline(cmds);
            replies.forEach((r, i) => {
                if (!(r instanceof RedisReplyError))
                    return;
                const cmd = cmds[i];
                if (cmd[0] === 'SELECT')
                    throw new SourceError(`redis: SELECT ${String(cmd[1])} failed on the target: ${r.message}`);
                const key = JSON.stringify(cmd[1].toString('utf8'));
                if (r.code === 'BUSYKEY') {
                    throw new SourceError(`redis: key ${key} appeared in the target during the restore`, {
                        hint: 'make sure nothing writes to the target database, or set overwrite: true',
                    });
                }
                throw new SourceError(`redis: RESTORE of key ${key} failed: ${r.message}`, {
                    hint: /payload version|checksum/i.test(r.message)
                        ? `the target Redis is older than the one backed up (${request.manifest.versions.server}); restore into the same or a newer version`
                        : undefined,
                });
            });
        };
        let sawLogical = false;
        for await (const entry of members) {
            if (entry.path !== LOGICAL_MEMBER || !entry.body) {
                entry.body?.resume();
                continue;
            }
            sawLogical = true;
            try {
                for await (const rec of readLogical(entry.body)) {
                    if (rec.tag === 'select') {
                        batch.push(['SELECT', mapDb(rec.db)]);
                    }
                    else if (rec.tag === 'key') {
                        const ttl = rec.pttl > 0 ? rec.pttl : 0;
                        const cmd = ['RESTORE', rec.key, ttl, rec.payload];
                        if (replace)
                            cmd.push('REPLACE');
                        batch.push(cmd);
                        batchBytes += rec.payload.length + rec.key.length;
                        restored++;
                        if (batch.length >= 500 || batchBytes >= 8 * 1024 * 1024)
                            await flush();
                    }
                }
            }
            catch (err) {
                if (err instanceof SourceError || err instanceof ConfigError)
                    throw err;
                throw new IntegrityError(`redis: the key stream is damaged: ${err.message}`, {
                    cause: err,
                });
            }
            await flush();
        }
        if (!sawLogical)
            throw new IntegrityError(`redis: the backup lacks its ${LOGICAL_MEMBER} member`);
        const byDb = new Map();
        for (const db of sourceDbs)
            byDb.set(mapDb(db), await scanTypes(conn, mapDb(db)));
        notes.push(`${restored} keys restored into ${target.displayUrl}${replace ? ' (existing keys replaced)' : ''}`);
        return { location: target.displayUrl, inventory: inventoryFrom(byDb), notes };
    }
    finally {
        conn.close();
    }
}
async function redis_verifyMembers(members, manifest, ctx) {
    const expectRdb = Boolean(manifest.details?.rdb?.member);
    const expectLogical = Boolean(manifest.details?.logical);
    let sawRdb = false;
    let sawLogical = false;
    for await (const entry of members) {
        if (entry.path === RDB_MEMBER && entry.body) {
            sawRdb = true;
            for await (const _ of checkedRdb(entry.body, ctx, () => { }, (msg) => new IntegrityError(`redis: ${msg}`))) {
                // the checks run as the bytes pass
            }
        }
        else if (entry.path === LOGICAL_MEMBER && entry.body) {
            sawLogical = true;
            const byDb = new Map();
            let types;
            try {
                for await (const rec of readLogical(entry.body)) {
                    if (rec.tag === 'select')
                        byDb.set(rec.db, (types = {}));
                    else if (rec.tag === 'key') {
                        if (!types)
                            throw new Error('a key record comes before any select record');
                        const problem = dumpPayloadProblem(rec.payload);
                        if (problem)
                            throw new Error(`key ${JSON.stringify(rec.key.toString('utf8'))}: ${problem}`);
                        types[rec.type] = (types[rec.type] ?? 0) + 1;
                    }
                }
            }
            catch (err) {
                throw new IntegrityError(`redis: ${LOGICAL_MEMBER} is damaged: ${err.message}`, {
                    cause: err,
                });
            }
            const found = inventoryFrom(byDb).extra.keysByType;
            const listed = manifest.inventory.extra?.keysByType;
            if (manifest.details?.mode !== 'rdb' && JSON.stringify(found) !== JSON.stringify(listed)) {
                throw new IntegrityError(`redis: ${LOGICAL_MEMBER} holds ${JSON.stringify(found)} but the manifest lists ${JSON.stringify(listed)}`);
            }
        }
        else
            entry.body?.resume();
    }
    if (expectRdb && !sawRdb)
        throw new IntegrityError(`redis: the backup lacks its ${RDB_MEMBER} member`);
    if (expectLogical && !sawLogical)
        throw new IntegrityError(`redis: the backup lacks its ${LOGICAL_MEMBER} member`);
}
const redisDriver = {
    kind: 'redis',
    schemes: ['redis', 'rediss'],
    open(url, ctx) {
        const target = parseRedisUrl(url, 'source', ctx.env);
        ctx.redactor.add(target.conn.password);
        mode(ctx);
        return new RedisSource(target);
    },
    async restore(members, request, ctx) {
        const scheme = schemeOf(request.target);
        if (scheme === 'redis' || scheme === 'rediss')
            return restoreLogical(members, request, ctx);
        if (scheme === undefined || scheme === 'file' || /^[a-zA-Z]:[\\/]/.test(request.target)) {
            return restoreRdbFile(members, request, ctx);
        }
        throw new ConfigError('target', `a Redis backup restores into redis:// (or rediss://) or a file path, not '${scheme}:'`, {
            hint: 'use redis://host:6379/<db> for a live server, or a path such as /var/lib/redis/dump.rdb for the snapshot',
        });
    },
    verify: redis_verifyMembers,
    async inventory(url, ctx) {
        const target = parseRedisUrl(url, 'target', ctx.env);
        const conn = await redis_connect(target, 'target', ctx);
        try {
            const dbs = target.db !== undefined
                ? [target.db]
                : [...(await keyspace(conn)).keys()].sort((a, b) => a - b);
            const byDb = new Map();
            for (const db of dbs)
                byDb.set(db, await scanTypes(conn, db));
            return inventoryFrom(byDb);
        }
        finally {
            conn.close();
        }
    },
};

;// CONCATENATED MODULE: ./build/src/sources/registry.js







/** Every source kind. Adding a source is one file in src/sources and one line here. */
const sourceDrivers = [sqliteDriver, dirDriver, pgDriver, mysqlDriver, redisDriver];
function acceptedSourceSchemes() {
    return sourceDrivers.flatMap((d) => d.schemes.map((s) => `${s}:`));
}
function driverForUrl(url, option = 'source') {
    const scheme = schemeOf(url);
    const driver = scheme ? sourceDrivers.find((d) => d.schemes.includes(scheme)) : undefined;
    if (!driver) {
        throw new ConfigError(option, scheme ? `unknown scheme '${scheme}:' in '${url.split('@').pop()}'` : `'${url.split('@').pop()}' has no scheme`, { hint: `use one of ${acceptedSourceSchemes().join(' ')}` });
    }
    return driver;
}
function driverForKind(kind) {
    const driver = sourceDrivers.find((d) => d.kind === kind);
    if (!driver)
        throw new ConfigError(undefined, `this release cannot restore sources of kind '${kind}'`);
    return driver;
}

;// CONCATENATED MODULE: ./build/src/engine/fanout.js

function createBranches(count, highWaterMark = 1 << 20) {
    return Array.from({ length: count }, () => {
        const stream = new external_node_stream_.PassThrough({ highWaterMark });
        const branch = {
            stream,
            failed: false,
            settle(done) {
                done.then(() => undefined, () => {
                    branch.failed = true;
                    stream.emit('lifeboat-failed');
                });
            },
        };
        return branch;
    });
}
function writeTo(branch, chunk) {
    if (branch.failed || branch.stream.destroyed)
        return Promise.resolve();
    if (branch.stream.write(chunk))
        return Promise.resolve();
    return new Promise((resolve) => {
        const done = () => {
            branch.stream.off('drain', done);
            branch.stream.off('close', done);
            branch.stream.off('lifeboat-failed', done);
            resolve();
        };
        branch.stream.on('drain', done);
        branch.stream.on('close', done);
        branch.stream.on('lifeboat-failed', done);
    });
}
/** Pumps source into the branches. On a source error every branch is destroyed with it. */
async function pumpToBranches(source, branches) {
    try {
        for await (const chunk of source) {
            const live = branches.filter((b) => !b.failed);
            if (live.length === 0)
                break;
            await Promise.all(live.map((b) => writeTo(b, chunk)));
        }
    }
    catch (err) {
        for (const b of branches)
            b.stream.destroy(err);
        throw err;
    }
    for (const b of branches)
        if (!b.failed)
            b.stream.end();
}

// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(38321);
;// CONCATENATED MODULE: ./build/src/storage/artifact-zip.js






const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_TAIL = 22 + 0xffff + 20;
async function readZipDirectory(src, label) {
    const bad = (why) => new IntegrityError(`${label} is not a readable zip: ${why}`);
    const tailLength = Math.min(src.size, MAX_TAIL);
    const tailStart = src.size - tailLength;
    const tail = await src.read(tailStart, tailLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD) {
            at = i;
            break;
        }
    }
    if (at < 0)
        throw bad('no end of central directory record');
    let count = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
        const loc = at - 20;
        if (loc < 0 || tail.readUInt32LE(loc) !== ZIP64_LOCATOR)
            throw bad('missing ZIP64 locator');
        const z64 = Number(tail.readBigUInt64LE(loc + 8));
        const rec = await src.read(z64, 56);
        if (rec.readUInt32LE(0) !== ZIP64_EOCD)
            throw bad('bad ZIP64 end record');
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOffset = Number(rec.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > src.size)
        throw bad('central directory outside the file');
    const cd = await src.read(cdOffset, cdSize);
    const entries = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL)
            throw bad('truncated central directory');
        const method = cd.readUInt16LE(p + 10);
        const time = cd.readUInt16LE(p + 12);
        const date = cd.readUInt16LE(p + 14);
        const crc = cd.readUInt32LE(p + 16);
        let compressedSize = cd.readUInt32LE(p + 20);
        let size = cd.readUInt32LE(p + 24);
        const nameLength = cd.readUInt16LE(p + 28);
        const extraLength = cd.readUInt16LE(p + 30);
        const commentLength = cd.readUInt16LE(p + 32);
        let localHeaderOffset = cd.readUInt32LE(p + 42);
        const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
        let e = p + 46 + nameLength;
        const extraEnd = e + extraLength;
        while (e + 4 <= extraEnd) {
            const id = cd.readUInt16LE(e);
            const len = cd.readUInt16LE(e + 2);
            if (id === 0x0001) {
                let q = e + 4;
                // ZIP64 fields appear in this order, each only when its 32-bit field is saturated.
                if (size === 0xffffffff) {
                    size = Number(cd.readBigUInt64LE(q));
                    q += 8;
                }
                if (compressedSize === 0xffffffff) {
                    compressedSize = Number(cd.readBigUInt64LE(q));
                    q += 8;
                }
                if (localHeaderOffset === 0xffffffff)
                    localHeaderOffset = Number(cd.readBigUInt64LE(q));
            }
            e += 4 + len;
        }
        p = extraEnd + commentLength;
        const modified = new Date(1980 + (date >> 9), ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
        if (name.endsWith('/'))
            continue;
        entries.push({
            name: name.replace(/^\/+/, ''),
            method,
            compressedSize,
            size,
            crc32: crc,
            localHeaderOffset,
            modified,
        });
    }
    return entries;
}
/** The member's bytes, failing with IntegrityError at the end if its CRC-32 or size is wrong. */
async function openZipEntry(src, entry, label) {
    if (entry.method !== 0 && entry.method !== 8) {
        throw new IntegrityError(`${label}: ${entry.name} uses unsupported zip compression method ${entry.method}`);
    }
    const header = await src.read(entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL)
        throw new IntegrityError(`${label}: ${entry.name} has no local header`);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > src.size) {
        throw new IntegrityError(`${label}: ${entry.name} extends past the end of the zip`);
    }
    const raw = await src.stream(dataStart, entry.compressedSize);
    let crc = 0;
    let seen = 0;
    const check = new external_node_stream_.Transform({
        transform(chunk, _enc, done) {
            crc = (0,external_node_zlib_.crc32)(chunk, crc);
            seen += chunk.length;
            if (seen > entry.size)
                return done(new IntegrityError(`${label}: ${entry.name} is longer than recorded`));
            done(null, chunk);
        },
        flush(done) {
            if (seen !== entry.size || crc !== entry.crc32) {
                return done(new IntegrityError(`${label}: ${entry.name} is damaged (${seen} of ${entry.size} bytes, CRC-32 ${crc.toString(16)} instead of ${entry.crc32.toString(16)})`));
            }
            done();
        },
    });
    const forward = (from, to) => from.on('error', (err) => to.destroy(err instanceof IntegrityError
        ? err
        : new IntegrityError(`${label}: ${entry.name} could not be read: ${err.message}`, {
            cause: err,
        })));
    if (entry.method === 8) {
        const inflate = (0,external_node_zlib_.createInflateRaw)();
        forward(raw, inflate);
        forward(inflate, check);
        raw.pipe(inflate).pipe(check);
    }
    else {
        forward(raw, check);
        raw.pipe(check);
    }
    return check;
}
/** Reads a whole (small) member into memory. */
async function readZipEntry(src, entry, label) {
    const chunks = [];
    for await (const c of await openZipEntry(src, entry, label))
        chunks.push(c);
    return Buffer.concat(chunks);
}
async function fileByteSource(path) {
    const handle = await (0,promises_.open)(path, 'r');
    const { size } = await handle.stat();
    return {
        size,
        async read(offset, length) {
            const buf = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buf, 0, length, offset);
            return buf.subarray(0, bytesRead);
        },
        async stream(offset, length) {
            if (length === 0)
                return external_node_stream_.Readable.from([]);
            return (0,external_node_fs_.createReadStream)(path, { start: offset, end: offset + length - 1 });
        },
        close: () => handle.close(),
    };
}
/** sha256 (hex) of a stream, passing the bytes through; `expected` makes the end fail if different. */
function sha256Checker(expected, label) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    return new external_node_stream_.Transform({
        transform(chunk, _enc, done) {
            hash.update(chunk);
            done(null, chunk);
        },
        flush(done) {
            const actual = hash.digest('hex');
            if (actual !== expected) {
                return done(new IntegrityError(`${label}: sha256 is ${actual}, but its .sha256 sidecar says ${expected}`));
            }
            done();
        },
    });
}

;// CONCATENATED MODULE: ./build/src/storage/keys.js

/**
 * Object keys come from our own naming and from manifests read back from storage, which may be
 * hostile. Every backend checks them here before touching anything, so a key can never name a
 * place outside the storage URL's prefix.
 */
const MAX_KEY_BYTES = 1024;
function checkKey(key, where) {
    const problem = keyProblem(key, false);
    if (problem) {
        throw new StorageError(`invalid object key ${JSON.stringify(key)} for ${where}: ${problem}`, {
            hint: "keys are relative paths like 'set/20261122T030000Z-abc.tar.zst' without '.' or '..' segments",
        });
    }
    return key;
}
/** A list prefix is a key prefix: '' lists everything, 'set/' one set. */
function checkPrefix(prefix, where) {
    const problem = prefix === '' ? undefined : keyProblem(prefix, true);
    if (problem) {
        throw new StorageError(`invalid list prefix ${JSON.stringify(prefix)} for ${where}: ${problem}`, {
            hint: "prefixes are relative paths like 'set/' without '.' or '..' segments",
        });
    }
    return prefix;
}
function keyProblem(key, isPrefix) {
    if (typeof key !== 'string' || key === '')
        return 'it is empty';
    if (key.startsWith('/'))
        return "it starts with '/'";
    if (key.includes('\\'))
        return "it contains '\\'";
    if (key.includes('\0'))
        return 'it contains a NUL character';
    if (Buffer.byteLength(key) > MAX_KEY_BYTES)
        return `it is longer than ${MAX_KEY_BYTES} bytes`;
    const segments = key.split('/');
    // A prefix may end with '/', which leaves one empty last segment.
    if (isPrefix && segments.at(-1) === '')
        segments.pop();
    for (const s of segments) {
        if (s === '')
            return 'it has an empty path segment';
        if (s === '.' || s === '..')
            return `it has a '${s}' segment`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/storage/artifact.js











/**
 * `artifact:[name-prefix]`: backups as GitHub Actions artifacts, one artifact per backup.
 *
 * An artifact is immutable once finalized, and one backup is three keys written in order
 * (archive, .sha256, .manifest.json). So the archive and its checksum are spooled to a temp
 * directory when they are put, and the manifest's put uploads all three as ONE artifact named
 * `<name-prefix><set>-<id>` (its members keep their keys as paths inside the zip). Until then
 * the held keys are visible only to this Storage instance (for the engine's read-back); a run
 * that never writes the manifest uploads nothing. Any other key is uploaded at once as an
 * artifact of its own.
 *
 * Upload goes through @actions/artifact (the runner's ACTIONS_RUNTIME_TOKEN); listing, reading
 * and deleting go through the REST API with `github-token`, so backups of earlier runs can be
 * listed, restored and pruned. Small members are read with range requests from the zip; an
 * archive is downloaded whole by the client and checked against the zip digest recorded at
 * upload and against its own .sha256 sidecar.
 *
 * The artifact client reads process.env (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL,
 * GITHUB_API_URL); StorageContext.env must be the same environment.
 */
const artifactStorage = {
    schemes: ['artifact'],
    create(url, ctx) {
        return new ArtifactStorage(parseArtifactUrl(url), ctx);
    },
};
const PERMISSIONS_BLOCK = [
    'permissions:',
    '  actions: write   # read is enough for restore/list',
    '  contents: read',
].join('\n');
const PERMISSION_HINT = `give the workflow's token access to artifacts; add to the job (or workflow):\n${PERMISSIONS_BLOCK}`;
const INVALID_NAME_CHARS = /[":<>|*?\\/\r\n]/;
const ARCHIVE_SUFFIX = /\.tar(?:\.zst|\.gz)?(?:\.age)?$/;
const LIST_CONCURRENCY = 8;
function parseArtifactUrl(url) {
    const m = /^artifact:(?:\/\/)?(.*)$/i.exec(url.trim());
    const prefix = decodeURIComponent(m?.[1] ?? '').replace(/\/+$/, '');
    if (!m || INVALID_NAME_CHARS.test(prefix)) {
        throw new ConfigError('destination', `'${url}' is not a valid artifact destination`, {
            hint: 'write artifact: or artifact:<name-prefix>, e.g. artifact:db-backup- (no / \\ : " < > | * ? in the prefix)',
        });
    }
    return prefix;
}
/** How a key maps onto artifacts: its group stem, and whether it waits for the group's manifest. */
function keyGroup(key) {
    if (key.endsWith('.manifest.json'))
        return { stem: key.slice(0, -'.manifest.json'.length), held: false };
    if (key.endsWith('.sha256'))
        return { stem: key.slice(0, -'.sha256'.length), held: true };
    const m = ARCHIVE_SUFFIX.exec(key);
    if (m && m.index > 0)
        return { stem: key.slice(0, m.index), held: true };
    return { stem: key, held: false };
}
function artifactNameFor(namePrefix, key) {
    return namePrefix + keyGroup(key).stem.replaceAll('/', '-');
}
function isArchiveKey(key) {
    return ARCHIVE_SUFFIX.test(key) && keyGroup(key).held;
}
class ArtifactStorage {
    displayUrl;
    env;
    token;
    repository;
    apiUrl;
    retentionDays;
    held = new Map();
    directories = new Map();
    spool;
    client;
    namePrefix;
    ctx;
    constructor(namePrefix, ctx) {
        this.namePrefix = namePrefix;
        this.ctx = ctx;
        this.displayUrl = `artifact:${namePrefix}`;
        this.env = ctx.env;
        this.ctx.redactor.add(this.env['ACTIONS_RUNTIME_TOKEN']);
        const tokenOption = ctx.options['github-token'];
        this.token =
            (typeof tokenOption === 'string' && tokenOption.trim()) ||
                this.env['GITHUB_TOKEN']?.trim() ||
                undefined;
        this.ctx.redactor.add(this.token);
        this.apiUrl = (this.env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
        this.repository = parseRepository(ctx.options['artifact-repository'], this.env['GITHUB_REPOSITORY']);
        this.retentionDays = parseRetentionDays(ctx.options['retention-days']);
        if (!this.inActions() && !this.token) {
            throw new ConfigError('destination', 'artifact: needs GitHub Actions: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set', {
                hint: 'run Lifeboat as an action step (uses: <owner>/lifeboat@v1; a `run:` step does not receive the runtime token); ' +
                    'outside Actions only list/restore work, with github-token and artifact-repository set',
            });
        }
    }
    inActions() {
        return Boolean(this.env['ACTIONS_RUNTIME_TOKEN'] && this.env['ACTIONS_RESULTS_URL']);
    }
    async put(key, body, options = {}) {
        checkKey(key, this.displayUrl);
        const name = this.nameFor(key);
        const { held } = keyGroup(key);
        if (!held && !this.inActions()) {
            throw new ConfigError('destination', `cannot upload ${key}: artifacts can only be created inside GitHub Actions`, {
                hint: 'ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are missing; run Lifeboat as an action step (uses: …), not from a `run:` script',
            });
        }
        let group = this.held.get(name);
        if (!group) {
            const root = await (0,promises_.mkdtemp)((0,external_node_path_.join)(await this.spoolDir(), 'group-'));
            group = { name, root, members: new Map() };
            this.held.set(name, group);
        }
        const member = await this.spoolMember(group, key, body, options);
        if (held)
            return { size: member.size, sha256: member.sha256 };
        try {
            options.signal?.throwIfAborted();
            await this.upload(group);
        }
        catch (err) {
            group.members.delete(key);
            await (0,promises_.rm)(member.path, { force: true });
            throw err;
        }
        this.held.delete(name);
        await (0,promises_.rm)(group.root, { recursive: true, force: true });
        return { size: member.size, sha256: member.sha256 };
    }
    async get(key) {
        checkKey(key, this.displayUrl);
        const held = this.held.get(this.nameFor(key))?.members.get(key);
        if (held)
            return (0,external_node_fs_.createReadStream)(held.path);
        const found = await this.findMember(key);
        if (!found)
            throw new StorageError(`${key} not found in ${this.displayUrl}`, { notFound: true });
        if (isArchiveKey(key))
            return this.downloadArchive(found.artifact, key);
        const src = await this.remoteSource(found.artifact);
        return openZipEntry(src, found.entry, `artifact ${found.artifact.name}`);
    }
    async stat(key) {
        checkKey(key, this.displayUrl);
        const held = this.held.get(this.nameFor(key))?.members.get(key);
        if (held)
            return { key, size: held.size, modified: held.modified, sha256: held.sha256 };
        const found = await this.findMember(key);
        return found ? { key, size: found.entry.size, modified: found.artifact.createdAt } : undefined;
    }
    async list(prefix) {
        checkPrefix(prefix, this.displayUrl);
        const out = new Map();
        // Only a key's last segment loses a suffix in its artifact name, so filter by the folder part.
        const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
        const namePrefix = this.namePrefix + folder.replaceAll('/', '-');
        const artifacts = (await this.listArtifacts()).filter((a) => a.name.startsWith(namePrefix));
        const directories = await mapLimit(artifacts, LIST_CONCURRENCY, async (a) => {
            try {
                return await this.directory(a);
            }
            catch (err) {
                if (err instanceof StorageError && err.notFound)
                    return [];
                throw err;
            }
        });
        // Newest first, so when a key was written twice the latest artifact wins.
        for (const [i, a] of artifacts.entries()) {
            for (const entry of directories[i]) {
                if (!entry.name.startsWith(prefix) || out.has(entry.name))
                    continue;
                if (!this.ownsKey(a, entry.name))
                    continue;
                out.set(entry.name, { key: entry.name, size: entry.size, modified: a.createdAt });
            }
        }
        for (const group of this.held.values()) {
            for (const m of group.members.values()) {
                if (m.key.startsWith(prefix))
                    out.set(m.key, { key: m.key, size: m.size, modified: m.modified, sha256: m.sha256 });
            }
        }
        return [...out.values()];
    }
    async delete(key) {
        checkKey(key, this.displayUrl);
        const name = this.nameFor(key);
        const group = this.held.get(name);
        const held = group?.members.get(key);
        if (group && held) {
            group.members.delete(key);
            await (0,promises_.rm)(held.path, { force: true });
            if (!this.token)
                return;
        }
        for (const a of await this.listArtifacts(name)) {
            let entries;
            try {
                entries = await this.directory(a);
            }
            catch (err) {
                if (err instanceof StorageError && err.notFound)
                    continue;
                throw err;
            }
            if (!entries.some((e) => e.name === key))
                continue;
            await this.deleteArtifact(a);
        }
    }
    async close() {
        const pending = [...this.held.values()].flatMap((g) => [...g.members.keys()]);
        if (pending.length > 0) {
            this.ctx.log.debug(`artifact: discarding ${pending.length} key(s) never committed by a manifest: ${pending.join(', ')}`);
        }
        this.held.clear();
        if (this.spool)
            await (0,promises_.rm)(await this.spool, { recursive: true, force: true });
        this.spool = undefined;
    }
    nameFor(key) {
        const name = artifactNameFor(this.namePrefix, key);
        if (INVALID_NAME_CHARS.test(name)) {
            throw new StorageError(`${key} cannot be stored as a GitHub artifact: artifact names cannot contain " : < > | * ? \\`);
        }
        return name;
    }
    /** A member belongs to an artifact only when its key maps to that artifact's name. */
    ownsKey(a, key) {
        try {
            return this.nameFor(checkKey(key, this.displayUrl)) === a.name;
        }
        catch {
            return false;
        }
    }
    spoolDir() {
        this.spool ??= (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'lifeboat-artifact-'));
        return this.spool;
    }
    async spoolMember(group, key, body, options) {
        const path = (0,external_node_path_.join)(group.root, ...key.split('/'));
        // Written aside and renamed, so a failed overwrite of a held key keeps the previous bytes.
        const partial = `${path}.partial-${(0,external_node_crypto_.randomUUID)()}`;
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
        const hash = (0,external_node_crypto_.createHash)('sha256');
        let size = 0;
        const counter = new external_node_stream_.Transform({
            transform(chunk, _enc, done) {
                hash.update(chunk);
                size += chunk.length;
                done(null, chunk);
            },
        });
        try {
            await (0,external_node_stream_promises_.pipeline)(body, counter, (0,external_node_fs_.createWriteStream)(partial), options.signal ? { signal: options.signal } : {});
        }
        catch (err) {
            await (0,promises_.rm)(partial, { force: true });
            if (err instanceof errors_LifeboatError || err.name === 'AbortError')
                throw err;
            throw new StorageError(`could not spool ${key} for upload: ${err.message}`, {
                cause: err,
            });
        }
        const sha256 = hash.digest('hex');
        if ((options.sha256 && options.sha256 !== sha256) ||
            (options.size !== undefined && options.size !== size)) {
            await (0,promises_.rm)(partial, { force: true });
            throw new IntegrityError(`${key}: received ${size} bytes with sha256 ${sha256}, expected ${options.size ?? '?'} bytes with ${options.sha256 ?? 'any sha256'}`);
        }
        await (0,promises_.rename)(partial, path);
        const member = { key, path, size, sha256, modified: new Date() };
        group.members.set(key, member);
        return member;
    }
    async artifactClient() {
        this.client ??= __webpack_require__.e(/* import() */ 622).then(__webpack_require__.bind(__webpack_require__, 80622)).then((m) => new m.DefaultArtifactClient());
        return this.client;
    }
    async upload(group) {
        const members = [...group.members.values()];
        await verifySidecar(members);
        this.warnAboutRetention();
        const client = await this.artifactClient();
        const files = members.map((m) => m.path);
        const total = members.reduce((n, m) => n + m.size, 0);
        this.ctx.log.info(`Uploading artifact ${group.name} (${members.length} file(s), ${formatBytes(total)})…`);
        const options = {
            // The archive is compressed already; storing it saves a second compression pass.
            compressionLevel: 0,
            ...(this.retentionDays ? { retentionDays: this.retentionDays } : {}),
        };
        let result;
        try {
            result = await client.uploadArtifact(group.name, files, group.root, options);
        }
        catch (err) {
            if (!/\(409\)/.test(String(err?.message)))
                throw toStorageError(err, `uploading ${group.name}`);
            // A failed attempt earlier in this run left an artifact of that name; replace it.
            this.ctx.log.warn(`artifact ${group.name} already exists in this run; replacing it`);
            try {
                await client.deleteArtifact(group.name);
                result = await client.uploadArtifact(group.name, files, group.root, options);
            }
            catch (again) {
                throw toStorageError(again, `uploading ${group.name}`);
            }
        }
        if (!result.id || !result.digest) {
            throw new StorageError(`uploading ${group.name}: the artifact service returned no id or digest`);
        }
        await this.confirmUpload(client, group.name, result);
        this.ctx.log.info(`Stored artifact ${group.name} (id ${result.id}, zip sha256 ${result.digest})`);
        if (this.token && this.repository)
            await this.afterUpload(group, result.id);
    }
    /** The digest the client computed while streaming must be what the service recorded at finalize. */
    async confirmUpload(client, name, result) {
        let recorded;
        try {
            recorded = (await client.getArtifact(name)).artifact;
        }
        catch (err) {
            throw toStorageError(err, `confirming ${name}`);
        }
        const digest = recorded.digest?.replace(/^sha256:/, '');
        if (recorded.id !== result.id ||
            digest !== result.digest ||
            (result.size !== undefined && recorded.size !== result.size)) {
            try {
                await client.deleteArtifact(name);
            }
            catch {
                // Reported below; a half-confirmed artifact without a usable digest is refused on read anyway.
            }
            throw new IntegrityError(`artifact ${name}: uploaded ${result.size} bytes with sha256 ${result.digest}, but the service recorded ` +
                `${recorded.size} bytes with ${recorded.digest ?? 'no digest'} (artifact ${recorded.id})`);
        }
    }
    /** Older artifacts holding the same keys are superseded; and tell when retention was capped. */
    async afterUpload(group, id) {
        const keys = new Set(group.members.keys());
        try {
            for (const a of await this.listArtifacts(group.name)) {
                if (a.id === id) {
                    this.checkExpiry(a);
                    continue;
                }
                const entries = await this.directory(a).catch(() => []);
                if (entries.some((e) => keys.has(e.name)))
                    await this.deleteArtifact(a);
            }
        }
        catch (err) {
            this.ctx.log.warn(`artifact ${group.name}: could not check older copies: ${err.message}`);
        }
    }
    warnAboutRetention() {
        const cap = Number.parseInt(this.env['GITHUB_RETENTION_DAYS'] ?? '', 10);
        if (this.retentionDays && Number.isFinite(cap) && this.retentionDays > cap) {
            this.ctx.log.warn(`retention-days ${this.retentionDays} is more than this repository allows for artifacts; GitHub keeps them ${cap} days`);
        }
    }
    checkExpiry(a) {
        if (!this.retentionDays || !a.expiresAt)
            return;
        const days = (a.expiresAt.getTime() - a.createdAt.getTime()) / 86_400_000;
        if (days < this.retentionDays - 1) {
            this.ctx.log.warn(`artifact ${a.name} expires ${a.expiresAt.toISOString()} (${Math.round(days)} days), not after the ${this.retentionDays} retention-days asked for: the repository's artifact retention setting caps it`);
        }
    }
    async downloadArchive(a, key) {
        const { owner, repo } = this.requireReadAccess();
        const client = await this.artifactClient();
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(await this.spoolDir(), 'download-'));
        const cleanup = () => (0,promises_.rm)(dir, { recursive: true, force: true });
        try {
            if (!a.digest)
                this.ctx.log.warn(`artifact ${a.name} has no recorded digest; checking its members only`);
            let mismatch;
            try {
                const res = await client.downloadArtifact(a.id, {
                    path: dir,
                    skipDecompress: true,
                    ...(a.digest ? { expectedHash: a.digest } : {}),
                    findBy: {
                        token: this.token,
                        repositoryOwner: owner,
                        repositoryName: repo,
                        workflowRunId: a.runId ?? 0,
                    },
                });
                mismatch = res.digestMismatch;
            }
            catch (err) {
                throw toStorageError(err, `downloading artifact ${a.name}`);
            }
            if (mismatch) {
                throw new IntegrityError(`artifact ${a.name} (id ${a.id}) does not match the digest recorded when it was uploaded (${a.digest}): it is damaged`);
            }
            const files = await (0,promises_.readdir)(dir);
            if (files.length !== 1)
                throw new StorageError(`downloading artifact ${a.name}: expected one zip, got ${files.length} files`);
            const src = await fileByteSource((0,external_node_path_.join)(dir, files[0]));
            const label = `artifact ${a.name}`;
            const entries = await readZipDirectory(src, label);
            const entry = entries.find((e) => e.name === key);
            if (!entry)
                throw new StorageError(`${key} not found in ${label}`, { notFound: true });
            const sidecar = entries.find((e) => e.name === `${keyGroup(key).stem}.sha256`);
            const expected = sidecar
                ? /^([0-9a-f]{64})\s/i.exec((await readZipEntry(src, sidecar, label)).toString('utf8'))?.[1]
                : undefined;
            const stream = await openZipEntry(src, entry, label);
            const out = expected
                ? stream.pipe(sha256Checker(expected.toLowerCase(), `${label}: ${key}`))
                : stream;
            if (expected)
                stream.on('error', (err) => out.destroy(err));
            out.on('close', () => void src.close().finally(cleanup));
            return out;
        }
        catch (err) {
            await cleanup();
            throw err;
        }
    }
    async findMember(key) {
        for (const a of await this.listArtifacts(this.nameFor(key))) {
            let entries;
            try {
                entries = await this.directory(a);
            }
            catch (err) {
                if (err instanceof StorageError && err.notFound)
                    continue;
                throw err;
            }
            const entry = entries.find((e) => e.name === key);
            if (entry)
                return { artifact: a, entry };
        }
        return undefined;
    }
    /** Artifacts are immutable, so a directory read once stays true for this instance's life. */
    directory(a) {
        let d = this.directories.get(a.id);
        if (!d) {
            d = this.remoteSource(a).then((src) => readZipDirectory(src, `artifact ${a.name}`));
            d.catch(() => this.directories.delete(a.id));
            this.directories.set(a.id, d);
        }
        return d;
    }
    /** Live (not expired) artifacts of the repository, newest first; `name` filters exactly. */
    async listArtifacts(name) {
        const { owner, repo } = this.requireReadAccess();
        const out = [];
        const now = Date.now();
        for (let page = 1;; page++) {
            const q = new URLSearchParams({ per_page: '100', page: String(page) });
            if (name !== undefined)
                q.set('name', name);
            const res = await this.rest('GET', `/repos/${owner}/${repo}/actions/artifacts?${q}`, 'listing artifacts');
            const body = (await res.json());
            for (const a of body.artifacts) {
                const expiresAt = a.expires_at ? new Date(a.expires_at) : undefined;
                // Expired artifacts are gone for good (their content is deleted); never an error.
                if (a.expired || (expiresAt && expiresAt.getTime() <= now))
                    continue;
                out.push({
                    id: a.id,
                    name: a.name,
                    size: a.size_in_bytes,
                    createdAt: a.created_at ? new Date(a.created_at) : new Date(0),
                    expiresAt,
                    digest: a.digest ?? undefined,
                    runId: a.workflow_run?.id ?? undefined,
                });
            }
            if (body.artifacts.length < 100 || page * 100 >= body.total_count)
                break;
        }
        return out.sort((x, y) => y.id - x.id);
    }
    async deleteArtifact(a) {
        const { owner, repo } = this.requireReadAccess();
        try {
            await this.rest('DELETE', `/repos/${owner}/${repo}/actions/artifacts/${a.id}`, `deleting artifact ${a.name}`);
        }
        catch (err) {
            if (!(err instanceof StorageError && err.notFound))
                throw err;
        }
        this.directories.delete(a.id);
        this.ctx.log.debug(`deleted artifact ${a.name} (id ${a.id})`);
    }
    /** Range reads of the artifact's zip through the signed URL the REST API redirects to. */
    async remoteSource(a) {
        const { owner, repo } = this.requireReadAccess();
        const res = await this.rest('GET', `/repos/${owner}/${repo}/actions/artifacts/${a.id}/zip`, `locating artifact ${a.name}`, true);
        const location = res.headers.get('location');
        await res.body?.cancel();
        if (!location)
            throw new StorageError(`locating artifact ${a.name}: the API gave no download URL`, {
                transient: true,
            });
        const sig = new URL(location).searchParams.get('sig');
        if (sig)
            this.ctx.redactor.add(sig);
        const label = `artifact ${a.name}`;
        const fetchRange = async (offset, length) => {
            let r;
            try {
                r = await fetch(location, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
            }
            catch (err) {
                throw new StorageError(`reading ${label}: ${err.message}`, {
                    cause: err,
                    transient: true,
                });
            }
            if (r.status === 404 || r.status === 410) {
                throw new StorageError(`${label} is gone`, { notFound: true });
            }
            if (r.status !== 206 && r.status !== 200) {
                await r.body?.cancel();
                throw new StorageError(`reading ${label}: HTTP ${r.status}`, {
                    transient: r.status >= 500 || r.status === 403,
                });
            }
            return r;
        };
        let size = a.size;
        const head = await fetchRange(0, 1);
        const total = /\/(\d+)$/.exec(head.headers.get('content-range') ?? '')?.[1];
        await head.body?.cancel();
        if (total)
            size = Number(total);
        return {
            size,
            async read(offset, length) {
                if (length === 0)
                    return Buffer.alloc(0);
                const r = await fetchRange(offset, length);
                const buf = Buffer.from(await r.arrayBuffer());
                return r.status === 200 ? buf.subarray(offset, offset + length) : buf;
            },
            async stream(offset, length) {
                if (length === 0)
                    return external_node_stream_.Readable.from([]);
                const r = await fetchRange(offset, length);
                if (r.status === 200)
                    throw new StorageError(`reading ${label}: the server ignored the range request`);
                return external_node_stream_.Readable.fromWeb(r.body);
            },
        };
    }
    requireReadAccess() {
        if (!this.token) {
            throw new ConfigError('github-token', 'listing, restoring or deleting GitHub artifacts needs a token', {
                hint: `pass github-token: \${{ github.token }} (the action's default) and grant it:\n${PERMISSIONS_BLOCK}`,
            });
        }
        if (!this.repository) {
            throw new ConfigError('artifact-repository', 'no repository to read artifacts from (GITHUB_REPOSITORY is not set)', {
                hint: 'set artifact-repository to owner/repo',
            });
        }
        return this.repository;
    }
    async rest(method, path, what, redirect = false) {
        let res;
        try {
            res = await fetch(this.apiUrl + path, {
                method,
                redirect: redirect ? 'manual' : 'follow',
                headers: {
                    Accept: 'application/vnd.github+json',
                    Authorization: `Bearer ${this.token}`,
                    'X-GitHub-Api-Version': '2022-11-28',
                    'User-Agent': 'lifeboat',
                },
            });
        }
        catch (err) {
            throw new StorageError(`${what}: ${err.message}`, { cause: err, transient: true });
        }
        if (res.ok || (redirect && res.status >= 300 && res.status < 400))
            return res;
        const text = await res.text().catch(() => '');
        let message = text;
        try {
            message = JSON.parse(text).message ?? text;
        }
        catch {
            // not JSON: keep the text
        }
        const detail = `${what}: HTTP ${res.status}${message ? ` ${message}` : ''}`;
        if (res.status === 404 || res.status === 410)
            throw new StorageError(detail, { notFound: true });
        const rateLimited = res.headers.get('x-ratelimit-remaining') === '0' || res.status === 429;
        if (rateLimited)
            throw new StorageError(detail, {
                transient: true,
                hint: 'GitHub API rate limit; wait and retry',
            });
        if (res.status === 401) {
            throw new StorageError(detail, {
                hint: 'github-token is invalid or expired; pass github-token: ${{ github.token }}',
            });
        }
        if (res.status === 403)
            throw new StorageError(detail, { hint: PERMISSION_HINT });
        throw new StorageError(detail, { transient: res.status >= 500 });
    }
}
async function verifySidecar(members) {
    for (const archive of members.filter((m) => isArchiveKey(m.key))) {
        const sidecar = members.find((m) => m.key === `${keyGroup(archive.key).stem}.sha256`);
        if (!sidecar)
            continue;
        const text = await (0,promises_.readFile)(sidecar.path, 'utf8');
        const claimed = /^([0-9a-f]{64})\s/i.exec(text)?.[1]?.toLowerCase();
        if (claimed !== archive.sha256) {
            throw new IntegrityError(`${sidecar.key} says ${claimed ?? 'nothing readable'}, but ${archive.key} has sha256 ${archive.sha256}`);
        }
        const now = await (0,promises_.stat)(archive.path);
        if (now.size !== archive.size)
            throw new IntegrityError(`${archive.key} changed on disk while waiting for upload`);
    }
}
function toStorageError(err, what) {
    if (err instanceof errors_LifeboatError)
        return err;
    const e = err;
    const message = String(e?.message ?? err);
    if (e?.name === 'UsageError') {
        return new StorageError(`${what}: ${message}`, {
            cause: err,
            hint: "the account's artifact storage quota is full: lower retention-days, set keep-* so old backups are pruned, and delete old artifacts",
        });
    }
    if (/Unable to get the ACTIONS_(RUNTIME_TOKEN|RESULTS_URL)/.test(message)) {
        return new ConfigError('destination', `${what}: ${message}`, {
            hint: 'run Lifeboat as an action step inside GitHub Actions',
        });
    }
    if (e?.name === 'ArtifactNotFoundError')
        return new StorageError(`${what}: ${message}`, { cause: err, notFound: true });
    if (/\((401|403)\)|Resource not accessible by integration/i.test(message)) {
        return new StorageError(`${what}: ${message}`, { cause: err, hint: PERMISSION_HINT });
    }
    const transient = e?.name === 'NetworkError' ||
        /after \d+ attempts|after \d+ retries|stalled|timed? ?out|ECONNRESET|ETIMEDOUT/i.test(message);
    return new StorageError(`${what}: ${message}`, { cause: err, transient });
}
function parseRepository(option, env) {
    const fromOption = typeof option === 'string' && option.trim() !== '' ? option.trim() : undefined;
    const value = fromOption ?? env;
    if (!value)
        return undefined;
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
    if (!m) {
        throw new ConfigError('artifact-repository', `'${value}' is not owner/repo`, {
            hint: 'write it as owner/repo, e.g. acme/app',
        });
    }
    return { owner: m[1], repo: m[2] };
}
function parseRetentionDays(value) {
    if (value === undefined || value === null || value === '')
        return undefined;
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(n) || n < 1 || n > 400) {
        throw new ConfigError('retention-days', `'${String(value)}' is not a number of days`, {
            hint: 'use a whole number from 1 to 90 (up to 400 for private repositories where the organization allows it)',
        });
    }
    return n;
}
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    });
    await Promise.all(workers);
    return out;
}

// EXTERNAL MODULE: ./node_modules/@azure/storage-blob/dist/esm/index.js + 304 modules
var dist_esm = __webpack_require__(29790);
;// CONCATENATED MODULE: ./build/src/storage/body.js



/**
 * The chunks of a put body as Buffers (bodies built with `Readable.from(['text'])` yield
 * strings). An abort of `signal` destroys the body, which ends the loop with an error.
 */
async function* chunksOf(body, signal) {
    signal?.throwIfAborted();
    if (signal)
        (0,external_node_stream_.addAbortSignal)(signal, body);
    for await (const chunk of body) {
        yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    }
}
/** sha256 and size of the bytes as they pass, so put can report them without a second read. */
class BodyDigest {
    hash = (0,external_node_crypto_.createHash)('sha256');
    size = 0;
    update(chunk) {
        this.hash.update(chunk);
        this.size += chunk.length;
    }
    result() {
        return { size: this.size, sha256: this.hash.digest('hex') };
    }
}
/** A caller that announced the sha256 or size up front gets a failed put, not a wrong object. */
function checkAnnounced(key, where, options, got) {
    if (options?.sha256 !== undefined && options.sha256.toLowerCase() !== got.sha256) {
        throw new IntegrityError(`${key} on ${where}: received bytes have sha256 ${got.sha256}, but ${options.sha256} was announced`);
    }
    if (options?.size !== undefined && options.size !== got.size) {
        throw new IntegrityError(`${key} on ${where}: received ${got.size} bytes, but ${options.size} were announced`);
    }
}

// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(58500);
;// CONCATENATED MODULE: ./build/src/storage/retry.js




/**
 * Wraps a backend so operations that fail with a transient StorageError are tried again with
 * exponential backoff and full jitter (restic's RetryBackend); permanent errors fail at once.
 *
 * - stat, list, delete and get are retried whole. get retries opening the object only: an
 *   error after its stream was handed out reaches the reader, who verifies checksums anyway.
 * - put cannot read a consumed stream twice, so it is retried only when the failed attempt had
 *   not taken a single byte of the body (a refused connection, a failed auth round trip
 *   before the upload). Once bytes have flowed the error is final: streaming backends retry
 *   their own parts (the S3 SDK resends each multipart part it holds in memory).
 */
function withRetry(storage, options = {}) {
    const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
    const baseDelayMs = options.baseDelayMs ?? 500;
    const maxDelayMs = options.maxDelayMs ?? 20_000;
    const log = options.log ?? silentLogger;
    const sleep = options.sleep ?? ((ms) => (0,external_node_timers_promises_.setTimeout)(ms));
    const random = options.random ?? Math.random;
    async function retrying(what, operation, mayRetry = () => true, signal) {
        for (let attempt = 1;; attempt++) {
            try {
                return await operation();
            }
            catch (err) {
                if (!isTransient(err) || signal?.aborted || !mayRetry())
                    throw err;
                if (attempt >= attempts)
                    throw gaveUp(err, attempts);
                const wait = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
                log.warn(`${storage.displayUrl}: ${what} failed (${safeMessage(err)}); ` +
                    `retry ${attempt} of ${attempts - 1} in ${formatDuration(wait)}`);
                await sleep(wait);
            }
        }
    }
    const wrapped = {
        displayUrl: storage.displayUrl,
        put(key, body, putOptions) {
            const source = new UntouchedBody(body);
            return retrying(`put ${key}`, async () => {
                try {
                    return await storage.put(key, source.attempt(), putOptions);
                }
                finally {
                    source.release();
                }
            }, () => !source.consumed, putOptions?.signal);
        },
        get(key, getOptions) {
            return retrying(`get ${key}`, () => storage.get(key, getOptions), undefined, getOptions?.signal);
        },
        stat(key) {
            return retrying(`stat ${key}`, () => storage.stat(key));
        },
        list(prefix) {
            return retrying(`list ${prefix || '(all)'}`, () => storage.list(prefix));
        },
        delete(key) {
            return retrying(`delete ${key}`, () => storage.delete(key));
        },
    };
    if (storage.close)
        wrapped.close = () => storage.close();
    return wrapped;
}
function gaveUp(err, attempts) {
    return new StorageError(`${err.message} (gave up after ${attempts} attempts)`, {
        cause: err,
        transient: true,
        notFound: err.notFound,
        hint: err.hint ?? 'the store kept failing; check its status and run again',
    });
}
/** Error text for a log line: URLs lose passwords and signature/credential query values. */
function safeMessage(err) {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => redactUrl(url));
}
/**
 * Hands one body to successive put attempts for as long as none of them has read a byte of
 * it. Each attempt gets a fresh stream that pulls from the body only when read, so a failed
 * attempt that never read leaves the body as it was for the next one.
 */
class UntouchedBody {
    consumed = false;
    source;
    detach;
    constructor(source) {
        this.source = source;
    }
    attempt() {
        this.release();
        const source = this.source;
        let wanted = false;
        const pump = () => {
            while (wanted) {
                const chunk = source.read();
                if (chunk === null)
                    return;
                this.consumed = true;
                wanted = out.push(chunk);
            }
        };
        const onEnd = () => {
            detach();
            out.push(null);
        };
        const onError = (err) => {
            detach();
            out.destroy(err);
        };
        const detach = () => {
            source.off('readable', pump);
            source.off('end', onEnd);
            source.off('error', onError);
        };
        const out = new external_node_stream_.Readable({
            read() {
                wanted = true;
                pump();
            },
            destroy(err, callback) {
                detach();
                callback(err);
            },
        });
        this.detach = detach;
        // The body may fail before the backend starts reading (a dump that fails at once); the
        // backend still sees the error when it reads, so an unheard 'error' must not crash the run.
        out.on('error', () => undefined);
        if (source.errored) {
            out.destroy(source.errored);
        }
        else if (source.readableEnded) {
            out.push(null);
        }
        else if (source.destroyed) {
            out.destroy(new StorageError('the body stream was destroyed before the upload'));
        }
        else {
            source.on('readable', pump);
            source.on('end', onEnd);
            source.on('error', onError);
        }
        return out;
    }
    release() {
        this.detach?.();
        this.detach = undefined;
    }
}
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENETUNREACH',
    'ENETDOWN',
    'EHOSTUNREACH',
    'EHOSTDOWN',
    'EBUSY',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'ERR_HTTP2_STREAM_ERROR',
]);
const TRANSIENT_NAMES = new Set([
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
    'SlowDown',
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestThrottled',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'ServiceUnavailable',
    'InternalError',
]);
const NOT_FOUND_CODES = new Set(['ENOENT', 'NoSuchKey', 'NotFound', 'BlobNotFound']);
/**
 * Sorts an error from Node, an HTTP client or an SDK into "retry it" and "it is not there",
 * so every backend maps failures the same way. Looks through `cause` chains.
 * Transient: network errnos (ECONNRESET, ETIMEDOUT, EPIPE, EAI_AGAIN, …), HTTP 408, 429 and
 * 5xx (but 501), SDK throttling/timeouts. Not found: ENOENT, HTTP 404. 401/403 and all else:
 * permanent.
 */
function classifyNodeError(err) {
    if (err instanceof StorageError)
        return { transient: err.transient, notFound: err.notFound };
    let current = err;
    for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
        const e = current;
        const status = httpStatusOf(e);
        const code = typeof e['code'] === 'string' ? e['code'] : undefined;
        const name = typeof e['name'] === 'string' ? e['name'] : undefined;
        if (name === 'AbortError')
            return { transient: false, notFound: false };
        if (status === 404 ||
            (code && NOT_FOUND_CODES.has(code)) ||
            (name && NOT_FOUND_CODES.has(name))) {
            return { transient: false, notFound: true };
        }
        if (status === 401 || status === 403)
            return { transient: false, notFound: false };
        if (status === 408 ||
            status === 429 ||
            (status !== undefined && status >= 500 && status !== 501)) {
            return { transient: true, notFound: false };
        }
        if ((code && TRANSIENT_CODES.has(code)) || (name && TRANSIENT_NAMES.has(name))) {
            return { transient: true, notFound: false };
        }
        const retryable = e['$retryable'];
        if (retryable && typeof retryable === 'object')
            return { transient: true, notFound: false };
        current = e['cause'];
    }
    return { transient: false, notFound: false };
}
function httpStatusOf(e) {
    const metadata = e['$metadata'];
    const response = e['$response'];
    for (const v of [metadata?.httpStatusCode, e['statusCode'], e['status'], response?.statusCode]) {
        if (typeof v === 'number' && v >= 100 && v < 600)
            return v;
    }
    return undefined;
}
/**
 * Wraps any failure as a StorageError classified by classifyNodeError. Lifeboat's own errors
 * (an IntegrityError, a SourceError from the body) pass through unchanged.
 */
function retry_toStorageError(err, doing, hint) {
    if (err instanceof errors_LifeboatError)
        return err;
    const message = err instanceof Error ? err.message : String(err);
    return new StorageError(`${doing}: ${message}`, { cause: err, ...classifyNodeError(err), hint });
}

;// CONCATENATED MODULE: ./build/src/storage/azblob.js









/** Metadata key holding the sha256 (hex) of the blob's bytes, computed while uploading. */
const SHA256_METADATA = 'lifeboat_sha256';
/** Block size for staged uploads: memory use is about blockBytes × (concurrency + 1). */
const DEFAULT_BLOCK_BYTES = 8 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 4;
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Azure's limit of committed blocks per blob. */
const MAX_BLOCKS = 50_000;
/**
 * `azblob://container/prefix`. Uploads stage blocks of bounded size and commit the block list
 * only when the whole body has arrived, so a failed or interrupted put leaves only uncommitted
 * blocks, which listings never show and Azure discards after a week.
 *
 * Retries: per-block staging retries inside the SDK (the block is in memory, so resending is
 * safe); every other call makes one attempt and reports `transient`, leaving retries to
 * withRetry so they are not multiplied by two layers.
 */
const azblobStorage = {
    schemes: ['azblob'],
    create(url, ctx) {
        return openAzureBlob(url, ctx);
    },
};
function openAzureBlob(url, ctx, tuning = {}) {
    const { container, prefix } = parseAzblobUrl(url);
    const displayUrl = redactUrl(url);
    const service = (pipelineOptions) => serviceClient(ctx, pipelineOptions);
    const once = service({ retryOptions: { maxTries: 1 } }).getContainerClient(container);
    const staging = service({
        retryOptions: {
            maxTries: 4,
            retryDelayInMs: 500,
            maxRetryDelayInMs: 8000,
            tryTimeoutInMs: 5 * 60_000,
        },
    }).getContainerClient(container);
    return new AzureBlobStorage(displayUrl, container, prefix, once, staging, tuning, credentialName(ctx));
}
/** Which variable the credentials came from, so an auth failure can name it. */
function credentialName(ctx) {
    if (envString(ctx, 'AZURE_STORAGE_CONNECTION_STRING'))
        return 'AZURE_STORAGE_CONNECTION_STRING';
    if (envString(ctx, 'AZURE_STORAGE_KEY'))
        return 'AZURE_STORAGE_KEY';
    return 'AZURE_STORAGE_SAS_TOKEN';
}
function parseAzblobUrl(url) {
    const u = parseUrl('destination', url);
    const container = u.hostname;
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
        throw new ConfigError('destination', `'${redactUrl(url)}' does not name a valid Azure container`, {
            hint: 'write azblob://<container>/<prefix>; container names are 3-63 lower-case letters, digits and single hyphens',
        });
    }
    if (u.username || u.password) {
        throw new ConfigError('destination', `'${redactUrl(url)}' carries credentials in the URL`, {
            hint: 'give Azure credentials through AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN',
        });
    }
    const prefix = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '');
    return { container, prefix };
}
function optionString(ctx, name) {
    const v = ctx.options[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
function envString(ctx, name) {
    const v = ctx.env[name];
    return v && v.trim() !== '' ? v.trim() : undefined;
}
/** Connection string first, then account key, then SAS; all secrets are registered for redaction. */
function serviceClient(ctx, pipelineOptions) {
    const connectionString = envString(ctx, 'AZURE_STORAGE_CONNECTION_STRING');
    const account = optionString(ctx, 'azure-account') ?? envString(ctx, 'AZURE_STORAGE_ACCOUNT');
    const key = envString(ctx, 'AZURE_STORAGE_KEY');
    const sas = envString(ctx, 'AZURE_STORAGE_SAS_TOKEN')?.replace(/^\?/, '');
    const endpointOption = optionString(ctx, 'azure-endpoint');
    if (connectionString) {
        ctx.redactor.add(connectionString);
        for (const m of connectionString.matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi))
            ctx.redactor.add(m[1]);
        try {
            return dist_esm/* BlobServiceClient */.wS.fromConnectionString(connectionString, pipelineOptions);
        }
        catch (err) {
            throw new ConfigError('AZURE_STORAGE_CONNECTION_STRING', 'is not a valid Azure Storage connection string', {
                cause: err,
                hint: 'copy it from the storage account\'s "Access keys" page (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…)',
            });
        }
    }
    if (!account && !endpointOption) {
        throw new ConfigError('azure-account', 'no Azure Storage account or credentials were given', {
            hint: 'set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT (or azure-account) with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN',
        });
    }
    const endpoint = (endpointOption ?? `https://${account}.blob.core.windows.net`).replace(/\/+$/, '');
    try {
        new URL(endpoint);
    }
    catch {
        throw new ConfigError('azure-endpoint', `'${endpoint}' is not a URL`, {
            hint: 'write the blob service endpoint, e.g. https://<account>.blob.core.usgovcloudapi.net or http://127.0.0.1:10000/devstoreaccount1',
        });
    }
    if (key) {
        ctx.redactor.add(key);
        if (!account) {
            throw new ConfigError('azure-account', 'AZURE_STORAGE_KEY is set but no account name', {
                hint: 'set AZURE_STORAGE_ACCOUNT or the azure-account option',
            });
        }
        let credential;
        try {
            credential = new dist_esm/* StorageSharedKeyCredential */.Z3(account, key);
        }
        catch (err) {
            throw new ConfigError('AZURE_STORAGE_KEY', 'is not a valid base64 account key', {
                cause: err,
            });
        }
        return new dist_esm/* BlobServiceClient */.wS(endpoint, (0,dist_esm/* newPipeline */.vC)(credential, pipelineOptions));
    }
    if (sas) {
        ctx.redactor.add(sas);
        const sig = /(?:^|&)sig=([^&]+)/.exec(sas)?.[1];
        if (sig) {
            ctx.redactor.add(sig);
            ctx.redactor.add(decodeURIComponent(sig));
        }
        return new dist_esm/* BlobServiceClient */.wS(`${endpoint}?${sas}`, (0,dist_esm/* newPipeline */.vC)(new dist_esm/* AnonymousCredential */.tv(), pipelineOptions));
    }
    throw new ConfigError('AZURE_STORAGE_KEY', `no credentials for Azure Storage account '${account ?? endpoint}'`, {
        hint: 'set AZURE_STORAGE_KEY (account key), AZURE_STORAGE_SAS_TOKEN or AZURE_STORAGE_CONNECTION_STRING from a secret',
    });
}
class AzureBlobStorage {
    displayUrl;
    container;
    prefix;
    client;
    staging;
    blockBytes;
    concurrency;
    credential;
    constructor(displayUrl, container, prefix, client, staging, tuning, credential) {
        this.credential = credential;
        this.displayUrl = displayUrl;
        this.container = container;
        this.prefix = prefix;
        this.client = client;
        this.staging = staging;
        this.blockBytes = tuning.blockBytes ?? DEFAULT_BLOCK_BYTES;
        this.concurrency = tuning.concurrency ?? DEFAULT_CONCURRENCY;
    }
    blobName(key) {
        checkKey(key, this.displayUrl);
        return this.prefix ? `${this.prefix}/${key}` : key;
    }
    keyOf(blobName) {
        return this.prefix ? blobName.slice(this.prefix.length + 1) : blobName;
    }
    async put(key, body, options = {}) {
        const name = this.blobName(key);
        const blob = this.staging.getBlockBlobClient(name);
        const hash = (0,external_node_crypto_.createHash)('sha256');
        const signal = options.signal;
        const headers = { blobContentType: options.contentType ?? 'application/octet-stream' };
        // Block ids must all have the same length within a blob; the nonce keeps a concurrent put
        // to the same name from committing our blocks or we theirs.
        const nonce = (0,external_node_crypto_.randomBytes)(8).toString('hex');
        const blockId = (i) => Buffer.from(`${nonce}-${String(i).padStart(6, '0')}`).toString('base64');
        const ids = [];
        const inFlight = new Set();
        let failure;
        let size = 0;
        let pending = [];
        let pendingBytes = 0;
        let bodyError;
        const stage = (data) => {
            const id = blockId(ids.length);
            ids.push(id);
            const p = blob
                .stageBlock(id, data, data.length, { abortSignal: signal })
                .then(() => undefined, (err) => {
                failure ??= err;
            })
                .finally(() => inFlight.delete(p));
            inFlight.add(p);
        };
        // The body's own failure (the dump broke) is passed on unchanged: it is not a storage error
        // and must not look retryable.
        body.once('error', (err) => {
            bodyError ??= err;
        });
        try {
            for await (const chunk of chunksOf(body, signal)) {
                hash.update(chunk);
                size += chunk.length;
                pending.push(chunk);
                pendingBytes += chunk.length;
                while (pendingBytes >= this.blockBytes) {
                    if (ids.length >= MAX_BLOCKS - 1) {
                        throw new StorageError(`${this.displayUrl}: ${key} is larger than ${MAX_BLOCKS} blocks of ${this.blockBytes} bytes`, {
                            hint: 'Azure allows 50,000 blocks per blob; split the backup into several sources or sets',
                        });
                    }
                    const all = Buffer.concat(pending);
                    stage(all.subarray(0, this.blockBytes));
                    const rest = all.subarray(this.blockBytes);
                    pending = rest.length ? [rest] : [];
                    pendingBytes = rest.length;
                    while (inFlight.size >= this.concurrency)
                        await Promise.race(inFlight);
                    if (failure)
                        throw failure;
                }
                signal?.throwIfAborted();
            }
            signal?.throwIfAborted();
            const sha256 = hash.digest('hex');
            checkAnnounced(key, this.displayUrl, options, { size, sha256 });
            const metadata = { [SHA256_METADATA]: sha256 };
            if (ids.length === 0) {
                // Small objects (sidecars) go up in one Put Blob, which is atomic too.
                const data = Buffer.concat(pending);
                await blob.upload(data, data.length, {
                    metadata,
                    blobHTTPHeaders: headers,
                    abortSignal: signal,
                });
            }
            else {
                if (pendingBytes > 0)
                    stage(Buffer.concat(pending));
                pending = [];
                await Promise.all(inFlight);
                if (failure)
                    throw failure;
                await blob.commitBlockList(ids, {
                    metadata,
                    blobHTTPHeaders: headers,
                    abortSignal: signal,
                });
            }
            return { size, sha256 };
        }
        catch (err) {
            await Promise.allSettled(inFlight);
            if (bodyError !== undefined && err === bodyError)
                throw err;
            if (err instanceof IntegrityError || err instanceof StorageError)
                throw err;
            throw this.mapError(err, `upload of ${key}`);
        }
    }
    async get(key, options = {}) {
        const name = this.blobName(key);
        let response;
        try {
            response = await this.client
                .getBlockBlobClient(name)
                .download(0, undefined, { abortSignal: options.signal, maxRetryRequests: 5 });
        }
        catch (err) {
            throw this.mapError(err, `download of ${key}`);
        }
        const stream = response.readableStreamBody;
        if (!stream)
            throw new StorageError(`${this.displayUrl}: download of ${key} returned no body`, {
                transient: true,
            });
        const expected = response.metadata?.[SHA256_METADATA];
        const expectedSize = response.contentLength;
        return stream.pipe(verifying(`${this.displayUrl} ${key}`, expected, expectedSize, (err) => this.mapError(err, `download of ${key}`), stream));
    }
    async stat(key) {
        const name = this.blobName(key);
        try {
            const p = await this.client.getBlockBlobClient(name).getProperties();
            return {
                key,
                size: p.contentLength ?? 0,
                modified: p.lastModified ?? new Date(0),
                ...(p.metadata?.[SHA256_METADATA] ? { sha256: p.metadata[SHA256_METADATA] } : {}),
            };
        }
        catch (err) {
            const mapped = this.mapError(err, `stat of ${key}`);
            if (mapped.notFound)
                return undefined;
            throw mapped;
        }
    }
    async list(prefix) {
        checkPrefix(prefix, this.displayUrl);
        const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
        const out = [];
        try {
            // Uncommitted blobs (interrupted uploads) are only listed on request; we never ask.
            for await (const page of this.client
                .listBlobsFlat({ prefix: full, includeMetadata: true })
                .byPage({ maxPageSize: 5000 })) {
                for (const item of page.segment.blobItems) {
                    const sha256 = item.metadata?.[SHA256_METADATA];
                    out.push({
                        key: this.keyOf(item.name),
                        size: item.properties.contentLength ?? 0,
                        modified: item.properties.lastModified,
                        ...(sha256 ? { sha256 } : {}),
                    });
                }
            }
        }
        catch (err) {
            throw this.mapError(err, `listing of '${prefix}'`);
        }
        return out;
    }
    async delete(key) {
        const name = this.blobName(key);
        try {
            await this.client.getBlockBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' });
        }
        catch (err) {
            const mapped = this.mapError(err, `delete of ${key}`);
            if (!mapped.notFound)
                throw mapped;
        }
    }
    /** Maps SDK and network errors to StorageError with a message naming the destination and the fix. */
    mapError(err, what) {
        if (err instanceof StorageError)
            return err;
        const where = `${this.displayUrl}: ${what} failed`;
        if (err instanceof Error && err.name === 'AbortError') {
            return new StorageError(`${where}: aborted`, { cause: err });
        }
        if (err instanceof dist_esm/* RestError */.pj && err.statusCode !== undefined) {
            const status = err.statusCode;
            const code = err.code ?? err.details?.errorCode ?? '';
            const detail = `${status}${code ? ` ${code}` : ''}`;
            if (status === 404 && code === 'ContainerNotFound') {
                return new StorageError(`${where}: container '${this.container}' does not exist (${detail})`, {
                    cause: err,
                    hint: `create it first (az storage container create --name ${this.container}) or fix the container in the destination URL`,
                });
            }
            if (status === 404) {
                return new StorageError(`${where}: not found (${detail})`, { cause: err, notFound: true });
            }
            if (status === 403 || status === 401) {
                const account = this.client.accountName || 'this account';
                const rejected = code === 'AuthenticationFailed' || code === 'AuthorizationFailure' || status === 401;
                return new StorageError(`${where}: access denied (${detail})`, {
                    cause: err,
                    hint: rejected
                        ? `Azure did not accept the credentials from ${this.credential}: check it belongs to storage account '${account}' ` +
                            'and has not been rotated or expired (a firewall rule on the account also answers this way)'
                        : `the credentials from ${this.credential} lack permission here: a SAS needs read, add, create, write, ` +
                            'delete and list (sp=racwdl) on the container; a role assignment needs Storage Blob Data Contributor',
                });
            }
            if (TRANSIENT_STATUS.has(status)) {
                return new StorageError(`${where}: Azure answered ${detail}`, {
                    cause: err,
                    transient: true,
                    hint: status === 429 || status === 503
                        ? 'the account is throttling requests; it will be retried'
                        : undefined,
                });
            }
            return new StorageError(`${where}: Azure answered ${detail}: ${firstLine(err.message)}`, {
                cause: err,
            });
        }
        const node = classifyNodeError(err);
        const message = err instanceof Error ? firstLine(err.message) : String(err);
        return new StorageError(`${where}: ${message}`, {
            cause: err,
            transient: node.transient,
            notFound: node.notFound,
            hint: node.transient
                ? undefined
                : 'check the azure-endpoint / account name and that this runner can reach the blob service',
        });
    }
}
function firstLine(s) {
    return s.split('\n')[0].slice(0, 300);
}
/**
 * Passes the download through, hashing it; when the blob carries our sha256 metadata a mismatch
 * (or a short body) fails the stream with IntegrityError after the last byte.
 */
function verifying(label, expected, expectedSize, mapError, source) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const t = new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            hash.update(chunk);
            size += chunk.length;
            cb(null, chunk);
        },
        flush(cb) {
            if (expectedSize !== undefined && size !== expectedSize) {
                cb(new StorageError(`${label}: download ended after ${size} of ${expectedSize} bytes`, {
                    transient: true,
                }));
                return;
            }
            const actual = hash.digest('hex');
            if (expected && actual !== expected.toLowerCase()) {
                cb(new IntegrityError(`${label}: downloaded bytes have sha256 ${actual}, but the blob's ${SHA256_METADATA} is ${expected}`));
                return;
            }
            cb();
        },
    });
    source.on('error', (err) => t.destroy(mapError(err)));
    t.on('close', () => {
        if (!source.destroyed)
            source.destroy();
    });
    return t;
}

;// CONCATENATED MODULE: ./build/src/storage/file.js










/** `.<name>.lifeboat-tmp-<hex>`: where a put writes before the rename that publishes it. */
const TEMP_NAME = /^\..+\.lifeboat-tmp-[0-9a-f]+$/;
/**
 * `file:<path>`: a folder on a local or mounted file system. A put writes a temporary file in
 * the target's folder, hashes and counts the bytes as they pass, fsyncs file and folder and
 * then renames it over the key, so readers see the old object or the whole new one, never a
 * part. Files are created 0600: backups hold whole databases. Symbolic links inside the folder
 * are not followed by list.
 */
class FileStorage {
    displayUrl;
    root;
    constructor(root) {
        this.root = root;
        this.displayUrl = `file:${root}`;
    }
    async put(key, body, options) {
        const target = this.pathOf(key);
        const folder = (0,external_node_path_.dirname)(target);
        const temp = (0,external_node_path_.join)(folder, `.${(0,external_node_path_.basename)(target)}.lifeboat-tmp-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`);
        let handle;
        try {
            options?.signal?.throwIfAborted();
            await (0,promises_.mkdir)(folder, { recursive: true });
            handle = await (0,promises_.open)(temp, 'wx', 0o600);
            const digest = new BodyDigest();
            for await (const chunk of chunksOf(body, options?.signal)) {
                digest.update(chunk);
                await writeAll(handle, chunk);
            }
            await handle.sync();
            await handle.close();
            handle = undefined;
            const result = digest.result();
            checkAnnounced(key, this.displayUrl, options, result);
            await (0,promises_.rename)(temp, target);
            await syncFolder(folder);
            return result;
        }
        catch (err) {
            await handle?.close().catch(() => undefined);
            await (0,promises_.rm)(temp, { force: true }).catch(() => undefined);
            if (options?.signal?.aborted) {
                throw new StorageError(`put ${key} to ${this.displayUrl} was aborted`, {
                    cause: options.signal.reason,
                });
            }
            throw retry_toStorageError(err, `could not write ${key} to ${this.displayUrl}`, hintFor(err, this.root));
        }
    }
    async get(key, options) {
        const path = this.pathOf(key);
        let handle;
        try {
            handle = await (0,promises_.open)(path, 'r');
        }
        catch (err) {
            if (isMissing(err))
                throw notFound(key, this.displayUrl);
            throw retry_toStorageError(err, `could not read ${key} from ${this.displayUrl}`, hintFor(err, this.root));
        }
        try {
            if (!(await handle.stat()).isFile())
                throw notFound(key, this.displayUrl);
        }
        catch (err) {
            await handle.close();
            throw retry_toStorageError(err, `could not read ${key} from ${this.displayUrl}`);
        }
        const stream = handle.createReadStream();
        return options?.signal ? (0,external_node_stream_.addAbortSignal)(options.signal, stream) : stream;
    }
    async stat(key) {
        const path = this.pathOf(key);
        try {
            const s = await (0,promises_.stat)(path);
            return s.isFile() ? { key, size: s.size, modified: s.mtime } : undefined;
        }
        catch (err) {
            if (isMissing(err))
                return undefined;
            throw retry_toStorageError(err, `could not stat ${key} on ${this.displayUrl}`, hintFor(err, this.root));
        }
    }
    async list(prefix) {
        checkPrefix(prefix, this.displayUrl);
        // Walk from the deepest folder the prefix names completely; filter by the rest.
        const folderKey = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
        const out = [];
        try {
            await this.walk(folderKey, prefix, out);
        }
        catch (err) {
            throw retry_toStorageError(err, `could not list ${prefix || '(all)'} on ${this.displayUrl}`, hintFor(err, this.root));
        }
        return out;
    }
    async delete(key) {
        const path = this.pathOf(key);
        try {
            await (0,promises_.unlink)(path);
        }
        catch (err) {
            // Nothing to delete: missing, or a folder that no object key names.
            if (isMissing(err) ||
                codeOf(err) === 'EISDIR' ||
                (codeOf(err) === 'EPERM' && (await isFolder(path))))
                return;
            throw retry_toStorageError(err, `could not delete ${key} from ${this.displayUrl}`, hintFor(err, this.root));
        }
    }
    async walk(folderKey, prefix, out) {
        let entries;
        try {
            entries = await (0,promises_.readdir)(folderKey ? (0,external_node_path_.join)(this.root, ...folderKey.split('/')) : this.root, {
                withFileTypes: true,
            });
        }
        catch (err) {
            if (isMissing(err))
                return;
            throw err;
        }
        for (const entry of entries) {
            const key = folderKey ? `${folderKey}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix))
                    await this.walk(key, prefix, out);
            }
            else if (entry.isFile() && key.startsWith(prefix) && !TEMP_NAME.test(entry.name)) {
                try {
                    const s = await (0,promises_.stat)((0,external_node_path_.join)(this.root, ...key.split('/')));
                    out.push({ key, size: s.size, modified: s.mtime });
                }
                catch (err) {
                    if (!isMissing(err))
                        throw err; // deleted while listing
                }
            }
        }
    }
    /** The file for a key; checkKey makes an escape impossible, the prefix test proves it. */
    pathOf(key) {
        checkKey(key, this.displayUrl);
        const path = (0,external_node_path_.resolve)(this.root, ...key.split('/'));
        if (!path.startsWith(this.root.endsWith(external_node_path_.sep) ? this.root : this.root + external_node_path_.sep)) {
            throw new StorageError(`object key ${JSON.stringify(key)} points outside ${this.displayUrl}`);
        }
        if (TEMP_NAME.test((0,external_node_path_.basename)(path))) {
            throw new StorageError(`object key ${JSON.stringify(key)} uses the name of a temporary file`);
        }
        return path;
    }
}
async function writeAll(handle, chunk) {
    let offset = 0;
    while (offset < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
    }
}
/** Makes the rename durable. Some file systems cannot fsync a folder; they do not need to. */
async function syncFolder(folder) {
    let handle;
    try {
        handle = await (0,promises_.open)(folder, 'r');
        await handle.sync();
    }
    catch (err) {
        if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'ENOTSUP'].includes(codeOf(err) ?? ''))
            throw err;
    }
    finally {
        await handle?.close();
    }
}
function codeOf(err) {
    const code = err?.code;
    return typeof code === 'string' ? code : undefined;
}
function isMissing(err) {
    return codeOf(err) === 'ENOENT' || codeOf(err) === 'ENOTDIR';
}
async function isFolder(path) {
    return (0,promises_.stat)(path).then((s) => s.isDirectory(), () => false);
}
function notFound(key, where) {
    return new StorageError(`${key} not found on ${where}`, { notFound: true });
}
function hintFor(err, root) {
    switch (codeOf(err)) {
        case 'EACCES':
        case 'EPERM':
            return `check that this user may write to ${root}`;
        case 'ENOSPC':
        case 'EDQUOT':
            return `free some space on the disk holding ${root}`;
        case 'EROFS':
            return `${root} is on a read-only file system`;
        case 'ENOTDIR':
        case 'EEXIST':
        case 'EISDIR':
            return `a file stands where ${root} needs a folder (or the other way round)`;
        default:
            return undefined;
    }
}
/** `file:./backups`, `file:/abs`, `file:///abs` and `file:~/backups` → an absolute folder. */
function fileRoot(url, cwd = process.cwd()) {
    let path;
    if (/^file:\/\//i.test(url)) {
        try {
            path = (0,external_node_url_.fileURLToPath)(url);
        }
        catch (err) {
            throw new ConfigError('destination', `'${url}' is not a local file URL`, {
                cause: err,
                hint: 'write file:///absolute/path, file:/absolute/path or file:relative/path',
            });
        }
    }
    else {
        path = url.replace(/^file:/i, '');
        if (path === '~' || path.startsWith('~/'))
            path = (0,external_node_path_.join)((0,external_node_os_.homedir)(), path.slice(1));
    }
    if (!path) {
        throw new ConfigError('destination', `'${url}' names no folder`, {
            hint: 'write it as file:<path>, e.g. file:./backups',
        });
    }
    const root = (0,external_node_path_.resolve)(cwd, path);
    return root.length > 1 && root.endsWith(external_node_path_.sep) ? root.slice(0, -1) : root;
}
const fileStorage = {
    schemes: ['file'],
    create(url, _ctx) {
        return new FileStorage(fileRoot(url));
    },
};

;// CONCATENATED MODULE: ./build/src/storage/memory.js





/** Named instances live as long as the process, so two opens of `memory:x` share objects. */
const instances = new Map();
/** Forget one named instance (or all of them), for test cleanup. */
function clearMemoryStorage(name) {
    if (name === undefined)
        instances.clear();
    else
        instances.delete(name);
}
const READ_CHUNK = 64 * 1024;
/**
 * `memory:<name>`: an in-process store for tests, with the same semantics as the real ones:
 * an object becomes visible only when its put completed, and it is never mutated in place.
 */
class MemoryStorage {
    displayUrl;
    objects;
    constructor(name) {
        this.displayUrl = `memory:${name}`;
        let objects = instances.get(name);
        if (!objects) {
            objects = new Map();
            instances.set(name, objects);
        }
        this.objects = objects;
    }
    async put(key, body, options) {
        checkKey(key, this.displayUrl);
        const digest = new BodyDigest();
        const chunks = [];
        try {
            for await (const chunk of chunksOf(body, options?.signal)) {
                digest.update(chunk);
                chunks.push(Buffer.from(chunk));
            }
        }
        catch (err) {
            if (options?.signal?.aborted) {
                throw new StorageError(`put ${key} to ${this.displayUrl} was aborted`, {
                    cause: options.signal.reason,
                });
            }
            throw retry_toStorageError(err, `put ${key} to ${this.displayUrl} failed`);
        }
        const result = digest.result();
        checkAnnounced(key, this.displayUrl, options, result);
        this.objects.set(key, {
            data: Buffer.concat(chunks),
            modified: new Date(),
            sha256: result.sha256,
        });
        return result;
    }
    async get(key, options) {
        checkKey(key, this.displayUrl);
        const object = this.objects.get(key);
        if (!object)
            throw memory_notFound(key, this.displayUrl);
        const { data } = object;
        const stream = external_node_stream_.Readable.from((function* () {
            for (let at = 0; at < data.length; at += READ_CHUNK)
                yield Buffer.from(data.subarray(at, at + READ_CHUNK));
        })(), { objectMode: false });
        return options?.signal ? (0,external_node_stream_.addAbortSignal)(options.signal, stream) : stream;
    }
    async stat(key) {
        checkKey(key, this.displayUrl);
        const object = this.objects.get(key);
        return object && infoOf(key, object);
    }
    async list(prefix) {
        checkPrefix(prefix, this.displayUrl);
        return [...this.objects]
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, o]) => infoOf(key, o));
    }
    async delete(key) {
        checkKey(key, this.displayUrl);
        this.objects.delete(key);
    }
}
function infoOf(key, o) {
    return { key, size: o.data.length, modified: o.modified, sha256: o.sha256 };
}
function memory_notFound(key, where) {
    return new StorageError(`${key} not found on ${where}`, { notFound: true });
}
const memoryStorage = {
    schemes: ['memory'],
    create(url, _ctx) {
        const name = url.replace(/^memory:(\/\/)?/i, '');
        if (!name) {
            throw new ConfigError('destination', `'${url}' names no memory store`, {
                hint: 'write it as memory:<name>',
            });
        }
        return new MemoryStorage(name);
    },
};

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(53711);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(22358);
;// CONCATENATED MODULE: ./build/src/storage/s3.js









const MiB = 1024 * 1024;
/** S3's limit on the parts of one multipart upload. */
const MAX_PARTS = 10_000;
const s3_SHA256_METADATA = 'lifeboat-sha256';
const GCS_ENDPOINT = 'https://storage.googleapis.com';
/**
 * Multipart plan for lib-storage's Upload, which holds about (queueSize + 1) parts in memory.
 * Unknown size: 32 MiB parts, 2 in flight (~96 MiB of buffers, within the 200 MB RSS budget),
 * which caps one archive at 10,000 × 32 MiB ≈ 312 GiB. With an expected size the part grows
 * (25% headroom) so even 5 TiB fits in 10,000 parts, at the cost of memory for huge archives.
 */
function multipartPlan(expectedSize) {
    if (expectedSize === undefined || !Number.isFinite(expectedSize) || expectedSize < 0) {
        return { partSize: 32 * MiB, queueSize: 2 };
    }
    const needed = Math.ceil((expectedSize * 1.25) / MAX_PARTS);
    const partSize = Math.max(16 * MiB, Math.ceil(needed / MiB) * MiB);
    return { partSize, queueSize: partSize <= 16 * MiB ? 4 : 2 };
}
/**
 * `s3://bucket/prefix` on AWS S3 or any S3-compatible store (MinIO, R2, B2, Spaces), and
 * `gs://bucket/prefix` on Google Cloud Storage through its S3-compatible XML API (HMAC keys).
 * Uploads stream through lib-storage's multipart Upload: the object appears only when the
 * upload completes, and a failed upload is aborted so no parts linger.
 */
class S3Storage {
    displayUrl;
    settings;
    client;
    /** Reads use a client without a socket idle timeout: a slow reader may pause the stream. */
    readClient;
    log;
    plan;
    constructor(settings, log, plan = multipartPlan) {
        this.settings = settings;
        this.displayUrl = settings.displayUrl;
        this.log = log;
        this.plan = plan;
        const config = {
            region: settings.region,
            forcePathStyle: settings.forcePathStyle,
            followRegionRedirects: settings.isAws && !settings.endpoint,
        };
        if (settings.endpoint)
            config.endpoint = settings.endpoint;
        if (settings.credentials)
            config.credentials = settings.credentials;
        // Stores other than AWS reject or mangle the SDK's default CRC32 trailers (R2, B2, MinIO
        // releases, GCS, s3rver): send and check checksums only where an operation requires them.
        if (!settings.isAws) {
            config.requestChecksumCalculation = 'WHEN_REQUIRED';
            config.responseChecksumValidation = 'WHEN_REQUIRED';
        }
        this.client = new dist_cjs.S3Client({
            ...config,
            requestHandler: { connectionTimeout: 15_000, socketTimeout: 120_000 },
        });
        this.readClient = new dist_cjs.S3Client({ ...config, requestHandler: { connectionTimeout: 15_000 } });
    }
    async put(key, body, options) {
        checkKey(key, this.displayUrl);
        const signal = options?.signal;
        if (signal?.aborted)
            throw this.aborted(key, signal);
        const digest = new BodyDigest();
        let bodyError;
        const source = external_node_stream_.Readable.from((async function* () {
            try {
                for await (const chunk of chunksOf(body, signal)) {
                    digest.update(chunk);
                    yield chunk;
                }
            }
            catch (err) {
                bodyError = err;
                throw err;
            }
        })(), { objectMode: false });
        const { partSize, queueSize } = this.plan(options?.size ?? this.settings.expectedSize);
        const params = {
            Bucket: this.settings.bucket,
            Key: this.settings.prefix + key,
            Body: source,
            ContentType: options?.contentType ?? 'application/octet-stream',
        };
        if (options?.sha256)
            params.Metadata = { [s3_SHA256_METADATA]: options.sha256.toLowerCase() };
        if (this.settings.sse)
            params.ServerSideEncryption = this.settings.sse;
        if (this.settings.sseKmsKeyId)
            params.SSEKMSKeyId = this.settings.sseKmsKeyId;
        if (this.settings.storageClass)
            params.StorageClass = this.settings.storageClass;
        const upload = new lib_storage_dist_cjs/* Upload */._({
            client: this.client,
            params,
            partSize,
            queueSize,
            leavePartsOnError: false,
        });
        // Aborting the Upload stops new parts and aborts the multipart upload on S3.
        const onAbort = () => void upload.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
            await upload.done();
        }
        catch (err) {
            source.destroy();
            if (signal?.aborted)
                throw this.aborted(key, signal);
            if (bodyError !== undefined) {
                if (err !== bodyError) {
                    // lib-storage reports a failed AbortMultipartUpload instead of the body's error.
                    this.log.warn(`${this.displayUrl}: could not abort the incomplete upload of ${key} (${messageOf(err)}); ` +
                        'it is not listed, and a lifecycle rule "AbortIncompleteMultipartUpload" removes its parts');
                }
                if (bodyError instanceof errors_LifeboatError)
                    throw bodyError;
                throw new StorageError(`upload of ${key} to ${this.displayUrl} failed: ${messageOf(bodyError)}`, {
                    cause: bodyError,
                });
            }
            throw this.fail(err, `upload of ${key}`);
        }
        finally {
            signal?.removeEventListener('abort', onAbort);
        }
        const result = digest.result();
        try {
            checkAnnounced(key, this.displayUrl, options, result);
            // Confirmed by the store: what it holds now has the size we sent.
            const stored = await this.stat(key);
            if (!stored || stored.size !== result.size) {
                throw new IntegrityError(`${key} on ${this.displayUrl}: ${result.size} bytes were uploaded but the store reports ` +
                    `${stored ? `${stored.size} bytes` : 'no object'}`);
            }
        }
        catch (err) {
            if (err instanceof IntegrityError)
                await this.delete(key).catch(() => undefined);
            throw err;
        }
        return result;
    }
    async get(key, options) {
        checkKey(key, this.displayUrl);
        try {
            const response = await this.readClient.send(new dist_cjs.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.settings.prefix + key }), options?.signal ? { abortSignal: options.signal } : {});
            const stream = response.Body;
            if (stream instanceof external_node_stream_.Readable)
                return stream;
            return external_node_stream_.Readable.from(stream ? [Buffer.from(await stream.transformToByteArray())] : []);
        }
        catch (err) {
            throw this.fail(err, `get ${key}`);
        }
    }
    async stat(key) {
        checkKey(key, this.displayUrl);
        try {
            const head = await this.client.send(new dist_cjs.HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.settings.prefix + key }));
            const info = {
                key,
                size: head.ContentLength ?? 0,
                modified: head.LastModified ?? new Date(0),
            };
            const sha256 = head.Metadata?.[s3_SHA256_METADATA];
            if (sha256 && /^[0-9a-f]{64}$/.test(sha256))
                info.sha256 = sha256;
            return info;
        }
        catch (err) {
            const failure = this.fail(err, `stat ${key}`);
            if (failure instanceof StorageError && failure.notFound)
                return undefined;
            throw failure;
        }
    }
    async list(prefix) {
        checkPrefix(prefix, this.displayUrl);
        const out = [];
        let token;
        try {
            do {
                const page = await this.client.send(new dist_cjs.ListObjectsV2Command({
                    Bucket: this.settings.bucket,
                    Prefix: this.settings.prefix + prefix,
                    ContinuationToken: token,
                }));
                for (const o of page.Contents ?? []) {
                    if (!o.Key || !o.Key.startsWith(this.settings.prefix))
                        continue;
                    const key = o.Key.slice(this.settings.prefix.length);
                    // Folder markers made by consoles are not objects.
                    if (key === '' || key.endsWith('/'))
                        continue;
                    out.push({ key, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
                }
                token = page.IsTruncated ? page.NextContinuationToken : undefined;
            } while (token);
        }
        catch (err) {
            throw this.fail(err, `list ${prefix || '(all)'}`);
        }
        return out;
    }
    async delete(key) {
        checkKey(key, this.displayUrl);
        try {
            await this.client.send(new dist_cjs.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.settings.prefix + key }));
        }
        catch (err) {
            const failure = this.fail(err, `delete ${key}`);
            // GCS answers 404 for a missing key where S3 answers 204.
            if (failure instanceof StorageError && failure.notFound)
                return;
            throw failure;
        }
    }
    async close() {
        this.client.destroy();
        this.readClient.destroy();
    }
    aborted(key, signal) {
        return new StorageError(`upload of ${key} to ${this.displayUrl} was aborted`, {
            cause: signal.reason,
        });
    }
    /** SDK error → StorageError with a hint a person can act on. */
    fail(err, doing) {
        if (err instanceof errors_LifeboatError)
            return err;
        const e = (err ?? {});
        const code = e.Code ?? e.name ?? 'Error';
        const status = e.$metadata?.httpStatusCode;
        const text = e.message && e.message !== 'UnknownError'
            ? e.message
            : (status && httpReason(status)) || code;
        const at = this.settings.endpoint ? ` at ${this.settings.endpoint}` : '';
        const message = `${doing} on ${this.displayUrl}${at} failed: ${code}${status ? ` (HTTP ${status})` : ''}: ${text}`;
        const { bucket } = this.settings;
        const where = this.settings.endpoint ?? `AWS region ${this.settings.region}`;
        if (code === 'NoSuchBucket') {
            return new StorageError(message, {
                cause: err,
                hint: `bucket '${bucket}' does not exist at ${where}: create it, or check the bucket name, s3-endpoint and s3-region`,
            });
        }
        if (CREDENTIAL_CODES.has(code) || status === 401 || status === 403) {
            return new StorageError(message, { cause: err, hint: credentialsHint(this.settings) });
        }
        if (code === 'CredentialsProviderError') {
            return new StorageError(`${doing} on ${this.displayUrl} failed: no credentials found (${text})`, {
                cause: err,
                hint: credentialsHint(this.settings),
            });
        }
        if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || status === 301) {
            return new StorageError(message, {
                cause: err,
                hint: `bucket '${bucket}' lives in another region: set s3-region (or ?region=) to the bucket's region`,
            });
        }
        if (/Exceeded \d+ parts/.test(text)) {
            return new StorageError(message, {
                cause: err,
                hint: 'the archive outgrew 10,000 upload parts: set the expected-size option so larger parts are used',
            });
        }
        if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) {
            return new StorageError(message, { cause: err, notFound: true });
        }
        return new StorageError(message, { cause: err, ...classifyNodeError(err) });
    }
}
const CREDENTIAL_CODES = new Set([
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'AccessDenied',
    'Forbidden',
    'ExpiredToken',
    'InvalidToken',
    'TokenRefreshRequired',
    'InvalidClientTokenId',
    'AllAccessDisabled',
    'AccountProblem',
]);
function credentialsHint(s) {
    const vars = s.scheme === 'gs'
        ? 'GOOGLE_HMAC_ACCESS_KEY_ID / GOOGLE_HMAC_SECRET (HMAC keys of a service account)'
        : 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a role via aws-actions/configure-aws-credentials)';
    return `check the credentials in ${vars}, that they may read and write bucket '${s.bucket}', and that this machine's clock is right`;
}
function httpReason(status) {
    return {
        301: 'Moved Permanently',
        400: 'Bad Request',
        403: 'Forbidden',
        404: 'Not Found',
        500: 'Internal Server Error',
        503: 'Service Unavailable',
    }[status];
}
function messageOf(err) {
    return err instanceof Error ? err.message : String(err);
}
const QUERY_KEYS = new Set(['endpoint', 'region', 'path-style']);
/** Reads the URL, then the options, then the environment. The URL's query wins: it is per destination. */
function s3Settings(url, ctx) {
    const u = parseUrl('destination', url);
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme !== 's3' && scheme !== 'gs') {
        throw new ConfigError('destination', `'${redactUrl(url)}' is not an s3:// or gs:// URL`);
    }
    const bucket = decodeURIComponent(u.hostname);
    if (!bucket) {
        throw new ConfigError('destination', `'${redactUrl(url)}' names no bucket`, {
            hint: `write it as ${scheme}://bucket/optional/prefix`,
        });
    }
    for (const k of u.searchParams.keys()) {
        if (!QUERY_KEYS.has(k)) {
            throw new ConfigError('destination', `unknown query parameter '${k}' in '${redactUrl(url)}'`, {
                hint: 'accepted: ?endpoint=…&region=…&path-style=true',
            });
        }
    }
    const path = decodeURIComponent(u.pathname).replace(/^\/+/, '');
    const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
    if (prefix) {
        try {
            checkPrefix(prefix, url);
        }
        catch (err) {
            throw new ConfigError('destination', `bad prefix '${path}' in '${redactUrl(url)}'`, {
                cause: err,
                hint: "use a plain path like s3://bucket/backups/prod (no '.' or '..' segments, no '//')",
            });
        }
    }
    const option = (name) => ctx.options[name];
    const str = (v) => typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    const env = ctx.env;
    let endpoint = str(u.searchParams.get('endpoint')) ?? str(option('s3-endpoint'));
    if (!endpoint && scheme === 'gs')
        endpoint = GCS_ENDPOINT;
    if (endpoint) {
        if (!/^https?:\/\//i.test(endpoint))
            endpoint = `https://${endpoint}`;
        try {
            new URL(endpoint);
        }
        catch {
            throw new ConfigError('s3-endpoint', `'${endpoint}' is not a URL`, {
                hint: 'e.g. https://minio.example.com:9000',
            });
        }
        endpoint = endpoint.replace(/\/+$/, '');
    }
    const endpointHost = endpoint ? new URL(endpoint).hostname : undefined;
    const isAws = !endpointHost || /(^|\.)amazonaws\.com(\.cn)?$/i.test(endpointHost);
    const region = str(u.searchParams.get('region')) ??
        str(option('s3-region')) ??
        (scheme === 'gs' ? 'auto' : undefined) ??
        str(env['AWS_REGION']) ??
        str(env['AWS_DEFAULT_REGION']) ??
        'us-east-1';
    const pathStyleValue = u.searchParams.get('path-style') ?? option('s3-force-path-style');
    let forcePathStyle;
    if (pathStyleValue === undefined || pathStyleValue === null || pathStyleValue === '') {
        // Virtual-host addressing cannot work with an IP address or localhost.
        forcePathStyle =
            scheme === 'gs' ||
                (!!endpointHost && (/^[\d.]+$|^\[|:/.test(endpointHost) || endpointHost === 'localhost'));
    }
    else if (pathStyleValue === true || /^(true|1|yes)$/i.test(String(pathStyleValue))) {
        forcePathStyle = true;
    }
    else if (pathStyleValue === false || /^(false|0|no)$/i.test(String(pathStyleValue))) {
        forcePathStyle = false;
    }
    else {
        throw new ConfigError('s3-force-path-style', `'${String(pathStyleValue)}' is not true or false`);
    }
    let credentials;
    if (u.username) {
        if (!u.password) {
            throw new ConfigError('destination', `'${redactUrl(url)}' has an access key but no secret`, {
                hint: `write ${scheme}://ACCESS_KEY:SECRET@bucket/prefix, or better, use environment variables`,
            });
        }
        credentials = {
            accessKeyId: decodeURIComponent(u.username),
            secretAccessKey: decodeURIComponent(u.password),
        };
    }
    else if (scheme === 'gs' &&
        str(env['GOOGLE_HMAC_ACCESS_KEY_ID']) &&
        str(env['GOOGLE_HMAC_SECRET'])) {
        credentials = {
            accessKeyId: env['GOOGLE_HMAC_ACCESS_KEY_ID'],
            secretAccessKey: env['GOOGLE_HMAC_SECRET'],
        };
    }
    else if (str(env['AWS_ACCESS_KEY_ID']) && str(env['AWS_SECRET_ACCESS_KEY'])) {
        // Same as the chain's first link, but honours the environment the engine was given.
        credentials = {
            accessKeyId: env['AWS_ACCESS_KEY_ID'],
            secretAccessKey: env['AWS_SECRET_ACCESS_KEY'],
        };
        if (str(env['AWS_SESSION_TOKEN']))
            credentials.sessionToken = env['AWS_SESSION_TOKEN'];
    }
    // Otherwise the SDK's default chain: profiles, SSO, web identity (OIDC), ECS, EC2 metadata.
    if (credentials) {
        ctx.redactor.add(credentials.secretAccessKey);
        ctx.redactor.add(credentials.sessionToken);
    }
    const sseValue = str(option('s3-sse'));
    const sseKmsKeyId = str(option('s3-sse-kms-key-id'));
    if (sseValue && sseValue !== 'AES256' && sseValue !== 'aws:kms') {
        throw new ConfigError('s3-sse', `'${sseValue}' is not a server-side encryption mode`, {
            hint: 'use AES256 or aws:kms',
        });
    }
    if (sseKmsKeyId && sseValue === 'AES256') {
        throw new ConfigError('s3-sse-kms-key-id', 'is set but s3-sse is AES256', {
            hint: 'set s3-sse to aws:kms',
        });
    }
    const sse = (sseValue ?? (sseKmsKeyId ? 'aws:kms' : undefined));
    // No credentials and no query: `s3://bucket/prefix` plus a key is a URL the aws CLI accepts.
    const displayUrl = `${scheme}://${bucket}${prefix ? `/${prefix.slice(0, -1)}` : ''}`;
    return {
        scheme,
        bucket,
        prefix,
        endpoint,
        region,
        forcePathStyle,
        isAws,
        credentials,
        sse,
        sseKmsKeyId,
        storageClass: str(option('s3-storage-class')),
        expectedSize: parseSize(option('expected-size')),
        displayUrl,
    };
}
/** `expected-size`: bytes as a number, or '500GiB', '2 TB', '750M'. */
function parseSize(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) && value >= 0 ? value : undefined;
    if (typeof value !== 'string' || value.trim() === '')
        return undefined;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?\s*$/i.exec(value);
    if (!m) {
        throw new ConfigError('expected-size', `'${value}' is not a size`, {
            hint: 'write bytes or e.g. 500GiB, 2TB',
        });
    }
    // Binary units either way: for sizing upload parts, overestimating is the safe side.
    const power = ' kmgtp'.indexOf((m[2] || ' ').toLowerCase());
    return Math.ceil(Number(m[1]) * 1024 ** Math.max(power, 0));
}
const s3Storage = {
    schemes: ['s3', 'gs'],
    create(url, ctx) {
        return new S3Storage(s3Settings(url, ctx), ctx.log);
    },
};

// EXTERNAL MODULE: ./node_modules/ssh2/lib/index.js
var lib = __webpack_require__(85472);
;// CONCATENATED MODULE: ./build/src/storage/sftp.js











// ssh2 is CommonJS; Node's named-export detection misses `utils`, so take both from the default.
const { Client, utils } = lib;
/** Uploads go to `<name>.lifeboat-tmp-<hex>` beside the final name; listings never show these. */
const TEMP_MARK = '.lifeboat-tmp-';
const sftp_TEMP_NAME = /\.lifeboat-tmp-[0-9a-f]{16}$/;
/** 32 KiB fits every server's packet limit; 64 requests in flight keep a long link busy. */
const PIECE_BYTES = 32 * 1024;
const WINDOW = 64;
// SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 reports them in err.code.
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const NO_CONNECTION = 6;
const CONNECTION_LOST = 7;
/**
 * `sftp://user@host[:port]/path` (absolute path; `/~/path` is relative to the login directory).
 * Credentials come from sftp-private-key / sftp-password (or LIFEBOAT_SFTP_PRIVATE_KEY /
 * LIFEBOAT_SFTP_PASSWORD), the host key is checked against sftp-host-fingerprint or
 * sftp-known-hosts, and each put writes a temporary name and renames it into place.
 * SFTP keeps no object metadata: stat carries no sha256, verification is the engine's (sidecar).
 */
const sftpStorage = {
    schemes: ['sftp'],
    create(url, ctx) {
        return openSftp(url, ctx);
    },
};
function openSftp(url, ctx) {
    return new SftpStorage(redactUrl(url), parseSftpSettings(url, ctx), ctx);
}
function sftp_optionString(ctx, name) {
    const v = ctx.options[name];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
function sftp_envString(ctx, name) {
    const v = ctx.env[name];
    return v && v.trim() !== '' ? v : undefined;
}
/** A value that is a single line naming an existing file is read from that file (CLI use). */
function contentOrFile(value) {
    const v = value.trim();
    if (!v.includes('\n') && !v.includes(' ') && !v.startsWith('-----') && (0,external_node_fs_.existsSync)(v))
        return (0,external_node_fs_.readFileSync)(v, 'utf8');
    return value;
}
function parseSftpSettings(url, ctx) {
    const u = parseUrl('destination', url);
    const display = redactUrl(url);
    const username = decodeURIComponent(u.username);
    if (!username) {
        throw new ConfigError('destination', `'${display}' names no user`, {
            hint: 'write sftp://user@host[:port]/path',
        });
    }
    if (!u.hostname) {
        throw new ConfigError('destination', `'${display}' names no host`, {
            hint: 'write sftp://user@host[:port]/path',
        });
    }
    const urlPassword = u.password ? decodeURIComponent(u.password) : undefined;
    ctx.redactor.add(urlPassword);
    let path = decodeURIComponent(u.pathname);
    let fromHome = false;
    if (path === '/~' || path.startsWith('/~/')) {
        fromHome = true;
        path = path.slice(2);
    }
    path = path.replace(/\/+$/, '').replace(/^\/+/, fromHome ? '' : '/');
    if (!fromHome && path === '')
        path = '/';
    const rawKey = sftp_optionString(ctx, 'sftp-private-key') ?? sftp_envString(ctx, 'LIFEBOAT_SFTP_PRIVATE_KEY');
    const passphrase = sftp_optionString(ctx, 'sftp-private-key-passphrase') ??
        sftp_envString(ctx, 'LIFEBOAT_SFTP_PRIVATE_KEY_PASSPHRASE');
    const password = sftp_optionString(ctx, 'sftp-password') ?? sftp_envString(ctx, 'LIFEBOAT_SFTP_PASSWORD') ?? urlPassword;
    ctx.redactor.add(passphrase);
    ctx.redactor.add(password);
    let privateKey;
    if (rawKey) {
        privateKey = contentOrFile(rawKey).replace(/\r\n/g, '\n').trim() + '\n';
        ctx.redactor.add(privateKey.trim());
        // Logs are redacted line by line, so mask each line of the key body too.
        for (const line of privateKey.split('\n'))
            if (!line.startsWith('-----') && line.trim().length >= 16)
                ctx.redactor.add(line.trim());
        const parsed = utils.parseKey(privateKey, passphrase);
        if (parsed instanceof Error) {
            const encrypted = /encrypted|passphrase/i.test(parsed.message);
            throw new ConfigError(encrypted ? 'sftp-private-key-passphrase' : 'sftp-private-key', encrypted
                ? `the private key needs a passphrase or the one given is wrong (${parsed.message})`
                : `could not be read: ${parsed.message}`, {
                hint: encrypted
                    ? "set sftp-private-key-passphrase (from a secret) to the key's passphrase"
                    : 'pass the whole private key file (OpenSSH or PEM format, from -----BEGIN to -----END) from a secret',
            });
        }
    }
    if (!privateKey && !password) {
        throw new ConfigError('sftp-private-key', `no credentials for ${display}`, {
            hint: 'set sftp-private-key (or LIFEBOAT_SFTP_PRIVATE_KEY) to a private key from a secret, or sftp-password / LIFEBOAT_SFTP_PASSWORD',
        });
    }
    const fingerprints = [];
    for (const f of (sftp_optionString(ctx, 'sftp-host-fingerprint') ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)) {
        const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(f);
        if (!m) {
            throw new ConfigError('sftp-host-fingerprint', `'${f}' is not a SHA256 host key fingerprint`, {
                hint: 'give it as ssh-keygen -lf prints it, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s (separate several with commas)',
            });
        }
        fingerprints.push(`SHA256:${m[1]}`);
    }
    const knownHostsText = sftp_optionString(ctx, 'sftp-known-hosts');
    const knownHosts = knownHostsText ? parseKnownHosts(contentOrFile(knownHostsText)) : [];
    if (knownHostsText && knownHosts.length === 0) {
        throw new ConfigError('sftp-known-hosts', 'holds no host keys', {
            hint: `give known_hosts lines such as ssh-keyscan -p ${u.port || 22} ${u.hostname} prints them`,
        });
    }
    const accept = ctx.options['sftp-accept-unknown-host'];
    return {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port ? Number(u.port) : 22,
        username,
        path,
        fromHome,
        ...(privateKey ? { privateKey } : {}),
        ...(passphrase ? { passphrase } : {}),
        ...(password ? { password } : {}),
        fingerprints,
        knownHosts,
        acceptUnknownHost: accept === true || accept === 'true',
    };
}
function parseKnownHosts(text) {
    const out = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const fields = line.split(/\s+/);
        let marker;
        if (fields[0] === '@revoked' || fields[0] === '@cert-authority')
            marker = fields.shift().slice(1);
        const [hosts, type, b64] = fields;
        if (!hosts || !type || !b64)
            continue;
        const key = Buffer.from(b64, 'base64');
        if (key.length === 0)
            continue;
        out.push({ ...(marker ? { marker } : {}), patterns: hosts.split(','), type, key });
    }
    return out;
}
/** Whether a known_hosts host field matches, as OpenSSH does: `[host]:port` for other ports, hashed names, wildcards, negation. */
function knownHostMatches(patterns, host, port) {
    const names = [port === 22 ? host : `[${host}]:${port}`];
    let matched = false;
    for (const pattern of patterns) {
        const negated = pattern.startsWith('!');
        const p = negated ? pattern.slice(1) : pattern;
        const hit = names.some((name) => {
            const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(p);
            if (hashed) {
                return ((0,external_node_crypto_.createHmac)('sha1', Buffer.from(hashed[1], 'base64')).update(name).digest('base64') ===
                    hashed[2]);
            }
            const re = new RegExp(`^${p
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '.*')
                .replace(/\?/g, '.')}$`, 'i');
            return re.test(name);
        });
        if (hit && negated)
            return false;
        if (hit)
            matched = true;
    }
    return matched;
}
/** The fingerprint ssh-keygen -l prints: SHA256:<unpadded base64 of sha256(key blob)>. */
function sshFingerprint(key) {
    return `SHA256:${(0,external_node_crypto_.createHash)('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
/** The key type named at the start of an SSH public key blob. */
function keyType(key) {
    if (key.length < 4)
        return 'unknown';
    const len = key.readUInt32BE(0);
    return len > 0 && len < 64 && 4 + len <= key.length
        ? key.subarray(4, 4 + len).toString('latin1')
        : 'unknown';
}
/** Host key algorithms ssh2 may negotiate for a known_hosts key type, best first. */
function algorithmsFor(type) {
    if (type === 'ssh-rsa')
        return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    if (type === 'ssh-ed25519' || type.startsWith('ecdsa-sha2-') || type === 'ssh-dss')
        return [type];
    return [];
}
/**
 * One SSH connection with its SFTP channel. ssh2 never calls back requests sent after the
 * connection died, so every request goes through run(), which fails them all when it closes.
 */
class Session {
    client;
    sftp;
    root;
    lost;
    pending = new Set();
    constructor(client, sftp, root) {
        this.client = client;
        this.sftp = sftp;
        this.root = root;
    }
    markLost(err) {
        this.lost ??= err;
        for (const reject of this.pending)
            reject(this.lost);
        this.pending.clear();
    }
    run(fn) {
        if (this.lost)
            return Promise.reject(this.lost);
        return new Promise((resolve, reject) => {
            const fail = (err) => reject(err);
            this.pending.add(fail);
            try {
                fn((err, value) => {
                    this.pending.delete(fail);
                    if (err)
                        reject(err);
                    else
                        resolve(value);
                });
            }
            catch (err) {
                this.pending.delete(fail);
                reject(err);
            }
        });
    }
}
class SftpStorage {
    displayUrl;
    settings;
    ctx;
    session;
    madeDirs = new Set();
    warnedUnknownHost = false;
    constructor(displayUrl, settings, ctx) {
        this.displayUrl = displayUrl;
        this.settings = settings;
        this.ctx = ctx;
    }
    open() {
        if (!this.session) {
            const p = this.connect();
            this.session = p;
            p.catch(() => {
                if (this.session === p)
                    this.session = undefined;
            });
        }
        return this.session;
    }
    connect() {
        const s = this.settings;
        const client = new Client();
        let verdict;
        const pinnedForHost = s.knownHosts.filter((e) => e.marker !== 'cert-authority' && knownHostMatches(e.patterns, s.host, s.port));
        const trusted = pinnedForHost.filter((e) => !e.marker);
        const revoked = pinnedForHost.filter((e) => e.marker === 'revoked');
        const pinned = s.fingerprints.length > 0 || trusted.length > 0;
        const hostVerifier = (key) => {
            const type = keyType(key);
            const fingerprint = sshFingerprint(key);
            if (revoked.some((e) => e.key.equals(key))) {
                verdict = { kind: 'revoked', type, fingerprint };
                return false;
            }
            if (s.fingerprints.includes(fingerprint) || trusted.some((e) => e.key.equals(key)))
                return true;
            if (pinned) {
                verdict = { kind: 'mismatch', type, fingerprint };
                return false;
            }
            if (s.acceptUnknownHost) {
                if (!this.warnedUnknownHost) {
                    this.warnedUnknownHost = true;
                    this.ctx.log.warn(`${this.displayUrl}: accepting the server's unpinned host key ${type} ${fingerprint} (sftp-accept-unknown-host); ` +
                        `pin it with sftp-host-fingerprint: ${fingerprint}`);
                }
                return true;
            }
            verdict = { kind: 'unknown', type, fingerprint };
            return false;
        };
        const config = {
            host: s.host,
            port: s.port,
            username: s.username,
            readyTimeout: 20_000,
            keepaliveInterval: 15_000,
            keepaliveCountMax: 4,
            hostVerifier,
            ...(s.privateKey ? { privateKey: s.privateKey } : {}),
            ...(s.passphrase ? { passphrase: s.passphrase } : {}),
            ...(s.password ? { password: s.password, tryKeyboard: true } : {}),
        };
        // Offer only the key types known_hosts pins, so the server presents one we can check.
        const hostKeyAlgorithms = [...new Set(trusted.flatMap((e) => algorithmsFor(e.type)))];
        if (hostKeyAlgorithms.length > 0 && s.fingerprints.length === 0) {
            config.algorithms = {
                serverHostKey: hostKeyAlgorithms,
            };
        }
        if (s.password) {
            client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
                finish(prompts.map(() => s.password));
            });
        }
        return new Promise((resolve, reject) => {
            let ready = false;
            client.on('error', (err) => {
                if (ready) {
                    this.ctx.log.debug(`${this.displayUrl}: connection error: ${err.message}`);
                    return;
                }
                client.end();
                reject(this.connectError(err, verdict));
            });
            client.on('close', () => {
                if (!ready)
                    reject(new StorageError(`${this.displayUrl}: the server closed the connection`, {
                        transient: true,
                    }));
                this.session = undefined;
            });
            // Request/response traffic stalls on Nagle + delayed ACK (~40 ms a round trip) otherwise.
            client.on('connect', () => client.setNoDelay(true));
            client.on('ready', () => {
                ready = true;
                client.sftp((err, sftp) => {
                    if (err) {
                        client.end();
                        reject(new StorageError(`${this.displayUrl}: the server refused the SFTP subsystem: ${err.message}`, {
                            cause: err,
                            hint: 'enable SFTP on the server (Subsystem sftp internal-sftp in sshd_config) or check the account is not restricted to a shell',
                        }));
                        return;
                    }
                    const rootOf = (home) => (s.fromHome ? external_node_path_.posix.join(home, s.path) : s.path);
                    if (!s.fromHome) {
                        resolve(this.track(new Session(client, sftp, rootOf(''))));
                        return;
                    }
                    sftp.realpath('.', (e, home) => {
                        if (e) {
                            client.end();
                            reject(this.mapError(e, 'finding the login directory'));
                        }
                        else
                            resolve(this.track(new Session(client, sftp, rootOf(home))));
                    });
                });
            });
            client.connect(config);
        });
    }
    /** Fails the session's outstanding and future requests once its connection goes away. */
    track(session) {
        const lost = () => {
            session.markLost(new StorageError(`${this.displayUrl}: the connection to the server was lost`, {
                transient: true,
            }));
            if (this.session) {
                const current = this.session;
                void current.then((s) => {
                    if (s === session && this.session === current)
                        this.session = undefined;
                });
            }
        };
        session.client.once('close', lost);
        session.sftp.once('close', lost);
        return session;
    }
    connectError(err, verdict) {
        const s = this.settings;
        const where = `${this.displayUrl}`;
        if (verdict) {
            const short = verdict.type.replace(/^ssh-|^ecdsa-sha2-nistp\d+$/, (m) => m.startsWith('ecdsa') ? 'ecdsa' : '');
            const check = `ssh-keygen -lf /etc/ssh/ssh_host_${short}_key.pub on the server, or ssh-keyscan -p ${s.port} ${s.host} | ssh-keygen -lf -`;
            if (verdict.kind === 'unknown') {
                return new StorageError(`${where}: refusing to connect: the server's host key ${verdict.type} ${verdict.fingerprint} is not pinned` +
                    (s.knownHosts.length > 0
                        ? ` (sftp-known-hosts has no line for ${s.port === 22 ? s.host : `[${s.host}]:${s.port}`})`
                        : ''), {
                    cause: err,
                    hint: `check that ${verdict.fingerprint} is the server's key (${check}), then pin it with sftp-host-fingerprint: ${verdict.fingerprint} ` +
                        `or pass its known_hosts line as sftp-known-hosts; sftp-accept-unknown-host: true skips the check (not recommended)`,
                });
            }
            return new StorageError(`${where}: refusing to connect: the server's host key ${verdict.type} ${verdict.fingerprint} ` +
                (verdict.kind === 'revoked'
                    ? 'is marked @revoked in sftp-known-hosts'
                    : 'does not match the pinned host key'), {
                cause: err,
                hint: `if the server's key was changed on purpose, check the new one (${check}) and update sftp-host-fingerprint / sftp-known-hosts ` +
                    `(several fingerprints may be given, comma-separated); otherwise someone may be intercepting the connection`,
            });
        }
        if (err.level === 'client-authentication') {
            return new StorageError(`${where}: the server rejected the credentials for user '${s.username}'`, {
                cause: err,
                hint: s.privateKey
                    ? `check sftp-private-key is the private half of a key listed in ~${s.username}/.ssh/authorized_keys on the server`
                    : 'check sftp-password, or use a key (sftp-private-key); the server may not allow password logins',
            });
        }
        if (err.level === 'client-timeout') {
            return new StorageError(`${where}: timed out connecting to ${s.host}:${s.port}`, {
                cause: err,
                transient: true,
                hint: 'check the host and port, and that a firewall lets this runner reach the server',
            });
        }
        if (err.level === 'protocol' || err.level === 'handshake') {
            return new StorageError(`${where}: SSH handshake failed: ${err.message}`, {
                cause: err,
                hint: 'the server may not be an SSH server, or offers no algorithm in common',
            });
        }
        const node = classifyNodeError(err);
        const code = typeof err.code === 'string' ? err.code : '';
        return new StorageError(`${where}: cannot connect to ${s.host}:${s.port}: ${err.message}`, {
            cause: err,
            transient: node.transient,
            hint: code === 'ENOTFOUND' || code === 'EAI_AGAIN'
                ? 'check the host name in the destination URL'
                : node.transient
                    ? undefined
                    : 'check the host and port in the destination URL, and that this runner can reach the server',
        });
    }
    mapError(err, what) {
        if (err instanceof StorageError)
            return err;
        const where = `${this.displayUrl}: ${what} failed`;
        const e = err;
        const message = e instanceof Error ? e.message : String(err);
        if (typeof e?.code === 'number') {
            if (e.code === NO_SUCH_FILE)
                return new StorageError(`${where}: no such file`, { cause: err, notFound: true });
            if (e.code === PERMISSION_DENIED) {
                return new StorageError(`${where}: permission denied`, {
                    cause: err,
                    hint: `give user '${this.settings.username}' write access to ${this.settings.path || 'the login directory'} on the server`,
                });
            }
            if (e.code === NO_CONNECTION || e.code === CONNECTION_LOST) {
                return new StorageError(`${where}: ${message}`, { cause: err, transient: true });
            }
            return new StorageError(`${where}: ${message}`, { cause: err });
        }
        if (message === 'No response from server' ||
            /not connected|channel .*closed|No SFTP/i.test(message)) {
            return new StorageError(`${where}: the connection was lost`, { cause: err, transient: true });
        }
        const node = classifyNodeError(err);
        return new StorageError(`${where}: ${message}`, {
            cause: err,
            transient: node.transient,
            notFound: node.notFound,
        });
    }
    remotePath(root, key) {
        checkKey(key, this.displayUrl);
        return root === '' ? key : external_node_path_.posix.join(root, key);
    }
    async mkdirs(session, dir) {
        const sftp = session.sftp;
        if (dir === '' || dir === '.' || dir === '/' || this.madeDirs.has(dir))
            return;
        const st = await session
            .run((cb) => sftp.stat(dir, cb))
            .catch((err) => {
            if (err?.code === NO_SUCH_FILE)
                return undefined;
            throw err;
        });
        if (st) {
            if (!st.isDirectory())
                throw new StorageError(`${this.displayUrl}: ${dir} exists and is not a directory`);
        }
        else {
            await this.mkdirs(session, external_node_path_.posix.dirname(dir));
            await session
                .run((cb) => sftp.mkdir(dir, cb))
                .catch(async (err) => {
                // Another writer may have made it between our stat and mkdir.
                const again = await session.run((cb) => sftp.stat(dir, cb)).catch(() => undefined);
                if (!again?.isDirectory())
                    throw err;
            });
        }
        this.madeDirs.add(dir);
    }
    async put(key, body, options = {}) {
        checkKey(key, this.displayUrl);
        const signal = options.signal;
        let bodyError;
        body.once('error', (err) => {
            bodyError ??= err;
        });
        let session;
        let target;
        try {
            signal?.throwIfAborted();
            session = await this.open();
            target = this.remotePath(session.root, key);
            await this.mkdirs(session, external_node_path_.posix.dirname(target));
        }
        catch (err) {
            // The body is left unread, so withRetry may hand it to another attempt.
            throw this.mapError(err, `upload of ${key}`);
        }
        const { sftp } = session;
        const temp = `${target}${TEMP_MARK}${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`;
        const hash = (0,external_node_crypto_.createHash)('sha256');
        let handle;
        let size = 0;
        try {
            handle = await session.run((cb) => sftp.open(temp, 'w', { mode: 0o600 }, cb));
            const h = handle;
            const inFlight = new Set();
            let failure;
            let offset = 0;
            for await (const chunk of chunksOf(body, signal)) {
                hash.update(chunk);
                size += chunk.length;
                for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
                    const piece = chunk.subarray(at, Math.min(at + PIECE_BYTES, chunk.length));
                    const position = offset;
                    offset += piece.length;
                    const p = session
                        .run((cb) => sftp.write(h, piece, 0, piece.length, position, cb))
                        .then(() => undefined, (err) => {
                        failure ??= err;
                    })
                        .finally(() => inFlight.delete(p));
                    inFlight.add(p);
                    while (inFlight.size >= WINDOW)
                        await Promise.race(inFlight);
                    if (failure)
                        throw failure;
                }
                signal?.throwIfAborted();
            }
            await Promise.all(inFlight);
            if (failure)
                throw failure;
            signal?.throwIfAborted();
            const stored = await session.run((cb) => sftp.fstat(h, cb));
            if (stored.size !== size) {
                throw new StorageError(`${this.displayUrl}: upload of ${key} stored ${stored.size} of ${size} bytes`, { transient: true });
            }
            await session.run((cb) => sftp.ext_openssh_fsync(h, cb)).catch(() => undefined);
            handle = undefined;
            await session.run((cb) => sftp.close(h, cb));
            const sha256 = hash.digest('hex');
            checkAnnounced(key, this.displayUrl, options, { size, sha256 });
            await this.renameIntoPlace(session, temp, target);
            return { size, sha256 };
        }
        catch (err) {
            if (handle) {
                const h = handle;
                await session.run((cb) => sftp.close(h, cb)).catch(() => undefined);
            }
            await session.run((cb) => sftp.unlink(temp, cb)).catch(() => undefined);
            if (bodyError !== undefined && err === bodyError)
                throw err;
            if (err instanceof IntegrityError)
                throw err;
            throw this.mapError(err, `upload of ${key}`);
        }
    }
    /** posix-rename@openssh.com replaces atomically; plain SFTP rename refuses an existing target. */
    async renameIntoPlace(session, temp, target) {
        const sftp = session.sftp;
        try {
            await session.run((cb) => sftp.ext_openssh_rename(temp, target, cb));
            return;
        }
        catch (err) {
            if (!(err instanceof Error) || !/does not support/.test(err.message))
                throw err;
        }
        try {
            await session.run((cb) => sftp.rename(temp, target, cb));
        }
        catch {
            this.ctx.log.debug(`${this.displayUrl}: server lacks posix-rename; replacing ${target} in two steps`);
            await session.run((cb) => sftp.unlink(target, cb)).catch(() => undefined);
            await session.run((cb) => sftp.rename(temp, target, cb));
        }
    }
    async get(key, options = {}) {
        checkKey(key, this.displayUrl);
        try {
            options.signal?.throwIfAborted();
            const session = await this.open();
            const { sftp, root } = session;
            const path = this.remotePath(root, key);
            const handle = await session.run((cb) => sftp.open(path, 'r', cb));
            let size;
            try {
                const st = await session.run((cb) => sftp.fstat(handle, cb));
                if (!st.isFile()) {
                    throw new StorageError(`${this.displayUrl}: ${key} is not a regular file`, {
                        notFound: true,
                    });
                }
                size = st.size;
            }
            catch (err) {
                await session.run((cb) => sftp.close(handle, cb)).catch(() => undefined);
                throw err;
            }
            const stream = new SftpReadStream(session, handle, size, `${this.displayUrl} ${key}`, (err) => this.mapError(err, `download of ${key}`));
            options.signal?.addEventListener('abort', () => stream.destroy(options.signal.reason), { once: true });
            return stream;
        }
        catch (err) {
            throw this.mapError(err, `download of ${key}`);
        }
    }
    async stat(key) {
        checkKey(key, this.displayUrl);
        try {
            const session = await this.open();
            const { sftp, root } = session;
            const st = await session.run((cb) => sftp.stat(this.remotePath(root, key), cb));
            if (!st.isFile())
                return undefined;
            return { key, size: st.size, modified: new Date(st.mtime * 1000) };
        }
        catch (err) {
            const mapped = this.mapError(err, `stat of ${key}`);
            if (mapped.notFound)
                return undefined;
            throw mapped;
        }
    }
    async list(prefix) {
        checkPrefix(prefix, this.displayUrl);
        try {
            const session = await this.open();
            const { sftp, root } = session;
            const out = [];
            const startRel = prefix.slice(0, prefix.lastIndexOf('/') + 1);
            const walk = async (rel) => {
                const dir = rel === '' ? root || '.' : external_node_path_.posix.join(root || '.', rel);
                let entries;
                try {
                    entries = await session.run((cb) => sftp.readdir(dir, cb));
                }
                catch (err) {
                    if (err.code === NO_SUCH_FILE)
                        return;
                    throw err;
                }
                for (const entry of entries) {
                    const name = entry.filename;
                    if (name === '.' || name === '..' || sftp_TEMP_NAME.test(name))
                        continue;
                    const key = rel + name;
                    if (entry.attrs.isDirectory()) {
                        if ((key + '/').startsWith(prefix) || prefix.startsWith(key + '/'))
                            await walk(key + '/');
                    }
                    else if (entry.attrs.isFile() && key.startsWith(prefix)) {
                        out.push({ key, size: entry.attrs.size, modified: new Date(entry.attrs.mtime * 1000) });
                    }
                }
            };
            await walk(startRel);
            return out;
        }
        catch (err) {
            throw this.mapError(err, `listing of '${prefix}'`);
        }
    }
    async delete(key) {
        checkKey(key, this.displayUrl);
        try {
            const session = await this.open();
            const { sftp, root } = session;
            await session.run((cb) => sftp.unlink(this.remotePath(root, key), cb));
        }
        catch (err) {
            const mapped = this.mapError(err, `delete of ${key}`);
            if (!mapped.notFound)
                throw mapped;
        }
    }
    async close() {
        const current = this.session;
        this.session = undefined;
        if (!current)
            return;
        const s = await current.catch(() => undefined);
        if (!s)
            return;
        await new Promise((resolve) => {
            s.client.once('close', () => resolve());
            s.client.end();
        });
    }
}
/** Reads a remote file with up to WINDOW requests in flight, delivering bytes in order. */
class SftpReadStream extends external_node_stream_.Readable {
    session;
    handle;
    size;
    label;
    mapError;
    queue = [];
    next = 0;
    pumping = false;
    wake;
    constructor(session, handle, size, label, mapError) {
        super({ highWaterMark: 1 << 20 });
        this.label = label;
        this.session = session;
        this.handle = handle;
        this.size = size;
        this.mapError = mapError;
    }
    request(position, length) {
        const h = this.handle;
        const result = this.session.run((cb) => this.session.sftp.read(h, Buffer.allocUnsafe(length), 0, length, position, (err, bytesRead, buffer) => err ? cb(err, Buffer.alloc(0)) : cb(undefined, buffer.subarray(0, bytesRead))));
        result.catch(() => undefined);
        return { position, length, result };
    }
    _read() {
        if (this.wake) {
            const w = this.wake;
            this.wake = undefined;
            w();
        }
        if (this.pumping)
            return;
        this.pumping = true;
        this.pump().catch((err) => this.destroy(this.mapError(err)));
    }
    async pump() {
        for (;;) {
            while (this.queue.length < WINDOW && this.next < this.size) {
                const length = Math.min(PIECE_BYTES, this.size - this.next);
                this.queue.push(this.request(this.next, length));
                this.next += length;
            }
            const head = this.queue.shift();
            if (!head)
                break;
            const data = await head.result;
            if (this.destroyed)
                return;
            if (data.length === 0) {
                throw new StorageError(`${this.label}: file ended at byte ${head.position} of ${this.size} (changed while reading?)`, { transient: true });
            }
            if (data.length < head.length) {
                // A short read: fetch the rest of this piece before anything after it.
                this.queue.unshift(this.request(head.position + data.length, head.length - data.length));
            }
            if (!this.push(data))
                await new Promise((resolve) => (this.wake = resolve));
            if (this.destroyed)
                return;
        }
        await this.release();
        if (!this.destroyed)
            this.push(null);
    }
    async release() {
        const h = this.handle;
        this.handle = undefined;
        if (h)
            await this.session.run((cb) => this.session.sftp.close(h, cb)).catch(() => undefined);
    }
    _destroy(err, cb) {
        this.wake?.();
        this.release().then(() => cb(err), () => cb(err));
    }
}

;// CONCATENATED MODULE: ./build/src/storage/registry.js









/** Every storage backend. Adding one is one file in src/storage and one line here. */
const storageFactories = [fileStorage, memoryStorage, s3Storage, azblobStorage, sftpStorage, artifactStorage];
function acceptedStorageSchemes() {
    return storageFactories.flatMap((f) => f.schemes.map((s) => `${s}:`));
}
async function openStorage(url, ctx, option = 'destination') {
    const scheme = schemeOf(url);
    const factory = scheme ? storageFactories.find((f) => f.schemes.includes(scheme)) : undefined;
    if (!factory) {
        throw new ConfigError(option, scheme ? `unknown scheme '${scheme}:' in '${redactUrl(url)}'` : `'${redactUrl(url)}' has no scheme`, { hint: `use one of ${acceptedStorageSchemes().join(' ')}` });
    }
    return factory.create(url, ctx);
}

;// CONCATENATED MODULE: ./build/src/engine/naming.js





const ID_PATTERN = /^\d{8}T\d{6}Z-[a-z2-7]{6}$/;
const SET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Backup ids sort by time: 20261122T030000Z-abcdef (UTC, then 30 random bits). */
function newBackupId(now) {
    const stamp = now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const bytes = (0,external_node_crypto_.randomBytes)(6);
    let suffix = '';
    for (const b of bytes)
        suffix += alphabet[b % 32];
    return `${stamp}-${suffix}`;
}
function isBackupId(id) {
    return ID_PATTERN.test(id);
}
function backupTime(id) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
    if (!m)
        return new Date(NaN);
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}
function validateSetName(name, option = 'name') {
    if (!SET_PATTERN.test(name)) {
        throw new ConfigError(option, `'${name}' is not a valid backup set name`, {
            hint: 'use letters, digits, dot, dash and underscore (up to 100 characters), starting with a letter or digit',
        });
    }
    return name;
}
/** A set name from a source URL: the database or file name, else the host. */
function deriveSetName(url) {
    const scheme = schemeOf(url) ?? '';
    let rest = url.slice(scheme.length + 1);
    let candidate;
    if (rest.startsWith('//')) {
        try {
            const u = new URL(url);
            const segments = u.pathname.split('/').filter(Boolean);
            candidate = decodeURIComponent(segments.at(-1) ?? '') || u.hostname;
            if (/^\d+$/.test(candidate))
                candidate = `${u.hostname}-${candidate}`;
        }
        catch {
            candidate = '';
        }
    }
    else {
        rest = rest.replace(/[*?[\]{}].*$/, '').replace(/\/+$/, '');
        candidate = (0,external_node_path_.basename)(rest, (0,external_node_path_.extname)(rest)) || (0,external_node_path_.basename)(rest);
    }
    const cleaned = candidate
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 100);
    return cleaned || scheme || 'backup';
}
function backupKeys(set, id, compression) {
    return {
        archive: `${set}/${id}${archiveExtension(compression)}`,
        manifest: `${set}/${id}.manifest.json`,
        sha256: `${set}/${id}.sha256`,
    };
}

;// CONCATENATED MODULE: ./build/src/engine/destinations.js







/** Opens every destination line (with retries around each backend), registering URL secrets first. */
async function openDestinations(options, ctx) {
    const urls = lines(options, 'destination');
    if (urls.length === 0) {
        throw new ConfigError('destination', 'is required', {
            hint: 'name where backups live, e.g. file:./backups or s3://bucket/prefix',
        });
    }
    const out = [];
    for (const url of urls) {
        registerUrlSecrets(url, ctx);
        const storage = await openStorage(url, {
            log: ctx.log,
            redactor: ctx.redactor,
            env: ctx.env,
            options: options.values,
        });
        out.push({
            url,
            displayUrl: storage.displayUrl || redactUrl(url),
            storage: withRetry(storage, { log: ctx.log }),
        });
    }
    return out;
}
async function closeDestinations(destinations) {
    await Promise.allSettled(destinations.map((d) => d.storage.close?.()));
}
/** Passwords in URLs are secrets: mask them (and their encodings) before anything is logged. */
function registerUrlSecrets(url, ctx) {
    try {
        const u = new URL(url);
        if (u.password) {
            ctx.redactor.add(u.password);
            ctx.redactor.add(decodeURIComponent(u.password));
        }
        for (const [k, v] of u.searchParams)
            if (/pass|secret|token|key|sig/i.test(k))
                ctx.redactor.add(v);
    }
    catch {
        // not a URL with an authority (sqlite:, dir:, file:): nothing secret in it
    }
}
/** Reads the sidecar manifests under `set/` (or every set). Unreadable ones are warned about and skipped. */
async function listBackups(destination, set, ctx) {
    const objects = await destination.storage.list(set ? `${set}/` : '');
    const entries = [];
    for (const obj of objects) {
        const m = /^([^/]+)\/([^/]+)\.manifest\.json$/.exec(obj.key);
        if (!m || !isBackupId(m[2]))
            continue;
        try {
            const manifest = await readSidecarManifest(destination, obj.key);
            entries.push({ set: m[1], id: m[2], time: backupTime(m[2]), manifest, destination });
        }
        catch (err) {
            if (isNotFound(err))
                continue;
            ctx.log.warn(`skipping ${obj.key} on ${destination.displayUrl}: ${err.message}`);
        }
    }
    entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return entries;
}
async function readSidecarManifest(destination, key) {
    const body = await (0,consumers_.text)(await destination.storage.get(key));
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        throw new IntegrityError(`${key} on ${destination.displayUrl} is not valid JSON`);
    }
    const m = parsed;
    if (typeof m !== 'object' ||
        m === null ||
        typeof m.id !== 'string' ||
        typeof m.format !== 'number' ||
        !Array.isArray(m.sources) ||
        typeof m.archive?.key !== 'string' ||
        typeof m.archive?.sha256 !== 'string') {
        throw new IntegrityError(`${key} on ${destination.displayUrl} is not a Lifeboat manifest`);
    }
    return m;
}
/**
 * Finds the backup to restore or verify: an id or 'latest' in a set. The first destination
 * that has it wins. Without a set name, a set is inferred when the storage holds just one.
 */
async function findBackup(destinations, set, which, ctx) {
    if (which !== 'latest' && !isBackupId(which)) {
        throw new ConfigError('backup', `'${which}' is not a backup id`, {
            hint: "use 'latest' or an id as `lifeboat list` shows it, e.g. 20261122T030000Z-abcdef",
        });
    }
    const errors = [];
    for (const destination of destinations) {
        let entries;
        try {
            entries = await listBackups(destination, set, ctx);
        }
        catch (err) {
            errors.push(`${destination.displayUrl}: ${err.message}`);
            continue;
        }
        const sets = [...new Set(entries.map((e) => e.set))];
        if (!set && which === 'latest' && sets.length > 1) {
            throw new ConfigError('name', `${destination.displayUrl} holds several backup sets (${sets.join(', ')})`, {
                hint: 'choose one with the name option',
            });
        }
        const candidates = entries.filter((e) => !e.manifest.tags?.includes('safety') || which !== 'latest');
        const found = which === 'latest' ? candidates.at(-1) : candidates.find((e) => e.id === which);
        if (found)
            return found;
    }
    const where = destinations.map((d) => d.displayUrl).join(', ');
    if (errors.length === destinations.length) {
        throw new StorageError(`could not list backups: ${errors.join('; ')}`);
    }
    throw new ConfigError('backup', which === 'latest'
        ? `no backups${set ? ` of set '${set}'` : ''} found in ${where}`
        : `backup ${which} not found in ${where}`, { hint: 'run `lifeboat list` with the same destination to see what is there' });
}

;// CONCATENATED MODULE: ./build/src/archive/reader.js






const HINT_DAMAGED = 'the stored copy is damaged: restore from another destination or another backup';
function q(s) {
    return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}
function damaged(message) {
    return new IntegrityError(message, { hint: HINT_DAMAGED });
}
const reader_SHA256_HEX = /^[0-9a-f]{64}$/;
function paxSha(e, key) {
    const v = e.pax.get(`${PAX_VENDOR}.${key}`);
    if (v === undefined || !reader_SHA256_HEX.test(v))
        throw damaged(`entry ${q(e.name)} has no valid ${PAX_VENDOR}.${key} record`);
    return v;
}
function paxInt(e, key) {
    const v = e.pax.get(`${PAX_VENDOR}.${key}`);
    if (v === undefined)
        return undefined;
    if (!/^[0-9]{1,15}$/.test(v))
        throw damaged(`entry ${q(e.name)} has a malformed ${PAX_VENDOR}.${key} record`);
    return Number(v);
}
async function readJson(reader, e, limit) {
    if (e.type !== 'file')
        throw damaged(`${e.name} is not a regular file entry`);
    if (e.size > limit)
        throw damaged(`${e.name} is ${e.size} bytes, more than the allowed ${limit}`);
    const expected = paxSha(e, 'sha256');
    const body = await reader.readBody(e.name);
    const actual = (0,external_node_crypto_.createHash)('sha256').update(body).digest('hex');
    if (actual !== expected)
        throw damaged(`${e.name} does not match its sha256 (${actual}, expected ${expected})`);
    try {
        return JSON.parse(body.toString('utf8'));
    }
    catch {
        throw damaged(`${e.name} is not valid JSON`);
    }
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function checkFormat(v, what) {
    const f = v.format;
    if (typeof f !== 'number' || !Number.isSafeInteger(f) || f < 1)
        throw damaged(`${what} has no valid format number`);
    if (f > FORMAT_VERSION) {
        throw new IntegrityError(`archive format ${f} is newer than this release reads (up to ${FORMAT_VERSION})`, {
            hint: 'use a newer Lifeboat release to read this backup',
        });
    }
}
function parseHeader(v) {
    if (!isObject(v))
        throw damaged(`${HEADER_ENTRY} is not a JSON object`);
    checkFormat(v, HEADER_ENTRY);
    const cs = v.chunkSize;
    if (typeof cs !== 'number' || !Number.isSafeInteger(cs) || cs < 1 || cs > MAX_CHUNK_SIZE) {
        throw damaged(`${HEADER_ENTRY} has an invalid chunkSize`);
    }
    if (typeof v.id !== 'string' || v.id === '')
        throw damaged(`${HEADER_ENTRY} has no backup id`);
    if (typeof v.name !== 'string' || typeof v.createdAt !== 'string')
        throw damaged(`${HEADER_ENTRY} is incomplete`);
    if (!Array.isArray(v.sources))
        throw damaged(`${HEADER_ENTRY} has no source list`);
    const names = new Set();
    for (const s of v.sources) {
        if (!isObject(s) ||
            typeof s.name !== 'string' ||
            typeof s.kind !== 'string' ||
            typeof s.url !== 'string') {
            throw damaged(`${HEADER_ENTRY} has a malformed source`);
        }
        if (!isValidSourceName(s.name) || names.has(s.name))
            throw damaged(`${HEADER_ENTRY} has an invalid source name ${q(s.name)}`);
        names.add(s.name);
    }
    return v;
}
const MEMBER_TYPES = new Set(['file', 'directory', 'symlink']);
function parseManifest(v, header) {
    if (!isObject(v))
        throw damaged(`${MANIFEST_ENTRY} is not a JSON object`);
    checkFormat(v, MANIFEST_ENTRY);
    if (v.format !== header.format || v.id !== header.id || v.chunkSize !== header.chunkSize) {
        throw damaged(`${MANIFEST_ENTRY} belongs to another archive than ${HEADER_ENTRY} (format, id or chunkSize differ)`);
    }
    if (!Array.isArray(v.sources))
        throw damaged(`${MANIFEST_ENTRY} has no source list`);
    const names = [];
    for (const s of v.sources) {
        if (!isObject(s) || typeof s.name !== 'string' || !Array.isArray(s.members)) {
            throw damaged(`${MANIFEST_ENTRY} has a malformed source`);
        }
        for (const m of s.members) {
            if (!isObject(m) || typeof m.path !== 'string' || !MEMBER_TYPES.has(m.type)) {
                throw damaged(`${MANIFEST_ENTRY} has a malformed member in source ${q(s.name)}`);
            }
            if (m.chunks !== undefined && !Array.isArray(m.chunks)) {
                throw damaged(`${MANIFEST_ENTRY} has malformed chunks for ${q(m.path)}`);
            }
        }
        names.push(s.name);
    }
    const headerNames = header.sources.map((s) => s.name);
    if (names.join('\0') !== headerNames.join('\0')) {
        throw damaged(`${MANIFEST_ENTRY} lists sources [${names.join(', ')}], the header [${headerNames.join(', ')}]`);
    }
    return v;
}
function checkChunkSize(e, limits) {
    if (e.size > limits.maxEntrySize || e.size > limits.chunkSize) {
        throw damaged(`entry ${q(e.name)} is ${e.size} bytes, more than the archive's chunk size allows`);
    }
}
/** Reads the chunks of one file member on demand, checking each before handing it on. */
class FileMember {
    chunks = [];
    size = 0;
    sha256 = '';
    done = false;
    error;
    body;
    #reader;
    #limits;
    #path;
    #entryBase;
    #hash = (0,external_node_crypto_.createHash)('sha256');
    #current;
    #chain = Promise.resolve();
    #pumping = false;
    constructor(reader, first, source, path, limits) {
        this.#reader = reader;
        this.#limits = limits;
        this.#path = path;
        this.#entryBase = `${source}/${path}`;
        this.#current = first;
        this.body = new external_node_stream_.Readable({ read: () => this.#pump() });
    }
    #pump() {
        if (this.#pumping || this.done)
            return;
        this.#pumping = true;
        this.#step().then((data) => {
            this.#pumping = false;
            if (this.body.destroyed)
                return;
            this.body.push(data);
            if (this.done)
                this.body.push(null);
        }, (err) => {
            this.#pumping = false;
            this.body.destroy(err);
        });
    }
    #step() {
        const run = this.#chain.then(() => this.#readPart());
        this.#chain = run.catch(() => undefined);
        return run;
    }
    async #readPart() {
        if (this.error)
            throw this.error;
        if (this.done)
            return Buffer.alloc(0);
        try {
            const n = this.chunks.length;
            let e = this.#current;
            this.#current = undefined;
            if (!e) {
                e = await this.#reader.next();
                const expected = partEntryName(this.#entryBase, n);
                if (!e ||
                    e.type !== 'file' ||
                    e.name !== expected ||
                    e.pax.get(`${PAX_VENDOR}.member`) !== this.#path ||
                    paxInt(e, 'part') !== n) {
                    throw damaged(`member ${q(this.#entryBase)}: chunk ${n} is missing or out of order` +
                        (e ? ` (found ${q(e.name)} instead)` : ' (the archive ends first)'));
                }
                checkChunkSize(e, this.#limits);
            }
            const expectedSha = paxSha(e, 'sha256');
            const data = await this.#reader.readBody(`chunk ${q(e.name)}`);
            const sha = (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
            if (sha !== expectedSha) {
                throw damaged(`chunk ${q(e.name)} does not match its sha256 (${sha}, expected ${expectedSha})`);
            }
            const parts = paxInt(e, 'parts');
            const single = n === 0 && parts === 1;
            // Writers cut members at exactly chunkSize and never leave an empty last chunk.
            if (parts === undefined ? data.length !== this.#limits.chunkSize : n > 0 && data.length === 0) {
                throw damaged(`chunk ${q(e.name)} has ${data.length} bytes, which the format does not allow there`);
            }
            if (!single)
                this.#hash.update(data);
            this.size += data.length;
            this.chunks.push({ entry: e.name, size: data.length, sha256: sha });
            if (parts !== undefined) {
                const size = paxInt(e, 'size');
                const memberSha = paxSha(e, 'member-sha256');
                const actual = single ? sha : this.#hash.digest('hex');
                if (parts !== this.chunks.length || size !== this.size || memberSha !== actual) {
                    throw damaged(`member ${q(this.#entryBase)} does not match its record: ${this.chunks.length} chunks, ${this.size} bytes, ` +
                        `sha256 ${actual}; expected ${parts} chunks, ${size} bytes, sha256 ${memberSha}`);
                }
                this.sha256 = actual;
                this.done = true;
            }
            return data;
        }
        catch (err) {
            this.error = err;
            throw err;
        }
    }
    /** Reads (and checks) whatever the consumer left unread, so the next entry can be parsed. */
    async drain() {
        const unread = !this.done;
        try {
            while (!this.done)
                await this.#step();
        }
        catch (err) {
            if (!this.body.destroyed)
                this.body.destroy(err);
            throw err;
        }
        if (unread && !this.body.destroyed && !this.body.readableEnded)
            this.body.destroy();
    }
}
/**
 * Parses an uncompressed Lifeboat tar stream (format ≤ FORMAT_VERSION), treating it as hostile.
 * Yields the header, then each logical member (chunks joined, each checked before its bytes are
 * passed on), then the manifest with what was actually read. A member's body must be consumed
 * (or left alone; it is then read and checked here) before the next item is requested.
 */
async function* readArchive(tar, options = {}) {
    const reader = new TarReader(tar);
    let member;
    try {
        const first = await reader.next();
        if (!first)
            throw damaged('archive is empty: it ends before its header');
        if (first.name !== HEADER_ENTRY) {
            throw damaged(`archive does not start with ${HEADER_ENTRY} (found ${q(first.name)}): not a Lifeboat archive`);
        }
        const maxJson = options.maxJsonSize ?? MAX_JSON_SIZE;
        const header = parseHeader(await readJson(reader, first, maxJson));
        yield { kind: 'header', header };
        const limits = {
            chunkSize: header.chunkSize,
            maxEntrySize: options.maxEntrySize ?? 2 * header.chunkSize,
        };
        const declared = new Set(header.sources.map((s) => s.name));
        const observed = {};
        let current;
        let paths = new Set();
        let symlinks = new Set();
        for (;;) {
            const e = await reader.next();
            if (!e)
                throw damaged(`archive is truncated: it ends before ${MANIFEST_ENTRY}`);
            if (e.name === MANIFEST_ENTRY) {
                const manifest = parseManifest(await readJson(reader, e, maxJson), header);
                const after = await reader.next();
                if (after)
                    throw damaged(`archive has an entry after ${MANIFEST_ENTRY}: ${q(after.name)}`);
                await reader.expectEnd();
                yield { kind: 'manifest', manifest, observed };
                return;
            }
            const name = e.type === 'directory' && e.name.endsWith('/') ? e.name.slice(0, -1) : e.name;
            if (!isSafeRelativePath(name))
                throw damaged(`archive holds an unsafe path ${q(e.name)}`);
            const slash = name.indexOf('/');
            if (slash === -1)
                throw damaged(`archive holds an unexpected top-level entry ${q(e.name)}`);
            const source = name.slice(0, slash);
            if (!declared.has(source))
                throw damaged(`archive holds a folder ${q(source)} its header does not list`);
            if (source !== current) {
                if (observed[source])
                    throw damaged(`members of source ${q(source)} are not stored together`);
                observed[source] = [];
                current = source;
                paths = new Set();
                symlinks = new Set();
            }
            const records = observed[source];
            let path = name.slice(slash + 1);
            if (e.type === 'file') {
                const m = e.pax.get(`${PAX_VENDOR}.member`);
                if (m === undefined)
                    throw damaged(`file entry ${q(e.name)} has no ${PAX_VENDOR}.member record`);
                if (!isSafeRelativePath(m))
                    throw damaged(`archive holds an unsafe member path ${q(m)}`);
                const part = paxInt(e, 'part');
                const single = paxInt(e, 'parts') === 1;
                const expected = single ? `${source}/${m}` : partEntryName(`${source}/${m}`, 0);
                if (part !== 0 || e.name !== expected) {
                    throw damaged(`entry ${q(e.name)} is not the first chunk of a member (chunks missing or out of order)`);
                }
                path = m;
            }
            else if (e.type === 'symlink' && e.linkname === '') {
                throw damaged(`symlink ${q(e.name)} has no target`);
            }
            if (paths.has(path))
                throw damaged(`member ${q(`${source}/${path}`)} appears twice`);
            const segments = path.split('/');
            for (let i = 1; i < segments.length; i++) {
                if (symlinks.has(segments.slice(0, i).join('/'))) {
                    throw damaged(`member ${q(`${source}/${path}`)} lies under a symlink member`);
                }
            }
            paths.add(path);
            const mtime = new Date(e.mtimeMs);
            if (Number.isNaN(mtime.getTime()))
                throw damaged(`entry ${q(e.name)} has an invalid mtime`);
            const entry = { path, type: e.type, mode: e.mode, mtime };
            const record = { path, type: e.type, mode: e.mode, mtime: mtime.toISOString() };
            if (e.type === 'symlink') {
                symlinks.add(path);
                entry.linkTarget = e.linkname;
                record.linkTarget = e.linkname;
                records.push(record);
                yield { kind: 'member', source, entry };
            }
            else if (e.type === 'directory') {
                records.push(record);
                yield { kind: 'member', source, entry };
            }
            else {
                checkChunkSize(e, limits);
                member = new FileMember(reader, e, source, path, limits);
                record.size = 0;
                record.sha256 = '';
                record.chunks = member.chunks;
                records.push(record);
                entry.body = member.body;
                yield { kind: 'member', source, entry };
                await member.drain();
                record.size = member.size;
                record.sha256 = member.sha256;
                member = undefined;
            }
        }
    }
    finally {
        if (member && !member.body.destroyed)
            member.body.destroy(member.error);
        await reader.close();
    }
}
function describe(r) {
    if (!r)
        return 'nothing';
    return r.type === 'file' ? `a file of ${r.size} bytes (sha256 ${r.sha256})` : `a ${r.type}`;
}
/** Compares what was read (observed) with the manifest; IntegrityError naming the first difference. */
function checkManifestConsistency(manifest, observed) {
    const listed = new Set(manifest.sources.map((s) => s.name));
    for (const name of Object.keys(observed)) {
        if (!listed.has(name))
            throw damaged(`archive holds source ${q(name)}, which its manifest does not list`);
    }
    for (const s of manifest.sources) {
        const seen = observed[s.name] ?? [];
        const count = Math.max(s.members.length, seen.length);
        for (let i = 0; i < count; i++) {
            const want = s.members[i];
            const got = seen[i];
            const where = `source ${q(s.name)} member ${i + 1} (${q(want?.path ?? got?.path ?? '?')})`;
            if (!want || !got) {
                throw damaged(`${where}: the manifest lists ${describe(want)}, the archive holds ${describe(got)}`);
            }
            const fields = ['path', 'type', 'mode', 'mtime', 'size', 'sha256', 'linkTarget'];
            for (const f of fields) {
                if (want[f] !== got[f]) {
                    throw damaged(`${where}: ${f} differs (manifest ${JSON.stringify(want[f]) ?? 'none'}, archive ${JSON.stringify(got[f]) ?? 'none'})`);
                }
            }
            const wc = want.chunks ?? [];
            const gc = got.chunks ?? [];
            if (wc.length !== gc.length) {
                throw damaged(`${where}: the manifest lists ${wc.length} chunks, the archive holds ${gc.length}`);
            }
            for (let j = 0; j < wc.length; j++) {
                const a = wc[j];
                const b = gc[j];
                if (a.entry !== b.entry || a.size !== b.size || a.sha256 !== b.sha256) {
                    throw damaged(`${where}: chunk ${j} differs (manifest ${q(a.entry)} ${a.size} bytes, archive ${q(b.entry)} ${b.size} bytes)`);
                }
            }
        }
    }
}

;// CONCATENATED MODULE: ./build/src/engine/members.js


/** Makes sure an entry's body was read to the end (or drains it) before the next entry is parsed. */
async function members_drain(entry) {
    const body = entry.body;
    if (!body || body.readableEnded || body.destroyed) {
        if (body?.errored)
            throw body.errored;
        return;
    }
    body.resume();
    await (0,external_node_stream_promises_.finished)(body);
}
/**
 * Walks an archive, handing each source folder's members to `onSource` as an async iterable
 * (in archive order, one source at a time). Unconsumed bodies are drained; sources listed in the
 * header but with no members get an empty iterable at the end.
 */
async function walkArchive(items, onSource) {
    let next = await items.next();
    if (next.done || next.value.kind !== 'header')
        throw new IntegrityError('archive does not start with its header');
    const header = next.value.header;
    next = await items.next();
    const seen = [];
    while (!next.done && next.value.kind === 'member') {
        const source = next.value.source;
        if (seen.includes(source))
            throw new IntegrityError(`source folder '${source}' appears twice in the archive`);
        seen.push(source);
        let current = next;
        const members = async function* () {
            while (!current.done && current.value.kind === 'member' && current.value.source === source) {
                const entry = current.value.entry;
                yield entry;
                await members_drain(entry);
                current = await items.next();
            }
        };
        await onSource(source, members());
        // A consumer that stopped early leaves members behind: skip them so the walk can go on.
        while (!current.done && current.value.kind === 'member' && current.value.source === source) {
            await members_drain(current.value.entry);
            current = await items.next();
        }
        next = current;
    }
    for (const s of header.sources) {
        if (!seen.includes(s.name)) {
            seen.push(s.name);
            await onSource(s.name, (async function* () { })());
        }
    }
    if (next.done || next.value.kind !== 'manifest')
        throw new IntegrityError('archive ends without its manifest');
    const { manifest, observed } = next.value;
    const tail = await items.next();
    if (!tail.done)
        throw new IntegrityError('archive has entries after its manifest');
    return { header, manifest, observed, seen };
}

;// CONCATENATED MODULE: ./build/src/engine/verify.js











/**
 * Reads a stored archive end to end: the sha256 of the stored bytes against the sidecar, every
 * chunk's sha256, the header and the inner manifest against the sidecar manifest and against
 * what was actually read. Anything that does not match is an IntegrityError.
 */
async function verifyStoredBackup(d, sidecar, ctx, sctx, options) {
    if (sidecar.format > FORMAT_VERSION) {
        throw new IntegrityError(`backup ${sidecar.id} uses archive format ${sidecar.format}; this release reads up to ${FORMAT_VERSION}`, { hint: 'use a newer Lifeboat release to restore it' });
    }
    if (sidecar.encrypted) {
        throw new IntegrityError(`backup ${sidecar.id} is encrypted; this release cannot decrypt archives`);
    }
    if (options.checkSha256Sidecar)
        await checkSha256Sidecar(d, sidecar);
    const stream = await d.storage.get(sidecar.archive.key);
    const hasher = new HashingStream();
    const decompressed = (0,external_node_stream_.pipeline)(stream, hasher, decompressStream(sidecar.compression), () => undefined);
    const onSource = options.onSource ??
        (async (source, members) => {
            const sm = sidecar.sources.find((s) => s.name === source);
            if (!sm)
                throw new IntegrityError(`archive holds a source '${source}' its manifest does not list`);
            const driver = options.structural ? driverForKind(sm.kind) : undefined;
            if (driver?.verify) {
                ctx.log.info(`Checking the structure of ${source} (${sm.kind})…`);
                await driver.verify(members, sm, sctx);
            }
            else {
                for await (const m of members) {
                    if (m.body)
                        for await (const _ of m.body)
                            void _;
                }
            }
        });
    let walk;
    try {
        walk = await walkArchive(readArchive(decompressed), onSource);
    }
    catch (err) {
        stream.destroy();
        throw asIntegrity(err, sidecar);
    }
    // The reader stops at the end blocks; read whatever padding follows so the hash covers every byte.
    if (!decompressed.readableEnded) {
        decompressed.resume();
        await (0,external_node_stream_promises_.finished)(decompressed).catch((err) => {
            throw asIntegrity(err, sidecar);
        });
    }
    if (!hasher.writableFinished)
        await (0,external_node_stream_promises_.finished)(hasher, { readable: false });
    if (hasher.bytes !== sidecar.archive.size || hasher.digest() !== sidecar.archive.sha256) {
        throw new IntegrityError(`stored archive ${sidecar.archive.key} does not match its manifest: ${hasher.bytes} bytes with sha256 ${hasher.digest()}, ` +
            `expected ${sidecar.archive.size} bytes with sha256 ${sidecar.archive.sha256}`, { hint: 'the stored copy is damaged: restore from another destination or another backup' });
    }
    checkManifestConsistency(walk.manifest, walk.observed);
    compareManifests(walk.manifest, sidecar);
    if (walk.header.id !== sidecar.id) {
        throw new IntegrityError(`archive header says backup ${walk.header.id}, the manifest says ${sidecar.id}`);
    }
    ctx.log.info(`Verified ${sidecar.archive.key}: ${formatBytes(hasher.bytes)}, sha256 ${hasher.digest()}`);
}
async function checkSha256Sidecar(d, sidecar) {
    const key = sidecar.archive.key.replace(/\.tar(\.zst|\.gz)?$/, '.sha256');
    let content;
    try {
        content = await (0,consumers_.text)(await d.storage.get(key));
    }
    catch (err) {
        if (isNotFound(err))
            throw new IntegrityError(`${key} is missing on ${d.displayUrl}`);
        throw err;
    }
    const line = parseSha256sum(content);
    if (line.sha256 !== sidecar.archive.sha256 ||
        line.fileName !== sidecar.archive.key.split('/').pop()) {
        throw new IntegrityError(`${key} (${line.sha256} ${line.fileName}) disagrees with the manifest (${sidecar.archive.sha256})`);
    }
}
/** The inner manifest and the sidecar must describe the same backup. */
function compareManifests(inner, sidecar) {
    const strip = (m) => {
        const { archive: _a, verifiedAt: _v, ...rest } = m;
        return JSON.stringify(rest);
    };
    if (strip(inner) !== strip(sidecar)) {
        throw new IntegrityError(`the manifest inside archive ${sidecar.id} differs from its sidecar manifest`, {
            hint: 'the sidecar was altered or belongs to another archive: do not trust this backup',
        });
    }
}
function asIntegrity(err, sidecar) {
    if (err instanceof errors_LifeboatError && !(err instanceof SourceError))
        return err;
    if (err instanceof SourceError)
        return err;
    return new IntegrityError(`archive ${sidecar.archive.key} cannot be read: ${err?.message ?? err}`, {
        cause: err,
    });
}

;// CONCATENATED MODULE: ./build/src/engine/backup.js


















function sourceContext(ctx, options, tmpDir) {
    const sctx = {
        cwd: ctx.cwd,
        log: ctx.log,
        redactor: ctx.redactor,
        env: ctx.env,
        tmpDir,
        options: options.values,
    };
    if (ctx.provideTool)
        sctx.provideTool = ctx.provideTool;
    return sctx;
}
/** Parses the source lines into drivers, checking every URL before anything runs. */
function planSources(options, ctx, sctx) {
    const parsed = parseNamedLines(lines(options, 'source'));
    if (parsed.length === 0) {
        throw new ConfigError('source', 'is required for backup', {
            hint: 'name what to back up, e.g. sqlite:./app.db or postgres://user@host/db',
        });
    }
    const planned = [];
    for (const { name, url } of parsed) {
        registerUrlSecrets(url, ctx);
        const driver = driverForUrl(url, 'source');
        const source = driver.open(url, sctx);
        let folder = name ?? driver.kind;
        if (name && planned.some((p) => p.name === name)) {
            throw new ConfigError('source', `the name '${name}' is used twice`, {
                hint: 'give each source its own name=',
            });
        }
        for (let i = 2; planned.some((p) => p.name === folder); i++)
            folder = `${name ?? driver.kind}-${i}`;
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(folder) || folder.startsWith('lifeboat')) {
            throw new ConfigError('source', `'${folder}' is not a valid source name`, {
                hint: 'use letters, digits, dot, dash and underscore; names may not start with "lifeboat"',
            });
        }
        planned.push({ name: folder, url, source });
    }
    return planned;
}
/**
 * dump → tar (chunked members) → compress → sha256 → every destination in one pass, then the
 * stored copies are checked and only then the sidecars written: a backup is listed only once its
 * manifest sidecar exists, so nothing incomplete ever looks like a backup.
 */
async function createBackup(options, ctx, report, request = {}) {
    rejectEncryption(options);
    const tmpDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'lifeboat-'));
    const sctx = sourceContext(ctx, options, tmpDir);
    const destinations = request.destinations ?? (await openDestinations(options, ctx));
    try {
        const planned = planSources(options, ctx, sctx);
        const set = validateSetName(request.set ?? str(options, 'name') ?? deriveSetName(planned[0].url));
        const compression = (str(options, 'compression') ?? 'zstd');
        const started = ctx.now();
        const id = newBackupId(started);
        const keys = backupKeys(set, id, compression);
        report.name = set;
        report.backupId = id;
        ctx.log.info(`Backing up ${planned.map((p) => `${p.name} (${redactUrl(p.url)})`).join(', ')} as ${set}/${id} ` +
            `[${compression}${compression === 'zstd' ? ` via ${zstdImplementation()}` : ''}] to ${destinations.map((d) => d.displayUrl).join(', ')}`);
        const writer = new ArchiveWriter();
        const hasher = new HashingStream();
        const compressor = compressStream(compression);
        const compressed = (0,external_node_stream_.pipeline)(writer.stream, compressor, hasher, () => undefined);
        // Failures surface through the pump and the puts; these listeners only keep a late 'error'
        // (after the pipeline has torn down) from crashing the process.
        for (const s of [writer.stream, compressor, hasher])
            s.on('error', () => undefined);
        const branches = createBranches(destinations.length);
        const puts = destinations.map((d, i) => {
            const put = d.storage.put(keys.archive, branches[i].stream, {
                contentType: 'application/octet-stream',
            });
            branches[i].settle(put);
            return put;
        });
        // Observe rejections now; they are inspected below.
        const settledPuts = Promise.allSettled(puts);
        const pump = pumpToBranches(compressed, branches);
        const pumpSettled = pump.then(() => undefined, (err) => err);
        const sourceManifests = [];
        let manifest;
        try {
            await writer.writeHeader({
                format: FORMAT_VERSION,
                id,
                name: set,
                createdAt: started.toISOString(),
                tool: { name: 'lifeboat', version: ctx.version },
                sources: planned.map((p) => ({
                    name: p.name,
                    kind: p.source.kind,
                    url: p.source.displayUrl,
                })),
                chunkSize: writer.chunkSize,
            });
            for (const p of planned) {
                const t0 = Date.now();
                const sink = writer.sourceSink(p.name);
                ctx.log.info(`Dumping ${p.name} (${p.source.kind})…`);
                const result = await p.source.dump(sink, sctx);
                const records = sink.records();
                const bytes = records.reduce((n, r) => n + (r.size ?? 0), 0);
                const sm = {
                    name: p.name,
                    kind: p.source.kind,
                    url: p.source.displayUrl,
                    versions: result.versions,
                    inventory: result.inventory,
                    members: records,
                    durationMs: Date.now() - t0,
                };
                if (result.details)
                    sm.details = result.details;
                sourceManifests.push(sm);
                report.sources.push({
                    name: p.name,
                    kind: p.source.kind,
                    url: p.source.displayUrl,
                    bytes,
                    durationMs: sm.durationMs,
                    inventory: result.inventory,
                    versions: result.versions,
                });
                ctx.log.info(`Dumped ${p.name}: ${formatBytes(bytes)} in ${formatDuration(sm.durationMs)}${throughput(bytes, sm.durationMs)}`);
            }
            manifest = {
                format: FORMAT_VERSION,
                id,
                name: set,
                createdAt: started.toISOString(),
                finishedAt: ctx.now().toISOString(),
                tool: { name: 'lifeboat', version: ctx.version, node: process.version },
                compression,
                encrypted: false,
                tags: request.tags ?? [],
                chunkSize: writer.chunkSize,
                sources: sourceManifests,
            };
            await writer.finish(manifest);
            const pumpError = await pumpSettled;
            if (pumpError)
                throw pumpError;
        }
        catch (err) {
            writer.abort(err instanceof Error ? err : new Error(String(err)));
            await settledPuts;
            throw err;
        }
        const results = await settledPuts;
        const sha256 = hasher.digest();
        const size = hasher.bytes;
        report.sha256 = sha256;
        report.size = size;
        const sidecarBase = {
            ...manifest,
            archive: { key: keys.archive, size, sha256 },
        };
        const stored = [];
        const failures = [];
        let finalManifest;
        for (const [i, d] of destinations.entries()) {
            const dr = {
                url: d.displayUrl,
                key: keys.archive,
                ok: false,
                size,
                sha256,
            };
            report.destinations.push(dr);
            const r = results[i];
            try {
                if (r.status === 'rejected')
                    throw r.reason;
                if (r.value.sha256 !== sha256 || r.value.size !== size) {
                    throw new IntegrityError(`${d.displayUrl} stored ${r.value.size} bytes with sha256 ${r.value.sha256}, but ${size} bytes with sha256 ${sha256} were sent`);
                }
                const sidecar = { ...sidecarBase };
                if (bool(options, 'verify-after-backup')) {
                    ctx.log.info(`Reading ${keys.archive} back from ${d.displayUrl} to check every chunk…`);
                    await verifyStoredBackup(d, sidecar, ctx, sctx, { structural: false });
                    sidecar.verifiedAt = ctx.now().toISOString();
                    dr.verified = true;
                }
                else {
                    dr.verified = false;
                }
                await d.storage.put(keys.sha256, external_node_stream_.Readable.from([sha256sumLine(sha256, keys.archive.split('/').pop())]));
                await d.storage.put(keys.manifest, external_node_stream_.Readable.from([JSON.stringify(sidecar, null, 2) + '\n']), {
                    contentType: 'application/json',
                });
                dr.ok = true;
                stored.push(d);
                finalManifest ??= sidecar;
                ctx.log.info(`Stored ${formatBytes(size)} at ${d.displayUrl} ${keys.archive} (sha256 ${sha256})`);
            }
            catch (err) {
                dr.error = describeError(err);
                failures.push(`${d.displayUrl}: ${describeError(err)}`);
                ctx.log.error(`Destination ${d.displayUrl} failed: ${describeError(err)}`);
                await cleanupPartial(d, keys, ctx);
                if (err instanceof IntegrityError && destinations.length === 1)
                    throw err;
            }
        }
        if (failures.length > 0) {
            throw new StorageError(`${failures.length} of ${destinations.length} destination(s) failed: ${failures.join('; ')}`);
        }
        return { id, set, manifest: finalManifest, stored };
    }
    finally {
        await (0,promises_.rm)(tmpDir, { recursive: true, force: true });
        if (!request.destinations)
            await closeDestinations(destinations);
    }
}
/** Removes whatever a failed backup may have left so nothing half-written looks like a backup. */
async function cleanupPartial(d, keys, ctx) {
    for (const key of [keys.manifest, keys.sha256, keys.archive]) {
        try {
            await d.storage.delete(key);
        }
        catch (err) {
            ctx.log.warn(`could not remove ${key} from ${d.displayUrl}: ${err.message}`);
        }
    }
}
function throughput(bytes, ms) {
    if (ms < 50 || bytes === 0)
        return '';
    return ` (${formatBytes((bytes / ms) * 1000)}/s)`;
}
function rejectEncryption(options) {
    for (const name of ['age-recipients', 'age-identity', 'passphrase']) {
        const v = options.values[name];
        if (v !== undefined && !(Array.isArray(v) && v.length === 0)) {
            throw new ConfigError(name, 'encryption is not available in this release of Lifeboat', {
                hint: `remove ${name}; encrypt the destination at rest (for example S3 server-side encryption) meanwhile`,
            });
        }
    }
}
function isLifeboatError(err) {
    return err instanceof LifeboatError;
}

// EXTERNAL MODULE: ./node_modules/cron-parser/dist/index.js
var dist = __webpack_require__(28628);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var yaml_dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./build/src/retention/duration.js

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS = {
    y: 'years',
    yr: 'years',
    year: 'years',
    years: 'years',
    mo: 'months',
    month: 'months',
    months: 'months',
    w: 'weeks',
    week: 'weeks',
    weeks: 'weeks',
    d: 'days',
    day: 'days',
    days: 'days',
    h: 'hours',
    hr: 'hours',
    hour: 'hours',
    hours: 'hours',
    min: 'minutes',
    mins: 'minutes',
    minute: 'minutes',
    minutes: 'minutes',
    s: 'seconds',
    sec: 'seconds',
    second: 'seconds',
    seconds: 'seconds',
};
const APPROX_MS = {
    years: 365 * DAY,
    months: 30 * DAY,
    weeks: 7 * DAY,
    days: DAY,
    hours: HOUR,
    minutes: MINUTE,
    seconds: 1000,
};
/**
 * Parses '30d', '2w', '1y6m', '12h', '1h30min', '90 minutes'. A bare `m` means months for
 * keep-within (restic's meaning, so '1y6m' works) and minutes for every other option
 * ('30m' grace); `mo` and `min` are never ambiguous.
 */
function parseDuration(option, text) {
    const trimmed = String(text).trim();
    const hint = option === 'keep-within'
        ? "use a number and a unit: y, m (months), w, d, h — e.g. '30d', '2w', '1y6m', '12h'"
        : "use a number and a unit: d, h, m (minutes), s — e.g. '30m', '2h', '1d'";
    if (!trimmed)
        throw new ConfigError(option, 'empty duration', { hint });
    const bareM = option === 'keep-within' ? 'months' : 'minutes';
    const parts = {
        years: 0,
        months: 0,
        weeks: 0,
        days: 0,
        hours: 0,
        minutes: 0,
        seconds: 0,
    };
    const token = /\s*(\d+)\s*([a-z]+)\s*/giy;
    let pos = 0;
    let matched = 0;
    while (pos < trimmed.length) {
        token.lastIndex = pos;
        const m = token.exec(trimmed);
        if (!m) {
            const bare = /^\d+$/.test(trimmed);
            throw new ConfigError(option, `'${trimmed}' is not a duration${bare ? ' (no unit)' : ''}`, {
                hint,
            });
        }
        const word = m[2].toLowerCase();
        const unit = word === 'm' ? bareM : UNITS[word];
        if (!unit)
            throw new ConfigError(option, `unknown unit '${m[2]}' in '${trimmed}'`, { hint });
        parts[unit] += Number(m[1]);
        pos = token.lastIndex;
        matched++;
    }
    if (matched === 0)
        throw new ConfigError(option, `'${trimmed}' is not a duration`, { hint });
    let ms = 0;
    for (const [unit, n] of Object.entries(parts))
        ms += n * APPROX_MS[unit];
    if (!Number.isFinite(ms))
        throw new ConfigError(option, `'${trimmed}' is too long`, { hint });
    const exactMs = parts.hours * HOUR + parts.minutes * MINUTE + parts.seconds * 1000;
    return {
        ms,
        text: trimmed,
        calendar: {
            years: parts.years,
            months: parts.months,
            days: parts.weeks * 7 + parts.days,
            ms: exactMs,
        },
    };
}
/** The instant `d` before `from`, on the UTC calendar when the duration has calendar parts. */
function subtractDuration(from, d) {
    if (!d.calendar)
        return new Date(from.getTime() - d.ms);
    const t = new Date(from.getTime());
    const { years, months, days, ms } = d.calendar;
    t.setUTCFullYear(t.getUTCFullYear() - years, t.getUTCMonth() - months, t.getUTCDate() - days);
    return new Date(t.getTime() - ms);
}
/** '2 d 3 h', '45 min', '12 s': coarse, for messages about ages and intervals. */
function describeMs(ms) {
    const neg = ms < 0;
    let rest = Math.round(Math.abs(ms) / 1000);
    const d = Math.floor(rest / 86_400);
    rest -= d * 86_400;
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    const out = [];
    if (d)
        out.push(`${d} d`);
    if (h)
        out.push(`${h} h`);
    if (m && d === 0)
        out.push(`${m} min`);
    if (s && d === 0 && h === 0)
        out.push(`${s} s`);
    const text = out.length ? out.join(' ') : '0 s';
    return neg ? `-${text}` : text;
}

;// CONCATENATED MODULE: ./build/src/retention/freshness.js






/** Default grace floor; see FreshnessInput.graceMs. */
const MIN_GRACE_MS = 15 * 60_000;
const SCHEDULE_HINT = "GitHub schedules use 5 fields in UTC: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'";
// One field of POSIX cron as GitHub accepts it: lists of *, n, n-m, names, each with an
// optional /step. Extensions some parsers accept (L, W, #, ?, H, @daily) are refused so a
// schedule that GitHub would reject is not silently accepted here.
const FIELD = /^(?:\*|[0-9]+|[a-z]{3})(?:-(?:[0-9]+|[a-z]{3}))?(?:\/[0-9]+)?(?:,(?:\*|[0-9]+|[a-z]{3})(?:-(?:[0-9]+|[a-z]{3}))?(?:\/[0-9]+)?)*$/i;
/** Validates one cron line the way GitHub's `on.schedule` would and parses it in UTC. */
function parseCron(expr, currentDate) {
    const text = expr.trim();
    if (!text)
        throw new ConfigError('schedule', 'empty cron expression', { hint: SCHEDULE_HINT });
    const fields = text.split(/\s+/);
    if (fields.length === 6) {
        throw new ConfigError('schedule', `'${text}' has 6 fields (with seconds); GitHub only accepts 5-field cron`, {
            hint: `drop the seconds field: '${fields.slice(1).join(' ')}'`,
        });
    }
    if (fields.length !== 5) {
        throw new ConfigError('schedule', `'${text}' has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5`, {
            hint: SCHEDULE_HINT,
        });
    }
    const bad = fields.find((f) => !FIELD.test(f));
    if (bad !== undefined) {
        throw new ConfigError('schedule', `invalid cron expression '${text}': '${bad}' is not supported by GitHub schedules`, {
            hint: `${SCHEDULE_HINT}; each field is *, a number, a range a-b, a list a,b or a step */n`,
        });
    }
    try {
        return dist.CronExpressionParser.parse(text, { currentDate, tz: 'UTC' });
    }
    catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new ConfigError('schedule', `invalid cron expression '${text}': ${reason}`, {
            hint: SCHEDULE_HINT,
            cause: err,
        });
    }
}
/** Every line's scheduled times, merged, from the latest at or before `now` going back. */
function* scheduledBackwards(lines, now) {
    // prev() is strictly before currentDate; one ms later makes a run exactly at `now` count.
    const iterators = lines.map((l) => parseCron(l, new Date(now.getTime() + 1)));
    const heads = iterators.map((it) => it.prev().toDate());
    for (;;) {
        let best = 0;
        for (let i = 1; i < heads.length; i++)
            if (heads[i].getTime() > heads[best].getTime())
                best = i;
        const t = heads[best];
        yield t;
        // Several lines firing at the same minute are one expected run.
        for (let i = 0; i < heads.length; i++) {
            if (heads[i].getTime() === t.getTime())
                heads[i] = iterators[i].prev().toDate();
        }
    }
}
function nextAfter(lines, now) {
    let next;
    for (const l of lines) {
        const t = parseCron(l, now).next().toDate();
        if (!next || t < next)
            next = t;
    }
    return next;
}
function first(it) {
    return it.next().value;
}
const iso = (t) => t.toISOString().replace('.000Z', 'Z');
/** The latest scheduled run whose grace is over, and that grace. */
function lastExpectedRun(lines, now, nextExpected, explicitGraceMs) {
    if (explicitGraceMs !== undefined) {
        const target = new Date(now.getTime() - explicitGraceMs);
        return { expected: first(scheduledBackwards(lines, target)), graceMs: explicitGraceMs };
    }
    // The default grace depends on the gap after each run, so walk back until one's grace is
    // over; a grace of max(15 min, half the gap) ends within a few runs.
    let following = nextExpected;
    for (const t of scheduledBackwards(lines, now)) {
        const graceMs = Math.max(MIN_GRACE_MS, Math.round((following.getTime() - t.getTime()) / 2));
        if (t.getTime() + graceMs <= now.getTime())
            return { expected: t, graceMs };
        following = t;
    }
    throw new Error('unreachable: a cron schedule has no end');
}
/**
 * Compares the newest verified backup with the schedule. The run that must be covered is the
 * latest scheduled time whose grace period has passed; the check passes when the newest backup
 * is at or after it. With several cron lines the most recent expected run across all counts.
 */
function checkFreshness(input) {
    const { now, newest } = input;
    const lines = input.cron.map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length === 0) {
        throw new ConfigError('schedule', 'no cron expression given', {
            hint: "set schedule to the cron line(s) your backups follow, e.g. '0 3 * * *'",
        });
    }
    if (input.graceMs !== undefined && !(input.graceMs >= 0)) {
        throw new ConfigError('grace', `grace must not be negative`, {
            hint: "use a duration such as '30m' or '2h'",
        });
    }
    for (const l of lines)
        parseCron(l, now); // every line is checked, not only the ones reached
    const nextExpected = nextAfter(lines, now);
    const lastScheduled = first(scheduledBackwards(lines, now));
    const { expected, graceMs } = lastExpectedRun(lines, now, nextExpected, input.graceMs);
    const intervalMs = nextAfter(lines, expected).getTime() - expected.getTime();
    const ageMs = newest ? now.getTime() - newest.getTime() : undefined;
    const ok = newest !== undefined && newest.getTime() >= expected.getTime();
    const every = `expected every ${describeMs(intervalMs)}`;
    const nextText = `next expected run ${iso(nextExpected)}`;
    let message;
    if (!newest) {
        message = `No verified backup found; a backup was expected at ${iso(expected)} (${every}, grace ${describeMs(graceMs)}); ${nextText}.`;
    }
    else if (ok) {
        message = `Fresh: newest verified backup is ${describeMs(ageMs)} old (${iso(newest)}); ${every}, last expected run ${iso(expected)}, ${nextText}.`;
    }
    else {
        message =
            `Stale: newest verified backup is ${describeMs(ageMs)} old (${iso(newest)}), but a backup was expected at ` +
                `${iso(expected)} (${every}, grace ${describeMs(graceMs)}, missed or failed runs); ${nextText}.`;
    }
    const report = {
        ok,
        lastExpected: expected,
        nextExpected,
        expectedIntervalMs: intervalMs,
        message,
        lastScheduled,
        graceMs,
    };
    if (ageMs !== undefined)
        report.ageMs = ageMs;
    return report;
}
/**
 * Reads the calling workflow's own `on.schedule` cron lines from the checkout.
 * GITHUB_WORKFLOW_REF is 'owner/repo/.github/workflows/backup.yml@refs/heads/main'.
 * Returns [] when the workflow has no schedule.
 */
async function readWorkflowSchedule(env) {
    const setSchedule = "or set the schedule option to the cron line(s) your backups follow, e.g. '0 3 * * *'";
    const ref = env['GITHUB_WORKFLOW_REF']?.trim();
    if (!ref) {
        throw new ConfigError('schedule', 'no schedule given and GITHUB_WORKFLOW_REF is not set (not running in a GitHub workflow)', {
            hint: `set the schedule option to the cron line(s) your backups follow, e.g. '0 3 * * *'`,
        });
    }
    const at = ref.lastIndexOf('@');
    const withoutRef = at >= 0 ? ref.slice(0, at) : ref;
    const segments = withoutRef.split('/');
    const workflowPath = segments.slice(2).join('/');
    if (segments.length < 3 || !workflowPath.startsWith('.github/workflows/')) {
        throw new ConfigError('schedule', `cannot find the workflow file in GITHUB_WORKFLOW_REF '${ref}'`, {
            hint: `set the schedule option to the cron line(s) your backups follow, e.g. '0 3 * * *'`,
        });
    }
    const workspace = env['GITHUB_WORKSPACE']?.trim();
    if (!workspace) {
        throw new ConfigError('schedule', `cannot read ${workflowPath}: GITHUB_WORKSPACE is not set`, {
            hint: `add 'uses: actions/checkout' before this step, ${setSchedule}`,
        });
    }
    const file = (0,external_node_path_.resolve)(workspace, workflowPath);
    const inside = (0,external_node_path_.relative)((0,external_node_path_.resolve)(workspace), file);
    if (inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside)) {
        throw new ConfigError('schedule', `workflow path '${workflowPath}' points outside the workspace`, { hint: setSchedule });
    }
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (err) {
        const missing = err.code === 'ENOENT';
        throw new ConfigError('schedule', missing
            ? `the workflow file ${workflowPath} is not in ${workspace}: the repository is not checked out`
            : `cannot read the workflow file ${(0,external_node_path_.join)(workspace, workflowPath)}: ${err.message}`, {
            hint: `add '- uses: actions/checkout@v5' (sparse-checkout: .github is enough) before this step, ${setSchedule}`,
            cause: err,
        });
    }
    let doc;
    try {
        doc = (0,yaml_dist/* parse */.qg)(text);
    }
    catch (err) {
        throw new ConfigError('schedule', `cannot parse the workflow file ${workflowPath}: ${err.message}`, {
            hint: setSchedule,
            cause: err,
        });
    }
    return scheduleOf(doc, workflowPath, setSchedule);
}
function scheduleOf(doc, workflowPath, hint) {
    if (!doc || typeof doc !== 'object')
        return [];
    const root = doc;
    // YAML 1.1 readers turn the key `on` into true; accept both spellings.
    const on = 'on' in root ? root['on'] : root['true'];
    if (!on || typeof on !== 'object' || Array.isArray(on))
        return [];
    const schedule = on['schedule'];
    if (schedule === undefined || schedule === null)
        return [];
    if (!Array.isArray(schedule)) {
        throw new ConfigError('schedule', `on.schedule in ${workflowPath} is not a list of '- cron: ...' entries`, { hint });
    }
    const crons = [];
    for (const entry of schedule) {
        const cron = entry && typeof entry === 'object' ? entry['cron'] : undefined;
        if (typeof cron !== 'string' || !cron.trim()) {
            throw new ConfigError('schedule', `an on.schedule entry in ${workflowPath} has no cron string`, { hint });
        }
        crons.push(cron.trim());
    }
    return crons;
}

;// CONCATENATED MODULE: ./build/src/retention/policy.js



const PERIODS = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'];
const pad = (n, width = 2) => String(n).padStart(width, '0');
/** ISO 8601 week of a UTC instant: the week belongs to the year that holds its Thursday. */
function isoWeek(t) {
    const day = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
    const weekday = (t.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    const thursday = new Date(day + (3 - weekday) * 86_400_000);
    const year = thursday.getUTCFullYear();
    const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
    return { year, week };
}
/** The period a backup falls in, as a label that is also its identity ('2026-11-21'). */
function periodLabel(period, t) {
    const y = pad(t.getUTCFullYear(), 4);
    const mo = pad(t.getUTCMonth() + 1);
    const d = pad(t.getUTCDate());
    switch (period) {
        case 'hourly':
            return `${y}-${mo}-${d}T${pad(t.getUTCHours())}`;
        case 'daily':
            return `${y}-${mo}-${d}`;
        case 'weekly': {
            const w = isoWeek(t);
            return `${pad(w.year, 4)}-W${pad(w.week)}`;
        }
        case 'monthly':
            return `${y}-${mo}`;
        case 'yearly':
            return y;
    }
}
function isEmptyPolicy(p) {
    const anyCount = PERIODS.some((k) => (p[k] ?? 0) > 0);
    return !anyCount && !hasWithin(p);
}
function hasWithin(p) {
    if (!p.within)
        return false;
    const c = p.within.calendar;
    return p.within.ms > 0 || (c !== undefined && c.years + c.months + c.days + c.ms > 0);
}
function newestFirst(a, b) {
    const dt = b.time.getTime() - a.time.getTime();
    if (dt !== 0)
        return dt;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
const hasTime = (b) => b.time instanceof Date && !Number.isNaN(b.time.getTime());
/**
 * Pure. Semantics of restic's `forget`, in UTC: backups are walked newest first; each
 * `keep-<period> N` keeps the first (newest) backup it meets in each new period until it has
 * kept N, so periods without a backup never count, and when a rule runs out of backups before
 * N it also keeps the oldest one. `keep-within` keeps everything strictly newer than the newest
 * backup minus the duration. Rules are ORed. On top of that: an empty policy keeps everything,
 * the newest verified backup is always kept, and a backup without a valid time is kept.
 */
function planRetention(backups, policy) {
    const sorted = backups.filter(hasTime).sort(newestFirst);
    const reasons = new Map(sorted.map((b) => [b, []]));
    const reasonsOf = (b) => reasons.get(b);
    if (isEmptyPolicy(policy)) {
        for (const b of sorted)
            reasonsOf(b).push('no retention policy');
    }
    else if (sorted.length > 0) {
        const newest = sorted[0];
        const cutoff = hasWithin(policy)
            ? subtractDuration(newest.time, policy.within).getTime()
            : undefined;
        const buckets = PERIODS.map((period) => ({
            period,
            left: policy[period] ?? 0,
            last: undefined,
        }));
        sorted.forEach((b, nr) => {
            const isOldest = nr === sorted.length - 1;
            if (cutoff !== undefined && b.time.getTime() > cutoff)
                reasonsOf(b).push(`within ${policy.within.text}`);
            for (const bucket of buckets) {
                if (!(bucket.left > 0))
                    continue;
                const label = bucket.period === 'last' ? String(nr + 1) : periodLabel(bucket.period, b.time);
                if (label !== bucket.last) {
                    bucket.last = label;
                    bucket.left--;
                    reasonsOf(b).push(`${bucket.period} ${label}`);
                }
                else if (isOldest) {
                    // restic keeps the oldest backup while a rule still has counts left: the longest history.
                    reasonsOf(b).push(`oldest ${bucket.period} ${label}`);
                }
            }
        });
    }
    const newestVerified = sorted.find((b) => b.verified);
    if (newestVerified)
        reasonsOf(newestVerified).push('newest verified');
    const decide = (b, why) => ({
        id: b.id,
        time: b.time,
        verified: b.verified,
        keep: why.length > 0,
        reasons: why,
    });
    const decisions = sorted.map((b) => decide(b, reasonsOf(b)));
    // A backup whose time cannot be read is never removed: nothing says it is old.
    const undated = backups.filter((b) => !hasTime(b)).map((b) => decide(b, ['unknown time']));
    return {
        keep: [...decisions.filter((d) => d.keep), ...undated],
        remove: decisions.filter((d) => !d.keep),
        policy,
    };
}
const COUNT_HINT = 'use a whole number such as 7 (0 turns the rule off), or unlimited';
function policy_single(option, value) {
    if (!Array.isArray(value))
        return value;
    if (value.length > 1)
        throw new ConfigError(option, 'given more than once', { hint: 'give it once' });
    return value[0];
}
function parseCount(option, raw) {
    const value = policy_single(option, raw);
    if (value === undefined || value === null)
        return undefined;
    if (typeof value === 'number') {
        if (Number.isInteger(value) && value >= 0)
            return value;
        if (value === -1 || value === Infinity)
            return Infinity;
        throw new ConfigError(option, `${value} is not a whole number`, { hint: COUNT_HINT });
    }
    if (typeof value !== 'string')
        throw new ConfigError(option, `expected a whole number`, { hint: COUNT_HINT });
    const text = value.trim();
    if (text === '')
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text);
    if (/^(unlimited|all|-1)$/i.test(text))
        return Infinity;
    throw new ConfigError(option, `'${text}' is not a whole number`, { hint: COUNT_HINT });
}
/** From option values (strings as typed, or numbers). Throws ConfigError naming the option. */
function parseRetentionPolicy(values) {
    const policy = {};
    for (const period of PERIODS) {
        const n = parseCount(`keep-${period}`, values[`keep-${period}`]);
        if (n !== undefined)
            policy[period] = n;
    }
    const within = policy_single('keep-within', values['keep-within']);
    if (within !== undefined && within !== null && String(within).trim() !== '') {
        if (typeof within !== 'string') {
            throw new ConfigError('keep-within', `'${String(within)}' has no unit`, {
                hint: "use a number and a unit: y, m (months), w, d, h — e.g. '30d', '2w', '1y6m', '12h'",
            });
        }
        const d = parseDuration('keep-within', within);
        if (d.ms <= 0) {
            throw new ConfigError('keep-within', `'${d.text}' is zero`, {
                hint: "give a positive duration such as '7d', or leave keep-within unset",
            });
        }
        policy.within = d;
    }
    return policy;
}
/** 'keep-last 3, keep-daily 7, keep-within 30d' — or 'none'. */
function describePolicy(p) {
    const parts = [];
    for (const period of PERIODS) {
        const n = p[period];
        if (n !== undefined && n > 0)
            parts.push(`keep-${period} ${n === Infinity ? 'unlimited' : n}`);
    }
    if (hasWithin(p))
        parts.push(`keep-within ${p.within.text}`);
    return parts.length ? parts.join(', ') : 'none';
}
const showTime = (t) => Number.isNaN(t.getTime()) ? 'unknown' : t.toISOString().replace('.000Z', 'Z');
/** Plain-text table of the plan for logs, or markdown for the job summary. Newest first. */
function formatPlan(plan, format) {
    const rows = [...plan.keep, ...plan.remove].sort((a, b) => {
        const ta = Number.isNaN(a.time.getTime()) ? Infinity : a.time.getTime();
        const tb = Number.isNaN(b.time.getTime()) ? Infinity : b.time.getTime();
        return tb - ta || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    });
    const summary = `keep ${plan.keep.length}, remove ${plan.remove.length}`;
    const policyText = plan.policy ? ` (policy: ${describePolicy(plan.policy)})` : '';
    if (format === 'markdown') {
        const cell = (s) => s
            .replace(/\\/g, '\\\\')
            .replace(/\|/g, '\\|')
            .replace(/[\r\n]+/g, ' ');
        const code = (s) => `\`${cell(s).replace(/`/g, "'")}\``;
        const lines = [`**Retention: ${summary}**${policyText}`, ''];
        if (rows.length === 0)
            return [...lines, 'No backups.'].join('\n');
        lines.push('| action | backup | time (UTC) | reasons |', '|---|---|---|---|');
        for (const r of rows) {
            lines.push(`| ${r.keep ? 'keep' : '**remove**'} | ${code(r.id)} | ${showTime(r.time)} | ${cell(r.reasons.join(', ') || '—')} |`);
        }
        return lines.join('\n');
    }
    const header = `Retention: ${summary}${policyText}`;
    if (rows.length === 0)
        return `${header}\nNo backups.`;
    const table = [
        ['ACTION', 'BACKUP', 'TIME (UTC)', 'REASONS'],
        ...rows.map((r) => [
            r.keep ? 'keep' : 'remove',
            r.id,
            showTime(r.time),
            r.reasons.join(', ') || '-',
        ]),
    ];
    const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i].length)));
    const lines = table.map((row) => row
        .map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c))
        .join('  ')
        .trimEnd());
    return [header, ...lines].join('\n');
}

;// CONCATENATED MODULE: ./build/src/engine/catalog.js












function toRow(e) {
    return {
        set: e.set,
        id: e.id,
        time: e.manifest.createdAt,
        size: e.manifest.archive.size,
        sources: e.manifest.sources.map((s) => `${s.name} (${s.kind})`).join(', '),
        encrypted: e.manifest.encrypted,
        verified: Boolean(e.manifest.verifiedAt),
        tags: e.manifest.tags ?? [],
        location: `${e.destination.displayUrl} ${e.manifest.archive.key}`,
    };
}
async function listCommand(options, ctx, report) {
    const destinations = await openDestinations(options, ctx);
    try {
        for (const d of destinations) {
            const entries = await listBackups(d, str(options, 'name'), ctx);
            report.backups.push(...entries.map(toRow));
        }
        report.outputs['count'] = String(report.backups.length);
        report.outputs['backups'] = JSON.stringify(report.backups);
        const latest = report.backups.at(-1);
        if (latest)
            report.outputs['backup-id'] = latest.id;
    }
    finally {
        await closeDestinations(destinations);
    }
}
async function verifyCommand(options, ctx, report) {
    const destinations = await openDestinations(options, ctx);
    const tmpDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'lifeboat-'));
    try {
        const entry = await findBackup(destinations, str(options, 'name'), str(options, 'backup') ?? 'latest', ctx);
        report.name = entry.set;
        report.backupId = entry.id;
        report.sha256 = entry.manifest.archive.sha256;
        report.size = entry.manifest.archive.size;
        ctx.log.info(`Verifying ${entry.set}/${entry.id} on ${entry.destination.displayUrl}…`);
        await verifyStoredBackup(entry.destination, entry.manifest, ctx, sourceContext(ctx, options, tmpDir), {
            structural: true,
            checkSha256Sidecar: true,
        });
        report.destinations.push({
            url: entry.destination.displayUrl,
            key: entry.manifest.archive.key,
            ok: true,
            size: entry.manifest.archive.size,
            sha256: entry.manifest.archive.sha256,
            verified: true,
        });
        report.outputs['verified'] = 'true';
    }
    finally {
        await (0,promises_.rm)(tmpDir, { recursive: true, force: true });
        await closeDestinations(destinations);
    }
}
/** The set name for prune/status: the option, else the only set in the first destination. */
async function resolveSet(options, d, ctx, fallback) {
    const named = str(options, 'name') ?? fallback;
    if (named)
        return named;
    const sets = [...new Set((await listBackups(d, undefined, ctx)).map((e) => e.set))].filter((s) => !s.endsWith('-safety'));
    if (sets.length === 1)
        return sets[0];
    throw new ConfigError('name', sets.length ? `several backup sets found (${sets.join(', ')})` : 'no backup sets found', {
        hint: 'choose the set with the name option',
    });
}
/**
 * Applies the retention policy to one set on every destination. Nothing is removed when the
 * policy is empty; the newest verified backup is never removed; the plan is logged first.
 */
async function pruneSet(options, ctx, report, destinations, set) {
    const policy = parseRetentionPolicy(options.values);
    if (isEmptyPolicy(policy)) {
        ctx.log.info('No keep-* option set: nothing to prune.');
        return;
    }
    const dryRun = bool(options, 'dry-run');
    let removed = 0;
    let kept = 0;
    for (const d of destinations) {
        const name = await resolveSet(options, d, ctx, set);
        const entries = (await listBackups(d, name, ctx)).filter((e) => e.set === name);
        const plan = planRetention(entries.map((e) => ({
            id: e.id,
            time: new Date(e.manifest.createdAt),
            verified: Boolean(e.manifest.verifiedAt) || !bool(options, 'verify-after-backup'),
        })), policy);
        const text = formatPlan(plan, 'text');
        ctx.log.info(`Retention plan for ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}:\n${text}`);
        report.sections.push({
            title: `Retention: ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`,
            markdown: formatPlan(plan, 'markdown'),
        });
        kept += plan.keep.length;
        if (dryRun)
            continue;
        for (const r of plan.remove) {
            const e = entries.find((x) => x.id === r.id);
            const keys = backupKeys(name, r.id, e.manifest.compression);
            // The manifest goes first so a half-removed backup is never listed.
            for (const key of [keys.manifest, keys.sha256, e.manifest.archive.key])
                await d.storage.delete(key);
            removed++;
            ctx.log.info(`Removed ${name}/${r.id} from ${d.displayUrl}`);
        }
    }
    report.outputs['removed'] = String(removed);
    report.outputs['kept'] = String(kept);
}
async function pruneCommand(options, ctx, report) {
    const destinations = await openDestinations(options, ctx);
    try {
        await pruneSet(options, ctx, report, destinations);
    }
    finally {
        await closeDestinations(destinations);
    }
}
/** Freshness: fails when the newest verified backup is older than the schedule allows. */
async function statusCheck(options, ctx, report, destinations, set) {
    let cron = lines(options, 'schedule');
    const explicit = cron.length > 0;
    if (!explicit) {
        if (!ctx.env['GITHUB_WORKFLOW_REF']) {
            if (options.command === 'status') {
                throw new ConfigError('schedule', 'no schedule given and not running in a GitHub workflow', {
                    hint: "set schedule to the cron line(s) your backups follow, e.g. '0 3 * * *'",
                });
            }
            return undefined;
        }
        cron = await readWorkflowSchedule(ctx.env);
        if (cron.length === 0) {
            if (options.command === 'status') {
                throw new ConfigError('schedule', 'the calling workflow has no on.schedule', {
                    hint: 'set the schedule option to the cron line(s) backups should follow',
                });
            }
            return undefined;
        }
    }
    const d = destinations[0];
    const name = await resolveSet(options, d, ctx, set);
    const entries = (await listBackups(d, name, ctx)).filter((e) => e.set === name && e.manifest.verifiedAt);
    const newest = entries.at(-1);
    const graceText = str(options, 'grace');
    let graceMs;
    if (graceText) {
        graceMs = parseDuration('grace', graceText).ms;
    }
    const input = { cron, now: ctx.now() };
    if (newest)
        input.newest = new Date(newest.manifest.createdAt);
    if (graceMs !== undefined)
        input.graceMs = graceMs;
    const fr = checkFreshness(input);
    report.outputs['fresh'] = String(fr.ok);
    if (fr.ageMs !== undefined)
        report.outputs['newest-age-ms'] = String(fr.ageMs);
    report.outputs['next-expected'] = fr.nextExpected.toISOString();
    const md = [
        `| | |`,
        `|---|---|`,
        `| set | ${name} |`,
        `| schedule | ${cron.map((c) => `\`${c}\``).join(', ')} |`,
        `| newest verified backup | ${newest ? `${newest.id} (${formatDuration(fr.ageMs ?? 0)} ago)` : 'none'} |`,
        `| expected interval | ${formatDuration(fr.expectedIntervalMs)} |`,
        `| last expected run | ${fr.lastExpected.toISOString()} |`,
        `| next expected run | ${fr.nextExpected.toISOString()} |`,
        `| verdict | ${fr.ok ? 'fresh' : '**stale**'} |`,
    ].join('\n');
    report.sections.push({ title: `Freshness: ${name}`, markdown: md });
    (fr.ok ? ctx.log.info : ctx.log.error)(fr.message);
    return { ok: fr.ok, message: fr.message };
}
async function statusCommand(options, ctx, report) {
    const destinations = await openDestinations(options, ctx);
    try {
        const result = await statusCheck(options, ctx, report, destinations);
        if (result && !result.ok) {
            throw new FreshnessError(result.message, {
                hint: 'check that the scheduled backup workflow runs and succeeds',
            });
        }
    }
    finally {
        await closeDestinations(destinations);
    }
}

;// CONCATENATED MODULE: ./build/src/engine/restore.js











/**
 * Restore: the whole stored archive is verified first (sha256, every chunk, manifests), and only
 * then read a second time into the target, with every chunk checked again on the way. Sources
 * write into a new place and swap it in, so the target is untouched until the data is proven.
 */
async function restoreBackup(options, ctx, report) {
    rejectEncryption(options);
    const destinations = await openDestinations(options, ctx);
    const tmpDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'lifeboat-'));
    const sctx = sourceContext(ctx, options, tmpDir);
    try {
        const entry = await findBackup(destinations, str(options, 'name'), str(options, 'backup') ?? 'latest', ctx);
        const { manifest, destination } = entry;
        report.name = entry.set;
        report.backupId = entry.id;
        report.sha256 = manifest.archive.sha256;
        report.size = manifest.archive.size;
        const targets = resolveTargets(lines(options, 'target'), manifest.sources.map((s) => s.name));
        for (const url of targets.values())
            registerUrlSecrets(url, ctx);
        ctx.log.info(`Restoring ${entry.set}/${entry.id} from ${destination.displayUrl}`);
        ctx.log.info('Checking the archive before touching any target…');
        await verifyStoredBackup(destination, manifest, ctx, sctx, {
            structural: false,
            checkSha256Sidecar: true,
        });
        const overwrite = bool(options, 'overwrite');
        const t0 = Date.now();
        const locations = [];
        await verifyStoredBackup(destination, manifest, ctx, sctx, {
            structural: false,
            onSource: async (source, members) => {
                const sm = manifest.sources.find((s) => s.name === source);
                if (!sm)
                    throw new IntegrityError(`archive holds a source '${source}' its manifest does not list`);
                const target = targets.get(source);
                const driver = driverForKind(sm.kind);
                ctx.log.info(`Restoring ${source} (${sm.kind}) into ${redactUrl(target)}…`);
                const result = await driver.restore(members, {
                    target,
                    overwrite,
                    manifest: sm,
                    backupId: entry.id,
                    safetyBackup: async (sourceUrl) => {
                        ctx.log.info(`Taking a safety backup of ${redactUrl(sourceUrl)} before overwriting it…`);
                        const safetyOptions = {
                            command: 'backup',
                            values: {
                                ...options.values,
                                source: [`${source}=${sourceUrl}`],
                                command: 'backup',
                            },
                        };
                        const outcome = await createBackup(safetyOptions, ctx, report, {
                            tags: ['safety'],
                            set: `${entry.set}-safety`,
                            destinations: [destination],
                        });
                        report.notes.push(`Safety backup of the previous ${source}: ${outcome.set}/${outcome.id}`);
                        report.name = entry.set;
                        report.backupId = entry.id;
                        return outcome.id;
                    },
                }, sctx);
                locations.push(result.location);
                for (const note of result.notes ?? [])
                    report.notes.push(note);
                report.sources.push({
                    name: source,
                    kind: sm.kind,
                    url: result.location,
                    inventory: result.inventory ?? sm.inventory,
                });
            },
        });
        report.outputs['location'] = locations.join('\n');
        ctx.log.info(`Restored ${entry.set}/${entry.id} in ${formatDuration(Date.now() - t0)} to ${locations.join(', ')}`);
    }
    finally {
        await (0,promises_.rm)(tmpDir, { recursive: true, force: true });
        await closeDestinations(destinations);
    }
}
/** Maps each archived source to a target URL. A single unnamed target fits a single source. */
function resolveTargets(targetLines, sourceNames) {
    const parsed = parseNamedLines(targetLines);
    if (parsed.length === 0) {
        throw new ConfigError('target', 'is required for restore', {
            hint: 'name a new place to restore into, e.g. sqlite:./restored.db, dir:./restored or postgres://host/newdb',
        });
    }
    const map = new Map();
    if (parsed.length === 1 && !parsed[0].name) {
        if (sourceNames.length !== 1) {
            throw new ConfigError('target', `this backup holds ${sourceNames.length} sources (${sourceNames.join(', ')})`, {
                hint: 'give one target per source as name=URL lines',
            });
        }
        map.set(sourceNames[0], parsed[0].url);
        return map;
    }
    for (const { name, url } of parsed) {
        if (!name)
            throw new ConfigError('target', `'${redactUrl(url)}' has no source name`, {
                hint: 'write name=URL',
            });
        if (!sourceNames.includes(name)) {
            throw new ConfigError('target', `the backup has no source named '${name}'`, {
                hint: `its sources are: ${sourceNames.join(', ')}`,
            });
        }
        map.set(name, url);
    }
    const missing = sourceNames.filter((n) => !map.has(n));
    if (missing.length) {
        throw new ConfigError('target', `no target for source(s) ${missing.join(', ')}`, {
            hint: 'add name=URL lines for them',
        });
    }
    return map;
}

;// CONCATENATED MODULE: ./build/src/engine/run.js






/** Runs one command. Throws typed errors; the report is filled in either way. */
async function runCommand(options, ctx, report) {
    try {
        switch (options.command) {
            case 'backup':
                return await backupCommand(options, ctx, report);
            case 'restore':
                await restoreBackup(options, ctx, report);
                report.outputs['verified'] = 'true';
                return;
            case 'verify':
                return await verifyCommand(options, ctx, report);
            case 'list':
                return await listCommand(options, ctx, report);
            case 'prune':
                return await pruneCommand(options, ctx, report);
            case 'status':
                return await statusCommand(options, ctx, report);
            case 'drill':
                throw new ConfigError('command', "'drill' is not available in this release", {
                    hint: 'run restore into a scratch target, then verify; drills are coming',
                });
        }
    }
    catch (err) {
        report.error = describeError(err);
        throw err;
    }
    finally {
        report.finishedMs = Date.now();
        if (report.backupId)
            report.outputs['backup-id'] = report.backupId;
        if (report.sha256)
            report.outputs['sha256'] = report.sha256;
        if (report.size !== undefined)
            report.outputs['size'] = String(report.size);
        report.outputs['duration-ms'] = String(report.durationMs);
    }
}
async function backupCommand(options, ctx, report) {
    const destinations = await openDestinations(options, ctx);
    try {
        const outcome = await createBackup(options, ctx, report, { destinations });
        const first = report.destinations.find((d) => d.ok);
        report.outputs['location'] = first
            ? `${first.url.replace(/\/$/, '')}/${outcome.manifest.archive.key}`
            : '';
        report.outputs['verified'] = String(report.destinations.every((d) => d.verified));
        // Retention and freshness only after a fully successful backup: a failed run deletes nothing.
        await pruneSet(options, ctx, report, outcome.stored, outcome.set);
        if (lines(options, 'schedule').length > 0 || ctx.env['GITHUB_WORKFLOW_REF']) {
            try {
                await statusCheck(options, ctx, report, outcome.stored, outcome.set);
            }
            catch (err) {
                if (!(err instanceof errors_LifeboatError))
                    throw err;
                ctx.log.warn(`freshness not checked: ${describeError(err)}`);
            }
        }
    }
    finally {
        await closeDestinations(destinations);
    }
}

;// CONCATENATED MODULE: ./build/package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./build/src/engine/version.js

const VERSION = package_namespaceObject.rE;

;// CONCATENATED MODULE: ./build/src/report/report.js
class RunReport {
    startedAt = Date.now();
    command;
    name;
    backupId;
    sha256;
    size;
    finishedMs;
    sources = [];
    destinations = [];
    backups = [];
    /** Free-form sections (retention plan, freshness) as markdown. */
    sections = [];
    notes = [];
    outputs = {};
    error;
    constructor(command) {
        this.command = command;
    }
    get durationMs() {
        return (this.finishedMs ?? Date.now()) - this.startedAt;
    }
}

;// CONCATENATED MODULE: ./build/src/report/summary.js

const esc = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** The job summary (and the CLI's closing block), as markdown. Works for failed runs too. */
function renderSummary(report) {
    const out = [];
    const ok = !report.error;
    out.push(`## Lifeboat ${report.command}: ${ok ? '✅ succeeded' : '❌ failed'}`);
    out.push('');
    if (report.error) {
        out.push('```');
        out.push(report.error);
        out.push('```');
        out.push('');
    }
    const facts = [];
    if (report.name)
        facts.push(['backup set', report.name]);
    if (report.backupId)
        facts.push(['backup id', `\`${report.backupId}\``]);
    if (report.size !== undefined)
        facts.push(['archive size', formatBytes(report.size)]);
    if (report.sha256)
        facts.push(['sha256', `\`${report.sha256}\``]);
    facts.push(['duration', formatDuration(report.durationMs)]);
    if (report.outputs['location'])
        facts.push(['location', esc(report.outputs['location'])]);
    out.push('| | |', '|---|---|', ...facts.map(([k, v]) => `| ${k} | ${v} |`), '');
    if (report.sources.length) {
        out.push('### Sources', '', '| source | kind | location | data | time | throughput | inventory |', '|---|---|---|---|---|---|---|');
        for (const s of report.sources) {
            const tables = s.inventory?.tables;
            const inv = tables
                ? `${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} rows`
                : s.inventory?.files !== undefined
                    ? `${s.inventory.files} files`
                    : '';
            const tp = s.bytes && s.durationMs
                ? `${formatBytes((s.bytes / Math.max(s.durationMs, 1)) * 1000)}/s`
                : '';
            out.push(`| ${esc(s.name)} | ${s.kind} | ${esc(s.url)} | ${s.bytes !== undefined ? formatBytes(s.bytes) : ''} | ${s.durationMs !== undefined ? formatDuration(s.durationMs) : ''} | ${tp} | ${inv} |`);
        }
        out.push('');
    }
    if (report.destinations.length) {
        out.push('### Destinations', '', '| destination | object | result | verified |', '|---|---|---|---|');
        for (const d of report.destinations) {
            out.push(`| ${esc(d.url)} | ${esc(d.key ?? '')} | ${d.ok ? 'stored' : `failed: ${esc(d.error ?? '')}`} | ${d.verified ? 'yes' : 'no'} |`);
        }
        out.push('');
    }
    if (report.backups.length || report.command === 'list') {
        out.push('### Backups', '');
        out.push(renderBackupTable(report, 'markdown'), '');
    }
    for (const s of report.sections)
        out.push(`### ${s.title}`, '', s.markdown, '');
    if (report.notes.length)
        out.push('### Notes', '', ...report.notes.map((n) => `- ${n}`), '');
    return out.join('\n');
}
function renderBackupTable(report, format) {
    const header = ['set', 'id', 'time', 'size', 'sources', 'encrypted', 'verified', 'location'];
    const rows = report.backups.map((b) => [
        b.set + (b.tags.length ? ` [${b.tags.join(',')}]` : ''),
        b.id,
        b.time.replace(/\.\d+Z$/, 'Z'),
        formatBytes(b.size),
        b.sources,
        b.encrypted ? 'yes' : 'no',
        b.verified ? 'yes' : 'no',
        b.location,
    ]);
    if (rows.length === 0)
        return format === 'markdown' ? '_no backups_' : 'no backups';
    if (format === 'markdown') {
        return [
            `| ${header.join(' | ')} |`,
            `|${header.map(() => '---').join('|')}|`,
            ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
        ].join('\n');
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r) => r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    return [line(header), ...rows.map(line)].join('\n');
}

;// CONCATENATED MODULE: ./build/src/cli/args.js


const CLI_ONLY_COMMANDS = ['demo'];
/**
 * `lifeboat <command> [--option value|--option=value|--flag] [--json] [--help]`.
 * Every option can also come from the environment as LIFEBOAT_<NAME> (e.g. LIFEBOAT_SFTP_PASSWORD),
 * which is how secrets should be passed: a command line is visible to every user of the machine.
 */
function parseArgs(argv, env) {
    const raw = {};
    const out = { raw, json: false, help: false, version: false, secretFlags: [] };
    const rest = [...argv];
    if (rest[0] && !rest[0].startsWith('-')) {
        const command = rest.shift();
        if (CLI_ONLY_COMMANDS.includes(command))
            out.extraCommand = command;
        else if (command === 'help')
            out.help = true;
        else if (!schema_COMMANDS.includes(command)) {
            throw new ConfigError('command', `unknown command '${command}'`, {
                hint: `use one of: ${[...schema_COMMANDS, ...CLI_ONLY_COMMANDS].join(', ')}`,
            });
        }
        else
            raw['command'] = command;
    }
    const collected = new Map();
    while (rest.length) {
        const arg = rest.shift();
        if (arg === '--json')
            out.json = true;
        else if (arg === '--help' || arg === '-h')
            out.help = true;
        else if (arg === '--version' || arg === '-V')
            out.version = true;
        else if (arg.startsWith('--')) {
            const eq = arg.indexOf('=');
            const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
            const spec = OPTIONS.find((o) => o.name === name);
            if (!spec)
                throw new ConfigError(`--${name}`, 'unknown option', {
                    hint: 'run `lifeboat --help` for the options',
                });
            let value;
            if (eq >= 0)
                value = arg.slice(eq + 1);
            else if (spec.type === 'boolean') {
                value = rest[0] === 'true' || rest[0] === 'false' ? rest.shift() : 'true';
            }
            else {
                if (rest.length === 0 || rest[0].startsWith('--')) {
                    throw new ConfigError(name, 'needs a value', { hint: `write --${name} <value>` });
                }
                value = rest.shift();
            }
            if (spec.secret)
                out.secretFlags.push(name);
            collected.set(name, [...(collected.get(name) ?? []), value]);
        }
        else {
            throw new ConfigError(undefined, `unexpected argument '${arg}'`, {
                hint: 'options are written --name value',
            });
        }
    }
    for (const [name, values] of collected) {
        const spec = OPTIONS.find((o) => o.name === name);
        raw[name] = spec.type === 'lines' ? values : values.length === 1 ? values[0] : values;
    }
    for (const spec of OPTIONS) {
        if (raw[spec.name] !== undefined || spec.name === 'command')
            continue;
        const v = env[envName(spec)];
        if (v !== undefined && v !== '')
            raw[spec.name] = v;
    }
    return out;
}
function envName(spec) {
    return `LIFEBOAT_${spec.name.toUpperCase().replace(/-/g, '_')}`;
}
function helpText(version) {
    const lines = [
        `lifeboat ${version}: back up and restore databases and files`,
        '',
        'usage: lifeboat <command> [--option value ...] [--json]',
        '',
        'commands:',
        '  backup    dump the sources into a checksummed archive at every destination',
        '  restore   prove a backup intact, then restore it into a new target (--overwrite to replace)',
        '  verify    read a stored backup end to end: checksums, every chunk, structure',
        '  list      the backups at the destination',
        '  prune     apply the keep-* retention policy',
        '  status    fail when the newest backup is older than the schedule allows',
        '  demo      back up, verify and restore a demo SQLite database into ./backups',
        '',
        'options (each also read from the environment as LIFEBOAT_<NAME>; pass secrets that way):',
    ];
    for (const o of OPTIONS) {
        if (o.name === 'command')
            continue;
        const def = o.default !== undefined ? ` [default: ${o.default}]` : '';
        const kind = o.type === 'boolean' ? '' : o.type === 'lines' ? ' <value> (repeatable)' : ' <value>';
        lines.push(`  --${o.name}${kind}${def}`);
        lines.push(`      ${o.description.replace(/`/g, '')}`);
    }
    lines.push('', 'exit codes: 0 success, 1 failure, 2 bad usage or configuration, 3 integrity failure');
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./build/src/cli/demo.js








/**
 * The embedded default: a demo SQLite database is created, backed up to ./backups, verified,
 * restored into a new file, and each step's summary printed. Everything a real run does.
 */
async function runDemo(ctx, io) {
    const dir = (0,external_node_path_.join)(ctx.cwd, '.lifeboat-demo');
    await (0,promises_.mkdir)(dir, { recursive: true });
    const dbPath = (0,external_node_path_.join)(dir, 'shop.sqlite');
    await (0,promises_.rm)(dbPath, { force: true });
    createDemoDatabase(dbPath);
    const rel = (p) => (0,external_node_path_.relative)(ctx.cwd, p) || '.';
    ctx.log.info(`Created the demo database ${rel(dbPath)} (customers, orders)`);
    const destination = `file:${(0,external_node_path_.join)(ctx.cwd, 'backups')}`;
    const steps = [
        {
            title: 'backup',
            raw: { command: 'backup', source: `sqlite:${dbPath}`, destination, 'keep-last': '5' },
        },
        { title: 'verify', raw: { command: 'verify', destination, name: 'shop' } },
    ];
    try {
        let backupId = '';
        for (const step of steps) {
            const report = new RunReport(step.title);
            await runCommand(parseOptions(step.raw), ctx, report);
            backupId ||= report.backupId ?? '';
            io.stdout(renderSummary(report) + '\n');
        }
        const target = (0,external_node_path_.join)(dir, `restored-${backupId}.sqlite`);
        const report = new RunReport('restore');
        await runCommand(parseOptions({
            command: 'restore',
            destination,
            name: 'shop',
            backup: backupId,
            target: `sqlite:${target}`,
        }), ctx, report);
        io.stdout(renderSummary(report) + '\n');
        const check = new external_node_sqlite_.DatabaseSync(target, { readOnly: true });
        const row = check.prepare('SELECT count(*) AS n FROM orders').get();
        check.close();
        io.stdout(`Demo done: backups are in ${rel((0,external_node_path_.join)(ctx.cwd, 'backups'))}/shop/, the restored copy ${rel(target)} has ${row.n} orders.\n` +
            `Try: npx lifeboat list --destination file:./backups\n`);
        return ExitCode.ok;
    }
    catch (err) {
        ctx.log.error(describeError(err));
        return exitCodeFor(err);
    }
}
function createDemoDatabase(path) {
    const db = new external_node_sqlite_.DatabaseSync(path);
    db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, created_at TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL, note TEXT);
    CREATE INDEX orders_customer ON orders(customer_id);
  `);
    const names = [
        'Ada',
        'Grace',
        'Linus',
        'Margaret',
        'Dennis',
        'Barbara',
        'Ken',
        'Frances',
        'Émilie',
        '李雷',
    ];
    const insertCustomer = db.prepare('INSERT INTO customers (name, email, created_at) VALUES (?, ?, ?)');
    const insertOrder = db.prepare('INSERT INTO orders (customer_id, total, note) VALUES (?, ?, ?)');
    db.exec('BEGIN');
    names.forEach((n, i) => insertCustomer.run(n, `${i}@example.com`, new Date(Date.UTC(2026, 0, i + 1)).toISOString()));
    for (let i = 0; i < 5000; i++)
        insertOrder.run((i % names.length) + 1, Math.round(i * 137.5) / 100, `order #${i}`);
    db.exec('COMMIT');
    db.close();
}

;// CONCATENATED MODULE: ./build/src/cli/main.js










const defaultIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
};
/** Runs the CLI and returns its exit code; never throws. */
async function main(argv, io = defaultIo) {
    const redactor = new Redactor();
    const log = redactingLogger({
        info: (m) => io.stderr(`${m}\n`),
        warn: (m) => io.stderr(`warning: ${m}\n`),
        error: (m) => io.stderr(`error: ${m}\n`),
        debug: (m) => (io.env['LIFEBOAT_DEBUG'] ? io.stderr(`debug: ${m}\n`) : undefined),
    }, redactor);
    let json = false;
    let report;
    try {
        const args = parseArgs(argv, io.env);
        json = args.json;
        for (const spec of OPTIONS) {
            const v = args.raw[spec.name];
            if (spec.secret && typeof v === 'string')
                redactor.add(v);
        }
        if (args.version) {
            io.stdout(`${VERSION}\n`);
            return ExitCode.ok;
        }
        if (args.help || (!args.raw['command'] && !args.extraCommand && argv.length === 0)) {
            io.stdout(`${helpText(VERSION)}\n`);
            return ExitCode.ok;
        }
        for (const name of args.secretFlags) {
            log.warn(`--${name} on the command line is visible to other users of this machine; prefer LIFEBOAT_${name.toUpperCase().replace(/-/g, '_')}`);
        }
        const ctx = {
            log,
            redactor,
            env: io.env,
            cwd: io.cwd,
            now: () => new Date(),
            version: VERSION,
        };
        if (args.extraCommand === 'demo')
            return await runDemo(ctx, io);
        const options = parseOptions(args.raw);
        report = new RunReport(options.command);
        await runCommand(options, ctx, report);
        printResult(report, json, io, redactor);
        return ExitCode.ok;
    }
    catch (err) {
        const code = exitCodeFor(err);
        if (report)
            printResult(report, json, io, redactor);
        else if (json)
            io.stdout(redactor.redact(JSON.stringify({ ok: false, error: describeError(err) })) + '\n');
        log.error(describeError(err));
        if (code === ExitCode.failure && !(err instanceof Error && 'kind' in err)) {
            log.debug(err?.stack ?? String(err));
        }
        return code;
    }
}
function printResult(report, json, io, redactor) {
    if (json) {
        const body = {
            ok: !report.error,
            command: report.command,
            outputs: report.outputs,
        };
        if (report.error)
            body['error'] = report.error;
        if (report.command === 'list')
            body['backups'] = report.backups;
        if (report.destinations.length)
            body['destinations'] = report.destinations;
        io.stdout(redactor.redact(JSON.stringify(body, null, 2)) + '\n');
        return;
    }
    if (report.command === 'list' && !report.error) {
        io.stdout(renderBackupTable(report, 'text') + '\n');
        return;
    }
    io.stdout(redactor.redact(renderSummary(report)) + '\n');
}


/***/ })

};
