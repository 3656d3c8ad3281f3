export const id = 736;
export const ids = [736];
export const modules = {

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
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43026);
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
    capabilities = {
        atomicPut: true,
        conditionalCreate: true,
        rangeReads: true,
        listing: 'strong',
        maxConnections: 16,
        groupCommit: 'in-order',
    };
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
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .yR)(key, this.displayUrl);
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
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`put ${key} to ${this.displayUrl} was aborted`, {
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
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .yR)(key, this.displayUrl);
        const object = this.objects.get(key);
        if (!object)
            throw notFound(key, this.displayUrl);
        const start = options?.offset ?? 0;
        const size = object.data.length;
        // Reads the record's bytes as they are at each chunk: a put replaces the record, so only
        // the test hook `shrinkForTest` changes what a running read sees.
        const stream = (0,_body_js__WEBPACK_IMPORTED_MODULE_3__/* .expectLength */ .OU)(node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.from((function* () {
            for (let at = start; at < object.data.length; at += READ_CHUNK)
                yield Buffer.from(object.data.subarray(at, at + READ_CHUNK));
        })(), { objectMode: false }), Math.max(0, size - start), `${this.displayUrl} ${key}`, (err) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .toStorageError */ .JK)(err, `get ${key} from ${this.displayUrl} failed`), start);
        return options?.signal ? (0,node_stream__WEBPACK_IMPORTED_MODULE_1__.addAbortSignal)(options.signal, stream) : stream;
    }
    /**
     * Tests only: cut the stored bytes of `key` to `bytes`, under reads already running, as a
     * store that loses the rest of an object mid-read would (the conformance suite's truncation).
     */
    shrinkForTest(key, bytes) {
        const object = this.objects.get(key);
        if (object)
            object.data = object.data.subarray(0, bytes);
    }
    async createExclusive(key, body) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .yR)(key, this.displayUrl);
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
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .yR)(key, this.displayUrl);
        const object = this.objects.get(key);
        return object && infoOf(key, object);
    }
    async list(prefix) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkPrefix */ .by)(prefix, this.displayUrl);
        return [...this.objects]
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, o]) => infoOf(key, o));
    }
    async delete(key) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkKey */ .yR)(key, this.displayUrl);
        this.objects.delete(key);
    }
}
function infoOf(key, o) {
    return { key, size: o.data.length, modified: o.modified, sha256: o.sha256 };
}
function notFound(key, where) {
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .StorageError */ .aq(`${key} not found on ${where}`, { notFound: true });
}
const memoryStorage = {
    schemes: ['memory'],
    create(url, _ctx) {
        const name = url.replace(/^memory:(\/\/)?/i, '');
        if (!name) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigError */ .xL('destination', `'${url}' names no memory store`, {
                hint: 'write it as memory:<name>',
            });
        }
        return new MemoryStorage(name);
    },
};


/***/ })

};
