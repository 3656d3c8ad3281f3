export const id = 469;
export const ids = [469];
export const modules = {

/***/ 34469:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dirDriver: () => (/* binding */ dirDriver)
});

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
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
;// CONCATENATED MODULE: ./build/src/sources/dir/incremental.js
/**
 * `dir:` in incremental chains: file level. A file whose path, size, mode and mtime match the
 * parent's record (or, with `incremental-rehash`, whose sha256 does) is referenced instead of
 * stored: its record carries the sha256 and the id of the backup whose archive holds it. The
 * state of a backup is its stored members plus its referenced files; deletions are recorded.
 *
 * Restoring walks the chain full backup first: each link's archive is proven while the files
 * the final state takes from it are kept in a private scratch folder (named by the sha256 of
 * their path), then the final state is handed to the ordinary two-phase restore.
 */






/** The whole state of a backup of one source: stored members and referenced files, by path. */
function dirState(backupId, sm) {
    const state = new Map();
    for (const m of sm.members) {
        state.set(m.path, m.type === 'file' ? { ...m, storedIn: backupId } : m);
    }
    for (const m of sm.incremental?.unchanged ?? [])
        state.set(m.path, m);
    return state;
}
/** The sha256 of a file's content, read without following links. */
async function hashFile(path) {
    const handle = await (0,promises_.open)(path, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK);
    try {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        let size = 0;
        for await (const chunk of handle.createReadStream({ autoClose: false })) {
            hash.update(chunk);
            size += chunk.length;
        }
        return { sha256: hash.digest('hex'), size };
    }
    finally {
        await handle.close();
    }
}
const blobName = (path) => (0,external_node_crypto_.createHash)('sha256').update(path).digest('hex').slice(0, 40);
/** Every path of the final state, parents before children (a prefix sorts first). */
function finalState(last) {
    const all = [...last.members, ...(last.incremental?.unchanged ?? [])];
    return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
const dirIncremental = {
    canFollow: () => true,
    async absorb(members, link, last, scratch, ctx) {
        // The files of the final state whose bytes are in this link's archive.
        const wanted = new Map();
        const isLast = link.manifest === last;
        for (const m of finalState(last)) {
            if (m.type !== 'file')
                continue;
            if (isLast ? m.storedIn === undefined : m.storedIn === link.id)
                wanted.set(m.path, m);
        }
        const records = new Map(link.manifest.members.map((m) => [m.path, m]));
        for await (const m of members) {
            ctx.signal?.throwIfAborted();
            const want = wanted.get(m.path);
            if (!want || m.type !== 'file' || !m.body)
                continue;
            const stored = records.get(m.path);
            if (stored?.sha256 !== want.sha256 || stored?.size !== want.size) {
                throw new errors/* IntegrityError */.cs(`backup ${link.id} holds ${m.path} with sha256 ${stored?.sha256 ?? 'none'}, but the chain expects ${want.sha256}`, { hint: 'the chain is inconsistent: restore an earlier full backup' });
            }
            const out = (0,external_node_path_.join)(scratch, blobName(m.path));
            await (0,external_node_stream_promises_.pipeline)(m.body, (0,external_node_fs_.createWriteStream)(out, { mode: 0o600 }));
            wanted.delete(m.path);
        }
        const missing = [...wanted.keys()];
        if (missing.length) {
            throw new errors/* IntegrityError */.cs(`backup ${link.id} does not hold ${missing.length} file(s) the chain takes from it (first: ${missing[0]})`);
        }
    },
    async assemble(last, scratch) {
        const state = finalState(last);
        for (const m of state) {
            if (m.type !== 'file')
                continue;
            const st = await (0,promises_.stat)((0,external_node_path_.join)(scratch, blobName(m.path))).catch(() => undefined);
            if (!st || st.size !== m.size) {
                throw new errors/* IntegrityError */.cs(`${m.path} (stored in backup ${m.storedIn ?? 'the last link'}) was not found in the chain`);
            }
        }
        async function* members() {
            for (const m of state) {
                const entry = {
                    path: m.path,
                    type: m.type,
                    mode: m.mode,
                    mtime: new Date(m.mtime),
                };
                if (m.linkTarget !== undefined)
                    entry.linkTarget = m.linkTarget;
                if (m.type === 'file')
                    entry.body = (0,external_node_fs_.createReadStream)((0,external_node_path_.join)(scratch, blobName(m.path)));
                yield entry;
            }
        }
        const { incremental: _incremental, ...full } = last;
        return {
            members: members(),
            manifest: {
                ...full,
                members: state.map(({ storedIn: _s, ...r }) => r),
            },
        };
    },
};

// EXTERNAL MODULE: ./build/src/sources/incremental.js
var incremental = __webpack_require__(57412);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/sources/dir/path.js
var dir_path = __webpack_require__(60665);
// EXTERNAL MODULE: ./build/src/sources/dir/walk.js
var walk = __webpack_require__(78511);
;// CONCATENATED MODULE: ./build/src/sources/dir/dump.js




class DirSource {
    kind = 'dir';
    displayUrl;
    path;
    constructor(url, ctx) {
        this.path = (0,dir_path/* dirPath */.Jz)(url, 'source', (0,dir_path/* workingDir */.vm)(ctx));
        this.displayUrl = `dir:${this.path}`;
    }
    async dump(sink, ctx, incremental) {
        const spec = await (0,walk/* resolveSpec */.ig)(this.path);
        const parent = incremental?.parent;
        const before = parent ? dirState(parent.id, parent.manifest) : undefined;
        const seen = new Set();
        const unchanged = [];
        let unchangedBytes = 0;
        const excludes = (0,dir_path/* excludePatterns */.S3)(ctx.options['exclude']);
        ctx.log.info(`Reading ${this.path}${excludes.length ? ` (excluding ${excludes.join(', ')})` : ''}…`);
        const counts = await (0,walk/* dumpTree */.xp)(sink, spec, excludes, ctx, async (f) => {
            seen.add(f.rel);
            const was = before?.get(f.rel);
            if (!(f.st.isFile() && was?.type === 'file' && was.sha256 && was.storedIn))
                return false;
            const same = await unchangedFile(f, was, incremental.rehash);
            if (!same)
                return false;
            unchanged.push(same);
            unchangedBytes += same.size;
            return same.size;
        });
        ctx.log.info(`${this.path}: ${counts.files} files, ${counts.directories} folders, ${counts.symlinks} symlinks, ${(0,log/* formatBytes */.z3)(counts.bytes)}`);
        const result = {
            versions: {},
            inventory: {
                files: counts.files,
                totalBytes: counts.bytes,
                extra: { directories: counts.directories, symlinks: counts.symlinks },
            },
            details: (spec.pattern ? { glob: true } : {}),
        };
        if (parent && before) {
            const deleted = [...before.keys()].filter((p) => !seen.has(p)).sort();
            ctx.log.info(`Incremental against ${parent.id}: ${unchanged.length} unchanged files (${(0,log/* formatBytes */.z3)(unchangedBytes)}) referenced, ${deleted.length} paths deleted`);
            result.incremental = { parent: parent.id, unchanged, deleted };
        }
        return result;
    }
}
/**
 * The record of a file that need not be stored again, or undefined when it changed: path,
 * size, mode and mtime as the parent recorded them (or, with rehash, the same sha256).
 */
async function unchangedFile(f, was, rehash) {
    const mode = f.st.mode & 0o7777;
    const mtime = f.st.mtime.toISOString();
    const record = (sha256) => ({
        path: f.rel,
        type: 'file',
        mode,
        mtime,
        size: f.st.size,
        sha256,
        storedIn: was.storedIn,
    });
    if (!rehash) {
        const same = was.size === f.st.size && was.mode === mode && was.mtime === mtime;
        return same ? record(was.sha256) : undefined;
    }
    if (was.size !== f.st.size)
        return undefined;
    const now = await hashFile(f.abs).catch(() => undefined);
    if (!now || now.size !== was.size || now.sha256 !== was.sha256)
        return undefined;
    return record(now.sha256);
}

// EXTERNAL MODULE: ./build/src/sources/dir/restore.js
var restore = __webpack_require__(65106);
// EXTERNAL MODULE: ./build/src/sources/dir/verify.js
var verify = __webpack_require__(20211);
;// CONCATENATED MODULE: ./build/src/sources/dir/index.js








async function inventoryDir(url, ctx) {
    const path = (0,dir_path/* dirPath */.Jz)(url, 'target', (0,dir_path/* workingDir */.vm)(ctx));
    const spec = await (0,walk/* resolveSpec */.ig)(path).catch((err) => {
        if (err instanceof errors/* ConfigError */.xL)
            throw new errors/* ConfigError */.xL('target', `${path} does not exist`);
        throw err;
    });
    const counts = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
    for await (const f of (0,walk/* walkSource */.jH)(spec, [], ctx.log)) {
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
    stage: async (members, request, ctx) => {
        (0,incremental/* refuseIncremental */.t)(request.manifest);
        return (0,restore/* stageDir */.w)(members, request, ctx);
    },
    verify: async (members, manifest, ctx) => {
        (0,incremental/* refuseIncremental */.t)(manifest);
        return (0,verify/* verifyDir */.p)(members, manifest, ctx);
    },
    inventory: inventoryDir,
    incremental: dirIncremental,
};


/***/ }),

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


/***/ })

};
