export const id = 107;
export const ids = [107];
export const modules = {

/***/ 48107:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./build/src/core/temp.js
var temp = __webpack_require__(34563);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var core_log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/engine/run.js + 43 modules
var run = __webpack_require__(65616);
// EXTERNAL MODULE: ./build/src/core/version.js + 1 modules
var version = __webpack_require__(33711);
// EXTERNAL MODULE: ./build/src/options/parse.js
var parse = __webpack_require__(85007);
// EXTERNAL MODULE: ./build/src/options/schema.js
var schema = __webpack_require__(43549);
// EXTERNAL MODULE: ./build/src/report/report.js
var report_report = __webpack_require__(18456);
// EXTERNAL MODULE: ./build/src/report/summary.js
var summary = __webpack_require__(73320);
// EXTERNAL MODULE: ./build/src/core/option-ref.js
var option_ref = __webpack_require__(76792);
;// CONCATENATED MODULE: ./build/src/cli/help.js

/** Commands only the CLI has, with their one-line summaries. */
const CLI_COMMANDS = {
    demo: 'back up, verify and restore a demo SQLite database into ./backups',
    init: 'write caller workflows (scheduled backup, guarded restore, weekly drill)',
    plan: 'print a lifeboat.yml fleet config as a JSON matrix for strategy.matrix',
};
const GROUP_HEADINGS = {
    main: 'options',
    sources: 'source options',
    retention: 'retention and freshness',
    encryption: 'encryption',
    storage: 'storage options',
    monitoring: 'notifications and metrics',
};
const FOOTER = [
    'flags for every command:',
    '  --json         print the result (or the error) as JSON on stdout',
    '  -h, --help     show help',
    '  -V, --version  print the version',
    '',
    'Every option can also be set in the environment as LIFEBOAT_<NAME>, e.g. LIFEBOAT_SFTP_PASSWORD',
    'for --sftp-password. Pass secrets that way: a command line is visible to every user of the machine.',
    '',
    'exit codes: 0 success, 1 failure, 2 bad usage or configuration, 3 integrity failure',
];
/** `lifeboat --help`: the commands, one line each. */
function generalHelp(version) {
    const summaries = [
        ...schema/* COMMANDS */.Lo.map((c) => [c, schema/* COMMAND_SUMMARIES */.hW[c]]),
        ...Object.entries(CLI_COMMANDS),
    ];
    const width = Math.max(...summaries.map(([c]) => c.length)) + 2;
    return [
        `lifeboat ${version}: back up and restore databases and files`,
        '',
        'usage: lifeboat <command> [--option value ...] [--json]',
        '',
        'commands:',
        ...summaries.map(([c, s]) => `  ${c.padEnd(width)}${s}`),
        '',
        "Run 'lifeboat <command> --help' for the options of one command.",
        '',
        ...FOOTER,
    ].join('\n');
}
/** The options a command reads, as `lifeboat <command> --help` lists them. */
function optionsOf(command) {
    return schema/* OPTIONS */.lw.filter((o) => o.name !== 'command' && (o.commands === 'all' || o.commands.includes(command)));
}
/** `lifeboat <command> --help`: that command's options only, grouped, with values and defaults. */
function commandHelp(command) {
    if (command in CLI_COMMANDS) {
        const c = command;
        return [`lifeboat ${c}: ${CLI_COMMANDS[c]}`, '', `usage: lifeboat ${c}`, '', ...FOOTER].join('\n');
    }
    const c = command;
    const out = [
        `lifeboat ${c}: ${schema/* COMMAND_SUMMARIES */.hW[c]}`,
        '',
        `usage: lifeboat ${c} [--option value ...] [--json]`,
    ];
    const options = optionsOf(c);
    for (const group of Object.keys(GROUP_HEADINGS)) {
        const inGroup = options.filter((o) => o.group === group);
        if (inGroup.length === 0)
            continue;
        out.push('', `${GROUP_HEADINGS[group]}:`);
        for (const o of inGroup)
            out.push(...describeOption(o));
    }
    out.push('', ...FOOTER);
    return out.join('\n');
}
function describeOption(o) {
    const values = o.values?.filter((v) => v !== '');
    const arg = o.type === 'boolean' ? '' : values?.length ? ` <${values.join('|')}>` : ' <value>';
    const notes = [];
    if (o.type === 'lines')
        notes.push('repeatable');
    if (o.default !== undefined && o.default !== '')
        notes.push(`default: ${o.default}`);
    if (o.secret)
        notes.push(`secret: prefer LIFEBOAT_${o.name.toUpperCase().replace(/-/g, '_')}`);
    const head = `  --${o.name}${arg}${notes.length ? `  (${notes.join('; ')})` : ''}`;
    return [head, ...wrap(o.description.replace(/`/g, ''), 74).map((l) => `      ${l}`)];
}
function wrap(text, width) {
    const lines = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
        if (line && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        }
        else
            line = line ? `${line} ${word}` : word;
    }
    if (line)
        lines.push(line);
    return lines;
}

;// CONCATENATED MODULE: ./build/src/cli/suggest.js
/** The nearest candidate to a mistyped word, or undefined when nothing is close enough. */
function nearest(word, candidates) {
    let best;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestDistance)
            [best, bestDistance] = [c, d];
    }
    // One typo per three letters, at least one: `restor`, `destinaton`, `keep-lats` match; `x` does not.
    const allowed = Math.max(1, Math.floor(word.length / 3));
    if (best !== undefined && bestDistance <= allowed)
        return best;
    // A prefix of exactly one candidate (`--dest`, `ver`) is a clear enough abbreviation.
    const prefixed = candidates.filter((c) => word.length >= 3 && c.startsWith(word));
    return prefixed.length === 1 ? prefixed[0] : undefined;
}
/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                v = Math.min(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
        }
    }
    return d[a.length][b.length];
}

;// CONCATENATED MODULE: ./build/src/cli/args.js




const GLOBAL_FLAGS = ['json', 'help', 'version'];
const ALL_COMMANDS = [...schema/* COMMANDS */.Lo, ...Object.keys(CLI_COMMANDS)];
/**
 * Options named the way a person types them on this face: `--overwrite`, `--name <set>`, and
 * secrets as their environment variable, since a command line is visible to every user.
 */
const cliSyntax = (name, value) => {
    const spec = (0,schema/* optionSpec */.HE)(name);
    if (spec?.secret)
        return value === undefined ? envName(spec) : `${envName(spec)}=${value}`;
    if (value === undefined)
        return `--${name}`;
    if (value === 'true' && spec?.type === 'boolean')
        return `--${name}`;
    return `--${name} ${value}`;
};
/**
 * `lifeboat <command> [--option value|--option=value|--flag] [--json] [--help]`.
 * Every option can also come from the environment as LIFEBOAT_<NAME> (e.g. LIFEBOAT_SFTP_PASSWORD),
 * which is how secrets should be passed: a command line is visible to every user of the machine.
 * A flag the command does not read is an error, not silently ignored.
 */
function parseArgs(argv, env) {
    const raw = {};
    const out = { raw, json: false, help: false, version: false, secretFlags: [] };
    const rest = [...argv];
    let command;
    if (rest[0] && !rest[0].startsWith('-')) {
        const word = rest.shift();
        if (word === 'help') {
            out.help = true;
            if (rest[0] && !rest[0].startsWith('-'))
                out.helpFor = knownCommand(rest.shift());
        }
        else {
            const known = knownCommand(word);
            if (known in CLI_COMMANDS)
                out.extraCommand = known;
            else
                command = known;
            if (command)
                raw['command'] = command;
        }
    }
    out.help ||= rest.includes('--help') || rest.includes('-h');
    if (out.help) {
        out.helpFor ??= command ?? out.extraCommand;
        return out;
    }
    // Flags are checked against the command that will run: the action's default is backup.
    const effective = command ?? 'backup';
    const collected = new Map();
    while (rest.length) {
        const arg = rest.shift();
        if (arg === '--json')
            out.json = true;
        else if (arg === '--version' || arg === '-V')
            out.version = true;
        else if (arg.startsWith('-') && arg !== '-') {
            const eq = arg.indexOf('=');
            const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
            const spec = flagSpec(name, arg, effective, out.extraCommand);
            let value;
            if (eq >= 0)
                value = arg.slice(eq + 1);
            else if (spec.type === 'boolean') {
                value = rest[0] === 'true' || rest[0] === 'false' ? rest.shift() : 'true';
            }
            else {
                if (rest.length === 0 || rest[0].startsWith('--')) {
                    throw new errors/* ConfigError */.xL(name, 'needs a value', { hint: `write --${name} <value>` });
                }
                value = rest.shift();
            }
            if (spec.secret)
                out.secretFlags.push(name);
            collected.set(name, [...(collected.get(name) ?? []), value]);
        }
        else {
            throw new errors/* ConfigError */.xL(undefined, `unexpected argument '${arg}'`, {
                hint: 'the command is the first word and options are written --name value',
            });
        }
    }
    for (const [name, values] of collected) {
        const spec = (0,schema/* optionSpec */.HE)(name);
        raw[name] = spec.type === 'lines' ? values : values.length === 1 ? values[0] : values;
    }
    for (const spec of schema/* OPTIONS */.lw) {
        if (raw[spec.name] !== undefined || spec.name === 'command')
            continue;
        const v = env[envName(spec)];
        if (v !== undefined && v !== '')
            raw[spec.name] = v;
    }
    return out;
}
function knownCommand(word) {
    if (ALL_COMMANDS.includes(word))
        return word;
    const guess = nearest(word, ALL_COMMANDS);
    throw new errors/* ConfigError */.xL(undefined, `unknown command '${word}'`, {
        hint: guess
            ? `did you mean 'lifeboat ${guess}'? (lifeboat --help lists the commands)`
            : `use one of: ${ALL_COMMANDS.join(', ')}`,
    });
}
/** The option a flag names, if the command reads it; otherwise a ConfigError with the nearest one. */
function flagSpec(name, arg, command, extraCommand) {
    const where = extraCommand ?? command;
    const own = extraCommand ? [] : optionsOf(command);
    const spec = own.find((o) => o.name === name);
    if (spec && arg.startsWith('--'))
        return spec;
    const other = (0,schema/* optionSpec */.HE)(name);
    if (other && other.name !== 'command' && arg.startsWith('--')) {
        const readers = other.commands === 'all' ? schema/* COMMANDS */.Lo : other.commands;
        throw new errors/* ConfigError */.xL(undefined, `--${name} is not an option of ${where}`, {
            hint: `it is read by ${readers.join(', ')}; 'lifeboat ${where} --help' lists the options of ${where}`,
        });
    }
    if (name === 'command') {
        throw new errors/* ConfigError */.xL(undefined, `unknown option '${arg}'`, {
            hint: 'the command is the first word: lifeboat <command> [--option value ...]',
        });
    }
    const ownGuess = nearest(name, [...own.map((o) => o.name), ...GLOBAL_FLAGS]);
    const otherGuess = ownGuess
        ? undefined
        : nearest(name, schema/* OPTIONS */.lw.filter((o) => o.name !== 'command').map((o) => o.name));
    const readers = otherGuess ? (0,schema/* optionSpec */.HE)(otherGuess).commands : 'all';
    throw new errors/* ConfigError */.xL(undefined, `unknown option '${arg}'`, {
        hint: ownGuess
            ? `did you mean --${ownGuess}?`
            : otherGuess
                ? `did you mean --${otherGuess}? (an option of ${readers === 'all' ? 'every command' : readers.join(', ')})`
                : `'lifeboat ${where} --help' lists the options of ${where}`,
    });
}
function envName(spec) {
    return `LIFEBOAT_${spec.name.toUpperCase().replace(/-/g, '_')}`;
}

;// CONCATENATED MODULE: ./build/src/cli/describe.js



/** The error as a person at this terminal reads it: options written as flags. */
function describeForCli(err) {
    const text = (0,errors/* describeError */.Uc)(err, cliSyntax);
    if (err instanceof errors/* ConfigError */.xL && err.option && (0,schema/* optionSpec */.HE)(err.option)) {
        const prefix = `${err.option}: `;
        if (text.startsWith(prefix))
            return `--${text}`;
    }
    return text;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(80099);
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
            const report = new report_report/* RunReport */.e(step.title);
            await (0,run/* runCommand */.d1)((0,parse/* parseOptions */.Ac)(step.raw), ctx, report);
            backupId ||= report.backupId ?? '';
            io.stdout((0,summary/* renderSummary */.Br)(report) + '\n');
        }
        const target = (0,external_node_path_.join)(dir, `restored-${backupId}.sqlite`);
        const report = new report_report/* RunReport */.e('restore');
        await (0,run/* runCommand */.d1)((0,parse/* parseOptions */.Ac)({
            command: 'restore',
            destination,
            name: 'shop',
            backup: backupId,
            target: `sqlite:${target}`,
        }), ctx, report);
        io.stdout((0,summary/* renderSummary */.Br)(report) + '\n');
        const check = new external_node_sqlite_.DatabaseSync(target, { readOnly: true });
        const row = check.prepare('SELECT count(*) AS n FROM orders').get();
        check.close();
        io.stdout(`Demo done: backups are in ${rel((0,external_node_path_.join)(ctx.cwd, 'backups'))}/shop/, the restored copy ${rel(target)} has ${row.n} orders.\n` +
            `Try: npm run lifeboat -- list --destination file:./backups\n`);
        return errors/* ExitCode */.yU.ok;
    }
    catch (err) {
        ctx.log.error(describeForCli(err));
        return (0,errors/* exitCodeFor */.Rr)(err);
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./build/src/engine/backup.js + 2 modules
var backup = __webpack_require__(24526);
// EXTERNAL MODULE: ./build/src/core/url.js
var core_url = __webpack_require__(35708);
// EXTERNAL MODULE: ./build/src/sources/registry.js + 7 modules
var registry = __webpack_require__(61482);
// EXTERNAL MODULE: ./build/src/storage/registry.js + 5 modules
var storage_registry = __webpack_require__(43101);
;// CONCATENATED MODULE: ./build/src/fleet/secrets.js




/** A source's kind ('postgres', 'sqlite', …) from its URL (`name=URL` allowed); ConfigError otherwise. */
function sourceKind(line, option = 'source') {
    const url = withoutName(line);
    const scheme = (0,core_url/* schemeOf */.dz)(url);
    const entry = scheme ? registry/* sourceEntries */.cz.find((e) => e.schemes.includes(scheme)) : undefined;
    if (!entry) {
        throw new errors/* ConfigError */.xL(option, `'${redact(url)}' is not a source URL`, {
            hint: `use one of ${(0,registry/* acceptedSourceSchemes */.xl)().join(' ')}`,
        });
    }
    return entry.kind;
}
/** A storage URL's scheme ('s3', 'file', …); ConfigError otherwise. */
function storageScheme(url, option = 'destination') {
    const scheme = (0,core_url/* schemeOf */.dz)(url);
    if (!scheme || !storage_registry/* storageEntries */.wY.some((e) => e.schemes.includes(scheme))) {
        throw new errors/* ConfigError */.xL(option, `'${redact(url)}' is not a storage URL`, {
            hint: `use one of ${(0,storage_registry/* acceptedStorageSchemes */.Nb)().join(' ')}`,
        });
    }
    return scheme;
}
/** `name=URL` → URL; a bare URL stays as it is. */
function withoutName(line) {
    const m = /^([\w.-]+)=(.+)$/.exec(line.trim());
    return m && !m[1].includes(':') ? m[2] : line.trim();
}
/** The source's own name when given as `name=URL`. */
function sourceName(line) {
    const m = /^([\w.-]+)=(.+)$/.exec(line.trim());
    return m ? m[1] : undefined;
}
/**
 * Refuses a password inside a URL: workflows and fleet configs are committed, so credentials
 * travel as secrets (PGPASSWORD, MYSQL_PWD, …) instead.
 */
function refuseInlinePassword(url, option) {
    let password;
    try {
        password = new URL(withoutName(url)).password;
    }
    catch {
        return;
    }
    if (password) {
        throw new errors/* ConfigError */.xL(option, `'${redact(url)}' has a password in it, and this file is committed`, {
            hint: 'remove the password from the URL; the workflows pass it from a repository secret (PGPASSWORD, MYSQL_PWD, REDIS_PASSWORD)',
        });
    }
}
const SOURCE_SECRETS = {
    postgres: ['PGPASSWORD'],
    mysql: ['MYSQL_PWD'],
    redis: ['REDIS_PASSWORD'],
};
const STORAGE_SECRETS = {
    s3: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    gs: ['GOOGLE_HMAC_ACCESS_KEY_ID', 'GOOGLE_HMAC_SECRET'],
    azblob: ['AZURE_STORAGE_CONNECTION_STRING'],
    sftp: ['SFTP_PRIVATE_KEY'],
};
/** The secrets the reusable workflows need for these sources and destinations, in a stable order. */
function secretsFor(sources, destinations) {
    const out = new Set();
    for (const s of sources)
        for (const n of SOURCE_SECRETS[sourceKind(s)] ?? [])
            out.add(n);
    for (const d of destinations)
        for (const n of STORAGE_SECRETS[storageScheme(d)] ?? [])
            out.add(n);
    return [...out];
}
/** Storage secrets only (list, drill and status read the store, not the database). */
function storageSecretsFor(destinations) {
    return secretsFor([], destinations);
}
function redact(url) {
    return url.replace(/\/\/([^/@]*)@/, (_, auth) => `//${auth.split(':')[0]}@`);
}

;// CONCATENATED MODULE: ./build/src/cli/toolkit-args.js


function parseToolkitFlags(command, argv, specs) {
    const out = {};
    const rest = [...argv];
    while (rest.length) {
        const arg = rest.shift();
        if (!arg.startsWith('--')) {
            throw new errors/* ConfigError */.xL(undefined, `unexpected argument '${arg}'`, {
                hint: `options are written --name value; 'lifeboat ${command} --help' lists them`,
            });
        }
        const eq = arg.indexOf('=');
        const name = arg.slice(2, eq >= 0 ? eq : undefined);
        const spec = specs.find((s) => s.name === name);
        if (!spec) {
            const guess = nearest(name, specs.map((s) => s.name));
            throw new errors/* ConfigError */.xL(undefined, `unknown option '--${name}' for ${command}`, {
                hint: guess ? `did you mean --${guess}?` : `'lifeboat ${command} --help' lists the options`,
            });
        }
        let value;
        if (eq >= 0)
            value = arg.slice(eq + 1);
        else if (spec.type === 'boolean')
            value = 'true';
        else {
            if (!rest.length || rest[0].startsWith('--')) {
                throw new errors/* ConfigError */.xL(undefined, `--${name} needs a value`, {
                    hint: `write --${name} <value>`,
                });
            }
            value = rest.shift();
        }
        if (spec.type === 'lines')
            out[name] = [...(out[name] ?? []), value];
        else if (spec.type === 'boolean')
            out[name] = value !== 'false';
        else
            out[name] = value;
    }
    return out;
}
function toolkitHelp(command, summary, usage, specs) {
    const width = Math.max(...specs.map((s) => s.name.length)) + 4;
    return [
        `lifeboat ${command}: ${summary}`,
        '',
        `usage: ${usage}`,
        '',
        'options:',
        ...specs.map((s) => `  --${s.name.padEnd(width)}${s.help}`),
    ].join('\n');
}

;// CONCATENATED MODULE: ./build/src/cli/init.js
/**
 * `lifeboat init`: writes the caller workflows a repository needs into .github/workflows: a
 * scheduled backup (at a random minute, away from the top-of-the-hour queue), a manual guarded
 * restore, a weekly drill and a freshness watchdog, each calling Lifeboat's reusable workflows with the secrets they
 * need passed one by one. Never overwrites without --force; prints the secrets to create.
 */










const INIT_SUMMARY = 'write caller workflows (scheduled backup, guarded restore, weekly drill, freshness watchdog) into .github/workflows';
const FLAGS = [
    { name: 'source', type: 'lines', help: 'source URL, no password in it (repeatable; name=URL)' },
    { name: 'destination', type: 'lines', help: 'storage URL (repeatable)' },
    { name: 'name', type: 'string', help: 'backup set name (default: derived from the source)' },
    { name: 'keep-daily', type: 'string', help: 'daily backups to keep (default 7)' },
    { name: 'keep-weekly', type: 'string', help: 'weekly backups to keep (default 4)' },
    { name: 'keep-monthly', type: 'string', help: 'monthly backups to keep (default 6)' },
    { name: 'hour', type: 'string', help: 'UTC hour of the nightly backup (default 3)' },
    {
        name: 'environment',
        type: 'string',
        help: 'environment restores run in (default lifeboat-restore)',
    },
    {
        name: 'uses',
        type: 'string',
        help: 'where the reusable workflows live (default lifeboat-backup/lifeboat@v1)',
    },
    { name: 'dir', type: 'string', help: 'where to write (default .github/workflows)' },
    { name: 'force', type: 'boolean', help: 'overwrite workflows that exist' },
    { name: 'help', type: 'boolean', help: 'show this help' },
];
/** Scratch servers and targets for the drill, by source kind. */
const SCRATCH = {
    postgres: {
        service: ['postgres-image', 'postgres:17'],
        target: (n) => `postgres://postgres@localhost:5432/lifeboat_drill_${n.replace(/\W/g, '_')}`,
    },
    mysql: {
        service: ['mysql-image', 'mariadb:11'],
        target: (n) => `mysql://root@127.0.0.1:3306/lifeboat_drill_${n.replace(/\W/g, '_')}`,
    },
    redis: { service: ['redis-image', 'redis:7'], target: () => 'redis://localhost:6379/0' },
    // The drill restores vector collections as `<name>_drill_<id>` on a spare server of the job.
    qdrant: {
        service: ['qdrant-image', 'qdrant/qdrant:v1.15.1'],
        target: () => 'qdrant://localhost:6333',
    },
    chroma: {
        service: ['chroma-image', 'chromadb/chroma:1.0.20'],
        target: () => 'chroma://localhost:8000',
    },
    sqlite: { target: (n) => `sqlite:lifeboat-drill-${n}.db` },
    dir: { target: (n) => `dir:lifeboat-drill-${n}` },
};
/** Minutes 1–59 except the quarter hours, where scheduled jobs pile up. */
function randomMinute(random = Math.random) {
    const minutes = Array.from({ length: 59 }, (_, i) => i + 1).filter((m) => m % 15 !== 0);
    return minutes[Math.floor(random() * minutes.length)];
}
const expr = (e) => `\${{ ${e} }}`;
function header(lines) {
    return lines.map((l) => (l ? `# ${l}` : '#')).join('\n') + '\n';
}
function secretMap(names) {
    if (!names.length)
        return undefined;
    return Object.fromEntries(names.map((n) => [n, expr(`secrets.${n}`)]));
}
/** The four caller workflows for these choices (pure, apart from the random minutes). */
function initWorkflows(c, random = Math.random) {
    const [repo, ref] = c.uses.split('@');
    const reusable = (w) => `${repo}/.github/workflows/${w}@${ref}`;
    const allSecrets = secretsFor(c.sources, c.destinations);
    const storeSecrets = storageSecretsFor(c.destinations);
    const secretNote = (names) => names.length
        ? `Repository secrets it reads (Settings > Secrets and variables > Actions): ${names.join(', ')}.`
        : 'It needs no repository secrets.';
    const lines = (xs) => xs.join('\n');
    const minute = randomMinute(random);
    const drillMinute = randomMinute(random);
    const statusMinute = randomMinute(random);
    const backupCron = `${minute} ${c.hour} * * *`;
    const drillCron = `${drillMinute} 5 * * 1`;
    const statusCron = `${statusMinute} */6 * * *`;
    const backup = {
        name: `Lifeboat backup (${c.name})`,
        on: { schedule: [{ cron: backupCron }], workflow_dispatch: null },
        permissions: { contents: 'read', actions: 'write' },
        jobs: {
            backup: {
                uses: reusable('backup.yml'),
                with: {
                    name: c.name,
                    source: lines(c.sources),
                    destination: lines(c.destinations),
                    'keep-daily': c.keepDaily,
                    'keep-weekly': c.keepWeekly,
                    'keep-monthly': c.keepMonthly,
                },
                ...(allSecrets.length ? { secrets: secretMap(allSecrets) } : {}),
            },
        },
    };
    const confirmHelp = `Type exactly: restore ${c.name} <backup> to <target>`;
    const restore = {
        name: `Lifeboat restore (${c.name})`,
        on: {
            workflow_dispatch: {
                inputs: {
                    backup: {
                        description: 'Backup id, or latest',
                        type: 'string',
                        default: 'latest',
                        required: true,
                    },
                    target: {
                        description: 'Where to restore (a new database or path; no password in it)',
                        type: 'string',
                        required: true,
                    },
                    confirm: { description: confirmHelp, type: 'string', required: true },
                    overwrite: {
                        description: 'Replace existing data at the target',
                        type: 'boolean',
                        default: false,
                    },
                    'confirm-overwrite': {
                        description: 'With overwrite, type exactly: overwrite <target>',
                        type: 'string',
                        default: '',
                    },
                },
            },
        },
        permissions: { contents: 'read', actions: 'read' },
        jobs: {
            restore: {
                uses: reusable('restore.yml'),
                with: {
                    name: c.name,
                    destination: lines(c.destinations),
                    backup: expr('inputs.backup'),
                    target: expr('inputs.target'),
                    confirm: expr('inputs.confirm'),
                    overwrite: expr('inputs.overwrite'),
                    'confirm-overwrite': expr('inputs.confirm-overwrite'),
                    environment: c.environment,
                },
                ...(allSecrets.length ? { secrets: secretMap(allSecrets) } : {}),
            },
        },
    };
    const drillWith = {
        name: c.name,
        destination: lines(c.destinations),
        'postgres-image': '',
    };
    const targets = [];
    for (const s of c.sources) {
        const kind = sourceKind(s);
        // A kind no drill can restore (chroma+dir:) gets no target; the drill says so when it runs.
        const scratch = SCRATCH[kind];
        if (!scratch)
            continue;
        if (scratch.service)
            drillWith[scratch.service[0]] = scratch.service[1];
        const own = sourceName(s);
        const label = own ?? c.name;
        targets.push(c.sources.length > 1 ? `${own}=${scratch.target(label)}` : scratch.target(label));
    }
    drillWith['target'] = lines(targets);
    const drill = {
        name: `Lifeboat drill (${c.name})`,
        on: { schedule: [{ cron: drillCron }], workflow_dispatch: null },
        permissions: { contents: 'read', actions: 'read' },
        jobs: {
            drill: {
                uses: reusable('drill.yml'),
                with: drillWith,
                ...(storeSecrets.length ? { secrets: secretMap(storeSecrets) } : {}),
            },
        },
    };
    // The watchdog: a backup workflow that stops (disabled schedule, broken credentials, a
    // runner that never picks it up) fails no run of its own, so something else must notice.
    const status = {
        name: `Lifeboat status (${c.name})`,
        on: { schedule: [{ cron: statusCron }], workflow_dispatch: null },
        permissions: { contents: 'read', actions: 'write', issues: 'write' },
        jobs: {
            status: {
                uses: reusable('status.yml'),
                with: {
                    sets: c.name,
                    destination: lines(c.destinations),
                    // The backup's schedule, not this workflow's own.
                    schedule: backupCron,
                    'keep-alive': true,
                },
                ...(storeSecrets.length ? { secrets: secretMap(storeSecrets) } : {}),
            },
        },
    };
    const yaml = (doc) => (0,dist/* stringify */.As)(doc, { lineWidth: 0, nullStr: '' }).replace(/^(\s*workflow_dispatch):\s*$/m, '$1:');
    return [
        {
            file: 'lifeboat-backup.yml',
            about: `daily at ${String(c.hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} UTC`,
            text: header([
                `Written by \`lifeboat init\`: backs up ${c.name} every day at ${backupCron} (UTC; a random`,
                `minute keeps it out of the top-of-the-hour queue), keeps ${c.keepDaily} daily, ${c.keepWeekly} weekly and`,
                `${c.keepMonthly} monthly backups, and keeps this schedule alive (GitHub disables schedules after 60 quiet days).`,
                secretNote(allSecrets),
            ]) + yaml(backup),
        },
        {
            file: 'lifeboat-restore.yml',
            about: `manual, guarded, in environment ${c.environment}`,
            text: header([
                'Written by `lifeboat init`: a manual restore (Actions > Lifeboat restore > Run workflow).',
                `${confirmHelp}. The plan (which backup, its age and size, what is replaced)`,
                `is shown in the run's summary, and the restore waits in environment '${c.environment}':`,
                'give it required reviewers (Settings > Environments).',
                secretNote(allSecrets),
            ]) + yaml(restore),
        },
        {
            file: 'lifeboat-drill.yml',
            about: `weekly, Mondays at 05:${String(drillMinute).padStart(2, '0')} UTC`,
            text: header([
                'Written by `lifeboat init`: every Monday, restores the latest backup into a scratch server',
                'of this job and checks it against the backup manifest.',
                secretNote(storeSecrets),
            ]) + yaml(drill),
        },
        {
            file: 'lifeboat-status.yml',
            about: `every 6 hours at minute ${statusMinute}: opens an issue when a backup is late`,
            text: header([
                `Written by \`lifeboat init\`: every 6 hours, checks that the newest backup of ${c.name} is no older`,
                `than its schedule (${backupCron}) allows. A late backup fails this run and opens one issue, closed`,
                'again once a backup lands; it also keeps this schedule alive.',
                secretNote(storeSecrets),
            ]) + yaml(status),
        },
    ];
}
async function runInit(argv, io) {
    try {
        const flags = parseToolkitFlags('init', argv, FLAGS);
        if (flags['help']) {
            io.stdout(toolkitHelp('init', INIT_SUMMARY, 'lifeboat init --source <url> --destination <url> [--name <set>] [--force]', FLAGS) + '\n');
            return errors/* ExitCode */.yU.ok;
        }
        let sources = flags['source'] ?? [];
        let destinations = flags['destination'] ?? [];
        let name = flags['name'];
        if (!sources.length || !destinations.length) {
            if (!io.prompt) {
                throw new errors/* ConfigError */.xL(undefined, `init needs ${!sources.length ? '--source' : '--destination'}`, {
                    hint: 'e.g. lifeboat init --source postgres://app@db.example.com/app --destination s3://backups/app',
                });
            }
            if (!sources.length)
                sources = [
                    await io.prompt('Source URL (no password; e.g. postgres://app@db.example.com/app): '),
                ];
            if (!destinations.length)
                destinations = [await io.prompt('Destination URL (e.g. s3://backups/app): ')];
            name ??= (await io.prompt('Backup set name (empty: derived from the source): ')) || undefined;
        }
        sources = sources.map((s) => s.trim()).filter(Boolean);
        destinations = destinations.map((s) => s.trim()).filter(Boolean);
        if (!sources.length)
            throw new errors/* ConfigError */.xL(undefined, '--source is empty');
        if (!destinations.length)
            throw new errors/* ConfigError */.xL(undefined, '--destination is empty');
        for (const s of sources) {
            sourceKind(s, '--source');
            refuseInlinePassword(s, '--source');
            if (sources.length > 1 && !sourceName(s)) {
                throw new errors/* ConfigError */.xL(undefined, `--source ${s}: with several sources, name each one`, {
                    hint: 'write --source db=postgres://… --source files=dir:uploads',
                });
            }
        }
        for (const d of destinations) {
            storageScheme(d, '--destination');
            refuseInlinePassword(d, '--destination');
        }
        const options = (0,parse/* parseOptions */.Ac)({
            command: 'backup',
            source: sources,
            destination: destinations,
            ...(name ? { name } : {}),
        });
        const count = (flag, fallback) => {
            const v = flags[flag] ?? fallback;
            if (!/^\d+$/.test(v))
                throw new errors/* ConfigError */.xL(undefined, `--${flag} '${v}' is not a whole number`);
            return v;
        };
        const hour = Number(count('hour', '3'));
        if (hour > 23)
            throw new errors/* ConfigError */.xL(undefined, `--hour ${hour} is not an hour (0-23)`);
        const uses = flags['uses'] ?? 'lifeboat-backup/lifeboat@v1';
        if (!/^[\w.-]+\/[\w.-]+@[\w./-]+$/.test(uses)) {
            throw new errors/* ConfigError */.xL(undefined, `--uses '${uses}' is not owner/repo@ref`, {
                hint: 'e.g. --uses lifeboat-backup/lifeboat@v1',
            });
        }
        const environment = flags['environment'] ?? 'lifeboat-restore';
        const choices = {
            name: (0,backup/* backupSetName */.yF)(options),
            sources,
            destinations,
            keepDaily: count('keep-daily', '7'),
            keepWeekly: count('keep-weekly', '4'),
            keepMonthly: count('keep-monthly', '6'),
            hour,
            environment,
            uses,
        };
        const files = initWorkflows(choices);
        const dir = (0,external_node_path_.resolve)(io.cwd, flags['dir'] ?? '.github/workflows');
        const shown = (f) => (0,external_node_path_.relative)(io.cwd, (0,external_node_path_.join)(dir, f)) || f;
        const existing = files.filter((f) => (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, f.file)));
        if (existing.length && !flags['force']) {
            throw new errors/* ConfigError */.xL(undefined, `${existing.map((f) => shown(f.file)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`, {
                hint: 'pass --force to replace them (your changes to them are lost), or move them away first',
            });
        }
        await (0,promises_.mkdir)(dir, { recursive: true });
        for (const f of files)
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, f.file), f.text);
        const secrets = secretsFor(sources, destinations);
        io.stdout([
            'Wrote:',
            ...files.map((f) => `  ${shown(f.file)}  (${f.about})`),
            '',
            secrets.length
                ? `Create these repository secrets (Settings > Secrets and variables > Actions):\n${secrets.map((s) => `  ${s}`).join('\n')}`
                : 'No repository secrets needed.',
            '',
            `Create the environment '${environment}' (Settings > Environments) and give it required`,
            'reviewers: every restore waits for their approval after showing its plan.',
            '',
        ].join('\n'));
        return errors/* ExitCode */.yU.ok;
    }
    catch (err) {
        io.stderr(`error: ${describeForCli(err)}\n`);
        return (0,errors/* exitCodeFor */.Rr)(err);
    }
}

// EXTERNAL MODULE: ./build/src/retention/freshness.js
var freshness = __webpack_require__(10991);
// EXTERNAL MODULE: ./build/src/retention/policy.js
var policy = __webpack_require__(71428);
;// CONCATENATED MODULE: ./build/src/fleet/config.js
/**
 * `lifeboat.yml`: many backup sets with shared defaults, fanned out by `lifeboat plan` into a
 * GitHub Actions `strategy.matrix` (one parallel job per set; GitHub is the scheduler).
 *
 *   version: 1
 *   defaults:
 *     destination: s3://backups/prod
 *     keep-daily: 7
 *   sets:
 *     app:
 *       source: postgres://app@db.example.com/app
 *       password-secret: APP_PGPASSWORD
 *
 * Every error names the file, the line and the key, and says what would be right.
 */





/** Keys a set (and `defaults`) may have, and what they hold. */
const SET_KEYS = {
    source: 'lines',
    destination: 'lines',
    compression: 'string',
    schedule: 'lines',
    'keep-last': 'count',
    'keep-hourly': 'count',
    'keep-daily': 'count',
    'keep-weekly': 'count',
    'keep-monthly': 'count',
    'keep-yearly': 'count',
    'keep-within': 'string',
    'runs-on': 'string',
    'password-secret': 'string',
    notify: 'lines',
    'notify-on': 'string',
    'notify-secret': 'string',
};
const RETENTION_KEYS = [
    'keep-last',
    'keep-hourly',
    'keep-daily',
    'keep-weekly',
    'keep-monthly',
    'keep-yearly',
    'keep-within',
];
/** Parses and validates a fleet config; `file` names it in errors. */
function parseFleetConfig(text, file = 'lifeboat.yml') {
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    const at = (node) => node?.range ? `${file}:${lineCounter.linePos(node.range[0]).line}` : file;
    const fail = (node, key, message, hint) => {
        throw new errors/* ConfigError */.xL(undefined, `${at(node)}: ${key}: ${message}`, hint ? { hint } : undefined);
    };
    const first = doc.errors[0];
    if (first) {
        const line = lineCounter.linePos(first.pos[0]).line;
        throw new errors/* ConfigError */.xL(undefined, `${file}${line ? `:${line}` : ''}: not valid YAML: ${first.message.split('\n')[0]}`);
    }
    const root = doc.contents;
    if (!(0,dist/* isMap */.jh)(root))
        fail(root, '(top level)', 'must be a mapping with `version: 1` and `sets:`');
    const rootMap = root;
    for (const pair of rootMap.items) {
        const key = String(pair.key?.value ?? pair.key);
        if (!['version', 'defaults', 'sets'].includes(key)) {
            fail(pair.key, key, 'unknown top-level key', 'the top level holds version, defaults and sets');
        }
    }
    const version = rootMap.get('version', true);
    if (!version || version.value !== 1) {
        fail(version ?? rootMap, 'version', 'must be 1', 'start the file with `version: 1`');
    }
    const defaultsNode = rootMap.get('defaults', true);
    const defaults = defaultsNode ? readSetFields(defaultsNode, 'defaults') : {};
    const setsNode = rootMap.get('sets', true);
    if (!setsNode || !(0,dist/* isMap */.jh)(setsNode) || setsNode.items.length === 0) {
        fail(setsNode ?? rootMap, 'sets', 'must map each set name to its settings', 'e.g. `sets:\\n  app:\\n    source: postgres://app@db/app`');
    }
    const sets = [];
    for (const pair of setsNode.items) {
        const name = String(pair.key.value);
        const key = `sets.${name}`;
        if (!/^[A-Za-z0-9][\w.-]{0,99}$/.test(name)) {
            fail(pair.key, key, 'a set name is letters, digits, `.`, `_` and `-`');
        }
        const own = pair.value ? readSetFields(pair.value, key) : {};
        const merged = { ...defaults, ...own };
        const where = (field) => (own[field] ? own[field].node : defaults[field]?.node) ?? pair.key;
        const keyOf = (field) => (own[field] ? `${key}.${field}` : `defaults.${field}`);
        const lines = (field) => merged[field]?.lines ?? [];
        const check = (field, fn) => {
            try {
                fn();
            }
            catch (err) {
                if (err instanceof errors/* ConfigError */.xL)
                    fail(where(field), keyOf(field), err.message.replace(/^[\w-]+: /, ''), err.hint);
                throw err;
            }
        };
        if (!lines('source').length)
            fail(pair.key, `${key}.source`, 'missing: every set needs a source URL');
        if (!lines('destination').length) {
            fail(pair.key, `${key}.destination`, 'missing', 'give the set a destination, or put one in defaults');
        }
        for (const s of lines('source')) {
            check('source', () => {
                sourceKind(s);
                refuseInlinePassword(s, 'source');
            });
        }
        for (const d of lines('destination')) {
            check('destination', () => {
                storageScheme(d);
                refuseInlinePassword(d, 'destination');
            });
        }
        const compression = merged.compression?.lines[0];
        if (compression && !['zstd', 'gzip', 'none'].includes(compression)) {
            fail(where('compression'), keyOf('compression'), `'${compression}' is not zstd, gzip or none`);
        }
        check('schedule', () => (0,freshness/* checkSchedule */.qB)(lines('schedule'), new Date()));
        const retention = {};
        for (const k of RETENTION_KEYS)
            if (merged[k])
                retention[k] = merged[k].lines[0];
        for (const k of RETENTION_KEYS) {
            if (!merged[k])
                continue;
            check(k, () => (0,policy/* parseRetentionPolicy */.M$)({
                [k]: k === 'keep-within' ? retention[k] : Number(retention[k]),
            }));
        }
        const secretName = (field) => {
            const name = merged[field]?.lines[0];
            if (name && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
                fail(where(field), keyOf(field), `'${name}' is not a secret name`, 'secret names are letters, digits and _');
            }
            return name;
        };
        const secret = secretName('password-secret');
        const notifySecret = secretName('notify-secret');
        // lifeboat.yml is committed: only targets that are not secrets may be written in it.
        for (const target of lines('notify')) {
            if (!/^github-issue(=[\w.-]+\/[\w.-]+)?$/.test(target)) {
                fail(where('notify'), keyOf('notify'), /^(\w+=)?https?:\/\//i.test(target)
                    ? 'a webhook URL is a secret and this file is committed'
                    : `'${target}' is not github-issue or github-issue=owner/repo`, 'put webhook URLs (one per line) in a repository secret and name it in notify-secret');
            }
        }
        const notifyOn = merged['notify-on']?.lines[0];
        if (notifyOn && !['failure', 'always', 'change'].includes(notifyOn)) {
            fail(where('notify-on'), keyOf('notify-on'), `'${notifyOn}' is not failure, always or change`);
        }
        sets.push({
            set: name,
            source: lines('source'),
            destination: lines('destination'),
            ...(compression ? { compression } : {}),
            schedule: lines('schedule'),
            retention,
            runsOn: merged['runs-on']?.lines[0] ?? 'ubuntu-latest',
            ...(secret ? { passwordSecret: secret } : {}),
            notify: lines('notify'),
            ...(notifyOn ? { notifyOn } : {}),
            ...(notifySecret ? { notifySecret } : {}),
        });
    }
    return { sets };
    function readSetFields(node, key) {
        if (!(0,dist/* isMap */.jh)(node))
            return fail(node, key, 'must be a mapping of settings', `e.g. ${key}:\\n  source: …`);
        const out = {};
        for (const pair of node.items) {
            const field = String(pair.key.value);
            const value = pair.value;
            if (!(field in SET_KEYS)) {
                const near = nearestKey(field);
                fail(pair.key, `${key}.${field}`, 'unknown key', near ? `did you mean ${near}?` : `a set takes ${Object.keys(SET_KEYS).join(', ')}`);
            }
            const kind = SET_KEYS[field];
            const js = value && 'toJSON' in value ? value.toJSON() : value;
            let lines;
            if (Array.isArray(js) && kind === 'lines')
                lines = js.map(String);
            else if (typeof js === 'string' || typeof js === 'number')
                lines = String(js).split('\n');
            else {
                return fail(value ?? pair.key, `${key}.${field}`, kind === 'lines' ? 'must be a string or a list of strings' : 'must be a single value');
            }
            lines = lines.map((l) => l.trim()).filter((l) => l !== '');
            if (kind === 'count' && !(lines.length === 1 && /^\d+$/.test(lines[0]))) {
                fail(value ?? pair.key, `${key}.${field}`, `'${String(js)}' is not a whole number`);
            }
            out[field] = { lines, node: value ?? pair.key };
        }
        return out;
    }
}
function nearestKey(word) {
    let best;
    let bestDistance = 3;
    for (const key of Object.keys(SET_KEYS)) {
        const d = distance(word, key);
        if (d < bestDistance)
            [best, bestDistance] = [key, d];
    }
    return best;
}
function distance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}
/** One matrix entry per set: the keys the fleet workflow reads as `matrix.<key>`. */
function fleetMatrix(config, only) {
    const chosen = only?.length ? config.sets.filter((s) => only.includes(s.set)) : config.sets;
    if (only?.length) {
        const missing = only.filter((n) => !config.sets.some((s) => s.set === n));
        if (missing.length) {
            throw new errors/* ConfigError */.xL(undefined, `no set named ${missing.join(', ')} in the config`, {
                hint: `the sets are ${config.sets.map((s) => s.set).join(', ')}`,
            });
        }
    }
    return {
        include: chosen.map((s) => ({
            set: s.set,
            source: s.source.join('\n'),
            destination: s.destination.join('\n'),
            compression: s.compression ?? 'zstd',
            schedule: s.schedule.join('\n'),
            'keep-last': s.retention['keep-last'] ?? '',
            'keep-hourly': s.retention['keep-hourly'] ?? '',
            'keep-daily': s.retention['keep-daily'] ?? '',
            'keep-weekly': s.retention['keep-weekly'] ?? '',
            'keep-monthly': s.retention['keep-monthly'] ?? '',
            'keep-yearly': s.retention['keep-yearly'] ?? '',
            'keep-within': s.retention['keep-within'] ?? '',
            'runs-on': s.runsOn,
            'password-secret': s.passwordSecret ?? '',
            notify: s.notify.join('\n'),
            'notify-on': s.notifyOn ?? 'failure',
            'notify-secret': s.notifySecret ?? '',
        })),
    };
}

;// CONCATENATED MODULE: ./build/src/cli/plan.js






const PLAN_SUMMARY = 'print a lifeboat.yml fleet config as a JSON matrix for strategy.matrix';
const plan_FLAGS = [
    { name: 'config', type: 'string', help: 'the fleet config (default: lifeboat.yml)' },
    { name: 'set', type: 'lines', help: 'only this set (repeatable)' },
    {
        name: 'pretty',
        type: 'boolean',
        help: 'indent the JSON (default: one line, for $GITHUB_OUTPUT)',
    },
    { name: 'help', type: 'boolean', help: 'show this help' },
];
/**
 * `lifeboat plan`: one matrix entry per set, so one workflow backs up every set as parallel
 * jobs (`strategy.matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}`). Prints only the JSON
 * on stdout; errors name the config's line and key, exit 2.
 */
async function runPlan(argv, io) {
    try {
        const flags = parseToolkitFlags('plan', argv, plan_FLAGS);
        if (flags['help']) {
            io.stdout(toolkitHelp('plan', PLAN_SUMMARY, 'lifeboat plan [--config lifeboat.yml] [--set name ...]', plan_FLAGS) + '\n');
            return errors/* ExitCode */.yU.ok;
        }
        const file = flags['config'] ?? 'lifeboat.yml';
        let text;
        try {
            text = await (0,promises_.readFile)((0,external_node_path_.resolve)(io.cwd, file), 'utf8');
        }
        catch (err) {
            throw new errors/* ConfigError */.xL(undefined, `cannot read ${file}: ${err.message}`, {
                hint: 'write a fleet config (see the README, "Fleets") or pass --config <path>',
            });
        }
        const matrix = fleetMatrix(parseFleetConfig(text, file), flags['set']);
        io.stdout(JSON.stringify(matrix, null, flags['pretty'] ? 2 : undefined) + '\n');
        return errors/* ExitCode */.yU.ok;
    }
    catch (err) {
        io.stderr(`error: ${describeForCli(err)}\n`);
        return (0,errors/* exitCodeFor */.Rr)(err);
    }
}

// EXTERNAL MODULE: ./build/src/core/progress.js
var progress = __webpack_require__(83642);
;// CONCATENATED MODULE: ./build/src/cli/status-line.js

/**
 * The CLI's live progress line on an interactive terminal: one `\r`-rewritten line on stderr
 * showing every phase in flight. Log lines call clear() first so they never mix with it.
 */
class StatusLine {
    #options;
    #now;
    #every;
    #interval;
    #active = new Set();
    #shown = false;
    #lastDraw = -Infinity;
    #cancelTimer;
    constructor(options) {
        this.#options = options;
        this.#now = options.now ?? Date.now;
        this.#every = options.every ?? progress/* realEvery */._4;
        this.#interval = options.intervalMs ?? 250;
    }
    start(label, start = {}) {
        const task = {
            label,
            start,
            t0: this.#now(),
            base: start.read?.() ?? 0,
            counted: 0,
        };
        this.#active.add(task);
        // A timer too, so a stalled phase still shows its time passing.
        this.#cancelTimer ??= this.#every(() => this.#draw(false), 1000);
        return {
            add: (n) => {
                task.counted += n;
                this.#draw(false);
            },
            end: () => {
                if (!this.#active.delete(task))
                    return;
                if (this.#active.size === 0) {
                    this.#cancelTimer?.();
                    this.#cancelTimer = undefined;
                    this.clear();
                }
                else
                    this.#draw(true);
            },
        };
    }
    /** Erases the line (before a log line is written); the next update draws it again. */
    clear() {
        if (!this.#shown)
            return;
        this.#options.write('\r\x1b[K');
        this.#shown = false;
    }
    #draw(force) {
        const t = this.#now();
        if (!force && t - this.#lastDraw < this.#interval)
            return;
        this.#lastDraw = t;
        const text = [...this.#active]
            .map((a) => (0,progress/* formatProgress */.Vu)({
            label: a.label,
            bytes: a.start.read ? a.start.read() - a.base : a.counted,
            total: a.start.total,
            elapsedMs: t - a.t0,
        }))
            .join(' | ');
        const width = Math.max(20, this.#options.columns() - 1);
        const fitted = text.length > width ? `${text.slice(0, width - 1)}…` : text;
        this.#options.write(`\r\x1b[K${fitted}`);
        this.#shown = true;
    }
}

;// CONCATENATED MODULE: ./build/src/cli/main.js

















const defaultIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY,
    columns: () => process.stderr.columns || 80,
};
/** Runs the CLI and returns its exit code; never throws. */
async function main(argv, io = defaultIo) {
    const redactor = new core_log/* Redactor */.pO();
    // Known before parsing, so a usage error is reported as JSON too.
    const json = argv.includes('--json');
    // Without a terminal (or with --json) progress goes to the log as a line every 30 s.
    const statusLine = io.stderrIsTTY && !json
        ? new StatusLine({
            write: (t) => io.stderr(redactor.redact(t)),
            columns: io.columns ?? (() => 80),
        })
        : undefined;
    const line = (text) => {
        statusLine?.clear();
        io.stderr(text);
    };
    const log = (0,core_log/* redactingLogger */.S)({
        info: (m) => line(`${asFlags(m)}\n`),
        warn: (m) => line(`warning: ${asFlags(m)}\n`),
        error: (m) => line(`error: ${asFlags(m)}\n`),
        debug: (m) => (io.env['LIFEBOAT_DEBUG'] ? line(`debug: ${asFlags(m)}\n`) : undefined),
    }, redactor);
    let report;
    // The toolkit commands write files, not backups: their flags are their own.
    const [first, second] = argv;
    if (first === 'init')
        return runInit(argv.slice(1), io);
    if (first === 'plan')
        return runPlan(argv.slice(1), io);
    if (first === 'help' && (second === 'init' || second === 'plan')) {
        return (second === 'init' ? runInit : runPlan)(['--help'], io);
    }
    try {
        const args = parseArgs(argv, io.env);
        for (const spec of schema/* OPTIONS */.lw) {
            const v = args.raw[spec.name];
            const text = Array.isArray(v) ? v.join('\n') : typeof v === 'string' ? v : '';
            for (const form of (0,schema/* secretForms */.eo)(spec, text))
                redactor.add(form);
        }
        if (args.version) {
            io.stdout(`${version/* VERSION */.x}\n`);
            return errors/* ExitCode */.yU.ok;
        }
        if (args.help || argv.length === 0) {
            io.stdout(`${args.helpFor ? commandHelp(args.helpFor) : generalHelp(version/* VERSION */.x)}\n`);
            return errors/* ExitCode */.yU.ok;
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
            version: version/* VERSION */.x,
            ...(statusLine ? { progress: statusLine } : {}),
            signal: io.signal,
            tmpRoot: (0,temp/* tempRootFor */.I0)(io.env),
        };
        if (args.extraCommand === 'demo')
            return await runDemo(ctx, io);
        const options = (0,parse/* parseOptions */.Ac)(args.raw);
        report = new report_report/* RunReport */.e(options.command);
        await (0,run/* runCommand */.d1)(options, ctx, report);
        printResult(report, json, io, redactor);
        return errors/* ExitCode */.yU.ok;
    }
    catch (err) {
        const code = (0,errors/* exitCodeFor */.Rr)(err);
        const message = describeForCli(err);
        if (report) {
            report.error = message;
            printResult(report, json, io, redactor, (0,run/* errorKindOf */.AI)(err));
        }
        else if (json) {
            const body = { ok: false, error: message, 'error-kind': (0,run/* errorKindOf */.AI)(err) };
            io.stdout(redactor.redact(JSON.stringify(body, null, 2)) + '\n');
        }
        log.error(message);
        if (code === errors/* ExitCode */.yU.failure && !(err instanceof Error && 'kind' in err)) {
            log.debug(err?.stack ?? String(err));
        }
        return code;
    }
}
function printResult(report, json, io, redactor, kind = 'none') {
    if (json) {
        const body = {
            ok: !report.error,
            command: report.command,
        };
        if (report.error)
            body['error'] = report.error;
        body['error-kind'] = kind;
        // The list is given once, as structured data; outputs.backups is the same list as a string.
        const { backups: _listed, ...outputs } = report.outputs;
        body['outputs'] = report.command === 'list' ? outputs : report.outputs;
        if (report.command === 'list')
            body['backups'] = report.backups;
        if (report.destinations.length)
            body['destinations'] = report.destinations;
        if (report.notifications.length)
            body['notifications'] = report.notifications;
        // A restore's safety backups are runs of their own: each named apart, with its own result.
        if (report.safetyBackups.length) {
            body['safetyBackups'] = report.safetyBackups.map((s) => ({
                ok: !s.error,
                ...(s.error ? { error: s.error } : {}),
                set: s.name,
                'backup-id': s.backupId,
                size: s.size,
                sha256: s.sha256,
                destinations: s.destinations,
            }));
        }
        io.stdout(redactor.redact(JSON.stringify(body, null, 2)) + '\n');
        return;
    }
    if (report.command === 'list' && !report.error) {
        io.stdout((0,summary/* renderBackupTable */.fr)(report, 'text') + '\n');
        return;
    }
    io.stdout(redactor.redact((0,summary/* renderSummary */.Br)(report)) + '\n');
}
/** Engine log lines name options as references; here they read as flags. */
function asFlags(line) {
    return (0,option_ref/* renderOptionRefs */.Qm)(line, cliSyntax);
}


/***/ })

};
