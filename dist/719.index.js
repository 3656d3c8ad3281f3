export const id = 719;
export const ids = [719];
export const modules = {

/***/ 29719:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkMemberPath: () => (/* binding */ checkMemberPath),
/* harmony export */   dirDriver: () => (/* binding */ dirDriver),
/* harmony export */   dirPath: () => (/* binding */ dirPath),
/* harmony export */   excludePatterns: () => (/* binding */ excludePatterns),
/* harmony export */   isExcluded: () => (/* binding */ isExcluded),
/* harmony export */   staticBase: () => (/* binding */ staticBase),
/* harmony export */   staysInside: () => (/* binding */ staysInside)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46466);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(72993);
/* harmony import */ var _engine_log_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(78138);
/* harmony import */ var _engine_url_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(83153);
/* harmony import */ var _staging_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(80269);
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
    return (0,_engine_url_js__WEBPACK_IMPORTED_MODULE_6__/* .localPath */ .$S)(url, option, DIR_PATH, cwd);
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
    const name = node_path__WEBPACK_IMPORTED_MODULE_2__.posix.basename(rel);
    return patterns.some((p) => (0,node_path__WEBPACK_IMPORTED_MODULE_2__.matchesGlob)(rel, p) || (!p.includes('/') && (0,node_path__WEBPACK_IMPORTED_MODULE_2__.matchesGlob)(name, p)));
}
async function lstatOrUndefined(path) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path);
    }
    catch (err) {
        if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR')
            return undefined;
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot read ${path}: ${message(err)}`, { cause: err });
    }
}
async function resolveSpec(path) {
    const missing = (what) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('source', `${what} does not exist`, {
        hint: 'check the path (relative paths are relative to the working directory)',
    });
    // A literal name that happens to contain [ or { is still a literal name.
    const literal = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path).catch(() => undefined);
    if (literal || !GLOB_MAGIC.test(path)) {
        if (!literal)
            throw missing(path);
        if (literal.isDirectory())
            return { base: path };
        return { base: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), single: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path) };
    }
    const base = staticBase(path);
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
            names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(abs);
        }
        catch (err) {
            if (errno(err) === 'ENOENT') {
                log.warn(`${abs} vanished while being backed up; skipped`);
                return;
            }
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot list ${abs}: ${message(err)}`, { cause: err });
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
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('source', `${spec.pattern} matches nothing`, {
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
            if (isExcluded(a, excludes))
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
                    target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readlink)(f.abs);
                }
                catch (err) {
                    if (errno(err) === 'ENOENT' || errno(err) === 'EINVAL') {
                        ctx.log.warn(`${f.abs} changed while being backed up; skipped`);
                        continue;
                    }
                    throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot read the link ${f.abs}: ${message(err)}`, { cause: err });
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
                ctx.log.info(`  ${counts.files} files, ${(0,_engine_log_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(counts.bytes)} so far…`);
            }
        }
        ctx.log.info(`${this.path}: ${counts.files} files, ${counts.directories} folders, ${counts.symlinks} symlinks, ${(0,_engine_log_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(counts.bytes)}`);
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
        handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(f.abs, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK);
    }
    catch (err) {
        if (errno(err) === 'ENOENT' || errno(err) === 'ELOOP' || errno(err) === 'ENXIO') {
            log.warn(`${f.abs} vanished or changed type while being backed up; skipped`);
            return undefined;
        }
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot open ${f.abs}: ${message(err)}`, { cause: err });
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
    const bad = (why) => new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${path}': ${why}`);
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
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': unsupported type ${String(m.type)}`);
        }
        if (this.types.has(rel) || (this.implicit.has(rel) && m.type !== 'directory')) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': it appears twice`);
        }
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
            const a = parts.slice(0, i).join('/');
            const t = this.types.get(a);
            if (t === 'symlink') {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': it goes through the symlink '${a}'`);
            }
            if (t === 'file') {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${m.path}': '${a}' is a file`);
            }
            if (t === undefined)
                this.implicit.add(a);
        }
        if (m.type === 'file' && !m.body) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`archive member '${m.path}' is a file without content`);
        }
        if (m.type === 'symlink') {
            const target = m.linkTarget ?? '';
            if (!target || target.includes('\0') || escapesLexically(rel, target)) {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing symlink '${m.path}' -> '${target}': it points outside the restored folder`);
            }
            this.links.set(rel, target);
            if (!staysInside(this.links, rel)) {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing symlink '${m.path}' -> '${target}': it leads outside the restored folder`);
            }
        }
        this.types.set(rel, m.type);
        return rel;
    }
    /** Links added later can make an earlier one escape; checked once the tree is complete. */
    finish() {
        for (const [rel, target] of this.links) {
            if (!staysInside(this.links, rel)) {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing symlink '${rel}' -> '${target}': through other links it leads outside the restored folder`);
            }
        }
    }
}
function checkAgainstManifest(inventory, counts) {
    if (typeof inventory?.files === 'number' && inventory.files !== counts.files) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`the archive holds ${counts.files} files, the manifest says ${inventory.files}`);
    }
    if (typeof inventory?.totalBytes === 'number' && inventory.totalBytes !== counts.bytes) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`the archive holds ${counts.bytes} bytes of files, the manifest says ${inventory.totalBytes}`);
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
            if (errno(err) !== 'EEXIST')
                throw err;
            if (!(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(abs)).isDirectory()) {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IntegrityError */ .cs(`refusing archive member '${rel}': '${a}' is not a folder`);
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
                    if (errno(err) !== 'EEXIST' || !(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(abs)).isDirectory())
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
function timestamp() {
    return new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
}
async function stageDir(members, request, ctx) {
    const target = dirPath(request.target, 'target', workingDir(ctx));
    const location = `dir:${target}`;
    const existing = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(target).catch((err) => {
        if (errno(err) === 'ENOENT')
            return undefined;
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot read ${target}: ${message(err)}`, { cause: err });
    });
    let replace = false;
    if (existing) {
        if (!existing.isDirectory()) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('target', `${target} exists and is not a folder`, {
                hint: 'choose a new or empty folder',
            });
        }
        if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(target)).length > 0) {
            if (!request.overwrite) {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('target', `${target} is not empty`, {
                    hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
                });
            }
            replace = true;
        }
    }
    const parent = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(target);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(parent, { recursive: true });
    for (const line of await (0,_staging_js__WEBPACK_IMPORTED_MODULE_7__/* .removeAbandonedBeside */ .lg)(parent, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(target)))
        ctx.log.info(line);
    const staging = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(parent, (0,_staging_js__WEBPACK_IMPORTED_MODULE_7__/* .stagedPathName */ .lh)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(target), 'staging'));
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(staging, { mode: 0o700 });
    let counts;
    try {
        counts = await extractInto(staging, members, ctx);
        checkAgainstManifest(request.manifest.inventory, counts);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.chmod)(staging, existing ? existing.mode & 0o1777 : 0o755);
    }
    catch (err) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(staging, { recursive: true, force: true });
        if (err instanceof _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .LifeboatError */ .H3)
            throw err;
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`restoring into ${target} failed: ${message(err)}`, { cause: err });
    }
    let placed = false;
    let previousKept;
    let wasEmptyFolder = false;
    const commit = async () => {
        // Looked at again: the target may have been filled while the archive was read.
        const now = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(target).catch(() => undefined);
        wasEmptyFolder = !replace && now !== undefined;
        if (!replace && now && (!now.isDirectory() || (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(target)).length > 0)) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('target', `${target} was filled during the restore; nothing was changed`, {
                hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
            });
        }
        if (!replace) {
            try {
                // rename() replaces an empty folder in one step.
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(staging, target);
            }
            catch (err) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(staging, { recursive: true, force: true });
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot move the restored folder to ${target}: ${message(err)}`, {
                    cause: err,
                });
            }
        }
        else {
            const previous = `${target}.lifeboat-previous-${timestamp()}`;
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(target, previous);
            }
            catch (err) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(staging, { recursive: true, force: true });
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot move ${target} aside: ${message(err)}`, { cause: err });
            }
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(staging, target);
            }
            catch (err) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(previous, target).catch((e) => {
                    throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`restore into ${target} failed (${message(err)}) and the previous folder could not be put back (${message(e)})`, { cause: err, hint: `move ${previous} back to ${target} by hand` });
                });
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(staging, { recursive: true, force: true });
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SourceError */ .c8(`cannot move the restored folder to ${target}: ${message(err)}; the previous folder is back`, {
                    cause: err,
                });
            }
            // Kept until the whole restore is over, so a later failure can put it back.
            previousKept = previous;
        }
        placed = true;
        ctx.log.info(`Restored ${counts.files} files (${(0,_engine_log_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(counts.bytes)}) into ${target}${replace ? ', replacing its previous content' : ''}`);
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
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(target, { recursive: true, force: true });
        if (previousKept)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(previousKept, target);
        else if (wasEmptyFolder)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(target);
        previousKept = undefined;
        placed = false;
    };
    const abort = async () => {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(staging, { recursive: true, force: true });
        if (!previousKept)
            return;
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(previousKept, { recursive: true, force: true });
        }
        catch (err) {
            ctx.log.warn(`the previous content of ${target} is left in ${previousKept}: ${message(err)}`);
        }
    };
    return { location, commit, abort, rollback };
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
        if (err instanceof _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL)
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .xL('target', `${path} does not exist`);
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
    stage: stageDir,
    verify: verifyDir,
    inventory: inventoryDir,
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
