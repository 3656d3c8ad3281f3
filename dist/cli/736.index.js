export const id = 736;
export const ids = [736];
export const modules = {

/***/ 4315:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AV: () => (/* binding */ checkAnnounced),
/* harmony export */   Hj: () => (/* binding */ BodyDigest),
/* harmony export */   U_: () => (/* binding */ chunksOf)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72993);



/**
 * The chunks of a put body as Buffers (bodies built with `Readable.from(['text'])` yield
 * strings). An abort of `signal` destroys the body, which ends the loop with an error.
 */
async function* chunksOf(body, signal) {
    signal?.throwIfAborted();
    if (signal)
        (0,node_stream__WEBPACK_IMPORTED_MODULE_1__.addAbortSignal)(signal, body);
    for await (const chunk of body) {
        yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    }
}
/** sha256 and size of the bytes as they pass, so put can report them without a second read. */
class BodyDigest {
    hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    size = 0;
    update(chunk) {
        this.hash.update(chunk);
        this.size += chunk.length;
    }
    result() {
        return { size: this.size, sha256: this.hash.digest('hex') };
    }
}
/** A caller that announced the sha256 or size up front gets a failed put, not a wrong object. */
function checkAnnounced(key, where, options, got) {
    if (options?.sha256 !== undefined && options.sha256.toLowerCase() !== got.sha256) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs(`${key} on ${where}: received bytes have sha256 ${got.sha256}, but ${options.sha256} was announced`);
    }
    if (options?.size !== undefined && options.size !== got.size) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .IntegrityError */ .cs(`${key} on ${where}: received ${got.size} bytes, but ${options.size} were announced`);
    }
}


/***/ }),

/***/ 31851:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ checkPrefix),
/* harmony export */   y: () => (/* binding */ checkKey)
/* harmony export */ });
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(72993);

/**
 * Object keys come from our own naming and from manifests read back from storage, which may be
 * hostile. Every backend checks them here before touching anything, so a key can never name a
 * place outside the storage URL's prefix.
 */
const MAX_KEY_BYTES = 1024;
function checkKey(key, where) {
    const problem = keyProblem(key, false);
    if (problem) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .StorageError */ .aq(`invalid object key ${JSON.stringify(key)} for ${where}: ${problem}`, {
            hint: "keys are relative paths like 'set/20261122T030000Z-abc.tar.zst' without '.' or '..' segments",
        });
    }
    return key;
}
/** A list prefix is a key prefix: '' lists everything, 'set/' one set. */
function checkPrefix(prefix, where) {
    const problem = prefix === '' ? undefined : keyProblem(prefix, true);
    if (problem) {
        throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .StorageError */ .aq(`invalid list prefix ${JSON.stringify(prefix)} for ${where}: ${problem}`, {
            hint: "prefixes are relative paths like 'set/' without '.' or '..' segments",
        });
    }
    return prefix;
}
function keyProblem(key, isPrefix) {
    if (typeof key !== 'string' || key === '')
        return 'it is empty';
    if (key.startsWith('/'))
        return "it starts with '/'";
    if (key.includes('\\'))
        return "it contains '\\'";
    if (key.includes('\0'))
        return 'it contains a NUL character';
    if (Buffer.byteLength(key) > MAX_KEY_BYTES)
        return `it is longer than ${MAX_KEY_BYTES} bytes`;
    const segments = key.split('/');
    // A prefix may end with '/', which leaves one empty last segment.
    if (isPrefix && segments.at(-1) === '')
        segments.pop();
    for (const s of segments) {
        if (s === '')
            return 'it has an empty path segment';
        if (s === '.' || s === '..')
            return `it has a '${s}' segment`;
    }
    return undefined;
}


/***/ }),

/***/ 30736:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MemoryStorage: () => (/* binding */ MemoryStorage),
/* harmony export */   clearMemoryStorage: () => (/* binding */ clearMemoryStorage),
/* harmony export */   memoryStorage: () => (/* binding */ memoryStorage)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72993);
/* harmony import */ var _body_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4315);
/* harmony import */ var _keys_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(31851);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(28069);






/** Named instances live as long as the process, so two opens of `memory:x` share objects. */
const instances = new Map();
/** Forget one named instance (or all of them), for test cleanup. */
function clearMemoryStorage(name) {
    if (name === undefined)
        instances.clear();
    else
        instances.delete(name);
}
const READ_CHUNK = 64 * 1024;
/**
 * `memory:<name>`: an in-process store for tests, with the same semantics as the real ones:
 * an object becomes visible only when its put completed, and it is never mutated in place.
 */
class MemoryStorage {
    displayUrl;
    objects;
    constructor(name) {
        this.displayUrl = `memory:${name}`;
        let objects = instances.get(name);
        if (!objects) {
            objects = new Map();
            instances.set(name, objects);
        }
        this.objects = objects;
    }
    async put(key, body, options) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .y)(key, this.displayUrl);
        const digest = new _body_js__WEBPACK_IMPORTED_MODULE_3__/* .BodyDigest */ .Hj();
        const chunks = [];
        try {
            for await (const chunk of (0,_body_js__WEBPACK_IMPORTED_MODULE_3__/* .chunksOf */ .U_)(body, options?.signal)) {
                digest.update(chunk);
                chunks.push(Buffer.from(chunk));
            }
        }
        catch (err) {
            if (options?.signal?.aborted) {
                throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`put ${key} to ${this.displayUrl} was aborted`, {
                    cause: options.signal.reason,
                });
            }
            throw (0,_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .toStorageError */ .JK)(err, `put ${key} to ${this.displayUrl} failed`);
        }
        const result = digest.result();
        (0,_body_js__WEBPACK_IMPORTED_MODULE_3__/* .checkAnnounced */ .AV)(key, this.displayUrl, options, result);
        this.objects.set(key, {
            data: Buffer.concat(chunks),
            modified: new Date(),
            sha256: result.sha256,
        });
        return result;
    }
    async get(key, options) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .y)(key, this.displayUrl);
        const object = this.objects.get(key);
        if (!object)
            throw notFound(key, this.displayUrl);
        const { data } = object;
        const start = options?.offset ?? 0;
        const stream = node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.from((function* () {
            for (let at = start; at < data.length; at += READ_CHUNK)
                yield Buffer.from(data.subarray(at, at + READ_CHUNK));
        })(), { objectMode: false });
        return options?.signal ? (0,node_stream__WEBPACK_IMPORTED_MODULE_1__.addAbortSignal)(options.signal, stream) : stream;
    }
    async createExclusive(key, body) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .y)(key, this.displayUrl);
        if (this.objects.has(key))
            return false;
        this.objects.set(key, {
            data: Buffer.from(body),
            modified: new Date(),
            sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(body).digest('hex'),
        });
        return true;
    }
    async stat(key) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .y)(key, this.displayUrl);
        const object = this.objects.get(key);
        return object && infoOf(key, object);
    }
    async list(prefix) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkPrefix */ .b)(prefix, this.displayUrl);
        return [...this.objects]
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, o]) => infoOf(key, o));
    }
    async delete(key) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .y)(key, this.displayUrl);
        this.objects.delete(key);
    }
}
function infoOf(key, o) {
    return { key, size: o.data.length, modified: o.modified, sha256: o.sha256 };
}
function notFound(key, where) {
    return new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`${key} not found on ${where}`, { notFound: true });
}
const memoryStorage = {
    schemes: ['memory'],
    create(url, _ctx) {
        const name = url.replace(/^memory:(\/\/)?/i, '');
        if (!name) {
            throw new _engine_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL('destination', `'${url}' names no memory store`, {
                hint: 'write it as memory:<name>',
            });
        }
        return new MemoryStorage(name);
    },
};


/***/ })

};
