export const id = 949;
export const ids = [949,706];
export const modules = {

/***/ 57412:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ refuseIncremental)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);

/** An incremental's own archive is not the data: only its chain (engine/chain.ts) is. */
function refuseIncremental(manifest) {
    if (manifest.incremental) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IntegrityError */ .cs(`${manifest.name} is an incremental backup (parent ${manifest.incremental.parent}): it can only be restored or checked through its chain`);
    }
}


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


/***/ }),

/***/ 2949:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  sqliteDriver: () => (/* binding */ sqliteDriver)
});

// EXTERNAL MODULE: external "node:sqlite"
var external_node_sqlite_ = __webpack_require__(80099);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
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
;// CONCATENATED MODULE: ./build/src/sources/sqlite/incremental.js
/**
 * `sqlite:` in incremental chains: page level. The online copy is read in page-size blocks and
 * each page hashed (the first 16 bytes of its sha256). A chain's full backup stores `page-hashes`
 * before the database; an incremental stores the new `page-hashes`, `pages.idx` (the numbers of
 * the pages it stores, 4-byte big-endian, 1-based) and `pages` (those pages, in that order),
 * and records the page size, page count, SQLite header and the whole file's size and sha256.
 *
 * Restoring writes the full backup's database into a private scratch file, lays each link's
 * pages over it, cuts it to the last page count and checks its sha256 against the last link's
 * record before handing it to the ordinary two-phase restore (integrity_check, row counts).
 */







const PAGE_HASHES_MEMBER = 'page-hashes';
const PAGES_INDEX_MEMBER = 'pages.idx';
const PAGES_MEMBER = 'pages';
/** Members only chains use; a full backup's restore skips them. */
const CHAIN_MEMBERS = new Set([PAGE_HASHES_MEMBER, PAGES_INDEX_MEMBER, PAGES_MEMBER]);
/**
 * Bytes of each page's sha256 kept: 128 bits, so no accidental or crafted collision can make a
 * changed page look unchanged, at half the size of the whole hash (the list is stored with every
 * backup). The whole file's full sha256 is checked on every restore besides.
 */
const HASH = 16;
/** Bytes read at a time when hashing or copying pages. */
const BLOCK = 4 * 1024 * 1024;
/** Reads the copy once: every page's sha256 and the whole file's. */
async function scanPages(path, pageSize) {
    const size = (await (0,promises_.stat)(path)).size;
    if (!(pageSize >= 512) || size % pageSize !== 0) {
        throw new errors/* SourceError */.c8(`the copy is ${size} bytes, not a whole number of ${pageSize}-byte pages`);
    }
    const pageCount = size / pageSize;
    const hashes = Buffer.alloc(pageCount * HASH);
    const whole = (0,external_node_crypto_.createHash)('sha256');
    const handle = await (0,promises_.open)(path, 'r');
    const block = Buffer.alloc(Math.max(pageSize, Math.floor(BLOCK / pageSize) * pageSize));
    const header = Buffer.alloc(Math.min(100, size));
    try {
        let page = 0;
        for (let pos = 0; pos < size;) {
            const { bytesRead } = await handle.read(block, 0, Math.min(block.length, size - pos), pos);
            if (bytesRead === 0 || bytesRead % pageSize !== 0)
                throw new errors/* SourceError */.c8('short read of the copy');
            if (pos === 0)
                block.copy(header, 0, 0, header.length);
            whole.update(block.subarray(0, bytesRead));
            for (let off = 0; off < bytesRead; off += pageSize, page++) {
                // One-shot hash(): about 15 % faster than createHash() for page-sized inputs.
                (0,external_node_crypto_.hash)('sha256', block.subarray(off, off + pageSize), 'buffer').copy(hashes, page * HASH, 0, HASH);
            }
            pos += bytesRead;
        }
    }
    finally {
        await handle.close();
    }
    return { pageSize, pageCount, hashes, size, sha256: whole.digest('hex'), header };
}
/** Page numbers (1-based) whose hash differs from the parent's, or that the parent lacks. */
function changedPages(now, parent) {
    const changed = [];
    const count = now.length / HASH;
    for (let i = 0; i < count; i++) {
        const off = i * HASH;
        if (off + HASH > parent.length || now.compare(parent, off, off + HASH, off, off + HASH) !== 0)
            changed.push(i + 1);
    }
    return changed;
}
function pageIndex(pages) {
    const b = Buffer.alloc(pages.length * 4);
    pages.forEach((p, i) => b.writeUInt32BE(p, i * 4));
    return b;
}
/** The listed pages of the copy, in order, read a block at a time. */
function readPages(path, pageSize, pages) {
    async function* gen() {
        const handle = await (0,promises_.open)(path, 'r');
        try {
            const perBlock = Math.max(1, Math.floor(BLOCK / pageSize));
            for (let i = 0; i < pages.length; i += perBlock) {
                const slice = pages.slice(i, i + perBlock);
                const out = Buffer.alloc(slice.length * pageSize);
                for (const [j, p] of slice.entries()) {
                    const { bytesRead } = await handle.read(out, j * pageSize, pageSize, (p - 1) * pageSize);
                    if (bytesRead !== pageSize)
                        throw new errors/* SourceError */.c8(`short read of page ${p}`);
                }
                yield out;
            }
        }
        finally {
            await handle.close();
        }
    }
    return external_node_stream_.Readable.from(gen(), { objectMode: false });
}
async function collect(body) {
    const parts = [];
    for await (const c of body)
        parts.push(c);
    return Buffer.concat(parts);
}
const DB_FILE = 'database.sqlite';
async function writeAt(handle, buf, pos) {
    let done = 0;
    while (done < buf.length) {
        const { bytesWritten } = await handle.write(buf, done, buf.length - done, pos + done);
        done += bytesWritten;
    }
}
function sqliteIncremental(dbMember) {
    return {
        canFollow: (parent) => parent.members.some((m) => m.path === PAGE_HASHES_MEMBER),
        async absorb(members, link, _last, scratch, ctx) {
            const file = (0,external_node_path_.join)(scratch, DB_FILE);
            const pages = link.manifest.incremental?.pages;
            if (pages &&
                (!Number.isInteger(pages.pageSize) ||
                    pages.pageSize < 512 ||
                    pages.pageSize > 65536 ||
                    !Number.isSafeInteger(pages.pageCount * pages.pageSize))) {
                throw new errors/* IntegrityError */.cs(`backup ${link.id} records an impossible page size or count`);
            }
            let index;
            let wroteDb = false;
            let wrotePages = false;
            for await (const m of members) {
                ctx.signal?.throwIfAborted();
                if (!m.body)
                    continue;
                if (!pages && m.path === dbMember) {
                    await (0,external_node_stream_promises_.pipeline)(m.body, (0,external_node_fs_.createWriteStream)(file, { mode: 0o600 }));
                    wroteDb = true;
                }
                else if (pages && m.path === PAGES_INDEX_MEMBER) {
                    index = await collect(m.body);
                }
                else if (pages && m.path === PAGES_MEMBER) {
                    if (!index || index.length !== pages.changed * 4) {
                        throw new errors/* IntegrityError */.cs(`backup ${link.id}: ${PAGES_INDEX_MEMBER} is missing or does not list ${pages.changed} pages`);
                    }
                    const handle = await (0,promises_.open)(file, 'r+').catch(() => {
                        throw new errors/* IntegrityError */.cs(`backup ${link.id} has no database to apply its pages to: the chain's full backup was not read`);
                    });
                    try {
                        let n = 0;
                        let pending = Buffer.alloc(0);
                        for await (const chunk of m.body) {
                            pending = pending.length
                                ? Buffer.concat([pending, chunk])
                                : chunk;
                            while (pending.length >= pages.pageSize) {
                                if (n >= pages.changed)
                                    throw new errors/* IntegrityError */.cs(`backup ${link.id}: ${PAGES_MEMBER} holds more pages than listed`);
                                const p = index.readUInt32BE(n * 4);
                                if (p < 1 || p > pages.pageCount) {
                                    throw new errors/* IntegrityError */.cs(`backup ${link.id}: ${PAGES_INDEX_MEMBER} lists page ${p}, outside 1…${pages.pageCount}`);
                                }
                                await writeAt(handle, pending.subarray(0, pages.pageSize), (p - 1) * pages.pageSize);
                                pending = pending.subarray(pages.pageSize);
                                n++;
                            }
                        }
                        if (n !== pages.changed || pending.length) {
                            throw new errors/* IntegrityError */.cs(`backup ${link.id}: ${PAGES_MEMBER} holds ${n} pages, ${pages.changed} listed`);
                        }
                        await handle.truncate(pages.pageCount * pages.pageSize);
                    }
                    finally {
                        await handle.close();
                    }
                    wrotePages = true;
                }
            }
            if (!pages && !wroteDb)
                throw new errors/* IntegrityError */.cs(`backup ${link.id} holds no ${dbMember}`);
            if (pages && !wrotePages) {
                if (pages.changed !== 0)
                    throw new errors/* IntegrityError */.cs(`backup ${link.id} holds no ${PAGES_MEMBER}`);
                await (0,promises_.truncate)(file, pages.pageCount * pages.pageSize);
            }
        },
        async assemble(last, scratch) {
            const file = (0,external_node_path_.join)(scratch, DB_FILE);
            const want = last.incremental?.pages;
            if (!want)
                throw new errors/* IntegrityError */.cs(`${last.name}: the last link records no pages`);
            const st = await (0,promises_.stat)(file).catch(() => undefined);
            const hash = (0,external_node_crypto_.createHash)('sha256');
            if (st)
                for await (const c of (0,external_node_fs_.createReadStream)(file))
                    hash.update(c);
            const got = st ? hash.digest('hex') : 'none';
            if (!st || st.size !== want.size || got !== want.sha256) {
                throw new errors/* IntegrityError */.cs(`the database rebuilt from the chain is ${st?.size ?? 0} bytes with sha256 ${got}, the backup recorded ${want.size} bytes with sha256 ${want.sha256}`, { hint: 'a link of the chain is inconsistent: restore an earlier full backup' });
            }
            async function* members() {
                yield {
                    path: dbMember,
                    type: 'file',
                    mode: 0o600,
                    mtime: new Date(0),
                    body: (0,external_node_fs_.createReadStream)(file),
                };
            }
            const { incremental: _incremental, ...full } = last;
            return { members: members(), manifest: { ...full, members: [] } };
        },
    };
}
function pagesRecord(scan, changed) {
    return {
        pageSize: scan.pageSize,
        pageCount: scan.pageCount,
        changed,
        size: scan.size,
        sha256: scan.sha256,
        header: scan.header.toString('hex'),
    };
}

// EXTERNAL MODULE: ./build/src/sources/incremental.js
var incremental = __webpack_require__(57412);
// EXTERNAL MODULE: ./build/src/sources/sqlite/database.js
var database = __webpack_require__(57300);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/sources/sqlite/path.js
var sqlite_path = __webpack_require__(54706);
// EXTERNAL MODULE: ./build/src/sources/types.js
var types = __webpack_require__(97145);
;// CONCATENATED MODULE: ./build/src/sources/sqlite/dump.js
/** Backup: an online copy of the database, checked before it goes into the archive; full or changed pages. */










class SqliteSource {
    kind = 'sqlite';
    displayUrl;
    path;
    constructor(url, ctx) {
        this.path = (0,sqlite_path.sqlitePath)(url, 'source', (0,sqlite_path/* workingDir */.v)(ctx));
        this.displayUrl = `sqlite:${this.path}`;
    }
    async dump(sink, ctx, incremental) {
        const st = await (0,promises_.stat)(this.path).catch((err) => {
            if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
                throw new errors/* ConfigError */.xL('source', `SQLite database ${this.path} does not exist`, {
                    hint: 'check the path (relative paths are relative to the working directory)',
                });
            }
            throw new errors/* SourceError */.c8(`cannot read ${this.path}: ${(0,database/* message */.iU)(err)}`, { cause: err });
        });
        if (!st.isFile()) {
            throw new errors/* ConfigError */.xL('source', `${this.path} is not a file`, {
                hint: 'name the SQLite database file itself; use dir: for a folder',
            });
        }
        const copy = (0,external_node_path_.join)(ctx.tmpDir, `sqlite-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.sqlite`);
        try {
            const checked = await (0,database/* onlineCopy */.Bp)(this.path, copy, {
                opened: () => ctx.log.info(`Copying SQLite database ${this.path} (${(0,log/* formatBytes */.z3)(st.size)}) online…`),
                copyFailed: (err) => (0,database/* isNotADatabase */.kx)(err)
                    ? new errors/* SourceError */.c8(`${this.path} is not a valid SQLite database: ${(0,database/* message */.iU)(err)}`, {
                        cause: err,
                        hint: 'point source at a SQLite database file',
                    })
                    : new errors/* SourceError */.c8(`copying ${this.path} failed: ${(0,database/* message */.iU)(err)}`, { cause: err }),
                corrupt: (reason) => new errors/* SourceError */.c8(`SQLite database ${this.path} is corrupt: ${reason}`, {
                    hint: 'repair the database (sqlite3 .recover) before backing it up',
                }),
            });
            const size = (await (0,promises_.stat)(copy)).size;
            let chain;
            if (incremental) {
                // Chains need the page hashes first, so the next incremental reads only the start of
                // this archive to learn them.
                const scan = await scanPages(copy, checked.pageSize);
                await sink.addFile(PAGE_HASHES_MEMBER, scan.hashes, { mode: 0o600, mtime: st.mtime });
                const parent = incremental.parent;
                const before = parent ? await parent.readMember(PAGE_HASHES_MEMBER) : undefined;
                const parentPageSize = parent?.manifest.incremental?.pages?.pageSize ??
                    (parent ? (0,types/* detailsOf */.cz)(parent.manifest, 'sqlite').pageSize : undefined);
                if (parent && before && parentPageSize === scan.pageSize) {
                    const pages = changedPages(scan.hashes, before);
                    await sink.addFile(PAGES_INDEX_MEMBER, pageIndex(pages), {
                        mode: 0o600,
                        mtime: st.mtime,
                    });
                    await sink.addFile(PAGES_MEMBER, readPages(copy, scan.pageSize, pages), {
                        mode: 0o600,
                        mtime: st.mtime,
                    });
                    chain = { parent: parent.id, pages: pagesRecord(scan, pages.length) };
                    ctx.log.info(`Incremental against ${parent.id}: ${pages.length} of ${scan.pageCount} pages changed (${(0,log/* formatBytes */.z3)(pages.length * scan.pageSize)} stored)`);
                }
                else {
                    if (parent) {
                        throw new errors/* SourceError */.c8(`the parent backup ${parent.id} has pages of ${parentPageSize} bytes, the database now ${scan.pageSize}`, { hint: 'take a full backup ({{option:mode=full}}) to start a new chain' });
                    }
                    await sink.addFile(sqlite_path/* SQLITE_MEMBER */.o, (0,external_node_fs_.createReadStream)(copy), {
                        mode: 0o600,
                        mtime: st.mtime,
                    });
                }
            }
            else {
                await sink.addFile(sqlite_path/* SQLITE_MEMBER */.o, (0,external_node_fs_.createReadStream)(copy), { mode: 0o600, mtime: st.mtime });
            }
            const version = (0,database/* sqliteVersion */.dZ)();
            ctx.log.info(`SQLite ${this.path}: ${checked.tables.length} tables, ${(0,log/* formatBytes */.z3)(size)}, integrity ok`);
            const result = {
                versions: { sqlite: version },
                inventory: { tables: checked.tables, totalBytes: size, files: 1 },
                details: {
                    pageSize: checked.pageSize,
                    journalMode: checked.sourceJournalMode,
                    sqliteVersion: version,
                },
            };
            if (chain)
                result.incremental = chain;
            return result;
        }
        finally {
            await (0,database/* removeWithSidecars */.d6)(copy);
        }
    }
}

// EXTERNAL MODULE: ./build/src/sources/inventory.js
var inventory = __webpack_require__(73240);
// EXTERNAL MODULE: ./build/src/sources/staging.js
var staging = __webpack_require__(80269);
;// CONCATENATED MODULE: ./build/src/sources/sqlite/restore.js
/** Restore: the member written beside the target, checked, then put in place keeping the previous one aside. */











/**
 * Reads the source folder's members: exactly one, `database.sqlite`, written to `path`
 * (created exclusively, fsynced). Anything else in the folder is an IntegrityError.
 */
async function writeMember(members, path) {
    let found = false;
    let mode = 0o600;
    for await (const m of members) {
        // A chain's full backup records its page hashes before the database: not part of it.
        if (m.path === PAGE_HASHES_MEMBER && m.type === 'file' && !found)
            continue;
        if (m.path !== sqlite_path/* SQLITE_MEMBER */.o || m.type !== 'file' || !m.body || found) {
            throw new errors/* IntegrityError */.cs(`unexpected member '${m.path}' (${m.type}) in a sqlite backup; expected one file ${sqlite_path/* SQLITE_MEMBER */.o}`);
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
        throw new errors/* IntegrityError */.cs(`the backup holds no ${sqlite_path/* SQLITE_MEMBER */.o}`);
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
    const previous = `${target}.lifeboat-previous-${timestamp()}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
    const moved = [];
    let placed = false;
    try {
        for (const s of ['', ...database/* SIDECARS */.r$]) {
            if (await (0,database/* exists */.t2)(target + s)) {
                await (0,promises_.rename)(target + s, previous + s);
                moved.push([target + s, previous + s]);
            }
        }
        await (0,promises_.rename)(tmp, target);
        placed = true;
        check(target);
    }
    catch (err) {
        await (0,database/* removeWithSidecars */.d6)(tmp);
        if (placed)
            await (0,database/* removeWithSidecars */.d6)(target);
        const putBack = [];
        for (const [from, to] of moved) {
            try {
                await (0,promises_.rename)(to, from);
            }
            catch (e) {
                putBack.push(`${to} (${(0,database/* message */.iU)(e)})`);
            }
        }
        if (putBack.length) {
            throw new errors/* SourceError */.c8(`restore into ${target} failed (${(0,database/* message */.iU)(err)}) and the previous database could not be put back: ${putBack.join(', ')}`, { cause: err, hint: `move ${previous} back to ${target} by hand` });
        }
        if (err instanceof errors/* LifeboatError */.H3)
            throw err;
        throw new errors/* SourceError */.c8(`restore into ${target} failed: ${(0,database/* message */.iU)(err)}; the previous database is back in place`, { cause: err });
    }
    await (0,database/* fsyncDir */.t_)((0,external_node_path_.dirname)(target));
    // Kept until the whole restore is over, so a later failure can put it back.
    return moved.length ? previous : undefined;
}
async function stageSqlite(members, request, ctx) {
    const target = (0,sqlite_path.sqlitePath)(request.target, 'target', (0,sqlite_path/* workingDir */.v)(ctx));
    const location = `sqlite:${target}`;
    const targetSt = await (0,promises_.lstat)(target).catch(() => undefined);
    if (targetSt?.isDirectory()) {
        throw new errors/* ConfigError */.xL('target', `${target} is a directory`, {
            hint: 'name the database file to create, e.g. sqlite:./restored.db',
        });
    }
    const present = [];
    for (const p of [target, ...database/* SIDECARS */.r$.map((s) => target + s)])
        if (await (0,database/* exists */.t2)(p))
            present.push(p);
    if (present.length && !request.overwrite) {
        throw new errors/* ConfigError */.xL('target', `${present[0]} exists`, {
            hint: 'pass {{option:overwrite=true}} or choose a new file',
        });
    }
    const dir = (0,external_node_path_.dirname)(target);
    await (0,promises_.mkdir)(dir, { recursive: true });
    for (const line of await (0,staging/* removeAbandonedBeside */.lg)(dir, (0,external_node_path_.basename)(target)))
        ctx.log.info(line);
    // Beside the target, so commit is a rename on the same filesystem.
    const tmp = (0,external_node_path_.join)(dir, (0,staging/* stagedPathName */.lh)((0,external_node_path_.basename)(target), 'tmp'));
    let checked;
    try {
        const mode = await writeMember(members, tmp);
        checked = (0,database/* checkCopy */.QS)(tmp, (reason) => new errors/* IntegrityError */.cs(`the restored copy of ${sqlite_path/* SQLITE_MEMBER */.o} is unusable: ${reason}`));
        const diff = (0,inventory/* inventoryDifferences */.B)(request.manifest.inventory, { tables: checked.tables }, undefined, 'manifest');
        if (diff.length) {
            throw new errors/* IntegrityError */.cs(`the restored database does not match the manifest: ${diff.slice(0, 5).join('; ')}`);
        }
        await (0,promises_.chmod)(tmp, mode);
    }
    catch (err) {
        await (0,database/* removeWithSidecars */.d6)(tmp);
        throw err;
    }
    let placed = false;
    let previous;
    const commit = async () => {
        // Looked at again: the target may have appeared while the archive was read.
        const now = [];
        for (const p of [target, ...database/* SIDECARS */.r$.map((s) => target + s)])
            if (await (0,database/* exists */.t2)(p))
                now.push(p);
        if (now.length && !request.overwrite) {
            throw new errors/* ConfigError */.xL('target', `${now[0]} appeared during the restore; nothing was changed`, {
                hint: 'pass {{option:overwrite=true}} or choose a new file',
            });
        }
        if (!now.length) {
            try {
                await (0,promises_.rename)(tmp, target);
            }
            catch (err) {
                throw new errors/* SourceError */.c8(`cannot move the restored database to ${target}: ${(0,database/* message */.iU)(err)}`, {
                    cause: err,
                });
            }
            placed = true;
            await (0,database/* fsyncDir */.t_)(dir);
            ctx.log.info(`Restored SQLite database to ${target}`);
            return { location, inventory: { tables: checked.tables } };
        }
        previous = await replaceDatabase(tmp, target, (path) => (0,database/* checkCopy */.QS)(path, (reason) => new errors/* IntegrityError */.cs(`the database now at ${target} failed its check: ${reason}`)));
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
        await (0,database/* removeWithSidecars */.d6)(target);
        if (previous) {
            for (const s of ['', ...database/* SIDECARS */.r$])
                if (await (0,database/* exists */.t2)(previous + s))
                    await (0,promises_.rename)(previous + s, target + s);
            previous = undefined;
        }
        placed = false;
        await (0,database/* fsyncDir */.t_)(dir);
    };
    const abort = async () => {
        await (0,database/* removeWithSidecars */.d6)(tmp);
        if (previous)
            await (0,database/* removeWithSidecars */.d6)(previous);
    };
    return { location, commit, abort, rollback };
}

;// CONCATENATED MODULE: ./build/src/sources/sqlite/verify.js
/** Structural check: the member written to a private file and checked against the manifest. */







async function verifySqlite(members, manifest, ctx) {
    const tmp = (0,external_node_path_.join)(ctx.tmpDir, `verify-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.sqlite`);
    try {
        await writeMember(members, tmp);
        const checked = (0,database/* checkCopy */.QS)(tmp, (reason) => new errors/* IntegrityError */.cs(`${manifest.name}/${sqlite_path/* SQLITE_MEMBER */.o}: ${reason}`));
        const diff = (0,inventory/* inventoryDifferences */.B)(manifest.inventory, { tables: checked.tables }, undefined, 'manifest');
        if (diff.length) {
            throw new errors/* IntegrityError */.cs(`${manifest.name}/${sqlite_path/* SQLITE_MEMBER */.o} does not match the manifest: ${diff.slice(0, 5).join('; ')}`);
        }
    }
    finally {
        await (0,database/* removeWithSidecars */.d6)(tmp);
    }
}

;// CONCATENATED MODULE: ./build/src/sources/sqlite/index.js
/**
 * SQLite source (`sqlite:<path>`, `sqlite:///abs/path`).
 *
 * One member, `database.sqlite`: a copy made with SQLite's online backup API (node:sqlite
 * `backup()`), so it is a consistent snapshot even while other processes write, WAL included.
 * The copy must pass `PRAGMA integrity_check` before it goes into the archive, and again (with
 * row counts compared to the manifest) before a restore puts it in place.
 */









async function inventorySqlite(url, ctx) {
    const path = (0,sqlite_path.sqlitePath)(url, 'target', (0,sqlite_path/* workingDir */.v)(ctx));
    if (!(await (0,database/* exists */.t2)(path))) {
        throw new errors/* ConfigError */.xL('target', `SQLite database ${path} does not exist`);
    }
    let db;
    try {
        db = (0,database/* openExisting */.EZ)(path, true);
        return { tables: (0,database/* tableCounts */.$e)(db) };
    }
    catch (err) {
        if ((0,database/* isNotADatabase */.kx)(err)) {
            throw new errors/* SourceError */.c8(`${path} is not a valid SQLite database: ${(0,database/* message */.iU)(err)}`, {
                cause: err,
            });
        }
        throw new errors/* SourceError */.c8(`cannot read ${path}: ${(0,database/* message */.iU)(err)}`, { cause: err });
    }
    finally {
        db?.close();
    }
}
const sqliteDriver = {
    kind: 'sqlite',
    schemes: ['sqlite'],
    open: (url, ctx) => new SqliteSource(url, ctx),
    stage: async (members, request, ctx) => {
        (0,incremental/* refuseIncremental */.t)(request.manifest);
        return stageSqlite(members, request, ctx);
    },
    verify: async (members, manifest, ctx) => {
        (0,incremental/* refuseIncremental */.t)(manifest);
        return verifySqlite(members, manifest, ctx);
    },
    inventory: inventorySqlite,
    incremental: sqliteIncremental(sqlite_path/* SQLITE_MEMBER */.o),
};


/***/ }),

/***/ 54706:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ SQLITE_MEMBER),
/* harmony export */   sqlitePath: () => (/* binding */ sqlitePath),
/* harmony export */   v: () => (/* reexport safe */ _types_js__WEBPACK_IMPORTED_MODULE_1__.vm)
/* harmony export */ });
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(35708);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(97145);
/** `sqlite:` paths and the member name: nothing here opens a database. */

const SQLITE_MEMBER = 'database.sqlite';

/**
 * The file a `sqlite:` URL (or, for targets, a plain path) names, absolute. Relative paths are
 * relative to the working directory.
 */
function sqlitePath(url, option, cwd = process.cwd()) {
    return (0,_core_url_js__WEBPACK_IMPORTED_MODULE_0__/* .localPath */ .$S)(url, option, SQLITE_PATH, cwd);
}
const SQLITE_PATH = {
    scheme: 'sqlite',
    noun: 'file',
    local: 'SQLite databases are local files',
    relativeExample: './relative/path.db',
    absoluteExample: '/absolute/path.db',
    example: 'sqlite:./app.db',
};


/***/ })

};
