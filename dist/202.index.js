export const id = 202;
export const ids = [202];
export const modules = {

/***/ 43202:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ALL_PAGES_IN_ONE_STEP: () => (/* binding */ ALL_PAGES_IN_ONE_STEP),
/* harmony export */   SQLITE_MEMBER: () => (/* binding */ SQLITE_MEMBER),
/* harmony export */   inventoryDifferences: () => (/* binding */ inventoryDifferences),
/* harmony export */   replaceDatabase: () => (/* binding */ replaceDatabase),
/* harmony export */   sqliteDriver: () => (/* binding */ sqliteDriver),
/* harmony export */   sqlitePath: () => (/* binding */ sqlitePath)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_sqlite__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(80099);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(46466);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(72993);
/* harmony import */ var _engine_log_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(78138);
/* harmony import */ var _engine_url_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(83153);
/* harmony import */ var _staging_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(80269);
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
/**
 * Pages per backup() step. Node 24 rejects SQLite's "-1 = all pages" and anything beyond an
 * int32, so the largest int32: one step for any database under 2^31 pages (8 TiB at 4 KiB).
 */
const ALL_PAGES_IN_ONE_STEP = 2 ** 31 - 1;
/** Relative paths are relative to the run's working directory, when the engine passes one. */
function workingDir(ctx) {
    const cwd = ctx.cwd;
    return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}
/**
 * The file a `sqlite:` URL (or, for targets, a plain path) names, absolute. Relative paths are
 * relative to the working directory.
 */
function sqlitePath(url, option, cwd = process.cwd()) {
    return (0,_engine_url_js__WEBPACK_IMPORTED_MODULE_8__/* .localPath */ .$S)(url, option, SQLITE_PATH, cwd);
}
const SQLITE_PATH = {
    scheme: 'sqlite',
    noun: 'file',
    local: 'SQLite databases are local files',
    relativeExample: './relative/path.db',
    absoluteExample: '/absolute/path.db',
    example: 'sqlite:./app.db',
};
/** A SQLite error code (SQLITE_NOTADB = 26, SQLITE_CORRUPT = 11) from a node:sqlite error. */
function sqliteErrcode(err) {
    const code = err?.errcode;
    return typeof code === 'number' ? code & 0xff : undefined;
}
function isNotADatabase(err) {
    const code = sqliteErrcode(err);
    return code === 26 || code === 11;
}
function message(err) {
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
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.lstat)(path);
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
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(p, { force: true });
}
async function fsyncDir(dir) {
    try {
        const h = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(dir, 'r');
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
    const db = new node_sqlite__WEBPACK_IMPORTED_MODULE_4__.DatabaseSync(path, { readOnly, timeout: 30_000 });
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
        if (err instanceof _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .LifeboatError */ .H3)
            throw err;
        if (isNotADatabase(err))
            throw fail(`not a valid SQLite database (${message(err)})`);
        throw fail(message(err));
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
        this.path = sqlitePath(url, 'source', workingDir(ctx));
        this.displayUrl = `sqlite:${this.path}`;
    }
    async dump(sink, ctx) {
        const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(this.path).catch((err) => {
            if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('source', `SQLite database ${this.path} does not exist`, {
                    hint: 'check the path (relative paths are relative to the working directory)',
                });
            }
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`cannot read ${this.path}: ${message(err)}`, { cause: err });
        });
        if (!st.isFile()) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('source', `${this.path} is not a file`, {
                hint: 'name the SQLite database file itself; use dir: for a folder',
            });
        }
        const copy = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(ctx.tmpDir, `sqlite-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.sqlite`);
        let source;
        try {
            let sourceJournalMode;
            try {
                source = openExisting(this.path, true);
                sourceJournalMode = pragmaValue(source, 'journal_mode');
                ctx.log.info(`Copying SQLite database ${this.path} (${(0,_engine_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(st.size)}) online…`);
                // All pages in one step: SQLite restarts a stepped backup whenever another process
                // writes, which under steady writes may never finish. One step reads one snapshot
                // (in WAL mode writers carry on meanwhile).
                await (0,node_sqlite__WEBPACK_IMPORTED_MODULE_4__.backup)(source, copy, { rate: ALL_PAGES_IN_ONE_STEP });
            }
            catch (err) {
                if (isNotADatabase(err)) {
                    throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`${this.path} is not a valid SQLite database: ${message(err)}`, {
                        cause: err,
                        hint: 'point source at a SQLite database file',
                    });
                }
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`copying ${this.path} failed: ${message(err)}`, { cause: err });
            }
            finally {
                source?.close();
                source = undefined;
            }
            const checked = checkCopy(copy, (reason) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`SQLite database ${this.path} is corrupt: ${reason}`, {
                hint: 'repair the database (sqlite3 .recover) before backing it up',
            }));
            for (const s of SIDECARS)
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(copy + s, { force: true });
            const size = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(copy)).size;
            await sink.addFile(SQLITE_MEMBER, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(copy), { mode: 0o600, mtime: st.mtime });
            const db = new node_sqlite__WEBPACK_IMPORTED_MODULE_4__.DatabaseSync(':memory:');
            const version = String(db.prepare('SELECT sqlite_version() AS v').get().v);
            db.close();
            ctx.log.info(`SQLite ${this.path}: ${checked.tables.length} tables, ${(0,_engine_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(size)}, integrity ok`);
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
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`unexpected member '${m.path}' (${m.type}) in a sqlite backup; expected one file ${SQLITE_MEMBER}`);
        }
        found = true;
        mode = m.mode & 0o777 || 0o600;
        const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(path, 'wx', 0o600);
        try {
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(m.body, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(path, { fd: handle.fd, autoClose: false }));
            await handle.sync();
        }
        finally {
            await handle.close();
        }
    }
    if (!found)
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`the backup holds no ${SQLITE_MEMBER}`);
    return mode;
}
function timestamp() {
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
    const previous = `${target}.lifeboat-previous-${timestamp()}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')}`;
    const moved = [];
    let placed = false;
    try {
        for (const s of ['', ...SIDECARS]) {
            if (await exists(target + s)) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(target + s, previous + s);
                moved.push([target + s, previous + s]);
            }
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmp, target);
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
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(to, from);
            }
            catch (e) {
                putBack.push(`${to} (${message(e)})`);
            }
        }
        if (putBack.length) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`restore into ${target} failed (${message(err)}) and the previous database could not be put back: ${putBack.join(', ')}`, { cause: err, hint: `move ${previous} back to ${target} by hand` });
        }
        if (err instanceof _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .LifeboatError */ .H3)
            throw err;
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`restore into ${target} failed: ${message(err)}; the previous database is back in place`, { cause: err });
    }
    await fsyncDir((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(target));
    // Kept until the whole restore is over, so a later failure can put it back.
    return moved.length ? previous : undefined;
}
async function stageSqlite(members, request, ctx) {
    const target = sqlitePath(request.target, 'target', workingDir(ctx));
    const location = `sqlite:${target}`;
    const targetSt = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.lstat)(target).catch(() => undefined);
    if (targetSt?.isDirectory()) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('target', `${target} is a directory`, {
            hint: 'name the database file to create, e.g. sqlite:./restored.db',
        });
    }
    const present = [];
    for (const p of [target, ...SIDECARS.map((s) => target + s)])
        if (await exists(p))
            present.push(p);
    if (present.length && !request.overwrite) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('target', `${present[0]} exists`, {
            hint: 'pass {{option:overwrite=true}} or choose a new file',
        });
    }
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(target);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(dir, { recursive: true });
    for (const line of await (0,_staging_js__WEBPACK_IMPORTED_MODULE_9__/* .removeAbandonedBeside */ .lg)(dir, (0,node_path__WEBPACK_IMPORTED_MODULE_3__.basename)(target)))
        ctx.log.info(line);
    // Beside the target, so commit is a rename on the same filesystem.
    const tmp = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, (0,_staging_js__WEBPACK_IMPORTED_MODULE_9__/* .stagedPathName */ .lh)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.basename)(target), 'tmp'));
    let checked;
    try {
        const mode = await writeMember(members, tmp);
        checked = checkCopy(tmp, (reason) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`the restored copy of ${SQLITE_MEMBER} is unusable: ${reason}`));
        const diff = inventoryDifferences(request.manifest.inventory, checked.tables);
        if (diff.length) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`the restored database does not match the manifest: ${diff.slice(0, 5).join('; ')}`);
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.chmod)(tmp, mode);
    }
    catch (err) {
        await removeWithSidecars(tmp);
        throw err;
    }
    let placed = false;
    let previous;
    const commit = async () => {
        // Looked at again: the target may have appeared while the archive was read.
        const now = [];
        for (const p of [target, ...SIDECARS.map((s) => target + s)])
            if (await exists(p))
                now.push(p);
        if (now.length && !request.overwrite) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('target', `${now[0]} appeared during the restore; nothing was changed`, {
                hint: 'pass {{option:overwrite=true}} or choose a new file',
            });
        }
        if (!now.length) {
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmp, target);
            }
            catch (err) {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`cannot move the restored database to ${target}: ${message(err)}`, {
                    cause: err,
                });
            }
            placed = true;
            await fsyncDir(dir);
            ctx.log.info(`Restored SQLite database to ${target}`);
            return { location, inventory: { tables: checked.tables } };
        }
        previous = await replaceDatabase(tmp, target, (path) => checkCopy(path, (reason) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`the database now at ${target} failed its check: ${reason}`)));
        placed = true;
        ctx.log.info(`Restored SQLite database over ${target} (the previous one was replaced)`);
        return {
            location,
            inventory: { tables: checked.tables },
            notes: [`${target} was overwritten`],
            replaced: true,
        };
    };
    const rollback = async () => {
        if (!placed)
            return;
        await removeWithSidecars(target);
        if (previous) {
            for (const s of ['', ...SIDECARS])
                if (await exists(previous + s))
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(previous + s, target + s);
            previous = undefined;
        }
        placed = false;
        await fsyncDir(dir);
    };
    const abort = async () => {
        await removeWithSidecars(tmp);
        if (previous)
            await removeWithSidecars(previous);
    };
    return { location, commit, abort, rollback };
}
async function verifySqlite(members, manifest, ctx) {
    const tmp = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(ctx.tmpDir, `verify-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.sqlite`);
    try {
        await writeMember(members, tmp);
        const checked = checkCopy(tmp, (reason) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`${manifest.name}/${SQLITE_MEMBER}: ${reason}`));
        const diff = inventoryDifferences(manifest.inventory, checked.tables);
        if (diff.length) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`${manifest.name}/${SQLITE_MEMBER} does not match the manifest: ${diff.slice(0, 5).join('; ')}`);
        }
    }
    finally {
        await removeWithSidecars(tmp);
    }
}
async function inventorySqlite(url, ctx) {
    const path = sqlitePath(url, 'target', workingDir(ctx));
    if (!(await exists(path))) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('target', `SQLite database ${path} does not exist`);
    }
    let db;
    try {
        db = openExisting(path, true);
        return { tables: tableCounts(db) };
    }
    catch (err) {
        if (isNotADatabase(err)) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`${path} is not a valid SQLite database: ${message(err)}`, {
                cause: err,
            });
        }
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`cannot read ${path}: ${message(err)}`, { cause: err });
    }
    finally {
        db?.close();
    }
}
const sqliteDriver = {
    kind: 'sqlite',
    schemes: ['sqlite'],
    open: (url, ctx) => new SqliteSource(url, ctx),
    stage: stageSqlite,
    verify: verifySqlite,
    inventory: inventorySqlite,
};


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
