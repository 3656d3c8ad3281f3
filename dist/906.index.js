export const id = 906;
export const ids = [906];
export const modules = {

/***/ 20906:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: readInputs

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./build/src/action/runner.js
/**
 * The runner's protocol, written directly: inputs from INPUT_<NAME>, workflow commands on
 * stdout (`::error::`, `::group::`, `::add-mask::`…) and file commands (GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY). @actions/core does the same but bundles an HTTP client for OIDC that
 * every run would load and compile; start-up is a third of a short run's time.
 * The formats follow @actions/core (command.ts, file-command.ts), which the runner parses.
 */



/** The runner's name for an input: spaces become underscores, dashes stay. Trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
function issueCommand(command, message = '') {
    process.stdout.write(`::${command}::${escapeData(message)}${external_node_os_.EOL}`);
}
const info = (message) => void process.stdout.write(message + external_node_os_.EOL);
const debug = (message) => issueCommand('debug', message);
const warning = (message) => issueCommand('warning', message);
const error = (message) => issueCommand('error', message);
const startGroup = (title) => issueCommand('group', title);
const endGroup = () => issueCommand('endgroup');
const setSecret = (secret) => issueCommand('add-mask', secret);
/** Fails the step: one error annotation and a non-zero exit code. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
function fileCommand(variable) {
    const path = process.env[variable];
    if (!path)
        throw new Error(`${variable} is not set: not running on a GitHub Actions runner`);
    if (!(0,external_node_fs_.existsSync)(path))
        throw new Error(`${variable} points to a missing file: ${path}`);
    return path;
}
/** `name<<DELIMITER` block with a delimiter that cannot occur in the value. */
function setOutput(name, value) {
    if (!process.env['GITHUB_OUTPUT']) {
        // An old runner without file commands (or a local run): the deprecated command still works.
        process.stdout.write(`${external_node_os_.EOL}::set-output name=${name}::${escapeData(value)}${external_node_os_.EOL}`);
        return;
    }
    const delimiter = `ghadelimiter_${(0,external_node_crypto_.randomUUID)()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`output ${name}: its value contains the delimiter`);
    (0,external_node_fs_.appendFileSync)(fileCommand('GITHUB_OUTPUT'), `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`, 'utf8');
}
/** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
function appendSummary(markdown) {
    (0,external_node_fs_.appendFileSync)(fileCommand('GITHUB_STEP_SUMMARY'), markdown + external_node_os_.EOL, 'utf8');
}

// EXTERNAL MODULE: ./build/src/engine/errors.js
var engine_errors = __webpack_require__(72993);
// EXTERNAL MODULE: ./build/src/core/process.js
var core_process = __webpack_require__(15816);
;// CONCATENATED MODULE: ./build/src/core/cancel.js
/**
 * SIGINT/SIGTERM → one AbortSignal for the whole run. The first signal cancels (children
 * stopped, uploads aborted, temp folders removed by the code that owns them); a second one
 * only says cleanup is still running; a third forces the exit.
 */


function cancelOnSignals(say, proc = process) {
    const controller = new AbortController();
    let received = 0;
    const onSignal = (name) => {
        received++;
        if (received === 1) {
            say(`Cancelling (${name} received): stopping child processes, aborting uploads, removing temporary files…`);
            controller.abort(new engine_errors/* CancelledError */.cc(name));
        }
        else if (received === 2) {
            say(`${name} received again: still cleaning up; a third signal stops without cleanup`);
        }
        else {
            say(`${name} received a third time: exiting now, cleanup may be incomplete`);
            (0,core_process/* killAllProcesses */.F2)();
            const first = controller.signal.reason;
            proc.exit(first.exitCode);
        }
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    proc.on('SIGINT', onInt);
    proc.on('SIGTERM', onTerm);
    return {
        signal: controller.signal,
        dispose() {
            proc.off('SIGINT', onInt);
            proc.off('SIGTERM', onTerm);
        },
    };
}
/**
 * Waits for `work` unless the signal aborts first, then throws its reason at once: for a step
 * that takes no signal itself (a storage delete) and must not hold a cancelled run open.
 */
function unlessAborted(work, signal) {
    if (!signal)
        return work;
    signal.throwIfAborted();
    work.catch(() => undefined); // abandoned: its outcome no longer matters
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then((v) => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
        }, (err) => {
            signal.removeEventListener('abort', onAbort);
            reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./build/src/core/temp.js
/**
 * Per-run temporary folders: private (0700), under the temp root the face chose (RUNNER_TEMP
 * on a runner), each holding a marker that proves which process made it, so a later run can
 * remove what a killed run (kill -9, runner lost) left behind, and only that.
 */





const TEMP_PREFIX = 'lifeboat-';
const TEMP_MARKER = '.lifeboat-run.json';
/** Where temporary folders go: RUNNER_TEMP on a runner (TMPDIR may be unusable there), else the OS's. */
function tempRootFor(env) {
    return env['RUNNER_TEMP'] || (0,external_node_os_.tmpdir)();
}
async function createRunTemp(root) {
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(root, TEMP_PREFIX));
    const marker = {
        pid: process.pid,
        host: (0,external_node_os_.hostname)(),
        createdAt: new Date().toISOString(),
    };
    const ticks = startTicksOf(process.pid);
    if (ticks)
        marker.startTicks = ticks;
    await (0,promises_.writeFile)((0,external_node_path_.join)(dir, TEMP_MARKER), JSON.stringify(marker) + '\n', { mode: 0o600 });
    return dir;
}
/** Removes Lifeboat temp folders under root whose marker proves their run is gone. */
async function sweepStaleTemp(root, log) {
    let names;
    try {
        names = await (0,promises_.readdir)(root);
    }
    catch {
        return [];
    }
    const removed = [];
    for (const name of names) {
        if (!name.startsWith(TEMP_PREFIX))
            continue;
        const dir = (0,external_node_path_.join)(root, name);
        let marker;
        try {
            marker = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(dir, TEMP_MARKER), 'utf8'));
        }
        catch {
            continue; // no marker: not provably ours
        }
        const why = staleReason(marker);
        if (!why)
            continue;
        try {
            await (0,promises_.rm)(dir, { recursive: true, force: true });
            removed.push(dir);
            log.info(`Removed the stale temporary folder ${dir} left by an earlier run (${why})`);
        }
        catch (err) {
            log.warn(`could not remove the stale temporary folder ${dir}: ${err.message}`);
        }
    }
    return removed;
}
function staleReason(marker) {
    if (typeof marker.pid !== 'number' || marker.host !== (0,external_node_os_.hostname)())
        return undefined;
    if (!(0,core_process/* isProcessRunning */.DL)(marker.pid))
        return `process ${marker.pid} is no longer running`;
    const ticks = startTicksOf(marker.pid);
    if (marker.startTicks && ticks && ticks !== marker.startTicks)
        return `process ${marker.pid} is now a different process`;
    return undefined;
}
/** Field 22 of /proc/<pid>/stat; undefined where there is no procfs. */
function startTicksOf(pid) {
    try {
        const stat = (0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    }
    catch {
        return undefined;
    }
}
/** The context's temp root; library callers and tests that set none get the OS's. */
function runTempRoot(ctx) {
    return ctx.tmpRoot ?? (0,external_node_os_.tmpdir)();
}

// EXTERNAL MODULE: ./build/src/engine/log.js
var engine_log = __webpack_require__(78138);
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
/** One line per command, for `lifeboat --help` and each command's own help. */
const COMMAND_SUMMARIES = {
    backup: 'dump the sources into a checksummed archive at every destination',
    restore: 'prove a backup intact, then restore it into a new target',
    verify: 'read a stored backup end to end: checksums, every chunk, structure',
    list: 'show the backups at the destination',
    prune: 'apply the keep-* retention policy',
    status: 'fail when the newest backup is older than the schedule allows',
    drill: 'restore into a scratch target and check it (not available in this release)',
};
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
        description: 'Read the stored archive back after the upload and check its size and sha256 against what was sent (chunk checksums and the manifest were checked while writing; `verify` walks every chunk again). When false, the checksum the store computed while receiving is the proof.',
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
        commands: ['backup', 'restore'],
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
        name: 'lock-wait',
        type: 'string',
        default: '0s',
        commands: RETENTION,
        group: 'retention',
        description: "How long a backup or prune waits for another run's lock on the same set (`10m`, `1h`) before failing with a message naming the holder. `0s`: fail at once.",
    },
    {
        name: 'lock-ttl',
        type: 'string',
        default: '15m',
        commands: RETENTION,
        group: 'retention',
        description: "How long a set's lock lasts without being refreshed (a running holder refreshes it every third of this). A crashed run's lock expires after this and the next run takes it over.",
    },
    {
        name: 'break-lock',
        type: 'boolean',
        default: 'false',
        commands: RETENTION,
        group: 'retention',
        description: "Remove the set's lock, whoever holds it, before taking it. Only for a lock left by a run known to be dead: two runs of one set at once may delete each other's backups.",
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
        description: 'S3: the largest archive you expect (`500GiB`, `5TiB`). Without it parts are 8 MiB, enough for archives up to about 78 GiB; with it parts grow to fit 10,000 parts, at the cost of memory.',
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
    {
        name: 'safety-backup-id',
        description: '`restore` with overwrite: the safety backup(s) of the replaced data, as `set/id` (one per line).',
    },
    { name: 'size', description: 'Archive size in bytes.' },
    { name: 'sha256', description: 'sha256 of the archive as stored.' },
    { name: 'duration-ms', description: 'Wall time of the command in milliseconds.' },
    {
        name: 'error-kind',
        description: "How the run ended, set on every run: `none`, `config` (bad input; the CLI's exit code 2), `operational` (a source, storage or freshness failure; exit 1) or `integrity` (a checksum, size or structure mismatch: the backup cannot be trusted; exit 3). Branch on it with `if: failure() && steps.<id>.outputs.error-kind == 'integrity'`.",
    },
    {
        name: 'verified',
        description: '`true` when the stored archive was read back and its size and sha256 matched (backup), or proven before and while restoring (restore, verify).',
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
            throw new engine_errors/* ConfigError */.xL(key, `unknown option '${key}'`, {
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
            throw new engine_errors/* ConfigError */.xL(spec.name, `'${v}' is not a boolean`, { hint: 'use true or false' });
        }
        case 'number': {
            const v = single(spec, input);
            if (!/^\d+$/.test(v)) {
                throw new engine_errors/* ConfigError */.xL(spec.name, `'${v}' is not a whole number`, {
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
                throw new engine_errors/* ConfigError */.xL(spec.name, `unknown value '${v}'`, {
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
            throw new engine_errors/* ConfigError */.xL(spec.name, 'given more than once', { hint: 'give it once' });
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
        throw new engine_errors/* ConfigError */.xL(option, 'empty duration', { hint });
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
            throw new engine_errors/* ConfigError */.xL(option, `'${trimmed}' is not a duration${bare ? ' (no unit)' : ''}`, {
                hint,
            });
        }
        const word = m[2].toLowerCase();
        const unit = word === 'm' ? bareM : UNITS[word];
        if (!unit)
            throw new engine_errors/* ConfigError */.xL(option, `unknown unit '${m[2]}' in '${trimmed}'`, { hint });
        parts[unit] += Number(m[1]);
        pos = token.lastIndex;
        matched++;
    }
    if (matched === 0)
        throw new engine_errors/* ConfigError */.xL(option, `'${trimmed}' is not a duration`, { hint });
    let ms = 0;
    for (const [unit, n] of Object.entries(parts))
        ms += n * APPROX_MS[unit];
    if (!Number.isFinite(ms))
        throw new engine_errors/* ConfigError */.xL(option, `'${trimmed}' is too long`, { hint });
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
/** Checks every line before any work starts; throws ConfigError naming `schedule`. */
function checkSchedule(lines, now = new Date()) {
    for (const l of lines)
        parseCron(l, now);
}
/** Validates one cron line the way GitHub's `on.schedule` would and parses it in UTC. */
function parseCron(expr, currentDate) {
    const text = expr.trim();
    if (!text)
        throw new engine_errors/* ConfigError */.xL('schedule', 'empty cron expression', { hint: SCHEDULE_HINT });
    const fields = text.split(/\s+/);
    if (fields.length === 6) {
        throw new engine_errors/* ConfigError */.xL('schedule', `'${text}' has 6 fields (with seconds); GitHub only accepts 5-field cron`, {
            hint: `drop the seconds field: '${fields.slice(1).join(' ')}'`,
        });
    }
    if (fields.length !== 5) {
        throw new engine_errors/* ConfigError */.xL('schedule', `'${text}' has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5`, {
            hint: SCHEDULE_HINT,
        });
    }
    const bad = fields.find((f) => !FIELD.test(f));
    if (bad !== undefined) {
        throw new engine_errors/* ConfigError */.xL('schedule', `invalid cron expression '${text}': '${bad}' is not supported by GitHub schedules`, {
            hint: `${SCHEDULE_HINT}; each field is *, a number, a range a-b, a list a,b or a step */n`,
        });
    }
    try {
        return dist.CronExpressionParser.parse(text, { currentDate, tz: 'UTC' });
    }
    catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new engine_errors/* ConfigError */.xL('schedule', `invalid cron expression '${text}': ${reason}`, {
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
const iso = (t) => (0,engine_log/* formatTime */.fU)(t);
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
        throw new engine_errors/* ConfigError */.xL('schedule', 'no cron expression given', {
            hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
        });
    }
    if (input.graceMs !== undefined && !(input.graceMs >= 0)) {
        throw new engine_errors/* ConfigError */.xL('grace', `grace must not be negative`, {
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
    const setSchedule = "or set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}";
    const ref = env['GITHUB_WORKFLOW_REF']?.trim();
    if (!ref) {
        throw new engine_errors/* ConfigError */.xL('schedule', 'no schedule given and GITHUB_WORKFLOW_REF is not set (not running in a GitHub workflow)', {
            hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
        });
    }
    const at = ref.lastIndexOf('@');
    const withoutRef = at >= 0 ? ref.slice(0, at) : ref;
    const segments = withoutRef.split('/');
    const workflowPath = segments.slice(2).join('/');
    if (segments.length < 3 || !workflowPath.startsWith('.github/workflows/')) {
        throw new engine_errors/* ConfigError */.xL('schedule', `cannot find the workflow file in GITHUB_WORKFLOW_REF '${ref}'`, {
            hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
        });
    }
    const workspace = env['GITHUB_WORKSPACE']?.trim();
    if (!workspace) {
        throw new engine_errors/* ConfigError */.xL('schedule', `cannot read ${workflowPath}: GITHUB_WORKSPACE is not set`, {
            hint: `add 'uses: actions/checkout' before this step, ${setSchedule}`,
        });
    }
    const file = (0,external_node_path_.resolve)(workspace, workflowPath);
    const inside = (0,external_node_path_.relative)((0,external_node_path_.resolve)(workspace), file);
    if (inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside)) {
        throw new engine_errors/* ConfigError */.xL('schedule', `workflow path '${workflowPath}' points outside the workspace`, { hint: setSchedule });
    }
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (err) {
        const missing = err.code === 'ENOENT';
        throw new engine_errors/* ConfigError */.xL('schedule', missing
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
        throw new engine_errors/* ConfigError */.xL('schedule', `cannot parse the workflow file ${workflowPath}: ${err.message}`, {
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
        throw new engine_errors/* ConfigError */.xL('schedule', `on.schedule in ${workflowPath} is not a list of '- cron: ...' entries`, { hint });
    }
    const crons = [];
    for (const entry of schedule) {
        const cron = entry && typeof entry === 'object' ? entry['cron'] : undefined;
        if (typeof cron !== 'string' || !cron.trim()) {
            throw new engine_errors/* ConfigError */.xL('schedule', `an on.schedule entry in ${workflowPath} has no cron string`, { hint });
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
function planRetention(backups, policy, 
/** Ids that must stay whatever the policy says: the backup the current run just made. */
protect = []) {
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
    // An overlapping run may have made newer backups; this run's own is never its victim.
    for (const b of sorted)
        if (protect.includes(b.id))
            reasonsOf(b).push('made by this run');
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
        throw new engine_errors/* ConfigError */.xL(option, 'given more than once', { hint: 'give it once' });
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
        throw new engine_errors/* ConfigError */.xL(option, `${value} is not a whole number`, { hint: COUNT_HINT });
    }
    if (typeof value !== 'string')
        throw new engine_errors/* ConfigError */.xL(option, `expected a whole number`, { hint: COUNT_HINT });
    const text = value.trim();
    if (text === '')
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text);
    if (/^(unlimited|all|-1)$/i.test(text))
        return Infinity;
    throw new engine_errors/* ConfigError */.xL(option, `'${text}' is not a whole number`, { hint: COUNT_HINT });
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
            throw new engine_errors/* ConfigError */.xL('keep-within', `'${String(within)}' has no unit`, {
                hint: "use a number and a unit: y, m (months), w, d, h — e.g. '30d', '2w', '1y6m', '12h'",
            });
        }
        const d = parseDuration('keep-within', within);
        if (d.ms <= 0) {
            throw new engine_errors/* ConfigError */.xL('keep-within', `'${d.text}' is zero`, {
                hint: "give a positive duration such as '7d', or leave {{option:keep-within}} unset",
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
const showTime = (t) => (Number.isNaN(t.getTime()) ? 'unknown' : (0,engine_log/* formatTime */.fU)(t));
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

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./build/src/archive/compression.js






/**
 * zstd level 1 with the double-fast match finder (level 2's strategy at level 1's tables): on
 * database dumps it costs what plain level 1 costs (about half of level 3's CPU) and compresses
 * slightly better than both level 1 and level 3, about as well as gzip -6. On a 2-core runner
 * the compressor competes with the server and pg_dump for CPU, so the cheapest level that
 * matches gzip's size wins.
 */
const ZSTD_LEVEL = 1;
/** ZSTD_dfast. */
const ZSTD_STRATEGY = 2;
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
                return childStream(findOnPath('zstd'), ['-q', '-c', '-T0', `-${ZSTD_LEVEL}`, `--zstd=strategy=${ZSTD_STRATEGY}`], compressError('zstd'));
            }
            return relay(external_node_zlib_.createZstdCompress({
                params: {
                    [external_node_zlib_.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL,
                    [external_node_zlib_.constants.ZSTD_c_strategy]: ZSTD_STRATEGY,
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
    return (err) => new engine_errors/* IntegrityError */.cs(`the archive's ${format} stream is corrupt: ${err.message}`, {
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
    const run = (0,core_process/* startProcess */.kp)({
        tool: (0,external_node_path_.basename)(command),
        command,
        args,
        // zstd needs nothing from the environment, and gets none of its secrets.
        env: { PATH: process.env.PATH ?? '' },
        stdin: 'pipe',
        stdout: 'pipe',
        failure: (message, options) => new Error(message, options),
    });
    let stdinError;
    run.stdin.on('error', (err) => {
        stdinError = err;
    });
    return new Relay(run.stdin, run.stdout, mapError, {
        settle: (done) => {
            void run.exited.then((status) => {
                if (status.code === 0)
                    done(stdinError);
                else
                    done(run.failure(status));
            });
        },
        kill: () => run.stop(),
    });
}

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
        throw new engine_errors/* IntegrityError */.cs('the .sha256 file is not a single `sha256sum` line', {
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
    throw new engine_errors/* IntegrityError */.cs('archive stream produced something other than bytes');
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
                throw new engine_errors/* IntegrityError */.cs(`archive is truncated: it ends at byte ${this.position + this.#len} inside ${what}`, {
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
            throw new engine_errors/* IntegrityError */.cs(`tar header has a malformed ${field} field`);
        let value = 0;
        for (let i = 1; i < raw.length; i++) {
            value = value * 256 + (negative ? 255 - raw[i] : raw[i]);
            if (value > Number.MAX_SAFE_INTEGER)
                throw new engine_errors/* IntegrityError */.cs(`tar header ${field} field is out of range`);
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
        throw new engine_errors/* IntegrityError */.cs(`tar header has a malformed ${field} field`);
    const value = parseInt(text, 8);
    if (!Number.isSafeInteger(value))
        throw new engine_errors/* IntegrityError */.cs(`tar header ${field} field is out of range`);
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
        throw new engine_errors/* IntegrityError */.cs(`archive has no valid tar header at byte ${at}`);
    }
    if (!checksumOk(block))
        throw new engine_errors/* IntegrityError */.cs(`tar header checksum mismatch at byte ${at}`);
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
            throw new engine_errors/* IntegrityError */.cs('malformed pax extended header');
        const lenText = buf.subarray(pos, space).toString('latin1');
        if (!/^[1-9][0-9]*$/.test(lenText))
            throw new engine_errors/* IntegrityError */.cs('malformed pax extended header');
        const len = Number(lenText);
        const end = pos + len;
        if (end > buf.length || buf[end - 1] !== 0x0a)
            throw new engine_errors/* IntegrityError */.cs('malformed pax extended header');
        const record = buf.subarray(space + 1, end - 1).toString('utf8');
        const eq = record.indexOf('=');
        if (eq <= 0)
            throw new engine_errors/* IntegrityError */.cs('malformed pax extended header record');
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
        throw new engine_errors/* IntegrityError */.cs(`malformed pax mtime '${value.slice(0, 40)}'`);
    const ms = Number(m[2]) * 1000 + Number((m[3] ?? '').slice(0, 3).padEnd(3, '0'));
    return m[1] ? -ms : ms;
}
function parseDecimal(value, field) {
    if (!/^[0-9]{1,16}$/.test(value))
        throw new engine_errors/* IntegrityError */.cs(`malformed pax ${field} '${value.slice(0, 40)}'`);
    const n = Number(value);
    if (!Number.isSafeInteger(n))
        throw new engine_errors/* IntegrityError */.cs(`pax ${field} is out of range`);
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
                    throw new engine_errors/* IntegrityError */.cs(`archive ends right after a pax header at byte ${at}`);
                return null;
            }
            const raw = parseUstar(block, at);
            if (raw.flag === 'x') {
                if (pax)
                    throw new engine_errors/* IntegrityError */.cs(`two pax headers in a row at byte ${at}`);
                if (raw.size > this.#limits.maxPaxSize) {
                    throw new engine_errors/* IntegrityError */.cs(`pax header at byte ${at} is ${raw.size} bytes, more than the allowed ${this.#limits.maxPaxSize}`);
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
            throw new engine_errors/* IntegrityError */.cs(`archive holds an unsupported tar entry (${kinds[raw.flag] ?? `type '${raw.flag}'`}) at byte ${at}`);
        }
        const size = pax.has('size') ? parseDecimal(pax.get('size'), 'size') : raw.size;
        if (size < 0)
            throw new engine_errors/* IntegrityError */.cs(`tar entry at byte ${at} has a negative size`);
        if (type !== 'file' && size !== 0) {
            throw new engine_errors/* IntegrityError */.cs(`tar ${type} entry at byte ${at} has a body (${size} bytes)`);
        }
        const mtimeMs = pax.has('mtime') ? parsePaxTime(pax.get('mtime')) : raw.mtimeSec * 1000;
        const name = pax.get('path') ?? raw.name;
        if (name === '' || name.includes('\0'))
            throw new engine_errors/* IntegrityError */.cs(`tar entry at byte ${at} has an invalid name`);
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
                throw new engine_errors/* IntegrityError */.cs(`archive has data after its end marker (byte ${at})`);
            zeros += piece.length;
        }
        if (zeros < 2 * BLOCK_SIZE || zeros % BLOCK_SIZE !== 0) {
            throw new engine_errors/* IntegrityError */.cs('archive is truncated: its end-of-archive blocks are incomplete', {
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





const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
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
    /** Output bytes queued before a file member's input waits: deep enough that the producer
     * (pg_dump) keeps running while the consumer (zstd) works through the previous chunk. */
    #queueLimit;
    constructor(options = {}) {
        const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
        if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new RangeError(`chunkSize must be an integer between 1 and ${MAX_CHUNK_SIZE}`);
        }
        this.chunkSize = chunkSize;
        this.#queueLimit = Math.min(chunkSize, 8 * 1024 * 1024);
        this.stream = new external_node_stream_.Readable({
            highWaterMark: this.#queueLimit,
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
            throw new engine_errors/* SourceError */.c8(`${name} would be ${json.length} bytes, more than the ${MAX_JSON_SIZE} bytes readers accept`, { hint: 'back up fewer members per archive (for example split a directory source)' });
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
        await this.#push(zeros(paddingFor(json.length)));
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
                throw new engine_errors/* SourceError */.c8(`cannot store member '${path}' of ${sourceName}: the path must be relative without '.' or '..' parts`);
            }
            if (paths.has(p))
                throw new engine_errors/* SourceError */.c8(`member '${p}' of ${sourceName} was written twice`);
            const parts = p.split('/');
            for (let i = 1; i < parts.length; i++) {
                if (symlinks.has(parts.slice(0, i).join('/'))) {
                    throw new engine_errors/* SourceError */.c8(`member '${p}' of ${sourceName} lies under a symlink member`);
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
                    throw new engine_errors/* SourceError */.c8(`symlink '${p}' has an invalid target`);
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
        const chunkSize = this.chunkSize;
        // Each piece is hashed as it arrives (still hot in cache), once for its chunk and, from the
        // second chunk on, once for the whole member; a member of one chunk has the chunk's hash.
        let memberHash;
        let chunkHash = (0,external_node_crypto_.createHash)('sha256');
        const chunks = [];
        let total = 0;
        let pending = [];
        let pendingLen = 0;
        let fileSha = '';
        const add = (piece) => {
            pending.push(piece);
            pendingLen += piece.length;
            chunkHash.update(piece);
            memberHash?.update(piece);
        };
        /** Pushes the pending chunk (header, data, padding) without waiting for the consumer. */
        const emit = (last) => {
            const n = chunks.length;
            const single = last && n === 0;
            if (!single && !memberHash) {
                memberHash = (0,external_node_crypto_.createHash)('sha256');
                for (const piece of pending)
                    memberHash.update(piece);
            }
            const sha256 = chunkHash.digest('hex');
            chunkHash = (0,external_node_crypto_.createHash)('sha256');
            total += pendingLen;
            const name = single ? entry : partEntryName(entry, n);
            const records = [
                [`${PAX_VENDOR}.member`, path],
                [`${PAX_VENDOR}.part`, String(n)],
                [`${PAX_VENDOR}.sha256`, sha256],
            ];
            chunks.push({ entry: name, size: pendingLen, sha256 });
            if (last) {
                fileSha = single ? sha256 : memberHash.digest('hex');
                records.push([`${PAX_VENDOR}.parts`, String(chunks.length)], [`${PAX_VENDOR}.size`, String(total)], [`${PAX_VENDOR}.member-sha256`, fileSha]);
            }
            this.#pushNow(encodeHeader({ name, type: 'file', size: pendingLen, mode, mtimeMs, records }));
            for (const piece of pending)
                this.#pushNow(piece);
            this.#pushNow(zeros(paddingFor(pendingLen)));
            pending = [];
            pendingLen = 0;
        };
        /**
         * Takes a piece. Synchronous while the output queue has room; when a chunk fills it, the
         * rest of the piece waits for the consumer (the returned promise), so the queue stays
         * bounded by its limit plus one chunk.
         */
        const take = (input) => {
            let piece = input;
            // Emit a chunk only once a byte beyond it is known to exist: then no chunk is empty and
            // the last chunk is known when it is written.
            while (pendingLen + piece.length > chunkSize) {
                const need = chunkSize - pendingLen;
                add(piece.subarray(0, need));
                piece = piece.subarray(need);
                emit(false);
                if (this.#full()) {
                    const rest = piece;
                    return this.#room().then(() => take(rest));
                }
            }
            if (piece.length > 0)
                add(piece);
            return undefined;
        };
        try {
            if (Buffer.isBuffer(body)) {
                await take(body);
            }
            else {
                await this.#consume(body, take);
            }
            emit(true);
            if (this.#full())
                await this.#room();
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
    #bytesWritten = 0;
    /** Uncompressed tar bytes produced so far (for progress reports). */
    get bytesWritten() {
        return this.#bytesWritten;
    }
    /** Queues bytes on the output whatever its fill level (callers bound it with #room). */
    #pushNow(buf) {
        if (this.#failed)
            throw this.#failed;
        if (buf.length > 0) {
            this.#bytesWritten += buf.length;
            this.stream.push(buf);
        }
    }
    #full() {
        return this.stream.readableLength >= this.#queueLimit;
    }
    /** Waits until the consumer has taken the output queue below its limit. */
    async #room() {
        while (this.#full()) {
            if (this.#failed)
                throw this.#failed;
            await new Promise((resolve) => (this.#wake = resolve));
        }
        if (this.#failed)
            throw this.#failed;
    }
    /**
     * Feeds a body's pieces to `take` as they arrive ('data' events hand over each buffer as
     * read; async iteration would concatenate whatever is buffered into new copies), pausing
     * the body while the output queue is full.
     */
    #consume(body, take) {
        return new Promise((resolve, reject) => {
            /** Work still waiting for room in the output queue; later pieces go behind it, in order. */
            let queue;
            let ended = false;
            let settled = false;
            const done = (err) => {
                if (settled)
                    return;
                settled = true;
                body.off('data', onData);
                body.off('end', onEnd);
                body.off('error', onError);
                body.off('close', onClose);
                if (err === undefined)
                    resolve();
                else {
                    // Like leaving a for-await loop: the producer learns nobody reads any more.
                    if (!body.destroyed)
                        body.destroy();
                    reject(err instanceof Error ? err : new Error(String(err)));
                }
            };
            const settleQueue = async () => {
                let seen;
                while (seen !== queue) {
                    seen = queue;
                    await seen;
                }
                queue = undefined;
                if (ended)
                    done();
                else
                    body.resume();
            };
            const onData = (piece) => {
                if (settled)
                    return;
                try {
                    const buf = writer_toBuffer(piece);
                    if (queue) {
                        queue = queue.then(() => take(buf));
                        return;
                    }
                    const wait = take(buf);
                    if (!wait)
                        return;
                    body.pause();
                    queue = wait;
                    settleQueue().catch(done);
                }
                catch (err) {
                    done(err);
                }
            };
            const onEnd = () => {
                ended = true;
                if (!queue)
                    done();
            };
            const onError = (err) => done(err);
            const onClose = () => {
                if (!ended) {
                    done(body.errored ??
                        Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
                }
            };
            if (body.readableEnded) {
                done(new Error('the member body was already read'));
                return;
            }
            if (body.errored) {
                done(body.errored);
                return;
            }
            body.on('data', onData);
            body.on('end', onEnd);
            body.on('error', onError);
            body.on('close', onClose);
            body.resume();
        });
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
const ZEROS = Buffer.alloc(512);
/** Tar padding (under 512 bytes) from one shared zero block; nothing downstream writes to it. */
function zeros(n) {
    return ZEROS.subarray(0, n);
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
        throw new engine_errors/* SourceError */.c8('member mtime is not a valid date');
    return { mode, mtimeMs };
}

// EXTERNAL MODULE: ./build/src/engine/url.js
var engine_url = __webpack_require__(83153);
;// CONCATENATED MODULE: ./build/src/sources/registry.js


/** Every source kind. Adding a source is one file in src/sources and one line here. */
const sourceEntries = [
    {
        kind: 'sqlite',
        schemes: ['sqlite'],
        load: () => __webpack_require__.e(/* import() */ 202).then(__webpack_require__.bind(__webpack_require__, 43202)).then((m) => m.sqliteDriver),
    },
    { kind: 'dir', schemes: ['dir'], load: () => __webpack_require__.e(/* import() */ 719).then(__webpack_require__.bind(__webpack_require__, 29719)).then((m) => m.dirDriver) },
    {
        kind: 'postgres',
        schemes: ['postgres', 'postgresql'],
        load: () => Promise.all(/* import() */[__webpack_require__.e(849), __webpack_require__.e(881)]).then(__webpack_require__.bind(__webpack_require__, 36881)).then((m) => m.pgDriver),
    },
    {
        kind: 'mysql',
        schemes: ['mysql', 'mariadb'],
        load: () => Promise.all(/* import() */[__webpack_require__.e(588), __webpack_require__.e(691)]).then(__webpack_require__.bind(__webpack_require__, 91691)).then((m) => m.mysqlDriver),
    },
    {
        kind: 'redis',
        schemes: ['redis', 'rediss'],
        load: () => __webpack_require__.e(/* import() */ 159).then(__webpack_require__.bind(__webpack_require__, 94159)).then((m) => m.redisDriver),
    },
];
function acceptedSourceSchemes() {
    return sourceEntries.flatMap((d) => d.schemes.map((s) => `${s}:`));
}
async function driverForUrl(url, option = 'source') {
    const scheme = (0,engine_url/* schemeOf */.dz)(url);
    const entry = scheme ? sourceEntries.find((d) => d.schemes.includes(scheme)) : undefined;
    if (!entry) {
        throw new engine_errors/* ConfigError */.xL(option, scheme
            ? `unknown scheme '${scheme}:' in '${url.split('@').pop()}'`
            : `'${url.split('@').pop()}' has no scheme`, { hint: `use one of ${acceptedSourceSchemes().join(' ')}` });
    }
    return entry.load();
}
async function driverForKind(kind) {
    const entry = sourceEntries.find((d) => d.kind === kind);
    if (!entry)
        throw new engine_errors/* ConfigError */.xL(undefined, `this release cannot restore sources of kind '${kind}'`);
    return entry.load();
}

;// CONCATENATED MODULE: ./build/src/engine/fanout.js

function createBranches(count, highWaterMark = 1 << 20) {
    return Array.from({ length: count }, () => {
        const stream = new external_node_stream_.PassThrough({ highWaterMark });
        // The put reports a branch's failure; a cancel may destroy a branch whose put has not
        // started reading it yet, and that must not crash the process.
        stream.on('error', () => undefined);
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
/** Resolves once a branch that refused a write has drained, closed or failed. */
function whenWritable(branch) {
    if (branch.failed || branch.stream.destroyed)
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
/**
 * Pumps source into the branches. On a source error every branch is destroyed with it. Pieces
 * are handed on as they arrive ('data' events; async iteration would concatenate whatever is
 * buffered into new copies), and the source pauses while any live branch is full.
 */
function pumpToBranches(source, branches) {
    return new Promise((resolve, reject) => {
        let waiting = false;
        let ended = false;
        let settled = false;
        const finish = (err) => {
            if (settled)
                return;
            settled = true;
            source.off('data', onData);
            source.off('end', onEnd);
            source.off('error', onError);
            source.off('close', onClose);
            if (err !== undefined) {
                for (const b of branches)
                    b.stream.destroy(err);
                reject(err instanceof Error ? err : new Error(String(err)));
                return;
            }
            for (const b of branches)
                if (!b.failed)
                    b.stream.end();
            resolve();
        };
        const onData = (chunk) => {
            const live = branches.filter((b) => !b.failed);
            if (live.length === 0) {
                // Every destination failed: stop the producer; the puts report why.
                source.destroy();
                finish();
                return;
            }
            const full = live.filter((b) => !b.stream.destroyed && !b.stream.write(chunk));
            if (full.length === 0 || waiting)
                return;
            waiting = true;
            source.pause();
            void Promise.all(full.map(whenWritable)).then(() => {
                waiting = false;
                if (ended)
                    finish();
                else if (!settled)
                    source.resume();
            });
        };
        const onEnd = () => {
            ended = true;
            if (!waiting)
                finish();
        };
        const onError = (err) => finish(err);
        const onClose = () => {
            if (!ended && !settled) {
                finish(source.errored ??
                    Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
            }
        };
        source.on('data', onData);
        source.on('end', onEnd);
        source.on('error', onError);
        source.on('close', onClose);
    });
}

// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(38321);
;// CONCATENATED MODULE: ./build/src/storage/registry.js



/** Every storage backend. Adding one is one file in src/storage and one line here. */
const storageEntries = [
    { schemes: ['file'], load: () => __webpack_require__.e(/* import() */ 321).then(__webpack_require__.bind(__webpack_require__, 84321)).then((m) => m.fileStorage) },
    { schemes: ['s3', 'gs'], load: () => Promise.all(/* import() */[__webpack_require__.e(358), __webpack_require__.e(713)]).then(__webpack_require__.bind(__webpack_require__, 47713)).then((m) => m.s3Storage) },
    { schemes: ['azblob'], load: () => Promise.all(/* import() */[__webpack_require__.e(941), __webpack_require__.e(747), __webpack_require__.e(179)]).then(__webpack_require__.bind(__webpack_require__, 58179)).then((m) => m.azblobStorage) },
    { schemes: ['sftp'], load: () => Promise.all(/* import() */[__webpack_require__.e(472), __webpack_require__.e(410)]).then(__webpack_require__.bind(__webpack_require__, 61410)).then((m) => m.sftpStorage) },
    { schemes: ['artifact'], load: () => __webpack_require__.e(/* import() */ 515).then(__webpack_require__.bind(__webpack_require__, 66515)).then((m) => m.artifactStorage) },
];
/**
 * `memory:` keeps backups in the process, gone when it exits: for tests only, so a user can
 * never choose it. Test files turn it on with this environment variable.
 */
const TEST_MEMORY_STORAGE_ENV = 'LIFEBOAT_TEST_MEMORY_STORAGE';
const memoryEntry = {
    schemes: ['memory'],
    load: () => __webpack_require__.e(/* import() */ 736).then(__webpack_require__.bind(__webpack_require__, 30736)).then((m) => m.memoryStorage),
};
function acceptedStorageSchemes() {
    return storageEntries.flatMap((f) => f.schemes.map((s) => `${s}:`));
}
async function openStorage(url, ctx, option = 'destination') {
    const scheme = (0,engine_url/* schemeOf */.dz)(url);
    const entry = scheme === 'memory' && process.env[TEST_MEMORY_STORAGE_ENV] === '1'
        ? memoryEntry
        : scheme
            ? storageEntries.find((f) => f.schemes.includes(scheme))
            : undefined;
    if (!entry) {
        throw new engine_errors/* ConfigError */.xL(option, scheme
            ? `unknown scheme '${scheme}:' in '${(0,engine_log/* redactUrl */.BO)(url)}'`
            : `'${(0,engine_log/* redactUrl */.BO)(url)}' has no scheme`, { hint: `use one of ${acceptedStorageSchemes().join(' ')}` });
    }
    const factory = await entry.load();
    return factory.create(url, ctx);
}

// EXTERNAL MODULE: ./build/src/storage/retry.js
var retry = __webpack_require__(28069);
;// CONCATENATED MODULE: ./build/src/engine/progress.js


/** `Uploading x: 1.2 GiB of 3.4 GiB (35%), 45.0 MiB/s, about 50 s left`. */
function formatProgress(s) {
    const parts = [(0,engine_log/* formatBytes */.z3)(s.bytes)];
    const known = s.total !== undefined && s.total > 0;
    if (known) {
        const percent = Math.min(100, Math.floor((s.bytes / s.total) * 100));
        parts[0] += ` of ${(0,engine_log/* formatBytes */.z3)(s.total)} (${percent}%)`;
    }
    else
        parts[0] += ' so far';
    const rate = s.elapsedMs > 0 ? (s.bytes / s.elapsedMs) * 1000 : 0;
    if (rate > 0)
        parts.push(`${(0,engine_log/* formatBytes */.z3)(rate)}/s`);
    if (known && rate > 0 && s.bytes < s.total) {
        parts.push(`about ${formatTimeLeft(((s.total - s.bytes) / rate) * 1000)} left`);
    }
    return `${s.label}: ${parts.join(', ')}`;
}
/** Time left in whole seconds (a rate-based guess has no tenths), else as every other duration. */
function formatTimeLeft(ms) {
    const s = Math.max(1, Math.round(ms / 1000));
    return s < 60 ? `${s} s` : (0,engine_log/* formatDuration */.a3)(s * 1000);
}
const realEvery = (fn, ms) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
};
/**
 * One plain line per task at most every intervalMs, and none for a phase shorter than that.
 * A timer also checks, so a stalled transfer still shows up (with its rate falling).
 */
function periodicProgress(options) {
    const now = options.now ?? Date.now;
    const every = options.every ?? realEvery;
    return {
        start(label, start = {}) {
            const t0 = now();
            const base = start.read?.() ?? 0;
            let counted = 0;
            let last = t0;
            let ended = false;
            const bytes = () => (start.read ? start.read() - base : counted);
            const check = () => {
                const t = now();
                if (ended || t - last < options.intervalMs)
                    return;
                last = t;
                options.write(formatProgress({ label, bytes: bytes(), total: start.total, elapsedMs: t - t0 }));
            };
            const cancel = every(check, options.intervalMs);
            return {
                add(n) {
                    counted += n;
                    check();
                },
                end() {
                    ended = true;
                    cancel();
                },
            };
        },
    };
}
const LOG_PROGRESS_INTERVAL_MS = 30_000;
/** The face's reporter, or plain log lines every 30 s when the face has none. */
function progressOf(ctx) {
    return ctx.progress ?? logProgress(ctx.log);
}
/** The default: a line every 30 s in the run's log, so a 3 a.m. log shows a long phase moving. */
function logProgress(log) {
    return periodicProgress({
        intervalMs: LOG_PROGRESS_INTERVAL_MS,
        write: (line) => log.info(`… ${line}`),
    });
}
/**
 * Counts the bytes of a stream as they pass, ending the task when the stream is done or fails.
 * Errors and destruction travel both ways, as with the stream itself.
 */
function metered(stream, task) {
    const counter = new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            task.add(chunk.length);
            callback(null, chunk);
        },
    });
    (0,external_node_stream_.pipeline)(stream, counter, () => task.end());
    return counter;
}

;// CONCATENATED MODULE: ./build/src/engine/metered-storage.js

const ARCHIVE = /\.tar(\.zst|\.gz)?(\.age)?$/;
/**
 * Reports progress on every archive upload and read (backup, read-back, verify, restore) by
 * counting the bytes that pass, so no command has to. Sidecars are small and not reported.
 * Sizes seen in listings and uploads give reads their total, for percent and time left.
 */
function withProgress(storage, progress) {
    const sizes = new Map();
    const remember = (objects) => {
        for (const o of objects)
            if (ARCHIVE.test(o.key))
                sizes.set(o.key, o.size);
        return objects;
    };
    return {
        ...storage,
        async put(key, body, options) {
            if (!ARCHIVE.test(key))
                return storage.put(key, body, options);
            const task = progress.start(`Uploading to ${storage.displayUrl}`, {
                total: options?.size,
            });
            try {
                const result = await storage.put(key, metered(body, task), options);
                sizes.set(key, result.size);
                return result;
            }
            finally {
                // A put that failed without reading its body to the end leaves the meter running.
                task.end();
            }
        },
        async get(key, options) {
            const stream = await storage.get(key, options);
            if (!ARCHIVE.test(key))
                return stream;
            const task = progress.start(`Reading from ${storage.displayUrl}`, {
                total: sizes.get(key),
            });
            return metered(stream, task);
        },
        async list(prefix) {
            return remember(await storage.list(prefix));
        },
        async stat(key) {
            const info = await storage.stat(key);
            if (info)
                remember([info]);
            return info;
        },
    };
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
        throw new engine_errors/* ConfigError */.xL(option, `'${name}' is not a valid backup set name`, {
            hint: 'use letters, digits, dot, dash and underscore (up to 100 characters), starting with a letter or digit',
        });
    }
    return name;
}
/** A set name from a source URL: the database or file name, else the host. */
function deriveSetName(url) {
    const scheme = (0,engine_url/* schemeOf */.dz)(url) ?? '';
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
        throw new engine_errors/* ConfigError */.xL('destination', 'is required', {
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
            tmpRoot: runTempRoot(ctx),
        });
        out.push({
            url,
            displayUrl: storage.displayUrl || (0,engine_log/* redactUrl */.BO)(url),
            storage: withProgress((0,retry/* withRetry */.bD)(storage, { log: ctx.log }), progressOf(ctx)),
        });
    }
    return out;
}
/** Opens the destinations for one command and closes them however it ends. */
async function withDestinations(options, ctx, use) {
    const destinations = await openDestinations(options, ctx);
    try {
        return await use(destinations);
    }
    finally {
        await closeDestinations(destinations);
    }
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
/**
 * Reads the sidecar manifests under `set/` (or every set). Unreadable ones go to `damaged` when
 * the caller passes it (so `latest` cannot silently become an older backup), else are warned
 * about and skipped.
 */
async function listBackups(destination, set, ctx, damaged) {
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
            if ((0,engine_errors/* isNotFound */.c4)(err))
                continue;
            if (damaged) {
                damaged.push({
                    set: m[1],
                    id: m[2],
                    key: obj.key,
                    reason: err.message,
                    destination,
                });
            }
            else {
                ctx.log.warn(`skipping ${obj.key} on ${destination.displayUrl}: ${err.message}`);
            }
        }
    }
    entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    damaged?.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return entries;
}
function damagedError(d, asked) {
    return new engine_errors/* IntegrityError */.cs(`${asked === 'latest' ? 'the newest backup' : 'backup'} ${d.set}/${d.id} on ${d.destination.displayUrl} is damaged: ${d.reason}`, {
        hint: `its manifest ${d.key} cannot be used; restore an older backup by id (\`lifeboat list\` shows them), or repair the manifest`,
    });
}
async function readSidecarManifest(destination, key) {
    const body = await (0,consumers_.text)(await destination.storage.get(key));
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        throw new engine_errors/* IntegrityError */.cs(`${key} on ${destination.displayUrl} is not valid JSON`);
    }
    const m = parsed;
    if (typeof m !== 'object' ||
        m === null ||
        typeof m.id !== 'string' ||
        typeof m.format !== 'number' ||
        !Array.isArray(m.sources) ||
        typeof m.archive?.key !== 'string' ||
        typeof m.archive?.sha256 !== 'string') {
        throw new engine_errors/* IntegrityError */.cs(`${key} on ${destination.displayUrl} is not a Lifeboat manifest`);
    }
    return m;
}
/**
 * Finds the backup to restore or verify: an id or 'latest' in a set. The first destination
 * that has it wins. Without a set name, a set is inferred when the storage holds just one.
 */
async function findBackup(destinations, set, which, ctx) {
    if (which !== 'latest' && !isBackupId(which)) {
        throw new engine_errors/* ConfigError */.xL('backup', `'${which}' is not a backup id`, {
            hint: "use 'latest' or an id as `lifeboat list` shows it, e.g. 20261122T030000Z-abcdef",
        });
    }
    const errors = [];
    let brokenCopy;
    for (const destination of destinations) {
        let entries;
        const damaged = [];
        try {
            entries = await listBackups(destination, set, ctx, damaged);
        }
        catch (err) {
            errors.push(`${destination.displayUrl}: ${err.message}`);
            continue;
        }
        const sets = [...new Set(entries.map((e) => e.set))];
        if (!set && which === 'latest' && sets.length > 1) {
            throw new engine_errors/* ConfigError */.xL('name', `${destination.displayUrl} holds several backup sets (${sets.join(', ')})`, {
                hint: 'choose one with {{option:name=<set>}}',
            });
        }
        const candidates = entries.filter((e) => !e.manifest.tags?.includes('safety') || which !== 'latest');
        const found = which === 'latest' ? candidates.at(-1) : candidates.find((e) => e.id === which);
        // A damaged newer backup must not silently make `latest` an older one.
        const broken = which === 'latest'
            ? damaged.filter((d) => !d.set.endsWith('-safety') && (!found || d.id > found.id)).at(-1)
            : damaged.find((d) => d.id === which);
        if (broken && which === 'latest')
            throw damagedError(broken, which);
        if (found)
            return found;
        // Asked for by id: another destination may hold a readable copy.
        if (broken)
            brokenCopy ??= broken;
    }
    if (brokenCopy)
        throw damagedError(brokenCopy, which);
    const where = destinations.map((d) => d.displayUrl).join(', ');
    if (errors.length === destinations.length) {
        throw new engine_errors/* StorageError */.aq(`could not list backups: ${errors.join('; ')}`);
    }
    throw new engine_errors/* ConfigError */.xL('backup', which === 'latest'
        ? `no backups${set ? ` of set '${set}'` : ''} found in ${where}`
        : `backup ${which} not found in ${where}`, { hint: 'run `lifeboat list` with the same destination to see what is there' });
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
;// CONCATENATED MODULE: ./build/src/archive/reader.js






const HINT_DAMAGED = 'the stored copy is damaged: restore from another destination or another backup';
function q(s) {
    return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}
function damaged(message) {
    return new engine_errors/* IntegrityError */.cs(message, { hint: HINT_DAMAGED });
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
        throw new engine_errors/* IntegrityError */.cs(`archive format ${f} is newer than this release reads (up to ${FORMAT_VERSION})`, {
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
async function drain(entry) {
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
        throw new engine_errors/* IntegrityError */.cs('archive does not start with its header');
    const header = next.value.header;
    next = await items.next();
    const seen = [];
    while (!next.done && next.value.kind === 'member') {
        const source = next.value.source;
        if (seen.includes(source))
            throw new engine_errors/* IntegrityError */.cs(`source folder '${source}' appears twice in the archive`);
        seen.push(source);
        let current = next;
        const members = async function* () {
            while (!current.done && current.value.kind === 'member' && current.value.source === source) {
                const entry = current.value.entry;
                yield entry;
                await drain(entry);
                current = await items.next();
            }
        };
        await onSource(source, members());
        // A consumer that stopped early leaves members behind: skip them so the walk can go on.
        while (!current.done && current.value.kind === 'member' && current.value.source === source) {
            await drain(current.value.entry);
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
        throw new engine_errors/* IntegrityError */.cs('archive ends without its manifest');
    const { manifest, observed } = next.value;
    const tail = await items.next();
    if (!tail.done)
        throw new engine_errors/* IntegrityError */.cs('archive has entries after its manifest');
    return { header, manifest, observed, seen };
}

;// CONCATENATED MODULE: ./build/src/engine/verify.js













/**
 * Reads a stored archive end to end: the sha256 of the stored bytes against the sidecar, every
 * chunk's sha256, the header and the inner manifest against the sidecar manifest and against
 * what was actually read. Anything that does not match is an IntegrityError.
 */
async function verifyStoredBackup(d, sidecar, ctx, sctx, options) {
    checkReadable(sidecar);
    if (options.checkSha256Sidecar)
        await checkSha256Sidecar(d, sidecar);
    const stream = await d.storage.get(sidecar.archive.key, { signal: ctx.signal });
    const hasher = new HashingStream();
    const decompressor = decompressStream(sidecar.compression);
    const decompressed = (0,external_node_stream_.pipeline)(stream, hasher, decompressor, () => undefined);
    // Failures surface through the reader; this only keeps a late 'error' from crashing the process.
    for (const s of [stream, hasher, decompressor])
        s.on('error', () => undefined);
    const onSource = options.onSource ??
        (async (sm, members) => {
            const source = sm.name;
            const driver = options.structural ? await driverForKind(sm.kind) : undefined;
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
    // A driver's own failure is rethrown as it is; a failure reading the archive (a damaged
    // chunk the driver was reading, say) wins over whatever the driver made of it.
    let driverFailure;
    let readFailure;
    async function* watched(members) {
        try {
            for await (const m of members) {
                m.body?.once('error', (err) => (readFailure ??= { err }));
                yield m;
            }
        }
        catch (err) {
            readFailure ??= { err };
            throw err;
        }
    }
    const guarded = async (source, members) => {
        const sm = sidecar.sources.find((s) => s.name === source);
        if (!sm)
            throw new engine_errors/* IntegrityError */.cs(`archive holds a source '${source}' its manifest does not list`);
        // After a driver failed, the rest is only read to learn whether the archive is to blame.
        if (driverFailure)
            return;
        try {
            await onSource(sm, watched(members));
        }
        catch (err) {
            driverFailure ??= { err };
            // A refused target or a cancelled run needs no proof; a tool that failed on the data
            // might have been fed a tampered archive, which then is the error to report.
            if (err instanceof engine_errors/* IntegrityError */.cs || err instanceof engine_errors/* ConfigError */.xL || sctx.signal?.aborted)
                throw err;
        }
    };
    const items = readArchive(decompressed);
    let walk;
    try {
        walk = await walkArchive(items, guarded);
    }
    catch (err) {
        const failedRead = readFailure;
        // Tear the whole read side down (storage stream, hasher, decompressor child, reader) so
        // nothing is left running or waiting, whoever failed.
        const gone = new Error('the archive read was abandoned');
        for (const s of [stream, hasher, decompressor])
            if (!s.destroyed)
                s.destroy(gone);
        await items.return(undefined).catch(() => undefined);
        // A driver that failed mid-member destroyed that member's body: the archive cannot be
        // read further, so the driver's own error is the one to report.
        const ownAbort = (e) => driverFailure !== undefined && isAbortError(e);
        if (failedRead && !ownAbort(failedRead.err))
            throw asIntegrity(failedRead.err, sidecar);
        if (driverFailure && (driverFailure.err === err || ownAbort(err)))
            throw driverFailure.err;
        throw asIntegrity(err, sidecar);
    }
    const failed = driverFailure;
    if (failed) {
        try {
            await proveRead(decompressed, hasher, walk, sidecar);
        }
        catch (err) {
            throw new engine_errors/* IntegrityError */.cs(`${err.message} (the restore had failed: ${failed.err?.message ?? String(failed.err)})`, { cause: err, hint: err instanceof engine_errors/* LifeboatError */.H3 ? err.hint : undefined });
        }
        throw failed.err;
    }
    await proveRead(decompressed, hasher, walk, sidecar);
    ctx.log.info(`Verified ${sidecar.archive.key}: ${(0,engine_log/* formatBytes */.z3)(hasher.bytes)}, sha256 ${hasher.digest()}`);
}
/**
 * The checks once every member was read: the stored bytes' size and sha256, the inner manifest
 * against what was read and against the sidecar, and the header's id.
 */
async function proveRead(decompressed, hasher, walk, sidecar) {
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
        throw mismatch(sidecar.archive.key, hasher.bytes, hasher.digest(), sidecar);
    }
    checkManifestConsistency(walk.manifest, walk.observed);
    compareManifests(walk.manifest, sidecar);
    if (walk.header.id !== sidecar.id) {
        throw new engine_errors/* IntegrityError */.cs(`archive header says backup ${walk.header.id}, the manifest says ${sidecar.id}`);
    }
}
/**
 * The quick proof (the read-back after a backup): the `.sha256`
 * sidecar agrees with the manifest (when asked) and the stored object has the manifest's size
 * and sha256, hashed as it streams, without decompressing. The chunk walk is verify's job.
 */
async function checkStoredArchive(d, sidecar, options = {}) {
    checkReadable(sidecar);
    if (options.checkSha256Sidecar)
        await checkSha256Sidecar(d, sidecar);
    const { key, size, sha256 } = sidecar.archive;
    const stream = await d.storage.get(key, { signal: options.signal });
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let bytes = 0;
    try {
        for await (const chunk of stream) {
            const b = chunk;
            bytes += b.length;
            // Longer than the manifest says: no need to read the rest.
            if (bytes > size)
                break;
            hash.update(b);
        }
    }
    catch (err) {
        stream.destroy();
        throw asIntegrity(err, sidecar);
    }
    if (bytes > size)
        throw mismatch(key, bytes, 'not computed (too long)', sidecar, true);
    const actual = hash.digest('hex');
    if (bytes !== size || actual !== sha256)
        throw mismatch(key, bytes, actual, sidecar);
}
function checkReadable(sidecar) {
    if (sidecar.format > FORMAT_VERSION) {
        throw new engine_errors/* IntegrityError */.cs(`backup ${sidecar.id} uses archive format ${sidecar.format}; this release reads up to ${FORMAT_VERSION}`, { hint: 'use a newer Lifeboat release to restore it' });
    }
    if (sidecar.encrypted) {
        throw new engine_errors/* IntegrityError */.cs(`backup ${sidecar.id} is encrypted; this release cannot decrypt archives`);
    }
}
function mismatch(key, bytes, sha256, sidecar, atLeast = false) {
    return new engine_errors/* IntegrityError */.cs(`stored archive ${key} does not match its manifest: ${atLeast ? 'more than ' : ''}${bytes} bytes with sha256 ${sha256}, ` +
        `expected ${sidecar.archive.size} bytes with sha256 ${sidecar.archive.sha256}`, { hint: 'the stored copy is damaged: restore from another destination or another backup' });
}
async function checkSha256Sidecar(d, sidecar) {
    const key = backupKeys(sidecar.name, sidecar.id, sidecar.compression).sha256;
    let content;
    try {
        content = await (0,consumers_.text)(await d.storage.get(key));
    }
    catch (err) {
        if ((0,engine_errors/* isNotFound */.c4)(err))
            throw new engine_errors/* IntegrityError */.cs(`${key} is missing on ${d.displayUrl}`);
        throw err;
    }
    const line = parseSha256sum(content);
    if (line.sha256 !== sidecar.archive.sha256 ||
        line.fileName !== sidecar.archive.key.split('/').pop()) {
        throw new engine_errors/* IntegrityError */.cs(`${key} (${line.sha256} ${line.fileName}) disagrees with the manifest (${sidecar.archive.sha256})`);
    }
}
/** The inner manifest and the sidecar must describe the same backup. */
function compareManifests(inner, sidecar) {
    const strip = (m) => {
        const { archive: _a, verifiedAt: _v, ...rest } = m;
        return JSON.stringify(rest);
    };
    if (strip(inner) !== strip(sidecar)) {
        throw new engine_errors/* IntegrityError */.cs(`the manifest inside archive ${sidecar.id} differs from its sidecar manifest`, {
            hint: 'the sidecar was altered or belongs to another archive: do not trust this backup',
        });
    }
}
function isAbortError(err) {
    const e = err;
    return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}
/** Typed errors keep their meaning; anything else while reading the archive is an integrity failure. */
function asIntegrity(err, sidecar) {
    if (err instanceof engine_errors/* LifeboatError */.H3)
        return err;
    return new engine_errors/* IntegrityError */.cs(`archive ${sidecar.archive.key} cannot be read: ${err?.message ?? err}`, {
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
    if (ctx.signal)
        sctx.signal = ctx.signal;
    return sctx;
}
/** Parses the source lines into drivers, checking every URL before anything runs. */
async function planSources(options, ctx, sctx) {
    const parsed = (0,engine_url/* parseNamedLines */.A5)(lines(options, 'source'));
    if (parsed.length === 0) {
        throw new engine_errors/* ConfigError */.xL('source', 'is required for backup', {
            hint: 'name what to back up, e.g. sqlite:./app.db or postgres://user@host/db',
        });
    }
    const planned = [];
    for (const { name, url } of parsed) {
        registerUrlSecrets(url, ctx);
        const driver = await driverForUrl(url, 'source');
        const source = driver.open(url, sctx);
        let folder = name ?? driver.kind;
        if (name && planned.some((p) => p.name === name)) {
            throw new engine_errors/* ConfigError */.xL('source', `the name '${name}' is used twice`, {
                hint: 'give each source its own name=',
            });
        }
        for (let i = 2; planned.some((p) => p.name === folder); i++)
            folder = `${name ?? driver.kind}-${i}`;
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(folder) || folder.startsWith('lifeboat')) {
            throw new engine_errors/* ConfigError */.xL('source', `'${folder}' is not a valid source name`, {
                hint: 'use letters, digits, dot, dash and underscore; names may not start with "lifeboat"',
            });
        }
        planned.push({ name: folder, url, source });
    }
    return planned;
}
/** The set a backup goes to, from the options alone (no source is opened). */
function backupSetName(options, request = {}) {
    const first = (0,engine_url/* parseNamedLines */.A5)(lines(options, 'source'))[0];
    if (!first && !request.set && !str(options, 'name')) {
        throw new engine_errors/* ConfigError */.xL('source', 'is required for backup', {
            hint: 'name what to back up, e.g. sqlite:./app.db or postgres://user@host/db',
        });
    }
    return validateSetName(request.set ?? str(options, 'name') ?? deriveSetName(first.url));
}
/**
 * dump → tar (chunked members) → compress → sha256 → every destination in one pass, then the
 * stored copies are checked and only then the sidecars written: a backup is listed only once its
 * manifest sidecar exists, so nothing incomplete ever looks like a backup.
 */
async function createBackup(options, ctx, report, request = {}) {
    rejectEncryption(options);
    const tmpDir = await createRunTemp(runTempRoot(ctx));
    const sctx = sourceContext(ctx, options, tmpDir);
    const destinations = request.destinations ?? (await openDestinations(options, ctx));
    try {
        const planned = await planSources(options, ctx, sctx);
        const set = backupSetName(options, request);
        const unwritable = request.unwritable ?? [];
        const compression = (str(options, 'compression') ?? 'zstd');
        const started = ctx.now();
        const id = newBackupId(started);
        const keys = backupKeys(set, id, compression);
        report.name = set;
        report.backupId = id;
        // None could take even the lock and probe: nothing is dumped.
        if (destinations.length === 0)
            throw everyDestinationFailed(unwritable, report);
        ctx.log.info(`Backing up ${planned.map((p) => `${p.name} (${(0,engine_log/* redactUrl */.BO)(p.url)})`).join(', ')} as ${set}/${id} ` +
            `[${compression}${compression === 'zstd' ? ` via ${zstdImplementation()}` : ''}] to ${destinations.map((d) => d.displayUrl).join(', ')}`);
        const writer = new ArchiveWriter();
        const compressor = compressStream(compression);
        // Each put hashes and counts the bytes it receives. With one destination that is the
        // reference; with several, one hash here is what every store must have received.
        const hasher = destinations.length > 1 ? new HashingStream() : undefined;
        const compressed = hasher
            ? (0,external_node_stream_.pipeline)(writer.stream, compressor, hasher, () => undefined)
            : (0,external_node_stream_.pipeline)(writer.stream, compressor, () => undefined);
        // Failures surface through the pump and the puts; these listeners only keep a late 'error'
        // (after the pipeline has torn down) from crashing the process.
        for (const s of [writer.stream, compressor, ...(hasher ? [hasher] : [])])
            s.on('error', () => undefined);
        const branches = createBranches(destinations.length);
        const puts = destinations.map((d, i) => {
            const put = d.storage.put(keys.archive, branches[i].stream, {
                contentType: 'application/octet-stream',
                signal: ctx.signal,
            });
            branches[i].settle(put);
            return put;
        });
        // Observe rejections now; they are inspected below.
        const settledPuts = Promise.allSettled(puts);
        const pump = pumpToBranches(compressed, branches);
        const pumpSettled = pump.then(() => undefined, (err) => err);
        // A cancel stops the archive itself, so a source that does not watch the signal still
        // fails its next write instead of dumping on.
        const onAbort = () => writer.abort(abortReason(ctx.signal));
        ctx.signal?.addEventListener('abort', onAbort, { once: true });
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
                (0,engine_log/* startPhase */.CJ)(ctx.log, `Dump ${p.name} (${p.source.kind}), streaming to storage`);
                const progress = progressOf(ctx).start(`Dumping ${p.name}`, {
                    read: () => writer.bytesWritten,
                });
                let result;
                try {
                    result = await p.source.dump(sink, sctx);
                }
                finally {
                    progress.end();
                }
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
                (0,engine_log/* endPhase */.zN)(ctx.log);
                ctx.log.info(`Dumped ${p.name}: ${(0,engine_log/* formatBytes */.z3)(bytes)} in ${(0,engine_log/* formatDuration */.a3)(sm.durationMs)}${throughput(bytes, sm.durationMs)}`);
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
            const results = await settledPuts;
            // When the destinations failed first, the dump only saw its output close: report why
            // each destination failed instead of "Premature close".
            const own = results.flatMap((r, i) => r.status === 'rejected' && r.reason !== err && !(r.reason instanceof engine_errors/* SourceError */.c8)
                ? [{ destination: destinations[i], error: r.reason }]
                : []);
            if (own.length === destinations.length && !(err instanceof engine_errors/* SourceError */.c8))
                throw everyDestinationFailed([...unwritable, ...own], report);
            throw err;
        }
        finally {
            ctx.signal?.removeEventListener('abort', onAbort);
        }
        (0,engine_log/* startPhase */.CJ)(ctx.log, `Upload to ${destinations.map((d) => d.displayUrl).join(', ')}`);
        const results = await settledPuts;
        for (const [i, r] of results.entries()) {
            if (r.status === 'fulfilled')
                ctx.log.info(`${destinations[i].displayUrl} received ${(0,engine_log/* formatBytes */.z3)(r.value.size)}, sha256 ${r.value.sha256}`);
        }
        (0,engine_log/* endPhase */.zN)(ctx.log);
        if (results.every((r) => r.status === 'rejected')) {
            throw everyDestinationFailed([
                ...unwritable,
                ...results.map((r, i) => ({
                    destination: destinations[i],
                    error: r.reason,
                })),
            ], report);
        }
        // A single destination's failed put leaves no reference: its error is reported below, and
        // no size or sha256 is claimed for an archive that was never stored.
        const reference = hasher
            ? { sha256: hasher.digest(), size: hasher.bytes }
            : results[0].status === 'fulfilled'
                ? results[0].value
                : undefined;
        const { sha256, size } = reference ?? { sha256: '', size: 0 };
        if (reference) {
            report.sha256 = sha256;
            report.size = size;
        }
        const sidecarBase = {
            ...manifest,
            archive: { key: keys.archive, size, sha256 },
        };
        const stored = [];
        const failures = [];
        let integrity = false;
        for (const { destination, error } of unwritable) {
            report.destinations.push({
                url: destination.displayUrl,
                key: keys.archive,
                ok: false,
                size,
                sha256,
                error: (0,engine_errors/* describeError */.Uc)(error),
                verified: false,
            });
            failures.push(`${destination.displayUrl}: ${(0,engine_errors/* describeErrorTemplate */.Qj)(error)}`);
        }
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
                    throw new engine_errors/* IntegrityError */.cs(`${d.displayUrl} stored ${r.value.size} bytes with sha256 ${r.value.sha256}, but ${size} bytes with sha256 ${sha256} were sent`);
                }
                const sidecar = { ...sidecarBase };
                if (bool(options, 'verify-after-backup')) {
                    (0,engine_log/* startPhase */.CJ)(ctx.log, `Read back ${keys.archive} from ${d.displayUrl}`);
                    await checkStoredArchive(d, sidecar, { signal: ctx.signal });
                    (0,engine_log/* endPhase */.zN)(ctx.log);
                    sidecar.verifiedAt = ctx.now().toISOString();
                    dr.verified = true;
                }
                else {
                    dr.verified = false;
                }
                // A cancelled run must not make a backup visible: the sidecars come last.
                ctx.signal?.throwIfAborted();
                await d.storage.put(keys.sha256, external_node_stream_.Readable.from([sha256sumLine(sha256, keys.archive.split('/').pop())]));
                await d.storage.put(keys.manifest, external_node_stream_.Readable.from([JSON.stringify(sidecar, null, 2) + '\n']), {
                    contentType: 'application/json',
                });
                dr.ok = true;
                stored.push(d);
                finalManifest ??= sidecar;
                ctx.log.info(`Stored ${(0,engine_log/* formatBytes */.z3)(size)} at ${d.displayUrl} ${keys.archive} (sha256 ${sha256})`);
            }
            catch (err) {
                dr.error = (0,engine_errors/* describeError */.Uc)(err);
                failures.push(`${d.displayUrl}: ${(0,engine_errors/* describeErrorTemplate */.Qj)(err)}`);
                // A plain line: the run's one failure, which names every destination, is the error.
                ctx.log.info(`Destination ${d.displayUrl} failed: ${(0,engine_errors/* describeErrorTemplate */.Qj)(err)}`);
                await cleanupPartial(d, keys, ctx);
                if (err instanceof engine_errors/* IntegrityError */.cs)
                    integrity = true;
            }
        }
        ctx.signal?.throwIfAborted();
        if (failures.length > 0) {
            const total = destinations.length + unwritable.length;
            const message = `${failures.length} of ${total} destination(s) failed: ${failures.join('; ')}`;
            // Bytes that disagree are an integrity failure however many destinations there are.
            throw integrity ? new engine_errors/* IntegrityError */.cs(message) : new engine_errors/* StorageError */.aq(message);
        }
        return { id, set, manifest: finalManifest, stored };
    }
    finally {
        await (0,promises_.rm)(tmpDir, { recursive: true, force: true });
        if (!request.destinations)
            await closeDestinations(destinations);
    }
}
/** Every destination failed before anything was stored: one error naming each one's reason. */
function everyDestinationFailed(failed, report) {
    for (const { destination, error } of failed) {
        if (report.destinations.some((d) => d.url === destination.displayUrl))
            continue;
        report.destinations.push({
            url: destination.displayUrl,
            key: '',
            ok: false,
            size: 0,
            sha256: '',
            error: (0,engine_errors/* describeError */.Uc)(error),
            verified: false,
        });
    }
    const message = `${failed.length} of ${failed.length} destination(s) failed: ` +
        failed
            .map(({ destination, error }) => `${destination.displayUrl}: ${(0,engine_errors/* describeErrorTemplate */.Qj)(error)}`)
            .join('; ');
    return failed.some(({ error }) => error instanceof engine_errors/* IntegrityError */.cs)
        ? new engine_errors/* IntegrityError */.cs(message)
        : new engine_errors/* StorageError */.aq(message);
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
function abortReason(signal) {
    return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
function throughput(bytes, ms) {
    if (ms < 50 || bytes === 0)
        return '';
    return ` (${(0,engine_log/* formatBytes */.z3)((bytes / ms) * 1000)}/s)`;
}
function rejectEncryption(options) {
    for (const name of ['age-recipients', 'age-identity', 'passphrase']) {
        const v = options.values[name];
        if (v !== undefined && !(Array.isArray(v) && v.length === 0)) {
            throw new engine_errors/* ConfigError */.xL(name, 'encryption is not available in this release of Lifeboat', {
                hint: `remove {{option:${name}}}; encrypt the destination at rest (for example S3 server-side encryption) meanwhile`,
            });
        }
    }
}
function isLifeboatError(err) {
    return err instanceof LifeboatError;
}

// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(58500);
;// CONCATENATED MODULE: ./build/src/engine/lock.js










/**
 * One lock object per set in each destination keeps two backups or prunes of a set from
 * overlapping. It is created with the store's conditional create (createExclusive), names its
 * holder, expires by itself when its holder dies, and is refreshed while the holder works.
 */
const LOCK_NAME = 'lifeboat.lock';
function lockKey(set) {
    return `${set}/${LOCK_NAME}`;
}
const DEFAULT_TTL_MS = 15 * 60_000;
const POLL_MS = 5_000;
/** Parses lock-wait, lock-ttl and break-lock; ConfigError naming the option, before any work. */
function lockSettings(options) {
    const wait = str(options, 'lock-wait') ?? '0s';
    const ttl = str(options, 'lock-ttl');
    const waitMs = /^0+$/.test(wait.trim()) ? 0 : parseDuration('lock-wait', wait).ms;
    const ttlMs = ttl ? parseDuration('lock-ttl', ttl).ms : DEFAULT_TTL_MS;
    if (ttlMs < 60_000) {
        // Shorter than this, a lock could lapse between two refreshes on a slow store.
        throw new engine_errors/* ConfigError */.xL('lock-ttl', `'${ttl ?? ''}' is shorter than a minute`, {
            hint: 'give {{option:lock-ttl}} a duration of a minute or more, e.g. {{option:lock-ttl=15m}} (the default)',
        });
    }
    return { waitMs, ttlMs, breakLock: bool(options, 'break-lock') };
}
function describeHolder(r) {
    if (!r)
        return 'an unreadable lock (another run is writing it, or it is damaged)';
    const run = r.runUrl ? `, run ${r.runUrl}` : '';
    return `${r.owner} on ${r.host} (pid ${r.pid}, ${r.command}${run}) since ${r.acquiredAt}, expires ${r.expiresAt}`;
}
/**
 * Takes the set's lock on every destination, waiting up to lock-wait for a holder to finish.
 * A destination that cannot be written is reported in `failed` (that is the writability probe:
 * the lock is the first object written), so the others can still take the backup; a lock held
 * by another run fails the whole command with a message naming the holder.
 */
async function lockSet(destinations, set, settings, ctx, command) {
    const sleep = ctx.sleep ?? ((ms) => (0,external_node_timers_promises_.setTimeout)(ms));
    const token = (0,external_node_crypto_.randomBytes)(12).toString('hex');
    const record = () => {
        const now = ctx.now();
        const r = {
            owner: ownerName(),
            host: (0,external_node_os_.hostname)(),
            pid: process.pid,
            command,
            acquiredAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + settings.ttlMs).toISOString(),
            token,
        };
        if (ctx.runUrl)
            r.runUrl = ctx.runUrl;
        return r;
    };
    const mine = record();
    const body = () => Buffer.from(JSON.stringify({ ...mine, expiresAt: record().expiresAt }) + '\n');
    const key = lockKey(set);
    const held = [];
    const failed = [];
    const lost = new AbortController();
    const release = async () => {
        stopRefresh();
        for (const d of held.splice(0)) {
            try {
                const current = await readLock(d, key);
                if (current.record && current.record.token !== token) {
                    ctx.log.warn(`${d.displayUrl}: the lock of ${set} was taken over by ${describeHolder(current.record)}; leaving it`);
                    continue;
                }
                await d.storage.delete(key);
            }
            catch (err) {
                ctx.log.warn(`${d.displayUrl}: could not remove the lock ${key} (${(0,engine_errors/* describeErrorTemplate */.Qj)(err)}); it expires by itself`);
            }
        }
    };
    // Refreshed well before it expires, so a long dump keeps it; a dead run's lock lapses.
    // A refresh first checks the lock is still ours: overwriting a lock someone else now holds
    // would hide that two runs write the set at once.
    const refresh = async (d) => {
        let current;
        try {
            current = await readLock(d, key);
        }
        catch (err) {
            ctx.log.warn(`${d.displayUrl}: could not read the lock ${key}: ${(0,engine_errors/* describeErrorTemplate */.Qj)(err)}`);
            return;
        }
        if (current.missing || current.record?.token !== token) {
            held.splice(held.indexOf(d), 1);
            const by = current.missing ? 'removed' : `taken over by ${describeHolder(current.record)}`;
            lost.abort(new LockLostError(`${d.displayUrl}: this run's lock of set '${set}' was ${by} while the run held it; ` +
                'stopped, so two runs do not write the set at once', {
                hint: 'another run removed it ({{option:break-lock=true}}) or it expired because refreshing failed: ' +
                    'check what else backs up or prunes this set, then run again (raise {{option:lock-ttl}} if refreshes fail)',
            }));
            return;
        }
        try {
            await d.storage.put(key, external_node_stream_.Readable.from([body()]), { contentType: 'application/json' });
        }
        catch (err) {
            ctx.log.warn(`${d.displayUrl}: could not refresh the lock ${key}: ${(0,engine_errors/* describeErrorTemplate */.Qj)(err)}`);
        }
    };
    let refreshing = false;
    const tick = async () => {
        // A slow store must not stack refreshes on top of each other.
        if (refreshing || lost.signal.aborted)
            return;
        refreshing = true;
        try {
            for (const d of [...held])
                await refresh(d);
        }
        finally {
            refreshing = false;
        }
    };
    const stopRefresh = (ctx.repeat ?? repeatEvery)(Math.max(1000, Math.floor(settings.ttlMs / 3)), tick);
    try {
        for (const d of destinations) {
            try {
                await acquire(d);
                held.push(d);
                await probe(d, set);
            }
            catch (err) {
                if (err instanceof LockHeldError)
                    throw err;
                // A plain line: the run's one failure, naming every destination, is the error.
                ctx.log.info(`Destination ${d.displayUrl} cannot be written: ${(0,engine_errors/* describeErrorTemplate */.Qj)(err)}`);
                failed.push({ destination: d, error: err });
            }
        }
    }
    catch (err) {
        await release();
        throw err;
    }
    return {
        held,
        failed,
        release,
        lost: lost.signal,
        assertHeld: () => lost.signal.throwIfAborted(),
    };
    async function acquire(d) {
        const deadline = ctx.now().getTime() + settings.waitMs;
        let broke = false;
        let waited = false;
        for (let round = 0;; round++) {
            if (await d.storage.createExclusive(key, Buffer.from(JSON.stringify(mine) + '\n')))
                return;
            const current = await readLock(d, key);
            if (current.missing) {
                if (round > 20)
                    throw new engine_errors/* StorageError */.aq(`${d.displayUrl}: ${key} flickers; giving up`);
                continue;
            }
            // Our own create, whose answer was lost and retried.
            if (current.record?.token === token)
                return;
            const holder = describeHolder(current.record);
            if (settings.breakLock && !broke) {
                ctx.log.warn(`${d.displayUrl}: break-lock: removing the lock of ${set} held by ${holder}`);
                await d.storage.delete(key);
                broke = true;
                continue;
            }
            const gone = current.record !== undefined && isDeadHere(current.record);
            if (gone || current.expiresAt <= ctx.now().getTime()) {
                ctx.log.warn(`${d.displayUrl}: the lock of ${set} held by ${holder} ` +
                    `${gone ? 'belongs to a process of this host that no longer runs' : 'has expired'}; taking it over`);
                // Delete only what we judged stale: a fresh lock written meanwhile is left alone.
                const again = await readLock(d, key);
                if (again.record?.token === current.record?.token)
                    await d.storage.delete(key);
                continue;
            }
            const left = deadline - ctx.now().getTime();
            if (left <= 0) {
                throw new LockHeldError(`${d.displayUrl}: backup set '${set}' is locked by ${holder}` +
                    (settings.waitMs > 0 ? `; waited ${(0,engine_log/* formatDuration */.a3)(settings.waitMs)}` : ''), {
                    hint: 'another backup or prune of this set is running: wait for it (raise {{option:lock-wait}}), ' +
                        'or, if it is known to be dead, set {{option:break-lock=true}} once; a stale lock also expires by itself',
                });
            }
            if (!waited) {
                ctx.log.info(`${d.displayUrl}: set '${set}' is locked by ${holder}; waiting up to ${(0,engine_log/* formatDuration */.a3)(left)}…`);
                waited = true;
            }
            await sleep(Math.min(POLL_MS, left));
        }
    }
    /** Writes and deletes a small object, so an unwritable destination fails before any dump. */
    async function probe(d, setName) {
        const probeKey = `${setName}/lifeboat-probe-${token}`;
        await d.storage.put(probeKey, external_node_stream_.Readable.from([Buffer.from('lifeboat write probe\n')]), {
            contentType: 'text/plain',
        });
        await d.storage.delete(probeKey);
    }
}
/** The lock is held by another live run: the command fails before doing anything. Exit 1. */
class LockHeldError extends engine_errors/* StorageError */.aq {
}
/** Someone removed or took this run's lock while it worked: the run stops. Exit 1. */
class LockLostError extends engine_errors/* StorageError */.aq {
}
/** The run's context whose signal also stops everything when the set's lock is lost. */
function whileLocked(ctx, locks) {
    return { ...ctx, signal: ctx.signal ? AbortSignal.any([ctx.signal, locks.lost]) : locks.lost };
}
function repeatEvery(ms, tick) {
    const timer = setInterval(() => void tick(), ms);
    timer.unref();
    return () => clearInterval(timer);
}
async function readLock(d, key) {
    let body;
    try {
        body = await (0,consumers_.text)(await d.storage.get(key));
    }
    catch (err) {
        if ((0,engine_errors/* isNotFound */.c4)(err))
            return { missing: true, record: undefined, expiresAt: 0 };
        throw err;
    }
    try {
        const r = JSON.parse(body);
        const expiresAt = Date.parse(r.expiresAt);
        if (typeof r.token === 'string' && Number.isFinite(expiresAt))
            return { missing: false, record: r, expiresAt };
    }
    catch {
        // being written (SFTP creates, then writes), or damaged: judged by its age below
    }
    const info = await d.storage.stat(key);
    if (!info)
        return { missing: true, record: undefined, expiresAt: 0 };
    return { missing: false, record: undefined, expiresAt: info.modified.getTime() + DEFAULT_TTL_MS };
}
/** A holder on this very host whose process is gone (a kill -9, a crash) can be replaced now. */
function isDeadHere(r) {
    if (r.host !== (0,external_node_os_.hostname)() || !Number.isInteger(r.pid) || r.pid <= 0)
        return false;
    return r.pid !== process.pid && !(0,core_process/* isProcessRunning */.DL)(r.pid);
}
function ownerName() {
    try {
        return (0,external_node_os_.userInfo)().username;
    }
    catch {
        return 'unknown user';
    }
}

;// CONCATENATED MODULE: ./build/src/report/summary.js

const esc = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/**
 * A two-column table whose first pair is its header row: GitHub needs a header, and an empty
 * one shows as a blank bar above the facts.
 */
function keyValueTable(rows) {
    if (rows.length === 0)
        return '';
    const [[k0, v0], ...rest] = rows;
    return [
        `| ${esc(k0)} | ${esc(v0)} |`,
        '|---|---|',
        ...rest.map(([k, v]) => `| ${esc(k)} | ${esc(v)} |`),
    ].join('\n');
}
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
        facts.push(['archive size', (0,engine_log/* formatBytes */.z3)(report.size)]);
    if (report.sha256)
        facts.push(['sha256', `\`${report.sha256}\``]);
    facts.push(['started', (0,engine_log/* formatTime */.fU)(new Date(report.startedAt))]);
    facts.push(['duration', (0,engine_log/* formatDuration */.a3)(report.durationMs)]);
    if (report.outputs['location'] && report.command !== 'restore')
        facts.push(['location', report.outputs['location']]);
    out.push(keyValueTable(facts), '');
    if (report.command === 'restore')
        out.push(...restoredSection(report));
    else if (report.sources.length)
        out.push(...sourcesSection(report.sources));
    if (report.proofs.length) {
        out.push(ok ? '### What was proven' : '### What was proven before the failure', '', ...report.proofs.map((p) => `- ${p}`), '');
    }
    if (report.destinations.length)
        out.push(...destinationsSection(report));
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
function destinationsSection(report) {
    // restore and verify read a stored backup; backup writes one.
    const reading = report.command === 'restore' || report.command === 'verify';
    const out = [
        reading ? '### Read from' : '### Destinations',
        '',
        reading
            ? '| storage | object | proof of the stored object |'
            : '| destination | object | result | proof of the stored object |',
        reading ? '|---|---|---|' : '|---|---|---|---|',
    ];
    for (const d of report.destinations) {
        if (reading) {
            const proof = d.verified
                ? 'size, sha256 and every chunk match the manifest'
                : 'not proven (the run failed first)';
            out.push(`| ${esc(d.url)} | ${esc(d.key ?? '')} | ${proof} |`);
            continue;
        }
        const proof = !d.ok
            ? ''
            : d.verified
                ? 'read back: size and sha256 match'
                : 'size and sha256 confirmed at upload (not read back)';
        out.push(`| ${esc(d.url)} | ${esc(d.key ?? '')} | ${d.ok ? 'stored' : `failed: ${esc(d.error ?? '')}`} | ${proof} |`);
    }
    out.push('');
    return out;
}
function describeInventory(inv) {
    const tables = inv?.tables;
    if (tables)
        return `${tables.length} tables, ${tables.reduce((n, t) => n + t.rows, 0)} rows`;
    if (inv?.files !== undefined)
        return `${inv.files} files`;
    return '';
}
function sourcesSection(sources) {
    const out = [
        '### Sources',
        '',
        '| source | kind | location | data | time | throughput | inventory |',
        '|---|---|---|---|---|---|---|',
    ];
    for (const s of sources) {
        const tp = s.bytes && s.durationMs
            ? `${(0,engine_log/* formatBytes */.z3)((s.bytes / Math.max(s.durationMs, 1)) * 1000)}/s`
            : '';
        out.push(`| ${esc(s.name)} | ${s.kind} | ${esc(s.url)} | ${s.bytes !== undefined ? (0,engine_log/* formatBytes */.z3)(s.bytes) : ''} | ${s.durationMs !== undefined ? (0,engine_log/* formatDuration */.a3)(s.durationMs) : ''} | ${tp} | ${describeInventory(s.inventory)} |`);
    }
    out.push('');
    return out;
}
/** The restored data against the backup's inventory, as the summary states it. */
function compareInventory(expected, actual) {
    if (!actual)
        return 'not counted after the restore';
    const got = describeInventory(actual);
    if (!got)
        return 'not counted after the restore';
    if (!expected?.tables || !actual.tables) {
        if (expected?.files === undefined || actual.files === undefined)
            return got;
        return expected.files === actual.files
            ? `${got}; matches the backup's inventory`
            : `${got}; differs from the backup: it has ${expected.files} files`;
    }
    const want = new Map(expected.tables.map((t) => [t.name, t]));
    const differences = [];
    for (const t of actual.tables) {
        const w = want.get(t.name);
        if (!w)
            differences.push(`${t.name} not in the backup`);
        else if (!w.estimated && !t.estimated && w.rows !== t.rows)
            differences.push(`${t.name}: ${t.rows} rows, the backup has ${w.rows}`);
        want.delete(t.name);
    }
    for (const name of want.keys())
        differences.push(`${name} missing`);
    return differences.length
        ? `${got}; differs from the backup: ${differences.slice(0, 5).join('; ')}`
        : `${got}; matches the backup's inventory`;
}
function restoredSection(report) {
    if (report.sources.length === 0) {
        return report.error ? ['Nothing was restored.', ''] : [];
    }
    const out = [
        '### Restored',
        '',
        '| source | kind | restored to | tables / files |',
        '|---|---|---|---|',
    ];
    for (const s of report.sources) {
        out.push(`| ${esc(s.name)} | ${s.kind} | ${esc(s.target ?? s.url)} | ${esc(compareInventory(s.expectedInventory, s.inventory))} |`);
    }
    out.push('');
    return out;
}
function renderBackupTable(report, format) {
    const header = ['set', 'id', 'time', 'size', 'sources', 'encrypted', 'verified', 'location'];
    const rows = report.backups.map((b) => [
        b.set + (b.tags.length ? ` [${b.tags.join(',')}]` : ''),
        b.id,
        (0,engine_log/* formatTime */.fU)(b.time),
        (0,engine_log/* formatBytes */.z3)(b.size),
        b.sources,
        b.encrypted ? 'yes' : 'no',
        b.damaged ? 'DAMAGED' : b.verified ? 'yes' : 'no',
        b.damaged ? `${b.location} (${b.damaged})` : b.location,
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

;// CONCATENATED MODULE: ./build/src/engine/catalog.js














/**
 * What counts as a confirmed backup, for retention and freshness alike: its stored object was
 * read back and matched (`verifiedAt`), or, with verify-after-backup off, the store confirmed
 * the size and sha256 it received. A sidecar is only written after one of the two, so a listed
 * backup with a recorded sha256 and size is confirmed; a hand-made sidecar without them is not.
 */
function isConfirmedBackup(manifest) {
    if (manifest.verifiedAt)
        return true;
    return /^[0-9a-f]{64}$/.test(manifest.archive.sha256) && manifest.archive.size > 0;
}
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
function damagedRow(d) {
    return {
        set: d.set,
        id: d.id,
        time: backupTime(d.id).toISOString(),
        size: 0,
        sources: '',
        encrypted: false,
        verified: false,
        tags: [],
        location: `${d.destination.displayUrl} ${d.key}`,
        damaged: d.reason,
    };
}
async function listCommand(options, ctx, report) {
    await withDestinations(options, ctx, async (destinations) => {
        for (const d of destinations) {
            const damaged = [];
            const entries = await listBackups(d, str(options, 'name'), ctx, damaged);
            report.backups.push(...entries.map(toRow), ...damaged.map(damagedRow));
            for (const x of damaged)
                ctx.log.warn(`${x.set}/${x.id} on ${d.displayUrl} is damaged: ${x.reason}`);
        }
        report.backups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
    report.outputs['count'] = String(report.backups.length);
    report.outputs['backups'] = JSON.stringify(report.backups);
    const latest = report.backups.at(-1);
    if (latest)
        report.outputs['backup-id'] = latest.id;
}
async function verifyCommand(options, ctx, report) {
    const destinations = await openDestinations(options, ctx);
    const tmpDir = await createRunTemp(runTempRoot(ctx));
    try {
        const entry = await findBackup(destinations, str(options, 'name'), str(options, 'backup') ?? 'latest', ctx);
        report.name = entry.set;
        report.backupId = entry.id;
        report.sha256 = entry.manifest.archive.sha256;
        report.size = entry.manifest.archive.size;
        (0,engine_log/* startPhase */.CJ)(ctx.log, `Verify ${entry.set}/${entry.id} on ${entry.destination.displayUrl}`);
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
        (0,engine_log/* endPhase */.zN)(ctx.log);
        report.proofs.push(`the .sha256 sidecar agrees with the manifest, and the stored object's size (${(0,engine_log/* formatBytes */.z3)(entry.manifest.archive.size)}) and sha256 match`, "every chunk's sha256, the archive header and the inner manifest match the sidecar manifest", "each source's structure was checked where its kind has a check (SQLite integrity_check, dump table of contents, …)");
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
    throw new engine_errors/* ConfigError */.xL('name', sets.length ? `several backup sets found (${sets.join(', ')})` : 'no backup sets found', {
        hint: 'choose the set with {{option:name=<set>}}',
    });
}
/**
 * Applies the retention policy to one set on every destination. Nothing is removed when the
 * policy is empty; the newest verified backup is never removed; the plan is logged first.
 */
async function pruneSet(options, ctx, report, destinations, set, 
/** Backups this run made: never removed by its own retention. */
protect = [], 
/** Take the set's lock on each destination first (prune); a backup already holds it. */
lock) {
    const policy = parseRetentionPolicy(options.values);
    if (isEmptyPolicy(policy)) {
        ctx.log.info('No keep-* option set: nothing to prune.');
        return;
    }
    const dryRun = bool(options, 'dry-run');
    let removed = 0;
    let kept = 0;
    for (const d of destinations) {
        (0,engine_log/* startPhase */.CJ)(ctx.log, `Retention on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`);
        const name = await resolveSet(options, d, ctx, set);
        const locks = lock && !dryRun ? await lockSet([d], name, lock, ctx, 'prune') : undefined;
        try {
            if (locks?.failed[0])
                throw locks.failed[0].error;
            const counts = await pruneOne(options, locks ? whileLocked(ctx, locks) : ctx, report, d, name, policy, protect);
            removed += counts.removed;
            kept += counts.kept;
        }
        catch (err) {
            if (locks?.lost.aborted)
                throw locks.lost.reason;
            throw err;
        }
        finally {
            await locks?.release();
        }
        (0,engine_log/* endPhase */.zN)(ctx.log);
    }
    report.outputs['removed'] = String(removed);
    report.outputs['kept'] = String(kept);
}
async function pruneOne(options, ctx, report, d, name, policy, protect) {
    const dryRun = bool(options, 'dry-run');
    let removed = 0;
    const entries = (await listBackups(d, name, ctx)).filter((e) => e.set === name);
    const plan = planRetention(entries.map((e) => ({
        id: e.id,
        time: new Date(e.manifest.createdAt),
        verified: isConfirmedBackup(e.manifest),
    })), policy, protect);
    const text = formatPlan(plan, 'text');
    ctx.log.info(`Retention plan for ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}:\n${text}`);
    report.sections.push({
        title: `Retention: ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`,
        markdown: formatPlan(plan, 'markdown'),
    });
    const kept = plan.keep.length;
    if (dryRun)
        return { removed: 0, kept };
    for (const r of plan.remove) {
        // A cancel, or a lost lock, stops between backups, never halfway through one.
        ctx.signal?.throwIfAborted();
        const e = entries.find((x) => x.id === r.id);
        const keys = backupKeys(name, r.id, e.manifest.compression);
        // The manifest goes first so a half-removed backup is never listed. A cancel stops the
        // deleting at once, even mid-request: whatever is left is kept or unlisted, never lost.
        for (const key of [keys.manifest, keys.sha256, e.manifest.archive.key])
            await unlessAborted(d.storage.delete(key, { signal: ctx.signal }), ctx.signal);
        removed++;
        ctx.log.info(`Removed ${name}/${r.id} from ${d.displayUrl}`);
    }
    return { removed, kept };
}
async function pruneCommand(options, ctx, report) {
    // Checked before anything is listed or locked.
    parseRetentionPolicy(options.values);
    const lock = lockSettings(options);
    await withDestinations(options, ctx, (destinations) => pruneSet(options, ctx, report, destinations, undefined, [], lock));
}
/** Freshness: fails when the newest verified backup is older than the schedule allows. */
async function statusCheck(options, ctx, report, destinations, set) {
    let cron = lines(options, 'schedule');
    const explicit = cron.length > 0;
    if (!explicit) {
        if (!ctx.env['GITHUB_WORKFLOW_REF']) {
            if (options.command === 'status') {
                throw new engine_errors/* ConfigError */.xL('schedule', 'no schedule given and not running in a GitHub workflow', {
                    hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
                });
            }
            return undefined;
        }
        cron = await readWorkflowSchedule(ctx.env);
        if (cron.length === 0) {
            if (options.command === 'status') {
                throw new engine_errors/* ConfigError */.xL('schedule', 'the calling workflow has no on.schedule', {
                    hint: "set the cron line(s) backups should follow, e.g. {{option:schedule='0 3 * * *'}}",
                });
            }
            return undefined;
        }
    }
    const d = destinations[0];
    (0,engine_log/* startPhase */.CJ)(ctx.log, `Freshness on ${d.displayUrl}`);
    const name = await resolveSet(options, d, ctx, set);
    const entries = (await listBackups(d, name, ctx)).filter((e) => e.set === name && isConfirmedBackup(e.manifest));
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
    report.sections.push({
        title: `Freshness: ${name}`,
        markdown: keyValueTable([
            ['set', name],
            ['schedule', cron.map((c) => `\`${c}\``).join(', ')],
            [
                'newest verified backup',
                newest
                    ? `\`${newest.id}\` (${(0,engine_log/* formatDuration */.a3)(fr.ageMs ?? 0)} ago)${newest.manifest.verifiedAt ? '' : ', confirmed by the store at upload, not read back'}`
                    : 'none',
            ],
            ['expected interval', (0,engine_log/* formatDuration */.a3)(fr.expectedIntervalMs)],
            ['last expected run', (0,engine_log/* formatTime */.fU)(fr.lastExpected)],
            ['next expected run', (0,engine_log/* formatTime */.fU)(fr.nextExpected)],
            ['verdict', fr.ok ? 'fresh' : '**stale**'],
        ]),
    });
    // The verdict is a plain line: a stale status fails the run, and that failure is the one
    // error annotation; a backup run that finds its set stale warns instead.
    ctx.log.info(fr.message);
    (0,engine_log/* endPhase */.zN)(ctx.log);
    return { ok: fr.ok, message: fr.message };
}
async function statusCommand(options, ctx, report) {
    const result = await withDestinations(options, ctx, (destinations) => statusCheck(options, ctx, report, destinations));
    if (result && !result.ok) {
        throw new engine_errors/* FreshnessError */.mP(result.message, {
            hint: 'check that the scheduled backup workflow runs and succeeds',
        });
    }
}

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
    /** Checks that passed, in order, as one line each (what a restore or verify proved). */
    proofs = [];
    outputs = {};
    error;
    constructor(command) {
        this.command = command;
    }
    get durationMs() {
        return (this.finishedMs ?? Date.now()) - this.startedAt;
    }
}

;// CONCATENATED MODULE: ./build/src/engine/restore.js












/**
 * Restore, in two phases and one read of the stored object. Phase one: the archive streams once
 * (its `.sha256` sidecar checked first), every chunk checked as it passes, and each source's
 * driver stages its members in a new temporary database, file or folder and checks them there.
 * Only when the whole archive is proven (stored size and sha256, the inner manifest against the
 * sidecar and against what was read, the header id) does phase two commit each staged source
 * into its target. Any failure before that aborts every stage: the targets are untouched.
 */
async function restoreBackup(options, ctx, report) {
    rejectEncryption(options);
    const destinations = await openDestinations(options, ctx);
    const tmpDir = await createRunTemp(runTempRoot(ctx));
    const sctx = sourceContext(ctx, options, tmpDir);
    const staged = [];
    const safetyBackups = [];
    const safetyOf = new Map();
    try {
        const entry = await findBackup(destinations, str(options, 'name'), str(options, 'backup') ?? 'latest', ctx);
        const { manifest, destination } = entry;
        report.name = entry.set;
        report.backupId = entry.id;
        report.sha256 = manifest.archive.sha256;
        report.size = manifest.archive.size;
        const readFrom = {
            url: destination.displayUrl,
            key: manifest.archive.key,
            ok: true,
            size: manifest.archive.size,
            sha256: manifest.archive.sha256,
            verified: false,
        };
        report.destinations.push(readFrom);
        const targets = resolveTargets(lines(options, 'target'), manifest.sources.map((s) => s.name));
        for (const url of targets.values())
            registerUrlSecrets(url, ctx);
        ctx.log.info(`Restoring ${entry.set}/${entry.id} from ${destination.displayUrl}`);
        const overwrite = bool(options, 'overwrite');
        const t0 = Date.now();
        const safetyBackup = (source) => async (sourceUrl) => {
            ctx.log.info(`Taking a safety backup of ${(0,engine_log/* redactUrl */.BO)(sourceUrl)} before overwriting it…`);
            const safetyOptions = {
                command: 'backup',
                values: { ...options.values, source: [`${source}=${sourceUrl}`], command: 'backup' },
            };
            // Its own report: the restore's sha256, size and destinations stay the restored backup's.
            const safetyReport = new RunReport('backup');
            const outcome = await createBackup(safetyOptions, ctx, safetyReport, {
                tags: ['safety'],
                set: `${entry.set}-safety`,
                destinations: [destination],
            });
            const ref = `${outcome.set}/${outcome.id}`;
            safetyBackups.push(ref);
            safetyOf.set(source, ref);
            report.outputs['safety-backup-id'] = safetyBackups.join('\n');
            report.sections.push({
                title: `Safety backup of ${source}`,
                markdown: keyValueTable([
                    ['backup', `\`${ref}\``],
                    ['taken of', (0,engine_log/* redactUrl */.BO)(sourceUrl)],
                    ['size', (0,engine_log/* formatBytes */.z3)(outcome.manifest.archive.size)],
                    ['sha256', `\`${outcome.manifest.archive.sha256}\``],
                    ['stored at', outcome.stored.map((d) => d.displayUrl).join(', ')],
                ]),
            });
            return outcome.id;
        };
        (0,engine_log/* startPhase */.CJ)(ctx.log, `Verify ${entry.set}/${entry.id} while staging every source; no target is touched until it is proven`);
        await verifyStoredBackup(destination, manifest, ctx, sctx, {
            structural: false,
            checkSha256Sidecar: true,
            onSource: async (sm, members) => {
                const target = targets.get(sm.name);
                const driver = await driverForKind(sm.kind);
                ctx.log.info(`Staging ${sm.name} (${sm.kind}) for ${(0,engine_log/* redactUrl */.BO)(target)}…`);
                const stage = await driver.stage(members, {
                    target,
                    overwrite,
                    manifest: sm,
                    backupId: entry.id,
                    safetyBackup: safetyBackup(sm.name),
                }, sctx);
                staged.push({ sm, stage });
            },
        });
        (0,engine_log/* endPhase */.zN)(ctx.log);
        readFrom.verified = true;
        report.outputs['verified'] = 'true';
        report.proofs.push(`the .sha256 sidecar agrees with the manifest, and the stored object's size (${(0,engine_log/* formatBytes */.z3)(manifest.archive.size)}) and sha256 match it`, `every chunk's sha256 (${chunkCount(manifest)} chunks), the archive header and the inner manifest match the sidecar manifest`, 'every source was staged apart from its target; no target was touched before all of the above');
        const locations = [];
        const committed = [];
        for (const { sm, stage } of staged) {
            (0,engine_log/* startPhase */.CJ)(ctx.log, `Restore ${sm.name} (${sm.kind}) into ${(0,engine_log/* redactUrl */.BO)(targets.get(sm.name))}`);
            let result;
            try {
                result = await stage.commit();
            }
            catch (err) {
                const own = safetyOf.get(sm.name);
                const notReached = staged.slice(committed.length + 1).map((s) => s.sm.name);
                await rollBack(committed, ctx);
                throw afterPartialCommit(withSafetyHint(err, own ? [own] : []), committed, notReached);
            }
            committed.push({
                name: sm.name,
                location: result.location,
                safety: safetyOf.get(sm.name),
                replaced: result.replaced === true,
                rollback: stage.rollback?.bind(stage),
                rolledBack: false,
                rollbackError: undefined,
            });
            locations.push(result.location);
            for (const note of result.notes ?? [])
                report.notes.push(note);
            report.sources.push({
                name: sm.name,
                kind: sm.kind,
                url: result.location,
                target: result.location,
                expectedInventory: sm.inventory,
                ...(result.inventory ? { inventory: result.inventory } : {}),
            });
            (0,engine_log/* endPhase */.zN)(ctx.log);
        }
        report.outputs['location'] = locations.join('\n');
        ctx.log.info(`Restored ${entry.set}/${entry.id} in ${(0,engine_log/* formatDuration */.a3)(Date.now() - t0)} to ${locations.join(', ')}`);
    }
    finally {
        for (const { sm, stage } of staged) {
            await stage.abort().catch((err) => {
                ctx.log.warn(`could not remove what was staged for ${sm.name}: ${err.message}`);
            });
        }
        await (0,promises_.rm)(tmpDir, { recursive: true, force: true });
        await closeDestinations(destinations);
    }
}
function chunkCount(manifest) {
    return manifest.sources.reduce((n, s) => n + s.members.reduce((m, r) => m + (r.chunks?.length ?? 0), 0), 0);
}
/** A failed overwrite says where the previous data is kept. */
function withSafetyHint(err, safetyBackups) {
    if (!safetyBackups.length)
        return err;
    const where = `the previous data is in the safety backup ${safetyBackups.join(', ')}`;
    if (err instanceof engine_errors/* ConfigError */.xL) {
        const message = err.option ? err.message.slice(`${err.option}: `.length) : err.message;
        return new engine_errors/* ConfigError */.xL(err.option, message, {
            cause: err.cause,
            hint: err.hintTemplate ? `${err.hintTemplate}; ${where}` : where,
        });
    }
    const message = err instanceof Error ? err.message : String(err);
    const hint = err instanceof engine_errors/* LifeboatError */.H3 && err.hintTemplate ? `${err.hintTemplate}; ${where}` : where;
    return new (sameKindAs(err))(message, { cause: err, hint });
}
/** The non-config error class matching `err`, so a rewrapped error keeps its exit code. */
function sameKindAs(err) {
    if (err instanceof engine_errors/* IntegrityError */.cs)
        return engine_errors/* IntegrityError */.cs;
    if (err instanceof engine_errors/* StorageError */.aq)
        return engine_errors/* StorageError */.aq;
    return engine_errors/* SourceError */.c8;
}
/** A later commit failed: put back what the drivers can (newest first), note what they cannot. */
async function rollBack(committed, ctx) {
    for (const c of [...committed].reverse()) {
        if (!c.rollback)
            continue;
        try {
            await c.rollback();
            c.rolledBack = true;
            ctx.log.info(`Put ${c.location} back as it was before this restore`);
        }
        catch (err) {
            c.rollbackError = err instanceof Error ? err.message : String(err);
        }
    }
}
/**
 * Sources are committed one after another. When a later one fails, the earlier ones are put back
 * where their driver can (a rename or swap); the message says exactly which targets were put back,
 * which still hold the restored data and where the data they replaced went, and which sources
 * were never reached, so nobody has to guess at 3 a.m.
 */
function afterPartialCommit(err, committed, notReached) {
    if (!committed.length)
        return err;
    const back = committed.filter((c) => c.rolledBack);
    const left = committed.filter((c) => !c.rolledBack);
    const parts = [errorText(err)];
    if (back.length) {
        parts.push(`put back as they were: ${back.map((c) => `${c.name} (${c.location})`).join(', ')}`);
    }
    if (left.length) {
        const why = (c) => c.rollbackError
            ? `; putting it back failed: ${c.rollbackError}`
            : c.rollback
                ? ''
                : '; its commit cannot be undone';
        parts.push(`already restored before this failure, and left in place: ${left
            .map((c) => `${c.name} into ${c.location} (${replacedWhat(c)}${why(c)})`)
            .join(', ')}`);
    }
    if (notReached.length)
        parts.push(`not restored: ${notReached.join(', ')}`);
    const text = parts.join('; ');
    const hint = left.length
        ? 'fix the cause and restore again with {{option:overwrite=true}}, or restore the safety backups named above to go back'
        : 'fix the cause and restore again: every target is as it was before this restore';
    return rewrap(err, text, err instanceof engine_errors/* LifeboatError */.H3 && err.hintTemplate ? `${err.hintTemplate}; ${hint}` : hint);
}
function replacedWhat(c) {
    if (c.safety)
        return `the data it replaced is in the safety backup ${c.safety}`;
    if (c.replaced)
        return 'it replaced the data there, of which no safety backup was taken';
    return 'a new target, nothing was replaced';
}
function errorText(err) {
    if (err instanceof engine_errors/* ConfigError */.xL && err.option)
        return err.message.slice(`${err.option}: `.length);
    return err instanceof Error ? err.message : String(err);
}
/** The same kind of error with a new message and hint, so the exit code does not change. */
function rewrap(err, message, hint) {
    if (err instanceof engine_errors/* ConfigError */.xL)
        return new engine_errors/* ConfigError */.xL(err.option, message, { cause: err, hint });
    return new (sameKindAs(err))(message, { cause: err, hint });
}
/** Maps each archived source to a target URL. A single unnamed target fits a single source. */
function resolveTargets(targetLines, sourceNames) {
    const parsed = (0,engine_url/* parseNamedLines */.A5)(targetLines);
    if (parsed.length === 0) {
        throw new engine_errors/* ConfigError */.xL('target', 'is required for restore', {
            hint: 'name a new place to restore into, e.g. sqlite:./restored.db, dir:./restored or postgres://host/newdb',
        });
    }
    const map = new Map();
    if (parsed.length === 1 && !parsed[0].name) {
        if (sourceNames.length !== 1) {
            throw new engine_errors/* ConfigError */.xL('target', `this backup holds ${sourceNames.length} sources (${sourceNames.join(', ')})`, {
                hint: 'give one target per source as name=URL lines',
            });
        }
        map.set(sourceNames[0], parsed[0].url);
        return map;
    }
    for (const { name, url } of parsed) {
        if (!name)
            throw new engine_errors/* ConfigError */.xL('target', `'${(0,engine_log/* redactUrl */.BO)(url)}' has no source name`, {
                hint: 'write name=URL',
            });
        if (!sourceNames.includes(name)) {
            throw new engine_errors/* ConfigError */.xL('target', `the backup has no source named '${name}'`, {
                hint: `its sources are: ${sourceNames.join(', ')}`,
            });
        }
        map.set(name, url);
    }
    const missing = sourceNames.filter((n) => !map.has(n));
    if (missing.length) {
        throw new engine_errors/* ConfigError */.xL('target', `no target for source(s) ${missing.join(', ')}`, {
            hint: 'add name=URL lines for them',
        });
    }
    return map;
}

;// CONCATENATED MODULE: ./build/src/engine/run.js










const KIND_BY_EXIT_CODE = {
    0: 'none',
    1: 'operational',
    2: 'config',
    3: 'integrity',
};
/** The `error-kind` output: derived from the exit code so the two can never disagree. */
function errorKindOf(err) {
    if (err === undefined)
        return 'none';
    return KIND_BY_EXIT_CODE[(0,engine_errors/* exitCodeFor */.Rr)(err)] ?? 'operational';
}
/** Runs one command. Throws typed errors; the report is filled in either way. */
async function runCommand(options, ctx, report) {
    await sweepStaleTemp(runTempRoot(ctx), ctx.log).catch(() => undefined);
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
                throw new engine_errors/* ConfigError */.xL('command', "'drill' is not available in this release", {
                    hint: 'run restore into a scratch target, then verify; drills are coming',
                });
        }
    }
    catch (err) {
        // Whatever a cancelled step made of the abort (a killed tool, a broken stream), the run
        // was cancelled, and says so (error-kind operational: 130/143 are not config or integrity).
        const cause = err instanceof engine_errors/* CancelledError */.cc ? err : (cancelledReason(ctx) ?? err);
        report.error = (0,engine_errors/* describeError */.Uc)(cause);
        report.outputs['error-kind'] = errorKindOf(cause);
        throw cause;
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
        report.outputs['error-kind'] ??= 'none';
    }
}
function cancelledReason(ctx) {
    const reason = ctx.signal?.aborted ? ctx.signal.reason : undefined;
    return reason instanceof engine_errors/* LifeboatError */.H3 ? reason : undefined;
}
/**
 * Everything a backup will need later is parsed now, so a typo fails before the first byte is
 * dumped (a bad keep-within used to be found only after the backup was stored).
 */
function checkBackupOptions(options, ctx) {
    rejectEncryption(options);
    parseRetentionPolicy(options.values);
    checkSchedule(lines(options, 'schedule'), ctx.now());
    const grace = str(options, 'grace');
    if (grace)
        parseDuration('grace', grace);
    return lockSettings(options);
}
async function backupCommand(options, ctx, report) {
    const lock = checkBackupOptions(options, ctx);
    const set = backupSetName(options);
    await withDestinations(options, ctx, async (all) => {
        // The lock is the first object written: a destination that cannot take it is reported
        // as failed before anything is dumped, and the rest go on.
        const locks = await lockSet(all, set, lock, ctx, 'backup');
        try {
            await backupLocked(options, whileLocked(ctx, locks), report, locks);
        }
        catch (err) {
            // Whatever the abort broke along the way, the reason the run stopped is the lost lock.
            if (locks.lost.aborted)
                throw locks.lost.reason;
            throw err;
        }
        finally {
            // Reported in the order they were given, unwritable ones included.
            const order = all.map((d) => d.displayUrl);
            report.destinations.sort((a, b) => order.indexOf(a.url) - order.indexOf(b.url));
            await locks.release();
        }
    });
}
async function backupLocked(options, ctx, report, locks) {
    const outcome = await createBackup(options, ctx, report, {
        destinations: locks.held,
        unwritable: locks.failed,
    });
    const first = report.destinations.find((d) => d.ok);
    report.outputs['location'] = first
        ? `${first.url.replace(/\/$/, '')}/${outcome.manifest.archive.key}`
        : '';
    report.outputs['verified'] = String(report.destinations.every((d) => d.verified));
    // Retention and freshness only after a fully successful backup: a failed run deletes nothing.
    locks.assertHeld();
    // A cancel from here on finds the backup stored: the run still stops and says both.
    await afterStored(ctx, outcome.id, 'retention', () => pruneSet(options, ctx, report, outcome.stored, outcome.set, [outcome.id]));
    const explicitSchedule = lines(options, 'schedule').length > 0;
    if (explicitSchedule || ctx.env['GITHUB_WORKFLOW_REF']) {
        await afterStored(ctx, outcome.id, 'the freshness check', async () => {
            try {
                const fresh = await statusCheck(options, ctx, report, outcome.stored, outcome.set);
                if (fresh && !fresh.ok)
                    ctx.log.warn(fresh.message);
            }
            catch (err) {
                if (!(err instanceof engine_errors/* LifeboatError */.H3) || err instanceof engine_errors/* CancelledError */.cc)
                    throw err;
                // Right after a good backup the set is fresh by definition, so a workflow that is not
                // checked out (the usual artifact: job) only loses a formality: say so, do not warn
                // every night. A schedule the user set and we cannot use is worth a warning.
                (explicitSchedule ? ctx.log.warn : ctx.log.info)(`freshness not checked: ${(0,engine_errors/* describeErrorTemplate */.Qj)(err)}`);
            }
        });
    }
}
/**
 * Runs a step that follows a stored backup. A cancel during it (whether the step noticed it or
 * finished anyway) ends the run as cancelled, naming the stored backup so nobody takes the
 * 130/143 for a lost backup.
 */
async function afterStored(ctx, id, step, work) {
    let failure;
    try {
        await work();
    }
    catch (err) {
        failure = err;
    }
    const reason = cancelledReason(ctx);
    if (reason instanceof engine_errors/* CancelledError */.cc) {
        throw new engine_errors/* CancelledError */.cc(reason.signal, `backup ${id} was stored, but ${step} was cancelled before it finished`);
    }
    if (failure !== undefined)
        throw failure;
}

;// CONCATENATED MODULE: ./build/package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./build/src/engine/version.js

const VERSION = package_namespaceObject.rE;

// EXTERNAL MODULE: ./build/src/engine/option-ref.js
var option_ref = __webpack_require__(14259);
;// CONCATENATED MODULE: ./build/src/action/log.js


/**
 * The engine's Logger on the runner's workflow commands. Groups do not nest on the runner, so
 * a new phase ends the open one.
 */
function createActionLogger() {
    let open = false;
    const closeGroup = () => {
        if (open)
            endGroup();
        open = false;
    };
    return {
        info: (m) => info((0,option_ref/* renderOptionRefs */.Qm)(m)),
        warn: (m) => warning((0,option_ref/* renderOptionRefs */.Qm)(m)),
        error: (m) => error((0,option_ref/* renderOptionRefs */.Qm)(m)),
        debug: (m) => debug((0,option_ref/* renderOptionRefs */.Qm)(m)),
        startGroup(title) {
            closeGroup();
            startGroup(title);
            open = true;
        },
        endGroup: closeGroup,
        closeGroup,
    };
}

;// CONCATENATED MODULE: ./build/src/action/tools.js


/**
 * On GitHub-hosted Ubuntu runners, installs a PostgreSQL client of the server's major version
 * from the PGDG apt repository (the runner ships its setup script) and caches the binaries with
 * @actions/cache so later runs skip the install. Elsewhere it declines, and the source explains.
 */
async function provideTool(tool, major, log) {
    if (!/^pg_/.test(tool) || !/^\d+$/.test(major))
        return undefined;
    if (process.env['RUNNER_ENVIRONMENT'] !== 'github-hosted' || process.platform !== 'linux')
        return undefined;
    const bin = `/usr/lib/postgresql/${major}/bin`;
    const key = `lifeboat-postgresql-client-${major}-${process.env['ImageOS'] ?? 'linux'}-${process.arch}`;
    const paths = [`/usr/lib/postgresql/${major}`];
    // Loaded here, not at start-up: @actions/cache brings the Azure SDK, which every run
    // would otherwise pay for to use it only on this rare path.
    const cache = await Promise.all(/* import() */[__webpack_require__.e(941), __webpack_require__.e(647), __webpack_require__.e(872)]).then(__webpack_require__.bind(__webpack_require__, 63872));
    try {
        if (await cache.restoreCache(paths, key)) {
            log.info(`Restored the PostgreSQL ${major} client from the Actions cache`);
            if (await exists(`${bin}/pg_dump`))
                return bin;
        }
    }
    catch (err) {
        log.warn(`Actions cache unavailable: ${err.message}`);
    }
    log.info(`Installing the PostgreSQL ${major} client from apt.postgresql.org…`);
    const script = '/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh';
    if (!(await exists(script)))
        await sh(['sudo', 'apt-get', 'install', '-y', 'postgresql-common']);
    await sh(['sudo', script, '-y']);
    await sh([
        'sudo',
        'apt-get',
        'install',
        '-y',
        '--no-install-recommends',
        `postgresql-client-${major}`,
    ]);
    if (!(await exists(`${bin}/pg_dump`)))
        return undefined;
    try {
        await cache.saveCache(paths, key);
    }
    catch (err) {
        log.warn(`could not cache the PostgreSQL client: ${err.message}`);
    }
    return bin;
}
async function exists(path) {
    return (0,promises_.access)(path).then(() => true, () => false);
}
function sh(argv) {
    return (0,core_process/* startProcess */.kp)({
        tool: argv.join(' '),
        command: argv[0],
        args: argv.slice(1),
        env: process.env,
        stdout: 'inherit',
        stderr: 'inherit',
    }).check();
}

;// CONCATENATED MODULE: ./build/src/action/main.js













/** Reads every input through the option schema; secrets are masked before anything else runs. */
function readInputs(redactor) {
    const raw = {};
    for (const spec of OPTIONS) {
        const value = getInput(spec.name);
        if (spec.secret)
            redactor.add(value);
        if (value !== '')
            raw[spec.name] = value;
    }
    return raw;
}
async function run() {
    const redactor = new engine_log/* Redactor */.pO();
    redactor.onSecret((s) => setSecret(s));
    const actionLog = createActionLogger();
    const log = (0,engine_log/* redactingLogger */.S)(actionLog, redactor);
    log.info(`Lifeboat ${VERSION}`);
    const cancellation = cancelOnSignals((line) => log.warn(line));
    let report = new RunReport(getInput('command') || 'backup');
    try {
        const options = parseOptions(readInputs(redactor));
        report = new RunReport(options.command);
        const ctx = {
            log,
            redactor,
            env: process.env,
            cwd: process.cwd(),
            now: () => new Date(),
            version: VERSION,
            provideTool: async (tool, major) => {
                (0,engine_log/* startPhase */.CJ)(log, `Set up ${tool} ${major}`);
                try {
                    return await provideTool(tool, major, log);
                }
                finally {
                    (0,engine_log/* endPhase */.zN)(log);
                }
            },
            signal: cancellation.signal,
            tmpRoot: tempRootFor(process.env),
        };
        const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
        if (GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID)
            ctx.runUrl = `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
        await runCommand(options, ctx, report);
    }
    catch (err) {
        report.error ??= (0,engine_errors/* describeError */.Uc)(err);
        report.outputs['error-kind'] = errorKindOf(err);
        actionLog.closeGroup();
        setFailed(redactor.redact((0,engine_errors/* describeError */.Uc)(err)));
        // 130/143 as a shell reports SIGINT/SIGTERM, so a cancelled step is not mistaken for a failed one.
        if (err instanceof engine_errors/* CancelledError */.cc)
            process.exitCode = err.exitCode;
    }
    finally {
        actionLog.closeGroup();
        for (const [name, value] of Object.entries(report.outputs))
            setOutput(name, value);
        try {
            if (process.env['GITHUB_STEP_SUMMARY'])
                appendSummary(redactor.redact(renderSummary(report)));
        }
        catch (err) {
            warning(`could not write the job summary: ${(0,engine_errors/* describeError */.Uc)(err)}`);
        }
        cancellation.dispose();
    }
}


/***/ }),

/***/ 15816:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DL: () => (/* binding */ isProcessRunning),
/* harmony export */   F2: () => (/* binding */ killAllProcesses),
/* harmony export */   KE: () => (/* binding */ describeExit),
/* harmony export */   R3: () => (/* binding */ runProcess),
/* harmony export */   kp: () => (/* binding */ startProcess)
/* harmony export */ });
/* unused harmony exports DEFAULT_GRACE_MS, ProcessRun */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(72993);
/**
 * The one way Lifeboat runs a child process. Credentials travel only in `env` (never argv);
 * stderr is kept as a bounded tail for messages; an abort sends SIGTERM, then SIGKILL after a
 * short grace; a non-zero exit or a signal becomes a typed error that names the tool.
 */


const DEFAULT_GRACE_MS = 5_000;
const TAIL_BYTES = 16_384;
const TAIL_LINES = 20;
/** Children still running, so a forced exit can still kill them (no orphans after a 3rd signal). */
const live = new Set();
class ProcessRun {
    child;
    /** Resolves once the process has exited and its output streams are closed; never rejects. */
    exited;
    tool;
    /** Why the process could not be started, once that is known. */
    spawnError;
    #tail = '';
    #stopping = false;
    #killTimer;
    #options;
    constructor(options) {
        this.#options = options;
        this.tool = options.tool;
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(options.command, [...options.args], {
            env: options.env,
            stdio: [options.stdin ?? 'ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe'],
            ...(options.cwd ? { cwd: options.cwd } : {}),
        });
        this.child = child;
        live.add(child);
        child.stderr?.on('data', (c) => this.#push(c));
        // 'close' waits for stdout to be read to its end, which a cancelled reader never does.
        child.once('exit', () => clearTimeout(this.#killTimer));
        // A child that stops reading makes writes fail with EPIPE; its exit status says why.
        child.stdin?.on('error', () => undefined);
        this.exited = new Promise((resolve) => {
            child.once('error', (err) => {
                // 'close' may not follow a spawn failure; resolve here as well.
                live.delete(child);
                this.spawnError = err;
                resolve({ code: null, signal: null, spawnError: err });
            });
            child.once('close', (code, signal) => resolve({ code, signal }));
        }).finally(() => {
            live.delete(child);
            clearTimeout(this.#killTimer);
            options.signal?.removeEventListener('abort', this.#onAbort);
        });
        if (options.signal?.aborted)
            this.stop();
        else
            options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    }
    get stdin() {
        return this.child.stdin;
    }
    get stdout() {
        return this.child.stdout;
    }
    get running() {
        return this.child.exitCode === null && this.child.signalCode === null && live.has(this.child);
    }
    /** True when the run's signal was aborted: the exit is the cancellation's doing. */
    get aborted() {
        return this.#options.signal?.aborted ?? false;
    }
    /** SIGTERM now, SIGKILL if it is still running after the grace period. Safe to call twice. */
    stop() {
        if (this.#stopping || !this.running)
            return;
        this.#stopping = true;
        this.child.kill('SIGTERM');
        this.#killTimer = setTimeout(() => {
            if (this.running)
                this.child.kill('SIGKILL');
        }, this.#options.graceMs ?? DEFAULT_GRACE_MS);
        // The live child keeps the process up; the timer alone must not.
        this.#killTimer.unref();
    }
    /** The last lines the tool wrote to stderr, masked. */
    stderrTail(lines = TAIL_LINES) {
        const text = this.#tail.trim().split('\n').filter(Boolean).slice(-lines).join('\n');
        return this.#options.redact ? this.#options.redact(text) : text;
    }
    /**
     * The error for an unsuccessful exit: the cancellation's reason when the run was aborted,
     * otherwise a typed error naming the tool, how it ended, and its stderr tail.
     */
    failure(status, what = this.tool, hint) {
        const reason = this.#options.signal?.reason;
        if (this.aborted && reason instanceof _engine_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .LifeboatError */ .H3)
            return reason;
        const tail = this.stderrTail();
        const make = this.#options.failure ?? ((m, o) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c8(m, o));
        return make(`${what} failed (${describeExit(status, this.tool)})${tail ? `:\n${tail}` : ''}`, {
            ...(status.spawnError ? { cause: status.spawnError } : {}),
            ...(hint ? { hint } : {}),
        });
    }
    /** Waits for the exit; throws `failure()` unless it exited 0. */
    async check(what, hint) {
        const status = await this.exited;
        if (status.code !== 0)
            throw this.failure(status, what, hint);
    }
    #onAbort = () => this.stop();
    #push(chunk) {
        this.#tail = (this.#tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    }
}
function startProcess(options) {
    return new ProcessRun(options);
}
/** Runs a process to the end and returns its stdout; throws the typed failure otherwise. */
async function runProcess(options) {
    const run = startProcess({ ...options, stdout: 'pipe' });
    const limit = options.maxOutput ?? 1 << 20;
    let out = '';
    run.stdout.setEncoding('utf8');
    run.stdout.on('data', (s) => {
        if (out.length < limit)
            out += s;
    });
    await run.check();
    return out;
}
function describeExit(status, tool) {
    if (status.spawnError) {
        const code = status.spawnError.code;
        return code === 'ENOENT'
            ? `${tool} was not found`
            : `${tool} could not be started: ${status.spawnError.message}`;
    }
    if (status.signal)
        return `killed by ${status.signal}`;
    return `exit code ${status.code}`;
}
/** For a forced exit: SIGKILL every child still running. Synchronous, so usable in 'exit'. */
function killAllProcesses() {
    for (const child of live) {
        try {
            child.kill('SIGKILL');
        }
        catch {
            // already gone
        }
    }
}
/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
function isProcessRunning(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}


/***/ }),

/***/ 72993:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H3: () => (/* binding */ LifeboatError),
/* harmony export */   Qj: () => (/* binding */ describeErrorTemplate),
/* harmony export */   Rr: () => (/* binding */ exitCodeFor),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   aq: () => (/* binding */ StorageError),
/* harmony export */   c4: () => (/* binding */ isNotFound),
/* harmony export */   c8: () => (/* binding */ SourceError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   cs: () => (/* binding */ IntegrityError),
/* harmony export */   dg: () => (/* binding */ isTransient),
/* harmony export */   mP: () => (/* binding */ FreshnessError),
/* harmony export */   xL: () => (/* binding */ ConfigError)
/* harmony export */ });
/* unused harmony export ExitCode */
/* harmony import */ var _option_ref_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(14259);
/**
 * Typed errors. Engine code throws these; only the faces (action, CLI) turn them into exit
 * codes or `setFailed`. Integrity errors are always fatal.
 */

class LifeboatError extends Error {
    /** A short hint telling the person what to do next, shown after the message. */
    hint;
    /** The hint with its option references unrendered (see option-ref.ts), for the faces. */
    hintTemplate;
    constructor(message, options) {
        super(message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.hintTemplate = options?.hint;
        this.hint = options?.hint === undefined ? undefined : (0,_option_ref_js__WEBPACK_IMPORTED_MODULE_0__/* .renderOptionRefs */ .Qm)(options.hint);
    }
}
/** Bad input: an option, a URL, a missing tool. Exit code 2. */
class ConfigError extends LifeboatError {
    kind = 'config';
    option;
    constructor(option, message, options) {
        super(option ? `${option}: ${message}` : message, options);
        this.option = option;
    }
}
/** A source could not be dumped or restored (server down, dump tool failed, …). Exit code 1. */
class SourceError extends LifeboatError {
    kind = 'source';
}
/** A storage operation failed. `transient` errors may be retried; others fail at once. Exit 1. */
class StorageError extends LifeboatError {
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
class IntegrityError extends LifeboatError {
    kind = 'integrity';
}
/** The newest backup is older than the schedule allows (missed runs, RPO breached). Exit 1. */
class FreshnessError extends LifeboatError {
    kind = 'freshness';
}
/** The run was cancelled by SIGINT/SIGTERM. Exit 130 or 143, as a shell reports those signals. */
class CancelledError extends LifeboatError {
    kind = 'cancelled';
    signal;
    /** `stage` says what had already happened, e.g. that the backup was stored. */
    constructor(signal, stage) {
        super(`cancelled (${signal} received)${stage ? `: ${stage}` : ''}`);
        this.signal = signal;
    }
    get exitCode() {
        return this.signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm;
    }
}
function isNotFound(err) {
    return err instanceof StorageError && err.notFound;
}
function isTransient(err) {
    return err instanceof StorageError && err.transient;
}
/** Exit codes shared by the CLI and the action's tests. */
const ExitCode = {
    ok: 0,
    failure: 1,
    config: 2,
    integrity: 3,
    sigint: 130,
    sigterm: 143,
};
function exitCodeFor(err) {
    if (err instanceof ConfigError)
        return ExitCode.config;
    if (err instanceof IntegrityError)
        return ExitCode.integrity;
    if (err instanceof CancelledError)
        return err.exitCode;
    return ExitCode.failure;
}
/** The one line a person reads: message, then the hint if any, options named in `syntax`. */
function describeError(err, syntax) {
    return (0,_option_ref_js__WEBPACK_IMPORTED_MODULE_0__/* .renderOptionRefs */ .Qm)(describeErrorTemplate(err), syntax);
}
/**
 * The same line with its option references left for the face to render: what the engine
 * writes into its own log lines and into messages that wrap another error.
 */
function describeErrorTemplate(err) {
    if (err instanceof LifeboatError) {
        return err.hintTemplate ? `${err.message}\n  fix: ${err.hintTemplate}` : err.message;
    }
    if (err instanceof Error)
        return err.message;
    return String(err);
}


/***/ }),

/***/ 78138:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   CJ: () => (/* binding */ startPhase),
/* harmony export */   S: () => (/* binding */ redactingLogger),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   fU: () => (/* binding */ formatTime),
/* harmony export */   pO: () => (/* binding */ Redactor),
/* harmony export */   qq: () => (/* binding */ silentLogger),
/* harmony export */   z3: () => (/* binding */ formatBytes),
/* harmony export */   zN: () => (/* binding */ endPhase)
/* harmony export */ });
/* unused harmony export derivedForms */
/** Marks the start of a phase: a folded section where the face has them, else a heading line. */
function startPhase(log, title) {
    if (log.startGroup)
        log.startGroup(title);
    else
        log.info(`== ${title}`);
}
function endPhase(log) {
    log.endGroup?.();
}
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
    const log = {
        info: (m) => inner.info(redactor.redact(m)),
        warn: (m) => inner.warn(redactor.redact(m)),
        error: (m) => inner.error(redactor.redact(m)),
        debug: (m) => inner.debug(redactor.redact(m)),
    };
    if (inner.startGroup) {
        const start = inner.startGroup.bind(inner);
        log.startGroup = (title) => start(redactor.redact(title));
    }
    if (inner.endGroup)
        log.endGroup = inner.endGroup.bind(inner);
    return log;
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
/** Human units at every scale: '850 ms', '12.3 s', '5 min 3 s', '6 h 53 min', '1 d'. */
function formatDuration(ms) {
    if (ms < 0)
        return `-${formatDuration(-ms)}`;
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 59_950)
        return `${(ms / 1000).toFixed(1)} s`;
    const units = [
        ['d', 86_400],
        ['h', 3600],
        ['min', 60],
        ['s', 1],
    ];
    let rest = Math.round(ms / 1000);
    const parts = units.map(([unit, size]) => {
        const n = Math.floor(rest / size);
        rest -= n * size;
        return [unit, n];
    });
    // The two most significant units; a zero second unit is left out ('1 d', not '1 d 0 h').
    const lead = parts.findIndex(([, n]) => n > 0);
    return parts
        .slice(lead, lead + 2)
        .filter(([, n], i) => i === 0 || n > 0)
        .map(([unit, n]) => `${n} ${unit}`)
        .join(' ');
}
/** The one time format of logs and summaries: UTC to the second, '2026-11-30T03:17:00Z'. */
function formatTime(t) {
    const d = typeof t === 'string' ? new Date(t) : t;
    return Number.isNaN(d.getTime()) ? String(t) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}


/***/ }),

/***/ 14259:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qm: () => (/* binding */ renderOptionRefs)
/* harmony export */ });
/* unused harmony exports optionRef, actionSyntax */
/**
 * Messages and hints name options the way each face spells them: `overwrite: true` in a
 * workflow, `--overwrite` on a command line. Engine code writes `optionRef('overwrite', 'true')`
 * into the text; each face renders the references with its own syntax.
 */
const REF = /\{\{option:([a-z0-9-]+)(?:=([^}]*))?\}\}/g;
function optionRef(name, value) {
    return value === undefined ? `{{option:${name}}}` : `{{option:${name}=${value}}}`;
}
/** The action's inputs, as written under `with:`. */
const actionSyntax = (name, value) => value === undefined ? `the ${name} input` : `${name}: ${value}`;
function renderOptionRefs(text, syntax = actionSyntax) {
    return text.replace(REF, (_, name, value) => syntax(name, value));
}


/***/ }),

/***/ 83153:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $S: () => (/* binding */ localPath),
/* harmony export */   A5: () => (/* binding */ parseNamedLines),
/* harmony export */   Dl: () => (/* binding */ parseUrl),
/* harmony export */   dz: () => (/* binding */ schemeOf)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(72993);


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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `malformed URL '${url}'`, {
            hint: 'write it as scheme://[user[:password]@]host[:port]/path; percent-encode special characters in the password',
        });
    }
}
/**
 * The absolute path a local-path URL (`sqlite:`, `dir:`) or, for targets, a plain path names.
 * `scheme:///abs` and `scheme://./rel` are accepted; a host is not. Relative to `cwd`.
 */
function localPath(url, option, kind, cwd) {
    const raw = url.trim();
    const scheme = schemeOf(raw);
    let path;
    if (scheme === kind.scheme) {
        path = raw.slice(kind.scheme.length + 1);
        if (path.startsWith('//')) {
            path = path.slice(2);
            if (!path.startsWith('/') && !path.startsWith('.')) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `'${raw}' names a host; ${kind.local}`, {
                    hint: `write ${kind.scheme}:${kind.relativeExample} or ${kind.scheme}://${kind.absoluteExample}`,
                });
            }
        }
    }
    else if (scheme && scheme.length > 1) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `'${raw}' is not a ${kind.scheme}: URL`, {
            hint: `write ${kind.scheme}:<${kind.noun}>, e.g. ${kind.scheme}:${kind.relativeExample}`,
        });
    }
    else {
        path = raw;
    }
    if (!path) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(option, `'${raw}' names no ${kind.noun}`, {
            hint: `write ${kind.scheme}:<${kind.noun}>, e.g. ${kind.example}`,
        });
    }
    return (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(cwd, path);
}


/***/ }),

/***/ 28069:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fn: () => (/* binding */ classifyNodeError),
/* harmony export */   JK: () => (/* binding */ toStorageError),
/* harmony export */   bD: () => (/* binding */ withRetry)
/* harmony export */ });
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58500);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72993);
/* harmony import */ var _engine_log_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(78138);




/**
 * Wraps a backend so operations that fail with a transient StorageError are tried again with
 * exponential backoff and full jitter (restic's RetryBackend); permanent errors fail at once.
 *
 * - stat, list, delete and createExclusive are retried whole.
 * - get retries opening the object, and a read cut off by a transient error (a reset
 *   connection) is resumed where it stopped with a ranged get (`offset`), so the reader sees
 *   one unbroken stream. Any other failure while reading reaches the reader as a classified
 *   StorageError, the same on every backend; checksums stay the reader's to verify.
 * - put cannot read a consumed stream twice, so it is retried only when the failed attempt had
 *   not taken a single byte of the body (a refused connection, a failed auth round trip
 *   before the upload). Once bytes have flowed the error is final: streaming backends retry
 *   their own parts (the S3 SDK resends each multipart part it holds in memory).
 */
function withRetry(storage, options = {}) {
    const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
    const baseDelayMs = options.baseDelayMs ?? 500;
    const maxDelayMs = options.maxDelayMs ?? 20_000;
    const log = options.log ?? _engine_log_js__WEBPACK_IMPORTED_MODULE_3__/* .silentLogger */ .qq;
    const sleep = options.sleep ?? ((ms) => (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(ms));
    const random = options.random ?? Math.random;
    async function retrying(what, operation, mayRetry = () => true, signal) {
        for (let attempt = 1;; attempt++) {
            try {
                return await operation();
            }
            catch (err) {
                if (!(0,_engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg)(err) || signal?.aborted || !mayRetry())
                    throw err;
                if (attempt >= attempts)
                    throw gaveUp(err, attempts);
                const wait = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
                log.warn(`${storage.displayUrl}: ${what} failed (${safeMessage(err)}); ` +
                    `retry ${attempt} of ${attempts - 1} in ${(0,_engine_log_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(wait)}`);
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
        async get(key, getOptions) {
            const signal = getOptions?.signal;
            const open = (offset) => retrying(`get ${key}`, () => storage.get(key, offset ? { ...getOptions, offset } : getOptions), undefined, signal);
            const start = getOptions?.offset ?? 0;
            const first = await open(start);
            const where = `${storage.displayUrl}: reading ${key}`;
            async function* resuming() {
                let offset = start;
                let current = first;
                let lastFailureAt = -1;
                for (let failures = 0;;) {
                    try {
                        for await (const chunk of current) {
                            offset += chunk.length;
                            yield chunk;
                        }
                        return;
                    }
                    catch (err) {
                        const failure = toStorageError(err, `${where} failed at byte ${offset}`);
                        if (!(0,_engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg)(failure) || signal?.aborted)
                            throw failure;
                        // Each cut that made progress since the last one starts a fresh count.
                        if (offset > lastFailureAt)
                            failures = 0;
                        lastFailureAt = offset;
                        if (++failures >= attempts)
                            throw gaveUp(failure, attempts);
                        const wait = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1)));
                        log.warn(`${where} was cut off at byte ${offset} (${safeMessage(err)}); ` +
                            `resuming from there, retry ${failures} of ${attempts - 1} in ${(0,_engine_log_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(wait)}`);
                        await sleep(wait);
                        current = await open(offset);
                    }
                }
            }
            return node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.from(resuming(), { objectMode: false });
        },
        createExclusive(key, body) {
            return retrying(`create ${key}`, () => storage.createExclusive(key, body));
        },
        stat(key) {
            return retrying(`stat ${key}`, () => storage.stat(key));
        },
        list(prefix) {
            return retrying(`list ${prefix || '(all)'}`, () => storage.list(prefix));
        },
        delete(key, options) {
            return retrying(`delete ${key}`, () => storage.delete(key, options), undefined, options?.signal);
        },
    };
    if (storage.close)
        wrapped.close = () => storage.close();
    return wrapped;
}
function gaveUp(err, attempts) {
    return new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`${err.message} (gave up after ${attempts} attempts)`, {
        cause: err,
        transient: true,
        notFound: err.notFound,
        hint: err.hintTemplate ?? 'the store kept failing; check its status and run again',
    });
}
/** Error text for a log line: URLs lose passwords and signature/credential query values. */
function safeMessage(err) {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => (0,_engine_log_js__WEBPACK_IMPORTED_MODULE_3__/* .redactUrl */ .BO)(url));
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
        const out = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable({
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
            out.destroy(new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq('the body stream was destroyed before the upload'));
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
    if (err instanceof _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq)
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
function toStorageError(err, doing, hint) {
    if (err instanceof _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .LifeboatError */ .H3)
        return err;
    const message = err instanceof Error ? err.message : String(err);
    return new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`${doing}: ${message}`, { cause: err, ...classifyNodeError(err), hint });
}


/***/ })

};
