export const id = 618;
export const ids = [618];
export const modules = {

/***/ 34618:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FileStorage: () => (/* binding */ FileStorage),
/* harmony export */   fileRoot: () => (/* binding */ fileRoot),
/* harmony export */   fileStorage: () => (/* binding */ fileStorage)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(57075);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(73136);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(43026);
/* harmony import */ var _body_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(4315);
/* harmony import */ var _keys_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(31851);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(28069);










/** `.<name>.lifeboat-tmp-<hex>`: where a put writes before the rename that publishes it. */
const TEMP_NAME = /^\..+\.lifeboat-tmp-[0-9a-f]+$/;
/**
 * `file:<path>`: a folder on a local or mounted file system. A put writes a temporary file in
 * the target's folder, hashes and counts the bytes as they pass, fsyncs file and folder and
 * then renames it over the key, so readers see the old object or the whole new one, never a
 * part. Files are created 0600: backups hold whole databases. Symbolic links inside the folder
 * are not followed by list.
 */
class FileStorage {
    displayUrl;
    /** Temp file + rename; creates by link() (EEXIST when taken); positioned reads. */
    capabilities = {
        atomicPut: true,
        conditionalCreate: true,
        rangeReads: true,
        listing: 'strong',
        maxConnections: 16,
        groupCommit: 'in-order',
    };
    root;
    constructor(root) {
        this.root = root;
        this.displayUrl = `file:${root}`;
    }
    async put(key, body, options) {
        const target = this.pathOf(key);
        const folder = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(target);
        const temp = tempPathBeside(target);
        let handle;
        let created;
        try {
            options?.signal?.throwIfAborted();
            ({ created, handle } = await openTemp(folder, temp));
            const digest = new _body_js__WEBPACK_IMPORTED_MODULE_7__/* .BodyDigest */ .Hj();
            for await (const chunk of (0,_body_js__WEBPACK_IMPORTED_MODULE_7__/* .chunksOf */ .U_)(body, options?.signal)) {
                digest.update(chunk);
                await writeAll(handle, chunk);
            }
            await handle.sync();
            await handle.close();
            handle = undefined;
            const result = digest.result();
            (0,_body_js__WEBPACK_IMPORTED_MODULE_7__/* .checkAnnounced */ .AV)(key, this.displayUrl, options, result);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temp, target);
            await syncFolder(folder);
            return result;
        }
        catch (err) {
            await handle?.close().catch(() => undefined);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temp, { force: true }).catch(() => undefined);
            // A failed put leaves no folder it made, so a failed backup leaves no empty set folder.
            if (created !== undefined)
                await this.removeEmptyFolders(folder);
            if (options?.signal?.aborted) {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .StorageError */ .aq(`put ${key} to ${this.displayUrl} was aborted`, {
                    cause: options.signal.reason,
                });
            }
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not write ${key} to ${this.displayUrl}`, hintFor(err, this.root));
        }
    }
    async createExclusive(key, body) {
        const target = this.pathOf(key);
        const folder = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(target);
        const temp = tempPathBeside(target);
        let handle;
        try {
            ({ handle } = await openTemp(folder, temp));
            await writeAll(handle, body);
            await handle.sync();
            await handle.close();
            handle = undefined;
            // link() fails with EEXIST when the key exists, atomically (on NFS too, unlike O_EXCL),
            // and publishes the whole content at once.
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.link)(temp, target);
            }
            catch (err) {
                if (codeOf(err) === 'EEXIST')
                    return false;
                throw err;
            }
            await syncFolder(folder);
            return true;
        }
        catch (err) {
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not write ${key} to ${this.displayUrl}`, hintFor(err, this.root));
        }
        finally {
            await handle?.close().catch(() => undefined);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temp, { force: true }).catch(() => undefined);
        }
    }
    async get(key, options) {
        const path = this.pathOf(key);
        let handle;
        try {
            handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, 'r');
        }
        catch (err) {
            if (isMissing(err))
                throw notFound(key, this.displayUrl);
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not read ${key} from ${this.displayUrl}`, hintFor(err, this.root));
        }
        let size;
        try {
            const st = await handle.stat();
            if (!st.isFile())
                throw notFound(key, this.displayUrl);
            size = st.size;
        }
        catch (err) {
            await handle.close();
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not read ${key} from ${this.displayUrl}`);
        }
        const offset = options?.offset ?? 0;
        const stream = (0,_body_js__WEBPACK_IMPORTED_MODULE_7__/* .expectLength */ .OU)(handle.createReadStream(offset ? { start: offset } : {}), Math.max(0, size - offset), `${this.displayUrl} ${key}`, (err) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not read ${key} from ${this.displayUrl}`), offset);
        return options?.signal ? (0,node_stream__WEBPACK_IMPORTED_MODULE_4__.addAbortSignal)(options.signal, stream) : stream;
    }
    async stat(key) {
        const path = this.pathOf(key);
        try {
            const s = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path);
            return s.isFile() ? { key, size: s.size, modified: s.mtime } : undefined;
        }
        catch (err) {
            if (isMissing(err))
                return undefined;
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not stat ${key} on ${this.displayUrl}`, hintFor(err, this.root));
        }
    }
    async list(prefix) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_8__/* .checkPrefix */ .by)(prefix, this.displayUrl);
        // Walk from the deepest folder the prefix names completely; filter by the rest.
        const folderKey = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
        const out = [];
        try {
            await this.walk(folderKey, prefix, out);
        }
        catch (err) {
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not list ${prefix || '(all)'} on ${this.displayUrl}`, hintFor(err, this.root));
        }
        return out;
    }
    async delete(key) {
        const path = this.pathOf(key);
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.unlink)(path);
            await this.removeEmptyFolders((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(path));
        }
        catch (err) {
            // Nothing to delete: missing, or a folder that no object key names.
            if (isMissing(err) ||
                codeOf(err) === 'EISDIR' ||
                (codeOf(err) === 'EPERM' && (await isFolder(path))))
                return;
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .toStorageError */ .JK)(err, `could not delete ${key} from ${this.displayUrl}`, hintFor(err, this.root));
        }
    }
    /** Removes `folder` and its parents up to (not including) the root while they are empty. */
    async removeEmptyFolders(folder) {
        const root = this.root.endsWith(node_path__WEBPACK_IMPORTED_MODULE_3__.sep) ? this.root : this.root + node_path__WEBPACK_IMPORTED_MODULE_3__.sep;
        for (let f = folder; f.startsWith(root); f = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(f)) {
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rmdir)(f);
            }
            catch {
                return; // not empty (or already gone): a concurrent put keeps its folder
            }
        }
    }
    async walk(folderKey, prefix, out) {
        let entries;
        try {
            entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(folderKey ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(this.root, ...folderKey.split('/')) : this.root, {
                withFileTypes: true,
            });
        }
        catch (err) {
            if (isMissing(err))
                return;
            throw err;
        }
        for (const entry of entries) {
            const key = folderKey ? `${folderKey}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix))
                    await this.walk(key, prefix, out);
            }
            else if (entry.isFile() && key.startsWith(prefix) && !TEMP_NAME.test(entry.name)) {
                try {
                    const s = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(this.root, ...key.split('/')));
                    out.push({ key, size: s.size, modified: s.mtime });
                }
                catch (err) {
                    if (!isMissing(err))
                        throw err; // deleted while listing
                }
            }
        }
    }
    /** The file for a key; checkKey makes an escape impossible, the prefix test proves it. */
    pathOf(key) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_8__/* .checkKey */ .yR)(key, this.displayUrl);
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(this.root, ...key.split('/'));
        if (!path.startsWith(this.root.endsWith(node_path__WEBPACK_IMPORTED_MODULE_3__.sep) ? this.root : this.root + node_path__WEBPACK_IMPORTED_MODULE_3__.sep)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .StorageError */ .aq(`object key ${JSON.stringify(key)} points outside ${this.displayUrl}`);
        }
        if (TEMP_NAME.test((0,node_path__WEBPACK_IMPORTED_MODULE_3__.basename)(path))) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .StorageError */ .aq(`object key ${JSON.stringify(key)} uses the name of a temporary file`);
        }
        return path;
    }
}
/** Creates the folder and the temporary file, again if a delete removed the empty folder between. */
async function openTemp(folder, temp) {
    for (let attempt = 1;; attempt++) {
        const created = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(folder, { recursive: true }).catch(realMkdirError(folder));
        try {
            return { created, handle: await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(temp, 'wx', 0o600) };
        }
        catch (err) {
            if (codeOf(err) !== 'ENOENT' || attempt >= 3)
                throw err;
        }
    }
}
/**
 * Node's recursive mkdir reports ENOENT where the file system is read-only or not writable:
 * creating the first missing folder alone gives the real reason (EROFS, EACCES).
 */
function realMkdirError(folder) {
    return async (err) => {
        if (codeOf(err) !== 'ENOENT')
            throw err;
        let missing = folder;
        while ((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(missing) !== missing && !(await isFolder((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(missing))))
            missing = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(missing);
        // Throws the real reason; if the folder can be made after all, the first error stands.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(missing);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rmdir)(missing);
        throw err;
    };
}
async function writeAll(handle, chunk) {
    let offset = 0;
    while (offset < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
        offset += bytesWritten;
    }
}
/** Makes the rename durable. Some file systems cannot fsync a folder; they do not need to. */
async function syncFolder(folder) {
    let handle;
    try {
        handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(folder, 'r');
        await handle.sync();
    }
    catch (err) {
        if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'ENOTSUP'].includes(codeOf(err) ?? ''))
            throw err;
    }
    finally {
        await handle?.close();
    }
}
function codeOf(err) {
    const code = err?.code;
    return typeof code === 'string' ? code : undefined;
}
function isMissing(err) {
    return codeOf(err) === 'ENOENT' || codeOf(err) === 'ENOTDIR';
}
async function isFolder(path) {
    return (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path).then((s) => s.isDirectory(), () => false);
}
function notFound(key, where) {
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .StorageError */ .aq(`${key} not found on ${where}`, { notFound: true });
}
function hintFor(err, root) {
    switch (codeOf(err)) {
        case 'EACCES':
        case 'EPERM':
            return `check that this user may write to ${root}, or point the destination option elsewhere`;
        case 'ENOSPC':
        case 'EDQUOT':
            return `free some space on the disk holding ${root}`;
        case 'EROFS':
            return `${root} is on a read-only file system: point the destination option at a writable folder (or remount it read-write)`;
        case 'ENOTDIR':
        case 'EEXIST':
        case 'EISDIR':
            return `a file stands where ${root} needs a folder (or the other way round)`;
        default:
            return undefined;
    }
}
/** `file:./backups`, `file:/abs`, `file:///abs` and `file:~/backups` → an absolute folder. */
function fileRoot(url, cwd = process.cwd()) {
    let path;
    if (/^file:\/\//i.test(url)) {
        try {
            path = (0,node_url__WEBPACK_IMPORTED_MODULE_5__.fileURLToPath)(url);
        }
        catch (err) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('destination', `'${url}' is not a local file URL`, {
                cause: err,
                hint: 'write file:///absolute/path, file:/absolute/path or file:relative/path',
            });
        }
    }
    else {
        path = url.replace(/^file:/i, '');
        if (path === '~' || path.startsWith('~/'))
            path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_2__.homedir)(), path.slice(1));
    }
    if (!path) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .xL('destination', `'${url}' names no folder`, {
            hint: 'write it as file:<path>, e.g. file:./backups',
        });
    }
    const root = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(cwd, path);
    return root.length > 1 && root.endsWith(node_path__WEBPACK_IMPORTED_MODULE_3__.sep) ? root.slice(0, -1) : root;
}
const fileStorage = {
    schemes: ['file'],
    create(url, _ctx) {
        return new FileStorage(fileRoot(url));
    },
};
/** Where a write goes before it is renamed into place: a hidden file beside the target. */
function tempPathBeside(target) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(target), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_3__.basename)(target)}.lifeboat-tmp-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(8).toString('hex')}`);
}


/***/ })

};
