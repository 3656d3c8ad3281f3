export const id = 20;
export const ids = [20];
export const modules = {

/***/ 99020:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SHA256_METADATA: () => (/* binding */ SHA256_METADATA),
/* harmony export */   azblobStorage: () => (/* binding */ azblobStorage),
/* harmony export */   openAzureBlob: () => (/* binding */ openAzureBlob),
/* harmony export */   parseAzblobUrl: () => (/* binding */ parseAzblobUrl)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43747);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(43026);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(85491);
/* harmony import */ var _core_url_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(35708);
/* harmony import */ var _body_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4315);
/* harmony import */ var _keys_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(31851);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(28069);









/** Metadata key holding the sha256 (hex) of the blob's bytes, computed while uploading. */
const SHA256_METADATA = 'lifeboat_sha256';
/** Block size for staged uploads: memory use is about blockBytes × (concurrency + 1). */
const DEFAULT_BLOCK_BYTES = 4 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 2;
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Azure's limit of committed blocks per blob. */
const MAX_BLOCKS = 50_000;
/**
 * `azblob://container/prefix`. Uploads stage blocks of bounded size and commit the block list
 * only when the whole body has arrived, so a failed or interrupted put leaves only uncommitted
 * blocks, which listings never show and Azure discards after a week.
 *
 * Retries: per-block staging retries inside the SDK (the block is in memory, so resending is
 * safe); every other call makes one attempt and reports `transient`, leaving retries to
 * withRetry so they are not multiplied by two layers.
 */
const azblobStorage = {
    schemes: ['azblob'],
    create(url, ctx) {
        return openAzureBlob(url, ctx);
    },
};
function openAzureBlob(url, ctx, tuning = {}) {
    const { container, prefix } = parseAzblobUrl(url);
    const displayUrl = (0,_core_log_js__WEBPACK_IMPORTED_MODULE_4__/* .redactUrl */ .BO)(url);
    const service = (pipelineOptions) => serviceClient(ctx, pipelineOptions);
    const once = service({ retryOptions: { maxTries: 1 } }).getContainerClient(container);
    const staging = service({
        retryOptions: {
            maxTries: 4,
            retryDelayInMs: 500,
            maxRetryDelayInMs: 8000,
            tryTimeoutInMs: 5 * 60_000,
        },
    }).getContainerClient(container);
    return new AzureBlobStorage(displayUrl, container, prefix, once, staging, tuning, credentialName(ctx));
}
/** Which variable the credentials came from, so an auth failure can name it. */
function credentialName(ctx) {
    if (envString(ctx, 'AZURE_STORAGE_CONNECTION_STRING'))
        return 'AZURE_STORAGE_CONNECTION_STRING';
    if (envString(ctx, 'AZURE_STORAGE_KEY'))
        return 'AZURE_STORAGE_KEY';
    return 'AZURE_STORAGE_SAS_TOKEN';
}
function parseAzblobUrl(url) {
    const u = (0,_core_url_js__WEBPACK_IMPORTED_MODULE_5__/* .parseUrl */ .Dl)('destination', url);
    const container = u.hostname;
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('destination', `'${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_4__/* .redactUrl */ .BO)(url)}' does not name a valid Azure container`, {
            hint: 'write azblob://<container>/<prefix>; container names are 3-63 lower-case letters, digits and single hyphens',
        });
    }
    if (u.username || u.password) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('destination', `'${(0,_core_log_js__WEBPACK_IMPORTED_MODULE_4__/* .redactUrl */ .BO)(url)}' carries credentials in the URL`, {
            hint: 'give Azure credentials through AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN',
        });
    }
    const prefix = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '');
    return { container, prefix };
}
function optionString(ctx, name) {
    const v = ctx.options[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
function envString(ctx, name) {
    const v = ctx.env[name];
    return v && v.trim() !== '' ? v.trim() : undefined;
}
/** Connection string first, then account key, then SAS; all secrets are registered for redaction. */
function serviceClient(ctx, pipelineOptions) {
    const connectionString = envString(ctx, 'AZURE_STORAGE_CONNECTION_STRING');
    const account = optionString(ctx, 'azure-account') ?? envString(ctx, 'AZURE_STORAGE_ACCOUNT');
    const key = envString(ctx, 'AZURE_STORAGE_KEY');
    const sas = envString(ctx, 'AZURE_STORAGE_SAS_TOKEN')?.replace(/^\?/, '');
    const endpointOption = optionString(ctx, 'azure-endpoint');
    if (connectionString) {
        ctx.redactor.add(connectionString);
        for (const m of connectionString.matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi))
            ctx.redactor.add(m[1]);
        try {
            return _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .BlobServiceClient */ .wS.fromConnectionString(connectionString, pipelineOptions);
        }
        catch (err) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('AZURE_STORAGE_CONNECTION_STRING', 'is not a valid Azure Storage connection string', {
                cause: err,
                hint: 'copy it from the storage account\'s "Access keys" page (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…)',
            });
        }
    }
    if (!account && !endpointOption) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('azure-account', 'no Azure Storage account or credentials were given', {
            hint: 'set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT (or {{option:azure-account}}) with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN',
        });
    }
    const endpoint = (endpointOption ?? `https://${account}.blob.core.windows.net`).replace(/\/+$/, '');
    try {
        new URL(endpoint);
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('azure-endpoint', `'${endpoint}' is not a URL`, {
            hint: 'write the blob service endpoint, e.g. https://<account>.blob.core.usgovcloudapi.net or http://127.0.0.1:10000/devstoreaccount1',
        });
    }
    if (key) {
        ctx.redactor.add(key);
        if (!account) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('azure-account', 'AZURE_STORAGE_KEY is set but no account name', {
                hint: 'set AZURE_STORAGE_ACCOUNT or {{option:azure-account}}',
            });
        }
        let credential;
        try {
            credential = new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .StorageSharedKeyCredential */ .Z3(account, key);
        }
        catch (err) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('AZURE_STORAGE_KEY', 'is not a valid base64 account key', {
                cause: err,
            });
        }
        return new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .BlobServiceClient */ .wS(endpoint, (0,_azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .newPipeline */ .vC)(credential, pipelineOptions));
    }
    if (sas) {
        ctx.redactor.add(sas);
        const sig = /(?:^|&)sig=([^&]+)/.exec(sas)?.[1];
        if (sig) {
            ctx.redactor.add(sig);
            ctx.redactor.add(decodeURIComponent(sig));
        }
        return new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .BlobServiceClient */ .wS(`${endpoint}?${sas}`, (0,_azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .newPipeline */ .vC)(new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .AnonymousCredential */ .tv(), pipelineOptions));
    }
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .xL('AZURE_STORAGE_KEY', `no credentials for Azure Storage account '${account ?? endpoint}'`, {
        hint: 'set AZURE_STORAGE_KEY (account key), AZURE_STORAGE_SAS_TOKEN or AZURE_STORAGE_CONNECTION_STRING from a secret',
    });
}
class AzureBlobStorage {
    displayUrl;
    /** Blocks committed whole; If-None-Match creates; ranged downloads. */
    capabilities = {
        atomicPut: true,
        conditionalCreate: true,
        rangeReads: true,
        listing: 'strong',
        maxConnections: 8,
        groupCommit: 'in-order',
    };
    container;
    prefix;
    client;
    staging;
    blockBytes;
    concurrency;
    credential;
    constructor(displayUrl, container, prefix, client, staging, tuning, credential) {
        this.credential = credential;
        this.displayUrl = displayUrl;
        this.container = container;
        this.prefix = prefix;
        this.client = client;
        this.staging = staging;
        this.blockBytes = tuning.blockBytes ?? DEFAULT_BLOCK_BYTES;
        this.concurrency = tuning.concurrency ?? DEFAULT_CONCURRENCY;
    }
    blobName(key) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_7__/* .checkKey */ .yR)(key, this.displayUrl);
        return this.prefix ? `${this.prefix}/${key}` : key;
    }
    keyOf(blobName) {
        return this.prefix ? blobName.slice(this.prefix.length + 1) : blobName;
    }
    async put(key, body, options = {}) {
        const name = this.blobName(key);
        const blob = this.staging.getBlockBlobClient(name);
        const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
        const signal = options.signal;
        const headers = { blobContentType: options.contentType ?? 'application/octet-stream' };
        // Block ids must all have the same length within a blob; the nonce keeps a concurrent put
        // to the same name from committing our blocks or we theirs.
        const nonce = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(8).toString('hex');
        const blockId = (i) => Buffer.from(`${nonce}-${String(i).padStart(6, '0')}`).toString('base64');
        const ids = [];
        const inFlight = new Set();
        let failure;
        let size = 0;
        let pending = [];
        let pendingBytes = 0;
        let bodyError;
        const stage = (data) => {
            const id = blockId(ids.length);
            ids.push(id);
            const p = blob
                .stageBlock(id, data, data.length, { abortSignal: signal })
                .then(() => undefined, (err) => {
                failure ??= err;
            })
                .finally(() => inFlight.delete(p));
            inFlight.add(p);
        };
        // The body's own failure (the dump broke) is passed on unchanged: it is not a storage error
        // and must not look retryable.
        body.once('error', (err) => {
            bodyError ??= err;
        });
        try {
            for await (const chunk of (0,_body_js__WEBPACK_IMPORTED_MODULE_6__/* .chunksOf */ .U_)(body, signal)) {
                hash.update(chunk);
                size += chunk.length;
                pending.push(chunk);
                pendingBytes += chunk.length;
                while (pendingBytes >= this.blockBytes) {
                    if (ids.length >= MAX_BLOCKS - 1) {
                        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${this.displayUrl}: ${key} is larger than ${MAX_BLOCKS} blocks of ${this.blockBytes} bytes`, {
                            hint: 'Azure allows 50,000 blocks per blob; split the backup into several sources or sets',
                        });
                    }
                    const all = Buffer.concat(pending);
                    stage(all.subarray(0, this.blockBytes));
                    const rest = all.subarray(this.blockBytes);
                    pending = rest.length ? [rest] : [];
                    pendingBytes = rest.length;
                    while (inFlight.size >= this.concurrency)
                        await Promise.race(inFlight);
                    if (failure)
                        throw failure;
                }
                signal?.throwIfAborted();
            }
            signal?.throwIfAborted();
            const sha256 = hash.digest('hex');
            (0,_body_js__WEBPACK_IMPORTED_MODULE_6__/* .checkAnnounced */ .AV)(key, this.displayUrl, options, { size, sha256 });
            const metadata = { [SHA256_METADATA]: sha256 };
            if (ids.length === 0) {
                // Small objects (sidecars) go up in one Put Blob, which is atomic too.
                const data = Buffer.concat(pending);
                await blob.upload(data, data.length, {
                    metadata,
                    blobHTTPHeaders: headers,
                    abortSignal: signal,
                });
            }
            else {
                if (pendingBytes > 0)
                    stage(Buffer.concat(pending));
                pending = [];
                await Promise.all(inFlight);
                if (failure)
                    throw failure;
                await blob.commitBlockList(ids, {
                    metadata,
                    blobHTTPHeaders: headers,
                    abortSignal: signal,
                });
            }
            return { size, sha256 };
        }
        catch (err) {
            await Promise.allSettled(inFlight);
            if (bodyError !== undefined && err === bodyError)
                throw err;
            if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .IntegrityError */ .cs || err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq)
                throw err;
            throw this.mapError(err, `upload of ${key}`);
        }
    }
    /** Put Blob with `If-None-Match: *`: the service refuses it (409) when the blob exists. */
    async createExclusive(key, body) {
        const name = this.blobName(key);
        try {
            await this.client.getBlockBlobClient(name).upload(body, body.length, {
                conditions: { ifNoneMatch: '*' },
                blobHTTPHeaders: { blobContentType: 'application/json' },
            });
            return true;
        }
        catch (err) {
            if (err instanceof _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .RestError */ .pj && (err.statusCode === 409 || err.statusCode === 412))
                return false;
            throw this.mapError(err, `create of ${key}`);
        }
    }
    async get(key, options = {}) {
        const name = this.blobName(key);
        const offset = options.offset ?? 0;
        let response;
        try {
            response = await this.client
                .getBlockBlobClient(name)
                .download(offset, undefined, { abortSignal: options.signal, maxRetryRequests: 5 });
        }
        catch (err) {
            throw this.mapError(err, `download of ${key}`);
        }
        const stream = response.readableStreamBody;
        if (!stream)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${this.displayUrl}: download of ${key} returned no body`, {
                transient: true,
            });
        // The blob's sha256 covers the whole blob; a resumed read checks only its own length.
        const expected = offset === 0 ? response.metadata?.[SHA256_METADATA] : undefined;
        const expectedSize = response.contentLength;
        return stream.pipe(verifying(`${this.displayUrl} ${key}`, expected, expectedSize, (err) => this.mapError(err, `download of ${key}`), stream));
    }
    async stat(key) {
        const name = this.blobName(key);
        try {
            const p = await this.client.getBlockBlobClient(name).getProperties();
            return {
                key,
                size: p.contentLength ?? 0,
                modified: p.lastModified ?? new Date(0),
                ...(p.metadata?.[SHA256_METADATA] ? { sha256: p.metadata[SHA256_METADATA] } : {}),
            };
        }
        catch (err) {
            const mapped = this.mapError(err, `stat of ${key}`);
            if (mapped.notFound)
                return undefined;
            throw mapped;
        }
    }
    async list(prefix) {
        (0,_keys_js__WEBPACK_IMPORTED_MODULE_7__/* .checkPrefix */ .by)(prefix, this.displayUrl);
        const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
        const out = [];
        try {
            // Uncommitted blobs (interrupted uploads) are only listed on request; we never ask.
            for await (const page of this.client
                .listBlobsFlat({ prefix: full, includeMetadata: true })
                .byPage({ maxPageSize: 5000 })) {
                for (const item of page.segment.blobItems) {
                    const sha256 = item.metadata?.[SHA256_METADATA];
                    out.push({
                        key: this.keyOf(item.name),
                        size: item.properties.contentLength ?? 0,
                        modified: item.properties.lastModified,
                        ...(sha256 ? { sha256 } : {}),
                    });
                }
            }
        }
        catch (err) {
            throw this.mapError(err, `listing of '${prefix}'`);
        }
        return out;
    }
    async delete(key) {
        const name = this.blobName(key);
        try {
            await this.client.getBlockBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' });
        }
        catch (err) {
            const mapped = this.mapError(err, `delete of ${key}`);
            if (!mapped.notFound)
                throw mapped;
        }
    }
    /** Maps SDK and network errors to StorageError with a message naming the destination and the fix. */
    mapError(err, what) {
        if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq)
            return err;
        const where = `${this.displayUrl}: ${what} failed`;
        if (err instanceof Error && err.name === 'AbortError') {
            return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${where}: aborted`, { cause: err });
        }
        if (err instanceof _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .RestError */ .pj && err.statusCode !== undefined) {
            const status = err.statusCode;
            const code = err.code ?? err.details?.errorCode ?? '';
            const detail = `${status}${code ? ` ${code}` : ''}`;
            if (status === 404 && code === 'ContainerNotFound') {
                return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${where}: container '${this.container}' does not exist (${detail})`, {
                    cause: err,
                    hint: `create it first (az storage container create --name ${this.container}) or fix the container in the destination URL`,
                });
            }
            if (status === 404) {
                return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${where}: not found (${detail})`, { cause: err, notFound: true });
            }
            if (status === 403 || status === 401) {
                const account = this.client.accountName || 'this account';
                const rejected = code === 'AuthenticationFailed' || code === 'AuthorizationFailure' || status === 401;
                return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${where}: access denied (${detail})`, {
                    cause: err,
                    reason: 'denied',
                    hint: rejected
                        ? `Azure did not accept the credentials from ${this.credential}: check it belongs to storage account '${account}' ` +
                            'and has not been rotated or expired (a firewall rule on the account also answers this way)'
                        : `the credentials from ${this.credential} lack permission here: a SAS needs read, add, create, write, ` +
                            'delete and list (sp=racwdl) on the container; a role assignment needs Storage Blob Data Contributor',
                });
            }
            if (TRANSIENT_STATUS.has(status)) {
                return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${where}: Azure answered ${detail}`, {
                    cause: err,
                    transient: true,
                    reason: 'unavailable',
                    hint: status === 429 || status === 503
                        ? 'the account is throttling requests; it will be retried'
                        : undefined,
                });
            }
            return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${where}: Azure answered ${detail}: ${firstLine(err.message)}`, {
                cause: err,
            });
        }
        const node = (0,_retry_js__WEBPACK_IMPORTED_MODULE_8__/* .classifyNodeError */ .Fn)(err);
        const message = err instanceof Error ? firstLine(err.message) : String(err);
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${where}: ${message}`, {
            cause: err,
            transient: node.transient,
            notFound: node.notFound,
            reason: node.reason,
            hint: node.transient
                ? undefined
                : 'check the azure-endpoint / account name and that this runner can reach the blob service',
        });
    }
}
function firstLine(s) {
    return s.split('\n')[0].slice(0, 300);
}
/**
 * Passes the download through, hashing it; when the blob carries our sha256 metadata a mismatch
 * (or a short body) fails the stream with IntegrityError after the last byte.
 */
function verifying(label, expected, expectedSize, mapError, source) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    let size = 0;
    const t = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform({
        transform(chunk, _enc, cb) {
            hash.update(chunk);
            size += chunk.length;
            cb(null, chunk);
        },
        flush(cb) {
            if (expectedSize !== undefined && size !== expectedSize) {
                cb(new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .StorageError */ .aq(`${label}: download ended after ${size} of ${expectedSize} bytes`, {
                    transient: true,
                    reason: 'truncated',
                }));
                return;
            }
            const actual = hash.digest('hex');
            if (expected && actual !== expected.toLowerCase()) {
                cb(new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .IntegrityError */ .cs(`${label}: downloaded bytes have sha256 ${actual}, but the blob's ${SHA256_METADATA} is ${expected}`));
                return;
            }
            cb();
        },
    });
    source.on('error', (err) => t.destroy(mapError(err)));
    t.on('close', () => {
        if (!source.destroyed)
            source.destroy();
    });
    return t;
}


/***/ })

};
