export const id = 233;
export const ids = [233];
export const modules = {

/***/ 41233:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mysqlDriver: () => (/* binding */ mysqlDriver)
});

// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/sources/mysql/connection.js
var connection = __webpack_require__(76881);
// EXTERNAL MODULE: ./build/src/core/process.js
var core_process = __webpack_require__(15816);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
;// CONCATENATED MODULE: ./build/src/sources/mysql/dump-scan.js
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

;// CONCATENATED MODULE: ./build/src/sources/mysql/inventory.js
/** What a database holds: tables with exact row counts, views, routines, triggers and events. */

async function liveInventory(conn, db) {
    const { baseTables, objects } = await listObjects(conn, db);
    const out = [];
    for (const t of baseTables) {
        const [r] = await (0,connection/* queryRows */.Ym)(conn, `SELECT COUNT(*) AS c FROM ${(0,connection/* ident */.bD)(db)}.${(0,connection/* ident */.bD)(t)}`);
        out.push({ name: `${db}.${t}`, rows: Number(r.c) });
    }
    return { tables: out, objects };
}
/** Names only, from information_schema: never waits on a table lock. */
async function listObjects(conn, db) {
    const tables = await (0,connection/* queryRows */.Ym)(conn, 'SELECT TABLE_NAME AS n, TABLE_TYPE AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [db]);
    const names = async (sql) => (await (0,connection/* queryRows */.Ym)(conn, sql, [db])).map((r) => r.n);
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
    const [r] = await (0,connection/* queryRows */.Ym)(conn, `SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS c`, [db, db, db]);
    return Number(r.c) === 0;
}
async function databaseExists(conn, db) {
    return ((await (0,connection/* queryRows */.Ym)(conn, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]))
        .length > 0);
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./build/src/sources/types.js
var types = __webpack_require__(97145);
;// CONCATENATED MODULE: ./build/src/sources/mysql/tools.js
/** The MySQL / MariaDB client tools: finding the one matching the server, running it with credentials on a pipe. */







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
function serverInfo(version, comment = '') {
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
        throw new errors/* ConfigError */.xL('source', `cannot dump ${server.flavour} ${server.version}: ${why} (found: ${found})`, {
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
async function run(cmd, args, ctx) {
    try {
        const stdout = await (0,core_process/* runProcess */.R3)({
            tool: (0,external_node_path_.basename)(cmd),
            command: cmd,
            args,
            env: childEnv(ctx),
            stderr: 'ignore',
            signal: ctx.signal,
        });
        return { code: 0, stdout };
    }
    catch {
        return { code: -1, stdout: '' };
    }
}
/** The tools' environment: PATH and locale only, so no MYSQL_PWD or MYSQL_HOST leaks in. */
function childEnv(ctx) {
    const env = { PATH: ctx.env.PATH ?? process.env.PATH ?? '' };
    for (const k of ['LANG', 'LC_ALL', 'HOME', 'TZ'])
        if (ctx.env[k] !== undefined)
            env[k] = ctx.env[k];
    return env;
}
function optionValue(v) {
    return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
/** The connection settings as an option file's text; it reaches the tool only through a pipe. */
function optionText(target) {
    const lines = ['[client]', `user=${optionValue(target.user)}`];
    if (target.password !== undefined)
        lines.push(`password=${optionValue(target.password)}`);
    if (target.socket)
        lines.push(`socket=${optionValue(target.socket)}`);
    else
        lines.push(`host=${optionValue(target.host)}`, `port=${target.port}`, 'protocol=TCP');
    return lines.join('\n') + '\n';
}
/**
 * Node hands children sockets, which /dev/fd/N cannot open, so sh turns the options (passed in
 * its environment, then unset) into a here-document on fd 3 (a pipe in dash, bash and ash) and
 * execs the tool in its place: the password never touches disk nor any command line, and the
 * tool is the process the runner signals.
 */
const WITH_OPTIONS_ON_FD3 = 'o=$LIFEBOAT_MYSQL_OPTIONS; unset LIFEBOAT_MYSQL_OPTIONS; exec "$0" --defaults-extra-file=/dev/fd/3 "$@" 3<<LIFEBOAT_EOF\n$o\nLIFEBOAT_EOF\n';
function startClient(tool, args, options, stdio, ctx) {
    return (0,core_process/* startProcess */.kp)({
        tool: (0,external_node_path_.basename)(tool),
        command: 'sh',
        args: ['-c', WITH_OPTIONS_ON_FD3, tool, ...args],
        env: { ...childEnv(ctx), LIFEBOAT_MYSQL_OPTIONS: options },
        ...stdio,
        signal: ctx.signal,
        redact: (t) => ctx.redactor.redact(t),
    });
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
async function runClient(client, options, database, body, sourceName, manifest, ctx) {
    const args = [
        '--binary-mode',
        '--default-character-set=utf8mb4',
        '--max-allowed-packet=1G',
        `--database=${database}`,
    ];
    const run = startClient(client.path, args, options, { stdin: 'pipe', stdout: 'ignore' }, ctx);
    const { child, exited } = run;
    const stdin = run.stdin;
    const scan = new SqlDumpScan();
    const stripSandbox = client.flavour === 'mysql';
    try {
        for await (const chunk of forClient(body, stripSandbox)) {
            scan.update(chunk);
            if (child.exitCode !== null)
                break;
            if (!stdin.write(chunk))
                await Promise.race([new Promise((r) => stdin.once('drain', r)), exited]);
        }
    }
    catch (err) {
        run.stop();
        await exited;
        throw err;
    }
    if (!scan.complete && child.exitCode === null) {
        run.stop();
        await exited;
        throw new errors/* IntegrityError */.cs(`mysql: the dump of '${sourceName}' ends without its '-- Dump completed' trailer`);
    }
    stdin.end();
    const status = await exited;
    if (status.code !== 0) {
        if (run.aborted)
            throw run.failure(status);
        const code = (0,core_process/* describeExit */.KE)(status, run.tool);
        const text = run.stderrTail();
        const flavour = (0,types/* detailsOf */.cz)(manifest, 'mysql').flavour;
        const crossFlavour = flavour && flavour !== client.flavour;
        throw new errors/* SourceError */.c8(`mysql: restoring '${sourceName}' into '${database}' failed (${code}): ${text || 'no message'}`, {
            hint: /Unknown collation|utf8mb4_0900/i.test(text)
                ? 'the dump uses MySQL 8 collations this server does not know; restore into MySQL 8+, or convert the collations first'
                : /DEFINER|SUPER|SET_USER_ID|SYSTEM_USER/i.test(text)
                    ? 'views, routines and triggers keep their DEFINER; restore as a user with SET_USER_ID/SUPER, or create the definer account first'
                    : crossFlavour
                        ? `the backup comes from ${flavour}; restore it into the same flavour`
                        : undefined,
        });
    }
}

// EXTERNAL MODULE: ./build/src/sources/mysql/url.js
var mysql_url = __webpack_require__(12512);
;// CONCATENATED MODULE: ./build/src/sources/mysql/dump.js
/** Backup: one consistent dump per database into its member `<db>.sql`. */









/** Member name of a database's dump. */
function memberFor(db) {
    return `${encodeURIComponent(db)}.sql`;
}
function databasesOption(ctx) {
    return (ctx.options.databases ?? []).map((s) => s.trim()).filter(Boolean);
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
        const conn = await (0,connection.connect)(this.target, 'source', ctx);
        let databases;
        let server;
        const objects = {};
        try {
            const [v] = await (0,connection/* queryRows */.Ym)(conn, 'SELECT VERSION() AS v, @@version_comment AS c');
            server = serverInfo(v.v, v.c);
            const schemata = await (0,connection/* queryRows */.Ym)(conn, 'SELECT SCHEMA_NAME AS n, DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME');
            const chosen = databasesOption(ctx);
            if (chosen.length && this.target.database) {
                throw new errors/* ConfigError */.xL('databases', `the source URL already names database '${this.target.database}'`, {
                    hint: 'name the databases either in the URL path or in the databases option, not both',
                });
            }
            const wanted = chosen.length
                ? chosen
                : this.target.database
                    ? [this.target.database]
                    : schemata.map((s) => s.n).filter((n) => !mysql_url/* SYSTEM_SCHEMAS */.X.includes(n));
            const missing = wanted.filter((w) => !schemata.some((s) => s.n === w));
            if (missing.length) {
                // Found only by asking the server, so operational like a refused connection (exit 1).
                throw new errors/* SourceError */.c8(`${chosen.length ? 'databases' : 'source'}: database ${missing.map((m) => `'${m}'`).join(', ')} does not exist on ${this.displayUrl}`, {
                    hint: `check the ${chosen.length ? 'databases option' : 'database name in the source URL'}; existing databases: ${schemata
                        .map((s) => s.n)
                        .filter((n) => !mysql_url/* SYSTEM_SCHEMAS */.X.includes(n))
                        .join(', ') || '(none)'}`,
                });
            }
            if (!wanted.length)
                throw new errors/* ConfigError */.xL('source', `${this.displayUrl} has no user databases to back up`);
            databases = wanted.map((n) => {
                const s = schemata.find((x) => x.n === n);
                return { name: n, member: memberFor(n), charset: s.cs, collation: s.co };
            });
            for (const db of databases)
                objects[db.name] = (await listObjects(conn, db.name)).objects;
        }
        catch (err) {
            await conn.end().catch(() => { });
            if (err instanceof errors/* ConfigError */.xL || err instanceof errors/* SourceError */.c8)
                throw err;
            throw (0,connection/* classify */.L8)(err, 'source', this.target, ctx);
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
        const options = optionText(this.target);
        for (const db of databases) {
            ctx.log.info(`mysql: dumping ${db.name} with ${client.path} (${client.flavour} ${client.version})`);
            const scan = await this.dumpOne(db, client.path, args, options, sink, ctx);
            for (const [t, rows] of scan.rows)
                tables.push({ name: `${db.name}.${t}`, rows });
            ctx.log.info(`mysql: ${db.name}: ${scan.rows.size} tables, ${(0,log/* formatBytes */.z3)(scan.bytes)}`);
        }
        const inventory = { tables, extra: { objects } };
        const details = {
            flavour: server.flavour,
            serverVersion: server.version,
            databases,
            dumpTool: `${client.flavour} ${client.version}`,
        };
        return { versions, inventory, details };
    }
    async dumpOne(db, tool, extra, options, sink, ctx) {
        const args = [
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
        const child = startClient(tool, args, options, { stdin: 'ignore', stdout: 'pipe' }, ctx);
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
                child.stop();
            }
            const status = await child.exited;
            if (status.code !== 0) {
                if (child.aborted)
                    throw child.failure(status);
                const text = child.stderrTail();
                throw new errors/* SourceError */.c8(`mysql: the dump of ${label} failed (${(0,core_process/* describeExit */.KE)(status, child.tool)}): ${text || 'no message'}`, {
                    hint: /Lost connection|gone away|2013|Killed|2006/i.test(text)
                        ? 'the server closed the connection during the dump (restart, kill, wait_timeout or max_allowed_packet); run the backup again'
                        : /insufficient privileges|Access denied|command denied/i.test(text)
                            ? 'the backup user needs SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK TABLES on the databases, and to read routine bodies: SHOW_ROUTINE (MySQL 8.0.20+), SHOW CREATE ROUTINE (MariaDB 11.3+) or SELECT on mysql.proc (older MariaDB)'
                            : undefined,
                });
            }
            if (!scan.complete) {
                throw new errors/* SourceError */.c8(`mysql: the dump of ${label} ends without its '-- Dump completed' trailer: it is incomplete`);
            }
        }
        try {
            await sink.addFile(db.member, external_node_stream_.Readable.from(body()), { mode: 0o600 });
        }
        finally {
            child.stop();
            await child.exited;
        }
        return scan;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./build/src/sources/staging.js
var staging = __webpack_require__(80269);
;// CONCATENATED MODULE: ./build/src/sources/mysql/move.js

/** The table in a staged database that says who staged it (dropped before the commit moves anything). */
const MARKER_TABLE = '_lifeboat_staging';
const ident = (name) => `\`${name.replace(/`/g, '``')}\``;
async function rows(conn, sql, params = []) {
    const [r] = await conn.query(sql, params);
    return r;
}
async function showCreate(conn, kind, name) {
    const [row] = await rows(conn, `SHOW CREATE ${kind.toUpperCase()} ${ident(name)}`);
    const key = Object.keys(row ?? {}).find((k) => /^(Create|SQL Original Statement)/i.test(k));
    const sql = key ? row[key] : undefined;
    if (!sql)
        throw new Error(`SHOW CREATE ${kind.toUpperCase()} ${name} returned no definition`);
    return { kind, name, sql, sqlMode: row['sql_mode'] };
}
/** Every object of `db` that is not a table, with its definition. */
async function definitions(conn, db) {
    await conn.query(`USE ${ident(db)}`);
    const names = async (sql) => (await rows(conn, sql, [db])).map((r) => r);
    const out = [];
    for (const r of await names('SELECT ROUTINE_NAME AS n, ROUTINE_TYPE AS k FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY 1'))
        out.push(await showCreate(conn, r.k === 'FUNCTION' ? 'function' : 'procedure', r.n));
    for (const r of await names('SELECT TABLE_NAME AS n FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1'))
        out.push(await showCreate(conn, 'view', r.n));
    for (const r of await names('SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY ACTION_ORDER'))
        out.push(await showCreate(conn, 'trigger', r.n));
    for (const r of await names('SELECT EVENT_NAME AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1'))
        out.push(await showCreate(conn, 'event', r.n));
    return out;
}
async function create(conn, d, from) {
    if (d.sqlMode !== undefined)
        await conn.query('SET SESSION sql_mode = ?', [d.sqlMode]);
    // A definition that still names the source database explicitly would point back at it.
    await conn.query(d.sql.replaceAll(`${ident(from)}.`, ''));
}
/**
 * Moves everything in `from` into `to` (an existing, empty database). On failure part of it may
 * have moved; the caller says where the data is.
 */
async function moveDatabaseContent(conn, from, to) {
    const [mode] = await rows(conn, 'SELECT @@SESSION.sql_mode AS m');
    const defs = await definitions(conn, from);
    const tables = (await rows(conn, "SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE <> 'VIEW' ORDER BY 1", [from])).map((r) => r.n);
    // Tables with triggers cannot change schema; views and routines cannot at all.
    for (const d of defs)
        await conn.query(`DROP ${d.kind.toUpperCase()} ${ident(d.name)}`);
    if (tables.length) {
        await conn.query(`RENAME TABLE ${tables.map((t) => `${ident(from)}.${ident(t)} TO ${ident(to)}.${ident(t)}`).join(', ')}`);
    }
    await conn.query(`USE ${ident(to)}`);
    try {
        // Views may use other views: create what can be created, again, until nothing is left.
        let pending = defs.filter((d) => d.kind !== 'trigger' && d.kind !== 'event');
        while (pending.length) {
            const failed = [];
            let lastError;
            for (const d of pending) {
                try {
                    await create(conn, d, from);
                }
                catch (err) {
                    failed.push(d);
                    lastError = err;
                }
            }
            if (failed.length === pending.length)
                throw lastError;
            pending = failed;
        }
        for (const d of defs)
            if (d.kind === 'trigger' || d.kind === 'event')
                await create(conn, d, from);
    }
    finally {
        await conn.query('SET SESSION sql_mode = ?', [mode.m]);
    }
}
async function writeMarker(conn, db, marker) {
    await conn.query(`CREATE TABLE ${ident(db)}.${ident(MARKER_TABLE)} (marker TEXT NOT NULL)`);
    await conn.query(`INSERT INTO ${ident(db)}.${ident(MARKER_TABLE)} VALUES (?)`, [
        JSON.stringify(marker),
    ]);
}
async function dropMarker(conn, db) {
    await conn.query(`DROP TABLE IF EXISTS ${ident(db)}.${ident(MARKER_TABLE)}`);
}
/** Drops staged databases an interrupted restore left on this server, when provably abandoned. */
async function dropAbandonedStaging(conn, log) {
    const staged = await rows(conn, 'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE INSTR(SCHEMA_NAME, ?) > 0', [staging/* STAGED_INFIX */.Sn]);
    for (const { n } of staged) {
        let text;
        try {
            const [r] = await rows(conn, `SELECT marker FROM ${ident(n)}.${ident(MARKER_TABLE)} LIMIT 1`);
            text = r?.marker;
        }
        catch {
            continue; // no marker: not provably ours
        }
        const why = (0,staging/* abandonedBecause */.f3)((0,staging/* parseMarker */.gY)(text));
        if (!why)
            continue;
        log(`dropping the staged database '${n}' an interrupted restore left: ${why}`);
        await conn.query(`DROP DATABASE IF EXISTS ${ident(n)}`);
    }
}

;// CONCATENATED MODULE: ./build/src/sources/mysql/restore.js
/** Restore: stage each database into a new one beside the target, then swap it in on commit. */










function targetUrlFor(request, db) {
    const u = new URL(request.target);
    u.pathname = `/${encodeURIComponent(db)}`;
    return u.toString();
}
async function stageInto(members, request, ctx) {
    const target = (0,mysql_url.parseMysqlUrl)(request.target, 'target', ctx.env);
    const dumped = (0,types/* detailsOf */.cz)(request.manifest, 'mysql').databases ?? [];
    if (!dumped.length)
        throw new errors/* IntegrityError */.cs('mysql: the manifest lists no dumped databases');
    // Which dumped database goes where.
    const plan = new Map();
    if (target.database) {
        const only = databasesOption(ctx).filter((d) => dumped.some((x) => x.name === d));
        const source = dumped.length === 1 ? dumped[0].name : only.length === 1 ? only[0] : undefined;
        if (!source) {
            throw new errors/* ConfigError */.xL('target', `the backup holds databases ${dumped.map((d) => d.name).join(', ')}; a target naming '${target.database}' can take only one`, {
                hint: 'leave the database out of the target URL to restore each under its own name, or pick one with the databases option',
            });
        }
        plan.set(source, target.database);
    }
    else
        for (const d of dumped)
            plan.set(d.name, d.name);
    const conn = await (0,connection.connect)(target, 'target', ctx);
    const prepared = [];
    try {
        const [v] = await (0,connection/* queryRows */.Ym)(conn, 'SELECT VERSION() AS v, @@version_comment AS c');
        const server = serverInfo(v.v, v.c);
        for (const to of plan.values())
            await refuseNonEmpty(conn, to, request.overwrite, target);
        await dropAbandonedStaging(conn, (line) => ctx.log.info(`mysql: ${line}`));
        const { client } = await findClient(server, ctx, 'client');
        for (const [from, to] of plan) {
            const facts = dumped.find((d) => d.name === from);
            const staged = (0,staging/* stagedName */.wp)(to, 64);
            await conn.query(`CREATE DATABASE ${(0,connection/* ident */.bD)(staged)} CHARACTER SET ${facts.charset} COLLATE ${facts.collation}`);
            prepared.push({ from: facts, to, staged });
            await writeMarker(conn, staged, (0,staging/* stagingMarker */.W2)(to));
        }
        const options = optionText(target);
        const byMember = new Map(prepared.map((p) => [p.from.member, p]));
        const restored = new Set();
        for await (const entry of members) {
            const job = byMember.get(entry.path);
            if (!job || !entry.body || restored.has(entry.path)) {
                entry.body?.resume();
                continue;
            }
            ctx.log.info(`mysql: staging ${job.from.name} in ${job.staged} with ${client.path}`);
            await runClient(client, options, job.staged, entry.body, job.from.name, request.manifest, ctx);
            restored.add(job.from.member);
        }
        for (const p of prepared)
            if (!restored.has(p.from.member))
                throw new errors/* IntegrityError */.cs(`mysql: the backup lacks ${p.from.member}`);
        // The staged tables must hold exactly the tables and rows the dump carried.
        for (const { from, staged } of prepared) {
            const live = await liveInventory(conn, staged);
            const got = new Map(live.tables
                .filter((t) => t.name !== `${staged}.${MARKER_TABLE}`)
                .map((t) => [t.name.slice(staged.length + 1), t.rows]));
            const expected = (request.manifest.inventory.tables ?? []).filter((t) => t.name.startsWith(`${from.name}.`));
            for (const t of expected) {
                const name = t.name.slice(from.name.length + 1);
                const rows = got.get(name);
                if (rows !== t.rows) {
                    throw new errors/* IntegrityError */.cs(`mysql: restored table ${from.name}.${name} holds ${rows ?? 'no'} rows, the backup ${t.rows}; nothing was changed`);
                }
                got.delete(name);
            }
            if (got.size) {
                throw new errors/* IntegrityError */.cs(`mysql: the restore of ${from.name} made tables the backup does not list: ${[...got.keys()].join(', ')}; nothing was changed`);
            }
        }
    }
    catch (err) {
        for (const p of prepared)
            await conn.query(`DROP DATABASE IF EXISTS ${(0,connection/* ident */.bD)(p.staged)}`).catch(() => { });
        if (err instanceof errors/* ConfigError */.xL || err instanceof errors/* SourceError */.c8 || err instanceof errors/* IntegrityError */.cs)
            throw err;
        throw (0,connection/* classify */.L8)(err, 'target', target, ctx);
    }
    finally {
        await conn.end().catch(() => { });
    }
    const remaining = new Set(prepared.map((p) => p.staged));
    return {
        location: `${target.displayUrl.replace(/\/[^/]*$/, '')}/${prepared.map((p) => p.to).join(',')}`,
        commit: () => commitStaged(prepared, remaining, request, target, ctx),
        async abort() {
            if (!remaining.size)
                return;
            const c = await (0,connection.connect)(target, 'target', ctx);
            try {
                for (const db of remaining) {
                    await c.query(`DROP DATABASE IF EXISTS ${(0,connection/* ident */.bD)(db)}`);
                    remaining.delete(db);
                }
            }
            finally {
                await c.end().catch(() => { });
            }
        },
    };
}
async function refuseNonEmpty(conn, db, overwrite, target) {
    const busy = (await databaseExists(conn, db)) && !(await isEmptyDatabase(conn, db));
    if (busy && !overwrite) {
        throw new errors/* ConfigError */.xL('target', `database '${db}' on ${target.displayUrl} is not empty`, {
            hint: 'restore into a new database (name it in the {{option:target}} URL), or set {{option:overwrite=true}} to replace it (a safety backup is taken first)',
        });
    }
    return busy;
}
/**
 * Moves each staged database into its target. A replaced database's content is first moved
 * aside into `<db>_lifeboat_old_…` (after the safety backup), and dropped only once the restored
 * content is in place.
 */
async function commitStaged(prepared, remaining, request, target, ctx) {
    const conn = await (0,connection.connect)(target, 'target', ctx);
    const notes = [];
    const tables = [];
    try {
        for (const { from, to, staged } of prepared) {
            const busy = await refuseNonEmpty(conn, to, request.overwrite, target);
            let aside;
            let safety;
            if (busy) {
                if (request.safetyBackup) {
                    safety = await request.safetyBackup(targetUrlFor(request, to));
                    notes.push(`safety backup of '${to}' taken first: ${safety}`);
                }
                else
                    notes.push(`overwriting '${to}' without a safety backup (none was offered)`);
                aside = `${to.slice(0, 30)}_lifeboat_old_${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
                await conn.query(`CREATE DATABASE ${(0,connection/* ident */.bD)(aside)} CHARACTER SET ${from.charset} COLLATE ${from.collation}`);
                await moveDatabaseContent(conn, to, aside);
            }
            const created = !(await databaseExists(conn, to));
            if (created) {
                await conn.query(`CREATE DATABASE ${(0,connection/* ident */.bD)(to)} CHARACTER SET ${from.charset} COLLATE ${from.collation}`);
            }
            try {
                await dropMarker(conn, staged);
                await moveDatabaseContent(conn, staged, to);
            }
            catch (err) {
                const kept = [
                    ...(aside ? [`the previous content of '${to}' is in '${aside}'`] : []),
                    ...(safety ? [`and in the safety backup ${safety}`] : []),
                ];
                throw new errors/* SourceError */.c8(`mysql: moving the restored '${from.name}' into '${to}' failed: ${err.message}`, {
                    cause: err,
                    hint: kept.length
                        ? `${kept.join(' ')}; '${to}' may hold part of the restored data`
                        : `'${to}' may hold part of the restored data; drop it and restore again`,
                });
            }
            await conn.query(`DROP DATABASE IF EXISTS ${(0,connection/* ident */.bD)(staged)}`);
            remaining.delete(staged);
            if (aside)
                await conn.query(`DROP DATABASE IF EXISTS ${(0,connection/* ident */.bD)(aside)}`);
            const live = await liveInventory(conn, to);
            tables.push(...live.tables);
            notes.push(`${from.name} → ${to}: ${live.tables.length} tables, ${live.objects.views.length} views, ${live.objects.routines.length} routines, ${live.objects.triggers.length} triggers`);
        }
        return {
            location: `${target.displayUrl.replace(/\/[^/]*$/, '')}/${prepared.map((p) => p.to).join(',')}`,
            inventory: { tables },
            notes,
        };
    }
    catch (err) {
        if (err instanceof errors/* ConfigError */.xL || err instanceof errors/* SourceError */.c8 || err instanceof errors/* IntegrityError */.cs)
            throw err;
        throw (0,connection/* classify */.L8)(err, 'target', target, ctx);
    }
    finally {
        await conn.end().catch(() => { });
    }
}

;// CONCATENATED MODULE: ./build/src/sources/mysql/verify.js



async function verifyMembers(members, manifest) {
    const dumped = (0,types/* detailsOf */.cz)(manifest, 'mysql').databases ?? [];
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
            throw new errors/* IntegrityError */.cs(`mysql: ${entry.path} lacks the '-- Dump completed' trailer: the dump is incomplete`);
        const listed = (manifest.inventory.tables ?? []).filter((t) => t.name.startsWith(`${db.name}.`));
        const found = [...scan.rows].map(([t, rows]) => ({ name: `${db.name}.${t}`, rows }));
        const key = (l) => JSON.stringify(l.map((t) => [t.name, t.rows]).sort());
        if (key(found) !== key(listed)) {
            throw new errors/* IntegrityError */.cs(`mysql: ${entry.path} holds tables/rows ${key(found)} but the manifest lists ${key(listed)}`);
        }
        seen.add(entry.path);
    }
    for (const d of dumped)
        if (!seen.has(d.member))
            throw new errors/* IntegrityError */.cs(`mysql: the backup lacks ${d.member}`);
}

;// CONCATENATED MODULE: ./build/src/sources/mysql/index.js
/**
 * MySQL / MariaDB source (`mysql://user:password@host:3306/db`, `mariadb://…`).
 *
 * Each database is dumped by the client tool matching the server (mariadb-dump for MariaDB,
 * mysqldump for MySQL) into its own member `<db>.sql`, as one consistent InnoDB snapshot
 * (--single-transaction) with routines, triggers, events and binary columns as hex. The dump
 * has no CREATE DATABASE / USE lines, so a restore can put it into any database name.
 * Credentials reach the tools as an option file's text on a pipe (--defaults-extra-file=/dev/fd/3,
 * see WITH_OPTIONS_ON_FD3), never a file on disk nor a command line.
 */







const mysqlDriver = {
    kind: 'mysql',
    schemes: ['mysql', 'mariadb'],
    open(url, ctx) {
        const target = (0,mysql_url.parseMysqlUrl)(url, 'source', ctx.env);
        ctx.redactor.add(target.password);
        return new MysqlSource(target);
    },
    stage: stageInto,
    async verify(members, manifest) {
        await verifyMembers(members, manifest);
    },
    async inventory(url, ctx) {
        const target = (0,mysql_url.parseMysqlUrl)(url, 'target', ctx.env);
        const conn = await (0,connection.connect)(target, 'target', ctx);
        try {
            const dbs = target.database
                ? [target.database]
                : (await (0,connection/* queryRows */.Ym)(conn, 'SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA ORDER BY 1'))
                    .map((r) => r.n)
                    .filter((n) => !mysql_url/* SYSTEM_SCHEMAS */.X.includes(n));
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
            if (err instanceof errors/* ConfigError */.xL || err instanceof errors/* SourceError */.c8)
                throw err;
            throw (0,connection/* classify */.L8)(err, 'target', target, ctx);
        }
        finally {
            await conn.end().catch(() => { });
        }
    },
};


/***/ })

};
