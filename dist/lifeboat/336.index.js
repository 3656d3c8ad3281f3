export const id = 336;
export const ids = [336];
export const modules = {

/***/ 97241:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ID: () => (/* binding */ TreeRules),
/* harmony export */   Qz: () => (/* binding */ extractInto),
/* harmony export */   fE: () => (/* binding */ checkAgainstManifest)
/* harmony export */ });
/* unused harmony exports checkMemberPath, staysInside */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46466);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(43026);
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(60665);
/* harmony import */ var _walk_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(78511);
/**
 * The safe extract, a building block for every source that restores a folder: archives are
 * hostile, so member paths, links and the tree's shape are checked before anything is written.
 */







/** Checks a member path from an archive: relative, canonical, no '..'. Returns it without a trailing '/'. */
function checkMemberPath(path) {
    const p = path.replace(/\/+$/, '');
    const bad = (why) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${path}': ${why}`);
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
        if (target === '' || node_path__WEBPACK_IMPORTED_MODULE_2__.posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target))
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
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': unsupported type ${String(m.type)}`);
        }
        if (this.types.has(rel) || (this.implicit.has(rel) && m.type !== 'directory')) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': it appears twice`);
        }
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
            const a = parts.slice(0, i).join('/');
            const t = this.types.get(a);
            if (t === 'symlink') {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': it goes through the symlink '${a}'`);
            }
            if (t === 'file') {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': '${a}' is a file`);
            }
            if (t === undefined)
                this.implicit.add(a);
        }
        if (m.type === 'file' && !m.body) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`archive member '${m.path}' is a file without content`);
        }
        if (m.type === 'symlink') {
            const target = m.linkTarget ?? '';
            if (!target || target.includes('\0') || (0,_walk_js__WEBPACK_IMPORTED_MODULE_6__/* .escapesLexically */ .AM)(rel, target)) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing symlink '${m.path}' -> '${target}': it points outside the restored folder`);
            }
            this.links.set(rel, target);
            if (!staysInside(this.links, rel)) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing symlink '${m.path}' -> '${target}': it leads outside the restored folder`);
            }
        }
        this.types.set(rel, m.type);
        return rel;
    }
    /** Links added later can make an earlier one escape; checked once the tree is complete. */
    finish() {
        for (const [rel, target] of this.links) {
            if (!staysInside(this.links, rel)) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing symlink '${rel}' -> '${target}': through other links it leads outside the restored folder`);
            }
        }
    }
}
function checkAgainstManifest(inventory, counts) {
    if (typeof inventory?.files === 'number' && inventory.files !== counts.files) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`the archive holds ${counts.files} files, the manifest says ${inventory.files}`);
    }
    if (typeof inventory?.totalBytes === 'number' && inventory.totalBytes !== counts.bytes) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`the archive holds ${counts.bytes} bytes of files, the manifest says ${inventory.totalBytes}`);
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
        const abs = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, ...parts.slice(0, i));
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(abs, { mode: 0o700 });
        }
        catch (err) {
            if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) !== 'EEXIST')
                throw err;
            if (!(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(abs)).isDirectory()) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${rel}': '${a}' is not a folder`);
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
        const abs = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, ...rel.split('/'));
        await ensureParents(root, rel, made);
        if (m.type === 'directory') {
            if (!made.has(rel)) {
                try {
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(abs, { mode: 0o700 });
                }
                catch (err) {
                    // Already made as the parent of an earlier member: fine, as long as it is a folder.
                    if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) !== 'EEXIST' || !(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(abs)).isDirectory())
                        throw err;
                }
                made.add(rel);
            }
            dirs.push({ abs, depth: rel.split('/').length, mode: m.mode, mtime: m.mtime });
            counts.directories++;
        }
        else if (m.type === 'symlink') {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.symlink)(m.linkTarget, abs);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lutimes)(abs, m.mtime, m.mtime);
            counts.symlinks++;
        }
        else {
            const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(abs, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_WRONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_CREAT | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_EXCL | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW, 0o600);
            try {
                const out = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream)(abs, { fd: handle.fd, autoClose: false });
                await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(m.body, out);
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
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.chmod)(d.abs, d.mode & 0o1777);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.utimes)(d.abs, d.mtime, d.mtime);
    }
    return counts;
}


/***/ }),

/***/ 60665:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jz: () => (/* binding */ dirPath),
/* harmony export */   Pw: () => (/* binding */ GLOB_MAGIC),
/* harmony export */   RF: () => (/* binding */ isExcluded),
/* harmony export */   S3: () => (/* binding */ excludePatterns),
/* harmony export */   b: () => (/* binding */ errno),
/* harmony export */   iU: () => (/* binding */ message),
/* harmony export */   s4: () => (/* binding */ staticBase),
/* harmony export */   vm: () => (/* reexport safe */ _types_js__WEBPACK_IMPORTED_MODULE_2__.vm)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(35708);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(97145);
/** `dir:` paths, globs and exclude patterns. */


const GLOB_MAGIC = /[*?[\]{}]/;
function message(err) {
    return err instanceof Error ? err.message : String(err);
}
function errno(err) {
    return err?.code;
}

/** The absolute path (or glob) a `dir:` URL, or for targets a plain path, names. */
function dirPath(url, option, cwd = process.cwd()) {
    return (0,_core_url_js__WEBPACK_IMPORTED_MODULE_1__/* .localPath */ .$S)(url, option, DIR_PATH, cwd);
}
const DIR_PATH = {
    scheme: 'dir',
    noun: 'folder',
    local: 'dir: is a local folder',
    relativeExample: './relative/folder',
    absoluteExample: '/absolute/folder',
    example: 'dir:./uploads or dir:/var/data/*.csv',
};
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
    const name = node_path__WEBPACK_IMPORTED_MODULE_0__.posix.basename(rel);
    return patterns.some((p) => (0,node_path__WEBPACK_IMPORTED_MODULE_0__.matchesGlob)(rel, p) || (!p.includes('/') && (0,node_path__WEBPACK_IMPORTED_MODULE_0__.matchesGlob)(name, p)));
}


/***/ }),

/***/ 65106:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w: () => (/* binding */ stageDir)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(85491);
/* harmony import */ var _staging_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(80269);
/* harmony import */ var _extract_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(97241);
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(60665);
/** Restore: extract into a staging folder beside the target, renamed into place on commit. */







function timestamp() {
    return new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
}
async function stageDir(members, request, ctx) {
    const target = (0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .dirPath */ .Jz)(request.target, 'target', (0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .workingDir */ .vm)(ctx));
    const location = `dir:${target}`;
    const existing = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(target).catch((err) => {
        if ((0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .errno */ .b)(err) === 'ENOENT')
            return undefined;
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`cannot read ${target}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(err)}`, { cause: err });
    });
    let replace = false;
    if (existing) {
        if (!existing.isDirectory()) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL('target', `${target} exists and is not a folder`, {
                hint: 'choose a new or empty folder',
            });
        }
        if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(target)).length > 0) {
            if (!request.overwrite) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL('target', `${target} is not empty`, {
                    hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
                });
            }
            replace = true;
        }
    }
    const parent = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(target);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(parent, { recursive: true });
    for (const line of await (0,_staging_js__WEBPACK_IMPORTED_MODULE_4__/* .removeAbandonedBeside */ .lg)(parent, (0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(target)))
        ctx.log.info(line);
    const staging = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(parent, (0,_staging_js__WEBPACK_IMPORTED_MODULE_4__/* .stagedPathName */ .lh)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(target), 'staging'));
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(staging, { mode: 0o700 });
    let counts;
    try {
        counts = await (0,_extract_js__WEBPACK_IMPORTED_MODULE_5__/* .extractInto */ .Qz)(staging, members, ctx);
        (0,_extract_js__WEBPACK_IMPORTED_MODULE_5__/* .checkAgainstManifest */ .fE)(request.manifest.inventory, counts);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.chmod)(staging, existing ? existing.mode & 0o1777 : 0o755);
    }
    catch (err) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(staging, { recursive: true, force: true });
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .LifeboatError */ .H3)
            throw err;
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`restoring into ${target} failed: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(err)}`, { cause: err });
    }
    let placed = false;
    let previousKept;
    let wasEmptyFolder = false;
    const commit = async () => {
        // Looked at again: the target may have been filled while the archive was read.
        const now = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(target).catch(() => undefined);
        wasEmptyFolder = !replace && now !== undefined;
        if (!replace && now && (!now.isDirectory() || (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(target)).length > 0)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL('target', `${target} was filled during the restore; nothing was changed`, {
                hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
            });
        }
        if (!replace) {
            try {
                // rename() replaces an empty folder in one step.
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(staging, target);
            }
            catch (err) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(staging, { recursive: true, force: true });
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`cannot move the restored folder to ${target}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(err)}`, {
                    cause: err,
                });
            }
        }
        else {
            const previous = `${target}.lifeboat-previous-${timestamp()}`;
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(target, previous);
            }
            catch (err) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(staging, { recursive: true, force: true });
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`cannot move ${target} aside: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(err)}`, { cause: err });
            }
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(staging, target);
            }
            catch (err) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(previous, target).catch((e) => {
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`restore into ${target} failed (${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(err)}) and the previous folder could not be put back (${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(e)})`, { cause: err, hint: `move ${previous} back to ${target} by hand` });
                });
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(staging, { recursive: true, force: true });
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .SourceError */ .c8(`cannot move the restored folder to ${target}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(err)}; the previous folder is back`, {
                    cause: err,
                });
            }
            // Kept until the whole restore is over, so a later failure can put it back.
            previousKept = previous;
        }
        placed = true;
        ctx.log.info(`Restored ${counts.files} files (${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .formatBytes */ .z3)(counts.bytes)}) into ${target}${replace ? ', replacing its previous content' : ''}`);
        const result = {
            location,
            inventory: {
                files: counts.files,
                totalBytes: counts.bytes,
                extra: { directories: counts.directories, symlinks: counts.symlinks },
            },
        };
        if (replace) {
            result.notes = [`${target} was overwritten`];
            result.replaced = true;
        }
        return result;
    };
    const rollback = async () => {
        if (!placed)
            return;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(target, { recursive: true, force: true });
        if (previousKept)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(previousKept, target);
        else if (wasEmptyFolder)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(target);
        previousKept = undefined;
        placed = false;
    };
    const abort = async () => {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(staging, { recursive: true, force: true });
        if (!previousKept)
            return;
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(previousKept, { recursive: true, force: true });
        }
        catch (err) {
            ctx.log.warn(`the previous content of ${target} is left in ${previousKept}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .message */ .iU)(err)}`);
        }
    };
    return { location, commit, abort, rollback };
}


/***/ }),

/***/ 20211:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ verifyDir)
/* harmony export */ });
/* harmony import */ var _extract_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(97241);

/** Structural check without writing anything: the same path and link rules as a restore. */
async function verifyDir(members, manifest, ctx) {
    const rules = new _extract_js__WEBPACK_IMPORTED_MODULE_0__/* .TreeRules */ .ID();
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
    (0,_extract_js__WEBPACK_IMPORTED_MODULE_0__/* .checkAgainstManifest */ .fE)(manifest.inventory, counts);
}


/***/ }),

/***/ 78511:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AM: () => (/* binding */ escapesLexically),
/* harmony export */   ig: () => (/* binding */ resolveSpec),
/* harmony export */   jH: () => (/* binding */ walkSource),
/* harmony export */   xp: () => (/* binding */ dumpTree)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(85491);
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(60665);
/**
 * The tree walk, a building block for every source that holds a folder (dir:, chroma+dir:): what
 * a path or glob names, parents before children, written into an archive as members.
 */






async function lstatOrUndefined(path) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path);
    }
    catch (err) {
        if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'ENOENT' || (0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'ENOTDIR')
            return undefined;
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c8(`cannot read ${path}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .message */ .iU)(err)}`, { cause: err });
    }
}
async function resolveSpec(path) {
    const missing = (what) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('source', `${what} does not exist`, {
        hint: 'check the path (relative paths are relative to the working directory)',
    });
    // A literal name that happens to contain [ or { is still a literal name.
    const literal = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path).catch(() => undefined);
    if (literal || !_path_js__WEBPACK_IMPORTED_MODULE_5__/* .GLOB_MAGIC */ .Pw.test(path)) {
        if (!literal)
            throw missing(path);
        if (literal.isDirectory())
            return { base: path };
        return { base: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), single: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path) };
    }
    const base = (0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .staticBase */ .s4)(path);
    const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(base).catch(() => undefined);
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
        if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .isExcluded */ .RF)(rel, excludes))
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
            names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(abs);
        }
        catch (err) {
            if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'ENOENT') {
                log.warn(`${abs} vanished while being backed up; skipped`);
                return;
            }
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c8(`cannot list ${abs}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .message */ .iU)(err)}`, { cause: err });
        }
        names.sort();
        for (const name of names)
            yield* visit((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(abs, name), rel ? `${rel}/${name}` : name);
    }
    if (spec.single !== undefined) {
        yield* visit((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(spec.base, spec.single), spec.single);
        return;
    }
    if (spec.pattern === undefined) {
        yield* children(spec.base, '');
        return;
    }
    const matches = [];
    for await (const m of (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.glob)(spec.pattern))
        matches.push(m);
    if (matches.length === 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('source', `${spec.pattern} matches nothing`, {
            hint: 'check the pattern; it is matched with fs.glob (hidden names need an explicit dot)',
        });
    }
    matches.sort();
    for (const m of matches) {
        const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(spec.base, m).split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/');
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
            if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .isExcluded */ .RF)(a, excludes))
                usable = false;
            else if (!seen.has(a)) {
                const abs = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(spec.base, ...parts.slice(0, i));
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
    if (node_path__WEBPACK_IMPORTED_MODULE_2__.posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target))
        return true;
    const joined = node_path__WEBPACK_IMPORTED_MODULE_2__.posix.normalize(node_path__WEBPACK_IMPORTED_MODULE_2__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_2__.posix.dirname(rel), target));
    return joined === '..' || joined.startsWith('../');
}
/**
 * Writes what a source spec names into the sink, as a `dir:` backup does: folders, files
 * (streamed) and symlinks (never followed), excluded paths left out. Other sources that hold a
 * folder (chroma+dir:) use it too.
 */
async function dumpTree(sink, spec, excludes, ctx, 
/**
 * Incremental dumps: called for every path found; a number means the file is unchanged since
 * the parent and is referenced, not stored (the number is its size).
 */
reference) {
    const counts = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
    let lastLog = Date.now();
    for await (const f of walkSource(spec, excludes, ctx.log)) {
        ctx.signal?.throwIfAborted();
        const meta = { mode: f.st.mode & 0o7777, mtime: f.st.mtime };
        const referenced = reference ? await reference(f) : false;
        if (referenced !== false) {
            counts.files++;
            counts.bytes += referenced;
            continue;
        }
        if (f.st.isDirectory()) {
            await sink.addDirectory(f.rel, meta);
            counts.directories++;
        }
        else if (f.st.isSymbolicLink()) {
            let target;
            try {
                target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readlink)(f.abs);
            }
            catch (err) {
                if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'ENOENT' || (0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'EINVAL') {
                    ctx.log.warn(`${f.abs} changed while being backed up; skipped`);
                    continue;
                }
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c8(`cannot read the link ${f.abs}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .message */ .iU)(err)}`, { cause: err });
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
            ctx.log.info(`  ${counts.files} files, ${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_4__/* .formatBytes */ .z3)(counts.bytes)} so far…`);
        }
    }
    return counts;
}
/**
 * Streams one regular file into the sink. It is opened without following links (what was
 * listed as a file might be something else by now) and read up to the size it had when opened,
 * so a file that keeps growing still ends. Returns the bytes stored, or undefined if skipped.
 */
async function addFile(sink, f, log) {
    let handle;
    try {
        handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(f.abs, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK);
    }
    catch (err) {
        if ((0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'ENOENT' || (0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'ELOOP' || (0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b)(err) === 'ENXIO') {
            log.warn(`${f.abs} vanished or changed type while being backed up; skipped`);
            return undefined;
        }
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .SourceError */ .c8(`cannot open ${f.abs}: ${(0,_path_js__WEBPACK_IMPORTED_MODULE_5__/* .message */ .iU)(err)}`, { cause: err });
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


/***/ })

};
