export const id = 264;
export const ids = [264];
export const modules = {

/***/ 95264:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CHROMA_DB: () => (/* binding */ CHROMA_DB),
/* harmony export */   chromaDirDriver: () => (/* binding */ chromaDirDriver),
/* harmony export */   chromaDirPath: () => (/* binding */ chromaDirPath),
/* harmony export */   processesHolding: () => (/* binding */ processesHolding)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_sqlite__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(80099);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(46466);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(85491);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(35708);
/* harmony import */ var _dir_path_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(60665);
/* harmony import */ var _dir_restore_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(65106);
/* harmony import */ var _dir_verify_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(20211);
/* harmony import */ var _dir_walk_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(78511);
/* harmony import */ var _sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(57300);
/**
 * Chroma's persist directory (`chroma+dir:<path>`), for an embedded or stopped Chroma.
 *
 * Members: `chroma.sqlite3` first, copied through SQLite's online backup and checked with
 * `integrity_check`; then the segment folders (HNSW index files) walked as `dir:` does. The two
 * are only consistent when nothing writes meanwhile, so a directory that a running process holds
 * open (a Chroma server, or an application with an embedded client) is refused: the segment
 * files would be torn. Restores go into a new folder, as `dir:` restores do, the database
 * checked again before anything is put in place.
 */














const CHROMA_DB = 'chroma.sqlite3';
const DB_FILES = [CHROMA_DB, ..._sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .SIDECARS */ .r$.map((s) => CHROMA_DB + s)];
const CHROMA_DIR = {
    scheme: 'chroma+dir',
    noun: 'folder',
    local: "chroma+dir: is a local folder (Chroma's persist directory)",
    relativeExample: './chroma',
    absoluteExample: '/var/lib/chroma',
    example: 'chroma+dir:./chroma',
};
function chromaDirPath(url, option, cwd) {
    return (0,_core_url_js__WEBPACK_IMPORTED_MODULE_8__/* .localPath */ .$S)(url, option, CHROMA_DIR, cwd);
}
/**
 * Processes (other than this one) that hold a file inside `dir` open, read from /proc (Linux);
 * `undefined` where /proc cannot tell.
 */
async function processesHolding(dir) {
    let pids;
    try {
        pids = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readdir)('/proc')).filter((p) => /^\d+$/.test(p));
    }
    catch {
        return undefined;
    }
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const out = [];
    for (const pid of pids) {
        if (Number(pid) === process.pid)
            continue;
        let fds;
        try {
            fds = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readdir)(`/proc/${pid}/fd`);
        }
        catch {
            continue; // gone, or another user's (not readable)
        }
        for (const fd of fds) {
            const target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readlink)(`/proc/${pid}/fd/${fd}`).catch(() => '');
            if (!target.startsWith(prefix))
                continue;
            let command = '';
            try {
                const h = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(`/proc/${pid}/cmdline`, 'r');
                try {
                    command = (await h.readFile('utf8')).replaceAll('\0', ' ').trim().slice(0, 120);
                }
                finally {
                    await h.close();
                }
            }
            catch {
                // gone meanwhile
            }
            out.push({ pid: Number(pid), command });
            break;
        }
    }
    return out;
}
async function refuseWhenHeld(dir, ctx, when) {
    const holders = await processesHolding(dir);
    if (holders === undefined) {
        ctx.log.warn(`cannot tell whether a process holds ${dir} open (no /proc): make sure Chroma is stopped`);
        return;
    }
    if (!holders.length)
        return;
    const who = holders.map((h) => `pid ${h.pid}${h.command ? ` (${h.command})` : ''}`).join(', ');
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`${dir} is in use ${when} by ${who}: a copy of a Chroma directory a running server or client writes to would be torn`, {
        hint: 'stop Chroma first, or back the running server up through its API with a chroma://host:8000 source',
    });
}
/** Collections and their record counts from a copy of chroma.sqlite3. */
function collectionCounts(path) {
    const db = new node_sqlite__WEBPACK_IMPORTED_MODULE_4__.DatabaseSync(path, { readOnly: true });
    try {
        const rows = db
            .prepare(`SELECT c.name AS name, count(e.id) AS n
           FROM collections c
           LEFT JOIN segments s ON s.collection = c.id AND s.scope = 'METADATA'
           LEFT JOIN embeddings e ON e.segment_id = s.id
          GROUP BY c.id ORDER BY c.name`)
            .all();
        return rows.map((r) => ({ name: String(r.name), rows: Number(r.n) }));
    }
    catch (err) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`${path} does not have Chroma's tables: ${(0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .message */ .iU)(err)}`, {
            cause: err,
        });
    }
    finally {
        db.close();
    }
}
class ChromaDirSource {
    kind = 'chroma-dir';
    displayUrl;
    path;
    constructor(url, ctx) {
        this.path = chromaDirPath(url, 'source', (0,_dir_path_js__WEBPACK_IMPORTED_MODULE_9__/* .workingDir */ .vm)(ctx));
        this.displayUrl = `chroma+dir:${this.path}`;
    }
    async dump(sink, ctx) {
        const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(this.path).catch(() => undefined);
        if (!st?.isDirectory()) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('source', `${this.path} is not a folder`, {
                hint: "name Chroma's persist directory (the folder holding chroma.sqlite3)",
            });
        }
        const dbPath = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(this.path, CHROMA_DB);
        const dbSt = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(dbPath).catch(() => undefined);
        if (!dbSt?.isFile()) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('source', `${this.path} holds no ${CHROMA_DB}`, {
                hint: "name Chroma's persist directory (the folder holding chroma.sqlite3)",
            });
        }
        await refuseWhenHeld(this.path, ctx, 'now');
        const copy = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(ctx.tmpDir, `chroma-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.sqlite3`);
        try {
            await (0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .onlineCopy */ .Bp)(dbPath, copy, {
                copyFailed: (err) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`${dbPath} ${(0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .isNotADatabase */ .kx)(err) ? 'is not a valid SQLite database' : 'cannot be copied'}: ${(0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .message */ .iU)(err)}`, { cause: err }),
                corrupt: (reason) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .SourceError */ .c8(`${dbPath} is corrupt: ${reason}`),
            });
            const tables = collectionCounts(copy);
            const size = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(copy)).size;
            await sink.addFile(CHROMA_DB, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(copy), {
                mode: dbSt.mode & 0o7777,
                mtime: dbSt.mtime,
            });
            const spec = await (0,_dir_walk_js__WEBPACK_IMPORTED_MODULE_12__/* .resolveSpec */ .ig)(this.path);
            const counts = await (0,_dir_walk_js__WEBPACK_IMPORTED_MODULE_12__/* .dumpTree */ .xp)(sink, spec, DB_FILES, ctx);
            // A server started while the segments were read may have changed them under us.
            await refuseWhenHeld(this.path, ctx, 'since the copy began');
            const version = (0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .sqliteVersion */ .dZ)();
            ctx.log.info(`Chroma directory ${this.path}: ${tables.length} collections (${tables.map((t) => `${t.name} ${t.rows}`).join(', ') || 'none'}), ${counts.files + 1} files, ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_7__/* .formatBytes */ .z3)(counts.bytes + size)}`);
            return {
                versions: { sqlite: version },
                inventory: {
                    tables,
                    files: counts.files + 1,
                    totalBytes: counts.bytes + size,
                    extra: { directories: counts.directories, symlinks: counts.symlinks },
                },
                details: { collections: tables.map((t) => t.name) },
            };
        }
        finally {
            await (0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .removeWithSidecars */ .d6)(copy);
        }
    }
}
/**
 * Passes the members on unchanged, except that chroma.sqlite3 is spooled to `tmpDir` on the way
 * and checked (integrity_check, the manifest's collections and counts) once the last member was
 * read; a failed check fails the consumer.
 */
async function* checkedMembers(members, manifest, ctx) {
    const spool = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(ctx.tmpDir, `chroma-check-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.sqlite3`);
    let found = false;
    try {
        for await (const m of members) {
            if (m.path === CHROMA_DB && m.type === 'file' && m.body) {
                found = true;
                await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(m.body, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(spool, { flags: 'wx', mode: 0o600 }));
                yield { ...m, body: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(spool) };
                continue;
            }
            yield m;
        }
        if (!found)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`${manifest.name}: the backup holds no ${CHROMA_DB}`);
        (0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .checkCopy */ .QS)(spool, (reason) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`${manifest.name}/${CHROMA_DB}: ${reason}`));
        const tables = collectionCounts(spool);
        const want = manifest.inventory.tables ?? [];
        const got = new Map(tables.map((t) => [t.name, t.rows]));
        for (const t of want) {
            if (got.get(t.name) !== t.rows) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`${manifest.name}/${CHROMA_DB}: collection ${t.name} has ${got.get(t.name) ?? 'no'} records, the manifest says ${t.rows}`);
            }
        }
        if (tables.length !== want.length) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .IntegrityError */ .cs(`${manifest.name}/${CHROMA_DB}: ${tables.length} collections, the manifest says ${want.length}`);
        }
    }
    finally {
        await (0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .removeWithSidecars */ .d6)(spool);
    }
}
async function inventoryChromaDir(url, ctx) {
    const path = chromaDirPath(url, 'target', (0,_dir_path_js__WEBPACK_IMPORTED_MODULE_9__/* .workingDir */ .vm)(ctx));
    const db = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(path, CHROMA_DB);
    if (!(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(db).catch(() => undefined))) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('target', `${path} holds no ${CHROMA_DB}`);
    }
    let h;
    try {
        h = (0,_sqlite_database_js__WEBPACK_IMPORTED_MODULE_13__/* .openExisting */ .EZ)(db, true);
    }
    finally {
        h?.close();
    }
    return { tables: collectionCounts(db) };
}
const chromaDirDriver = {
    kind: 'chroma-dir',
    schemes: ['chroma+dir'],
    open: (url, ctx) => new ChromaDirSource(url, ctx),
    stage: (members, request, ctx) => {
        const target = chromaDirPath(request.target, 'target', (0,_dir_path_js__WEBPACK_IMPORTED_MODULE_9__/* .workingDir */ .vm)(ctx));
        return (0,_dir_restore_js__WEBPACK_IMPORTED_MODULE_10__/* .stageDir */ .w)(checkedMembers(members, request.manifest, ctx), { ...request, target: `dir:${target}` }, ctx).then((staged) => ({
            ...staged,
            location: `chroma+dir:${target}`,
            commit: async () => ({ ...(await staged.commit()), location: `chroma+dir:${target}` }),
        }));
    },
    verify: (members, manifest, ctx) => (0,_dir_verify_js__WEBPACK_IMPORTED_MODULE_11__/* .verifyDir */ .p)(checkedMembers(members, manifest, ctx), manifest, ctx),
    inventory: inventoryChromaDir,
};


/***/ }),

/***/ 57300:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ tableCounts),
/* harmony export */   Bp: () => (/* binding */ onlineCopy),
/* harmony export */   EZ: () => (/* binding */ openExisting),
/* harmony export */   QS: () => (/* binding */ checkCopy),
/* harmony export */   d6: () => (/* binding */ removeWithSidecars),
/* harmony export */   dZ: () => (/* binding */ sqliteVersion),
/* harmony export */   iU: () => (/* binding */ message),
/* harmony export */   kx: () => (/* binding */ isNotADatabase),
/* harmony export */   r$: () => (/* binding */ SIDECARS),
/* harmony export */   t2: () => (/* binding */ exists),
/* harmony export */   t_: () => (/* binding */ fsyncDir)
/* harmony export */ });
/* unused harmony exports ALL_PAGES_IN_ONE_STEP, pragmaValue */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_sqlite__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(80099);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
/**
 * SQLite building blocks shared by every source that holds a SQLite file (sqlite:, chroma+dir:):
 * opening an existing database, its checks (integrity_check, row counts) and its sidecar files.
 */



/** Files SQLite keeps beside a database; they belong to it and move with it. */
const SIDECARS = ['-wal', '-shm', '-journal'];
/**
 * Pages per backup() step. Node 24 rejects SQLite's "-1 = all pages" and anything beyond an
 * int32, so the largest int32: one step for any database under 2^31 pages (8 TiB at 4 KiB).
 */
const ALL_PAGES_IN_ONE_STEP = 2 ** 31 - 1;
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
async function exists(path) {
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(path);
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
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(p, { force: true });
}
async function fsyncDir(dir) {
    try {
        const h = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(dir, 'r');
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
    const db = new node_sqlite__WEBPACK_IMPORTED_MODULE_1__.DatabaseSync(path, { readOnly, timeout: 30_000 });
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
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .LifeboatError */ .H3)
            throw err;
        if (isNotADatabase(err))
            throw fail(`not a valid SQLite database (${message(err)})`);
        throw fail(message(err));
    }
    finally {
        db?.close();
    }
}
/**
 * Copies a live database to `copy` (a path of ours) with SQLite's online backup API, so the copy
 * is a consistent snapshot even while other processes write, then checks it (`checkCopy`) and
 * removes its sidecars. `copyFailed` turns a failure to open or copy the source into the
 * caller's error, `corrupt` a failed check; `opened` runs once the source is open. The caller
 * removes `copy` (with `removeWithSidecars`) when done, also after a failure.
 */
async function onlineCopy(path, copy, how) {
    let source;
    let sourceJournalMode;
    try {
        source = openExisting(path, true);
        sourceJournalMode = pragmaValue(source, 'journal_mode');
        how.opened?.();
        // All pages in one step: SQLite restarts a stepped backup whenever another process
        // writes, which under steady writes may never finish. One step reads one snapshot
        // (in WAL mode writers carry on meanwhile).
        await (0,node_sqlite__WEBPACK_IMPORTED_MODULE_1__.backup)(source, copy, { rate: ALL_PAGES_IN_ONE_STEP });
    }
    catch (err) {
        throw how.copyFailed(err);
    }
    finally {
        source?.close();
    }
    const checked = checkCopy(copy, how.corrupt);
    for (const s of SIDECARS)
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(copy + s, { force: true });
    return { ...checked, sourceJournalMode };
}
/** The version of the SQLite library node:sqlite links (what copies and checks). */
function sqliteVersion() {
    const db = new node_sqlite__WEBPACK_IMPORTED_MODULE_1__.DatabaseSync(':memory:');
    try {
        return String(db.prepare('SELECT sqlite_version() AS v').get().v);
    }
    finally {
        db.close();
    }
}


/***/ })

};
