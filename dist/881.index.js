export const id = 881;
export const ids = [881];
export const modules = {

/***/ 36881:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GLOBALS_MEMBER: () => (/* binding */ GLOBALS_MEMBER),
  childEnv: () => (/* binding */ childEnv),
  compareInventories: () => (/* binding */ compareInventories),
  connectError: () => (/* binding */ connectError),
  filterArgs: () => (/* binding */ filterArgs),
  filtersOf: () => (/* binding */ filtersOf),
  memberBaseName: () => (/* binding */ memberBaseName),
  parsePgUrl: () => (/* binding */ parsePgUrl),
  patternToRegex: () => (/* binding */ patternToRegex),
  pgDriver: () => (/* binding */ pgDriver),
  quoteIdent: () => (/* binding */ quoteIdent),
  readInventory: () => (/* binding */ readInventory)
});

// EXTERNAL MODULE: ./build/src/core/process.js
var process = __webpack_require__(15816);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(83849);
// EXTERNAL MODULE: ./build/src/engine/errors.js
var errors = __webpack_require__(72993);
// EXTERNAL MODULE: ./build/src/engine/log.js
var log = __webpack_require__(78138);
// EXTERNAL MODULE: ./build/src/engine/url.js
var engine_url = __webpack_require__(83153);
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
    return (0,process/* runProcess */.R3)({
        tool: (0,external_node_path_.basename)(path),
        command: path,
        args: ['--version'],
        env,
        signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined);
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
        throw new errors/* ConfigError */.xL('pg-bin', `${tool} was not found beside ${client.path}`, {
            hint: `install the full PostgreSQL ${client.major} client package, or set {{option:pg-bin}} to a folder holding both`,
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
    throw new errors/* ConfigError */.xL('pg-bin', `the server runs PostgreSQL ${serverVersion}, but no pg_dump of major ${newer} or newer was found (found: ${listClients(clients)}); pg_dump cannot dump a server newer than itself`, {
        hint: `install the PostgreSQL ${newer} client (Debian/Ubuntu: postgresql-client-${newer} from apt.postgresql.org; RHEL: postgresql${newer}; macOS: brew install postgresql@${newer}) or set {{option:pg-bin}} to the folder holding pg_dump ${newer} or newer`,
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
    throw new errors/* ConfigError */.xL('pg-bin', `the dump was written by pg_dump ${dumpedWith} (archive format ${formatArchiveVersion(archive)}), which no ${tool} found here can read (found: ${listClients(clients)})`, {
        hint: `install a PostgreSQL ${needed} or newer client, or set {{option:pg-bin}} to the folder holding ${tool} ${needed} or newer`,
    });
}

// EXTERNAL MODULE: ./build/src/sources/staging.js
var staging = __webpack_require__(80269);
;// CONCATENATED MODULE: ./build/src/sources/postgres.js













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
    const u = (0,engine_url/* parseUrl */.Dl)(option, url);
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme !== 'postgres' && scheme !== 'postgresql') {
        throw new errors/* ConfigError */.xL(option, `'${(0,log/* redactUrl */.BO)(url)}' is not a postgres:// URL`);
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
            throw new errors/* ConfigError */.xL(option, `unknown connection parameter '${k}' in '${(0,log/* redactUrl */.BO)(url)}'`, {
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
        throw new errors/* ConfigError */.xL(option, `port '${portText}' is not a number between 1 and 65535`);
    }
    const user = qUser ?? (u.username ? decodeURIComponent(u.username) : env.PGUSER || env.USER || 'postgres');
    const password = qPassword ?? (u.password ? decodeURIComponent(u.password) : env.PGPASSWORD || undefined);
    const pathDb = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
    if (pathDb.includes('/')) {
        throw new errors/* ConfigError */.xL(option, `'/${pathDb}' is not a database name`, {
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
        displayUrl: (0,log/* redactUrl */.BO)(shown.toString()),
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
        throw new errors/* ConfigError */.xL('source', `cannot read sslrootcert '${path}'`);
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
        throw new errors/* ConfigError */.xL(option, `cannot read sslrootcert '${path}': ${err.message}`);
    }
}
/**
 * One clear error for a failed connection, naming the server, the database, the option and the
 * fix. Everything here happened at or after connecting, so it is operational (SourceError, exit
 * 1): the URL parsed, and a down server, a timeout or a refused password can change between
 * runs. Exit 2 is for what parseConnection rejects before any connection.
 */
function connectError(err, conn, option, ctx) {
    const e = err;
    const where = `${conn.host}:${conn.port}`;
    const what = `${option}: PostgreSQL at ${where}, database "${conn.database}"`;
    const msg = ctx.redactor.redact(e.message ?? String(err));
    const fail = (text, hint) => new errors/* SourceError */.c8(`${what}: ${text}`, { cause: err, hint });
    switch (e.code) {
        case '28P01':
        case '28000':
            if (/no encryption|SSL off/i.test(msg)) {
                return fail(`the server refused an unencrypted connection: ${msg}`, `add ?sslmode=require (or verify-full with sslrootcert) to the ${option} URL`);
            }
            return fail(`authentication failed for user "${conn.user}": ${msg}`, `check the user and password in the ${option} URL (percent-encode special characters) or PGPASSWORD`);
        case '3D000':
            return fail(`database "${conn.database}" does not exist on ${where}`, `check the database name at the end of the ${option} URL`);
        case 'ECONNREFUSED':
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
        case 'ETIMEDOUT':
        case 'ENOENT':
            return fail(`cannot reach PostgreSQL at ${where} (${e.code}): ${msg}`, `check the host and port in the ${option} URL, that the server is running, and that this machine may connect to it`);
        default:
            if (/timeout/i.test(msg)) {
                return fail(`cannot reach PostgreSQL at ${where} (timed out): ${msg}`, `check the host and port in the ${option} URL and any firewall between; connect_timeout=<seconds> sets the wait`);
            }
            return fail(`cannot connect to PostgreSQL at ${where}: ${msg}`, `check that the server at ${where} is running and accepts connections from this machine`);
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
function quoteIdent(name) {
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
        const r = await client.query(`SELECT count(*) AS n FROM ${only}${quoteIdent(t.nspname)}.${quoteIdent(t.relname)}`);
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
function startTool(client, args, env, stdin, stdout, ctx) {
    ctx.log.debug(`running ${client.path} ${args.join(' ')}`);
    const run = (0,process/* startProcess */.kp)({
        tool: (0,external_node_path_.basename)(client.path),
        command: client.path,
        args,
        env,
        stdin,
        stdout,
        signal: ctx.signal,
        redact: (t) => ctx.redactor.redact(t),
    });
    const exited = run.exited.then((r) => ({
        code: r.spawnError ? -1 : r.code,
        signal: r.signal,
    }));
    const lines = () => {
        const tail = run.stderrTail(STDERR_TAIL_LINES);
        return [tail, run.spawnError?.message].filter(Boolean).join('\n');
    };
    return { child: run.child, process: run, stderr: { lines }, exited };
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
        run.process.stop();
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
        out.destroy(new errors/* SourceError */.c8(`${what} failed (${problem}) after ${(0,log/* formatBytes */.z3)(bytes)}${tail ? `:\n${tail}` : ''}`, {
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
        throw new errors/* ConfigError */.xL(name, `'${String(v)}' is not a whole number of 1 or more`);
    return n;
}
function rowCountsOption(options) {
    const v = options['row-counts'];
    if (v === undefined || v === null || v === '' || v === 'exact')
        return 'exact';
    if (v === 'estimate')
        return 'estimate';
    throw new errors/* ConfigError */.xL('row-counts', `'${String(v)}' is neither 'exact' nor 'estimate'`);
}
function bool(options, name) {
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
            run.process.stop();
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
        throw new errors/* SourceError */.c8(`pg_dumpall --globals-only failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`, {
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
        const wantGlobals = bool(ctx.options, 'globals');
        const started = Date.now();
        const client = await connect(conn, 'source', ctx);
        // This session holds the snapshot pg_dump reads: once it is gone the dump cannot be
        // consistent, whatever pg_dump itself reports.
        let sessionLost;
        let ending = false;
        client.on('error', (err) => (sessionLost ??= err));
        client.on('end', () => {
            if (!ending)
                sessionLost ??= new Error('the server closed the connection');
        });
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
                    stream.destroy(new errors/* SourceError */.c8(`reading the inventory of "${conn.database}" failed: ${ctx.redactor.redact(err.message)}`, {
                        cause: err,
                    }));
                    throw err;
                });
                counting.catch(() => { });
                try {
                    await sink.addFile(member, stream, { mode: 0o600 });
                }
                catch (err) {
                    run.process.stop();
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
            if (sessionLost) {
                throw new errors/* SourceError */.c8(`source: lost the PostgreSQL session holding the snapshot of database "${conn.database}" ` +
                    `at ${conn.host}:${conn.port} (${ctx.redactor.redact(sessionLost.message)}); the dump was abandoned`, {
                    cause: err,
                    hint: 'the server ended the session (restart, pg_terminate_backend, idle_in_transaction_session_timeout or a network cut); run the backup again',
                });
            }
            if (backendPid !== undefined)
                await terminateBackend(conn, backendPid, ctx);
            throw err;
        }
        finally {
            ending = true;
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
                ctx.log.warn(`jobs=${jobs} dumps into ${ctx.tmpDir} first: the database takes ${(0,log/* formatBytes */.z3)(size)} on the server, only ${(0,log/* formatBytes */.z3)(free)} is free there`);
            }
        }
        catch {
            // statfs is best effort
        }
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(ctx.tmpDir, 'pgdump-'));
        const out = (0,external_node_path_.join)(dir, 'dump');
        try {
            ctx.log.info(`dumping with ${jobs} parallel jobs into a temporary directory (${(0,log/* formatBytes */.z3)(size)} on the server)`);
            const run = startTool(dumpClient, ['--format=directory', `--jobs=${jobs}`, '--compress=0', `--file=${out}`, ...common], env, 'ignore', 'ignore', ctx);
            const counting = readInventory(client, filters, rowCounts);
            counting.catch(() => { });
            const r = await run.exited;
            const files = r.code === 0 ? await filesUnder(out).catch(() => []) : [];
            if (r.code !== 0 || !files.includes('toc.dat')) {
                const tail = run.stderr.lines(ctx);
                throw new errors/* SourceError */.c8(`pg_dump of database "${details.database}" failed (${r.code !== 0 ? exitText(r) : 'no toc.dat written'})${tail ? `:\n${tail}` : ''}`, {
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
        run.process.stop();
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
            throw new errors/* IntegrityError */.cs('the PostgreSQL dump member does not start with a custom-format header (PGDMP)');
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
        if (err.cause?.code === '3D000') {
            return connect(withDatabase(target, 'template1'), 'target', ctx);
        }
        throw err;
    }
}
async function createDatabase(admin, name, encoding, ctx) {
    const enc = encoding ? ` ENCODING ${quoteLiteral(encoding)}` : '';
    try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0${enc}`);
    }
    catch (err) {
        if (err.code === '22023' && enc) {
            // The server's default locale does not fit the dump's encoding: use the C locale.
            ctx.log.warn(`creating "${name}" with the C locale: ${err.message}`);
            await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0${enc} LC_COLLATE 'C' LC_CTYPE 'C'`);
        }
        else
            throw err;
    }
}
async function dropDatabase(admin, name, ctx) {
    try {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    }
    catch (err) {
        try {
            await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
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
        await admin.query(`ALTER DATABASE ${quoteIdent(to)} OWNER TO ${quoteIdent(row.owner)}`);
        const settings = await admin.query(`SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role, s.setconfig
         FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1`, [from]);
        for (const s of settings.rows) {
            for (const item of s.setconfig) {
                const eq = item.indexOf('=');
                const key = item.slice(0, eq);
                const value = item.slice(eq + 1);
                const prefix = s.role ? `ALTER ROLE ${quoteIdent(s.role)} IN DATABASE` : 'ALTER DATABASE';
                await admin.query(`${prefix} ${quoteIdent(to)} SET ${quoteIdent(key)} = ${quoteLiteral(value)}`);
            }
        }
        if (row.hasacl) {
            const grants = await admin.query(`SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type, a.is_grantable
           FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = $1`, [from]);
            await admin.query(`REVOKE ALL ON DATABASE ${quoteIdent(to)} FROM PUBLIC`);
            for (const g of grants.rows) {
                await admin.query(`GRANT ${g.privilege_type} ON DATABASE ${quoteIdent(to)} TO ${g.grantee ? quoteIdent(g.grantee) : 'PUBLIC'}${g.is_grantable ? ' WITH GRANT OPTION' : ''}`);
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
                if (bool(ctx.options, 'globals'))
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
                    throw new errors/* SourceError */.c8(`pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`);
                }
                continue;
            }
            if (format === 'directory' && prefix && entry.path.startsWith(`${prefix}/`)) {
                const rel = entry.path.slice(prefix.length + 1);
                if (rel.split('/').some((p) => p === '..' || p === '' || p === '.')) {
                    throw new errors/* IntegrityError */.cs(`refusing member path '${entry.path}'`);
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
                throw new errors/* IntegrityError */.cs(`the archive holds no files of the directory-format dump '${prefix ?? '?'}'`);
            const head = await (0,promises_.readFile)((0,external_node_path_.join)(spool, 'toc.dat')).then((b) => b.subarray(0, 8));
            used = await restoreClientFor(manifest, ctx, head);
            ctx.log.info(`restoring with ${used.path} ${used.version} (${jobs} jobs) into "${plan.into}"`);
            const run = startTool(used, [...args, `--jobs=${jobs}`, '--format=directory', spool], env, 'ignore', 'ignore', ctx);
            const r = await run.exited;
            if (r.code !== 0) {
                const tail = run.stderr.lines(ctx);
                throw new errors/* SourceError */.c8(`pg_restore into "${plan.into}" failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`);
            }
        }
        if (!used)
            throw new errors/* IntegrityError */.cs('the archive holds no PostgreSQL dump for this source');
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
        throw new errors/* SourceError */.c8(`applying globals.sql failed (${exitText(r)})${tail ? `:\n${tail}` : ''}`);
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
                        throw new errors/* IntegrityError */.cs(`${GLOBALS_MEMBER} is incomplete (no end marker)`);
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
                        throw new errors/* IntegrityError */.cs(`pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`);
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
                        throw new errors/* IntegrityError */.cs(`pg_restore --list cannot read ${entry.path} (${exitText(r)}): ${run.stderr.lines(ctx)}`);
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
            throw new errors/* IntegrityError */.cs(`the archive holds no PostgreSQL dump for source '${manifest.name}'`);
    },
    async stage(members, request, ctx) {
        let touched = false;
        const tracked = (async function* () {
            touched = true;
            yield* members;
        })();
        try {
            return await stageInto(tracked, request, ctx);
        }
        catch (err) {
            // Refused before reading the members: read them out anyway, so the archive reader
            // behind them (a decompressor child process, a download) can finish instead of hanging.
            if (!touched)
                for await (const e of members)
                    await drain(e.body).catch(() => { });
            throw err;
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
async function stageInto(members, request, ctx) {
    if (!request.target) {
        throw new errors/* ConfigError */.xL('target', 'a restore needs a target database URL', {
            hint: 'set target to postgres://user@host:5432/new_database (a new database is created)',
        });
    }
    const target = parsePgUrl(request.target, 'target', ctx.env);
    ctx.redactor.add(target.password);
    if (!target.databaseFromUrl) {
        throw new errors/* ConfigError */.xL('target', `'${target.displayUrl}' names no database`, {
            hint: 'add the database to restore into after the host: postgres://user@host:5432/new_database',
        });
    }
    const manifest = request.manifest;
    const name = target.database;
    const notes = [];
    // Refuse what cannot work before touching anything.
    await restoreClientFor(manifest, ctx);
    const admin = await adminConnection(target, ctx);
    let staged;
    let pgRestore;
    try {
        const state = await targetState(admin, target, request.overwrite, ctx);
        // The commit renames the target, which needs it unused: say so now, not after the restore.
        if (state !== 'create')
            await refuseOtherConnections(admin, name, 'replace');
        // Owners and grants need their roles; without them restore everything as the connecting user.
        const roles = Array.isArray(manifest.details?.roles)
            ? manifest.details.roles
            : [];
        const present = (await admin.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [roles])).rows.map((r) => r.rolname);
        const missing = roles.filter((r) => !present.includes(r));
        const applyGlobalsFirst = bool(ctx.options, 'globals') && manifest.details?.globals === GLOBALS_MEMBER;
        const ownerArgs = [];
        if (missing.length && !applyGlobalsFirst) {
            ownerArgs.push('--no-owner', '--no-privileges');
            notes.push(`roles ${missing.join(', ')} do not exist on the target: objects are owned by "${target.user}" and grants were skipped (restore with globals to create the roles first)`);
            ctx.log.warn(notes[notes.length - 1]);
        }
        await dropAbandonedStaging(admin, ctx);
        staged = (0,staging/* stagedName */.wp)(name, 63);
        const encoding = typeof manifest.details?.encoding === 'string' ? manifest.details.encoding : undefined;
        await createDatabase(admin, staged, encoding, ctx);
        try {
            await admin.query(`COMMENT ON DATABASE ${quoteIdent(staged)} IS ${quoteLiteral(JSON.stringify((0,staging/* stagingMarker */.W2)(name)))}`);
            const plan = { target, into: staged };
            ({ pgRestore } = await restoreMembers(members, plan, manifest, ctx, ownerArgs));
            const c = await connect(withDatabase(target, staged), 'target', ctx);
            let actual;
            try {
                // Counting rows costs a scan of every table: only when the backup has exact counts.
                const exact = (manifest.inventory.tables ?? []).some((t) => !t.estimated);
                actual = await readInventory(c, { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] }, exact ? 'exact' : 'estimate');
            }
            finally {
                await c.end().catch(() => { });
            }
            const diffs = compareInventories(manifest.inventory, actual);
            if (diffs.length) {
                throw new errors/* IntegrityError */.cs(`the restored database does not match the backup's inventory (${diffs.length} differences: ${diffs.slice(0, 5).join('; ')}); "${name}" was not changed`);
            }
        }
        catch (err) {
            await dropDatabase(admin, staged, ctx);
            throw err;
        }
    }
    finally {
        await admin.end().catch(() => { });
    }
    ctx.log.info(`staged the restore of "${name}" in "${staged}"`);
    let settled = false;
    const abort = async () => {
        if (settled)
            return;
        settled = true;
        const a = await adminConnection(target, ctx);
        try {
            await dropDatabase(a, staged, ctx);
        }
        finally {
            await a.end().catch(() => { });
        }
    };
    const commit = async () => {
        const a = await adminConnection(target, ctx);
        try {
            const state = await targetState(a, target, request.overwrite, ctx);
            let safetyId;
            if (state === 'overwrite') {
                await refuseOtherConnections(a, name, 'swap the restored database in');
                if (request.safetyBackup) {
                    ctx.log.info(`taking a safety backup of "${name}" before replacing it`);
                    safetyId = await request.safetyBackup(request.target);
                    notes.push(`safety backup of the previous "${name}": ${safetyId}`);
                }
            }
            else if (state === 'empty')
                await refuseOtherConnections(a, name, 'replace');
            const old = state === 'create'
                ? undefined
                : shortName(name, `_lifeboat_old_${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`);
            try {
                await a.query('BEGIN');
                await a.query(`COMMENT ON DATABASE ${quoteIdent(staged)} IS NULL`);
                if (old)
                    await a.query(`ALTER DATABASE ${quoteIdent(name)} RENAME TO ${quoteIdent(old)}`);
                await a.query(`ALTER DATABASE ${quoteIdent(staged)} RENAME TO ${quoteIdent(name)}`);
                await a.query('COMMIT');
            }
            catch (err) {
                await a.query('ROLLBACK').catch(() => { });
                throw new errors/* SourceError */.c8(`moving the restored database into place failed: ${err.message}; "${name}" was not changed`, {
                    cause: err,
                    hint: safetyId ? `a safety backup of "${name}" was taken: ${safetyId}` : undefined,
                });
            }
            settled = true;
            if (old) {
                await carryOverDatabaseProperties(a, old, name, ctx);
                if (safetyId || state === 'empty') {
                    await dropDatabase(a, old, ctx);
                }
                else {
                    notes.push(`the previous "${name}" was kept as "${old}" (no safety backup was taken); drop it when no longer needed`);
                }
            }
        }
        finally {
            await a.end().catch(() => { });
        }
        const location = target.displayUrl;
        ctx.log.info(`restored into ${location}`);
        return { location, notes: [...notes, `pg_restore ${pgRestore}`] };
    };
    return { location: target.displayUrl, commit, abort };
}
/**
 * What restoring into the target means now: a new database, an existing one without tables
 * (replaced), or one with tables (refused unless overwrite is set).
 */
async function targetState(admin, target, overwrite, ctx) {
    const name = target.database;
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
    if (!exists)
        return 'create';
    const tables = await userTableCount(target, ctx);
    if (tables === 0)
        return 'empty';
    if (!overwrite) {
        throw new errors/* ConfigError */.xL('overwrite', `the target database "${name}" already has ${tables} tables; nothing was changed`, {
            hint: 'restore into a new database (another name in {{option:target}}), or set {{option:overwrite=true}} to replace it (a safety backup is taken first)',
        });
    }
    return 'overwrite';
}
async function refuseOtherConnections(admin, name, doing) {
    const others = await otherConnections(admin, name);
    if (others.length) {
        throw new errors/* SourceError */.c8(`cannot ${doing} "${name}": it has ${others.length} other connection(s): ${others.join('; ')}; nothing was changed`, {
            hint: 'stop the applications using the database (or pg_terminate_backend them), then restore again',
        });
    }
}
/** Drops staged databases an interrupted restore left on this server, when provably abandoned. */
async function dropAbandonedStaging(admin, ctx) {
    const r = await admin.query(`SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database
      WHERE strpos(datname, $1) > 0`, [staging/* STAGED_INFIX */.Sn]);
    for (const row of r.rows) {
        const why = (0,staging/* abandonedBecause */.f3)((0,staging/* parseMarker */.gY)(row.marker));
        if (!why)
            continue;
        if ((await otherConnections(admin, row.datname)).length)
            continue;
        ctx.log.info(`dropping the staged database "${row.datname}" an interrupted restore left: ${why}`);
        await dropDatabase(admin, row.datname, ctx);
    }
}


/***/ }),

/***/ 80269:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Sn: () => (/* binding */ STAGED_INFIX),
/* harmony export */   W2: () => (/* binding */ stagingMarker),
/* harmony export */   f3: () => (/* binding */ abandonedBecause),
/* harmony export */   gY: () => (/* binding */ parseMarker),
/* harmony export */   lg: () => (/* binding */ removeAbandonedBeside),
/* harmony export */   lh: () => (/* binding */ stagedPathName),
/* harmony export */   wp: () => (/* binding */ stagedName)
/* harmony export */ });
/* unused harmony export STALE_AFTER_MS */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var _core_process_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(15816);
/**
 * Names and markers of what a restore stages: a new database called
 * `<target>_lifeboat_new_<UTC time>_<hex>` marked with who made it (host, pid, start time), or a
 * file or folder beside the target whose name carries the host and pid. A restore killed with
 * SIGKILL leaves them behind; the next restore into the same server or folder removes the ones it
 * can prove abandoned: made on this host by a process that no longer runs, or older than a day.
 */





const STAGED_INFIX = '_lifeboat_new_';
/** After this long a staged database is abandoned whoever made it: no restore stages for a day. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
function utcStamp(d) {
    return d
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
}
/** `<base>_lifeboat_new_<UTC time>_<hex>`, the base shortened to fit `maxBytes` (63 for PostgreSQL, 64 for MySQL). */
function stagedName(base, maxBytes, now = new Date()) {
    const suffix = `${STAGED_INFIX}${utcStamp(now)}_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')}`;
    let b = base;
    while (Buffer.byteLength(b + suffix) > maxBytes)
        b = b.slice(0, -1);
    return b + suffix;
}
function stagingMarker(target, now = new Date()) {
    return {
        lifeboat: 'staging',
        host: (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)(),
        pid: process.pid,
        started: now.toISOString(),
        target,
    };
}
function parseMarker(text) {
    if (!text)
        return undefined;
    try {
        const m = JSON.parse(text);
        if (m?.lifeboat !== 'staging' ||
            typeof m.host !== 'string' ||
            typeof m.pid !== 'number' ||
            typeof m.started !== 'string' ||
            Number.isNaN(Date.parse(m.started)))
            return undefined;
        return m;
    }
    catch {
        return undefined;
    }
}
/**
 * Why a staged database with this marker is abandoned, or undefined when it may still be in use
 * (or is not provably ours: no marker, no drop).
 */
function abandonedBecause(marker, now = Date.now()) {
    if (!marker)
        return undefined;
    if (marker.host === (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)() && marker.pid !== process.pid && !(0,_core_process_js__WEBPACK_IMPORTED_MODULE_4__/* .isProcessRunning */ .DL)(marker.pid))
        return `its restore (pid ${marker.pid} on ${marker.host}, started ${marker.started}) no longer runs`;
    if (now - Date.parse(marker.started) > STALE_AFTER_MS)
        return `it was staged at ${marker.started}, more than a day ago`;
    return undefined;
}
/** A short, fixed tag of this host for names on disk (host names may hold any character). */
function hostTag(host = (0,node_os__WEBPACK_IMPORTED_MODULE_2__.hostname)()) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(host).digest('hex').slice(0, 8);
}
const STAGED_PATH = /^\.(.+)\.lifeboat-(tmp|staging)-([0-9a-f]{8})-(\d+)-[0-9a-f]+(-wal|-shm|-journal)?$/;
/**
 * The name of a file or folder staged beside a target: `.<base>.lifeboat-<kind>-<host>-<pid>-<hex>`,
 * so that a later restore into the same place can tell who left it.
 */
function stagedPathName(base, kind) {
    return `.${base}.lifeboat-${kind}-${hostTag()}-${process.pid}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}`;
}
/**
 * Removes what interrupted restores staged beside `base` in `dir`: made on this host by a process
 * that no longer runs, or untouched for more than a day. Returns the lines to log.
 */
async function removeAbandonedBeside(dir, base) {
    const removed = [];
    const names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(dir).catch(() => []);
    for (const name of names) {
        const m = STAGED_PATH.exec(name);
        if (!m || m[1] !== base)
            continue;
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, name);
        const pid = Number(m[4]);
        const here = m[3] === hostTag();
        let why;
        if (here && pid !== process.pid && !(0,_core_process_js__WEBPACK_IMPORTED_MODULE_4__/* .isProcessRunning */ .DL)(pid))
            why = `its restore (pid ${pid} on this host) no longer runs`;
        else if (!here) {
            const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path).catch(() => undefined);
            if (st && Date.now() - st.mtimeMs > STALE_AFTER_MS)
                why = 'another host staged it more than a day ago';
        }
        if (!why)
            continue;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(path, { recursive: true, force: true });
        removed.push(`removed ${path}, left by an interrupted restore: ${why}`);
    }
    return removed;
}


/***/ })

};
