export const id = 614;
export const ids = [614];
export const modules = {

/***/ 99614:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  S3Storage: () => (/* reexport */ S3Storage),
  multipartPlan: () => (/* reexport */ multipartPlan),
  parseSize: () => (/* reexport */ parseSize),
  s3Settings: () => (/* reexport */ s3Settings),
  s3Storage: () => (/* reexport */ s3Storage)
});

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(53711);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(22358);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/storage/body.js
var storage_body = __webpack_require__(4315);
// EXTERNAL MODULE: ./build/src/storage/keys.js
var keys = __webpack_require__(31851);
// EXTERNAL MODULE: ./build/src/storage/retry.js
var retry = __webpack_require__(28069);
// EXTERNAL MODULE: ./build/src/core/url.js
var core_url = __webpack_require__(35708);
;// CONCATENATED MODULE: ./build/src/storage/s3/settings.js





const MiB = 1024 * 1024;
/** S3's limit on the parts of one multipart upload. */
const MAX_PARTS = 10_000;
const SHA256_METADATA = 'lifeboat-sha256';
const GCS_ENDPOINT = 'https://storage.googleapis.com';
/**
 * Multipart plan for lib-storage's Upload, which holds about (queueSize + 1) parts in memory.
 * Unknown size: 8 MiB parts, 2 in flight (~24 MiB of buffers, so a whole backup stays within
 * the 200 MB RSS budget), which caps one archive at 10,000 × 8 MiB ≈ 78 GiB. With an expected size the part grows
 * (25% headroom) so even 5 TiB fits in 10,000 parts, at the cost of memory for huge archives.
 */
function multipartPlan(expectedSize) {
    if (expectedSize === undefined || !Number.isFinite(expectedSize) || expectedSize < 0) {
        return { partSize: 8 * MiB, queueSize: 2 };
    }
    const needed = Math.ceil((expectedSize * 1.25) / MAX_PARTS);
    const partSize = Math.max(8 * MiB, Math.ceil(needed / MiB) * MiB);
    return { partSize, queueSize: 2 };
}
/**
 * `s3://bucket/prefix` on AWS S3 or any S3-compatible store (MinIO, R2, B2, Spaces), and
 * `gs://bucket/prefix` on Google Cloud Storage through its S3-compatible XML API (HMAC keys).
 * Uploads stream through lib-storage's multipart Upload: the object appears only when the
 * upload completes, and a failed upload is aborted so no parts linger.
 */
const QUERY_KEYS = new Set(['endpoint', 'region', 'path-style']);
/** Reads the URL, then the options, then the environment. The URL's query wins: it is per destination. */
function s3Settings(url, ctx) {
    const u = (0,core_url/* parseUrl */.Dl)('destination', url);
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme !== 's3' && scheme !== 'gs') {
        throw new errors/* ConfigError */.xL('destination', `'${(0,log/* redactUrl */.BO)(url)}' is not an s3:// or gs:// URL`);
    }
    const bucket = decodeURIComponent(u.hostname);
    if (!bucket) {
        throw new errors/* ConfigError */.xL('destination', `'${(0,log/* redactUrl */.BO)(url)}' names no bucket`, {
            hint: `write it as ${scheme}://bucket/optional/prefix`,
        });
    }
    for (const k of u.searchParams.keys()) {
        if (!QUERY_KEYS.has(k)) {
            throw new errors/* ConfigError */.xL('destination', `unknown query parameter '${k}' in '${(0,log/* redactUrl */.BO)(url)}'`, {
                hint: 'accepted: ?endpoint=…&region=…&path-style=true',
            });
        }
    }
    const path = decodeURIComponent(u.pathname).replace(/^\/+/, '');
    const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
    if (prefix) {
        try {
            (0,keys/* checkPrefix */.by)(prefix, url);
        }
        catch (err) {
            throw new errors/* ConfigError */.xL('destination', `bad prefix '${path}' in '${(0,log/* redactUrl */.BO)(url)}'`, {
                cause: err,
                hint: "use a plain path like s3://bucket/backups/prod (no '.' or '..' segments, no '//')",
            });
        }
    }
    const option = (name) => ctx.options[name];
    const str = (v) => typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    const env = ctx.env;
    let endpoint = str(u.searchParams.get('endpoint')) ?? str(option('s3-endpoint'));
    if (!endpoint && scheme === 'gs')
        endpoint = GCS_ENDPOINT;
    if (endpoint) {
        if (!/^https?:\/\//i.test(endpoint))
            endpoint = `https://${endpoint}`;
        try {
            new URL(endpoint);
        }
        catch {
            throw new errors/* ConfigError */.xL('s3-endpoint', `'${endpoint}' is not a URL`, {
                hint: 'e.g. https://minio.example.com:9000',
            });
        }
        endpoint = endpoint.replace(/\/+$/, '');
    }
    const endpointHost = endpoint ? new URL(endpoint).hostname : undefined;
    const isAws = !endpointHost || /(^|\.)amazonaws\.com(\.cn)?$/i.test(endpointHost);
    const region = str(u.searchParams.get('region')) ??
        str(option('s3-region')) ??
        (scheme === 'gs' ? 'auto' : undefined) ??
        str(env['AWS_REGION']) ??
        str(env['AWS_DEFAULT_REGION']) ??
        'us-east-1';
    const pathStyleValue = u.searchParams.get('path-style') ?? option('s3-force-path-style');
    let forcePathStyle;
    if (pathStyleValue === undefined || pathStyleValue === null || pathStyleValue === '') {
        // Virtual-host addressing cannot work with an IP address or localhost.
        forcePathStyle =
            scheme === 'gs' ||
                (!!endpointHost && (/^[\d.]+$|^\[|:/.test(endpointHost) || endpointHost === 'localhost'));
    }
    else if (pathStyleValue === true || /^(true|1|yes)$/i.test(String(pathStyleValue))) {
        forcePathStyle = true;
    }
    else if (pathStyleValue === false || /^(false|0|no)$/i.test(String(pathStyleValue))) {
        forcePathStyle = false;
    }
    else {
        throw new errors/* ConfigError */.xL('s3-force-path-style', `'${String(pathStyleValue)}' is not true or false`);
    }
    let credentials;
    if (u.username) {
        if (!u.password) {
            throw new errors/* ConfigError */.xL('destination', `'${(0,log/* redactUrl */.BO)(url)}' has an access key but no secret`, {
                hint: `write ${scheme}://ACCESS_KEY:SECRET@bucket/prefix, or better, use environment variables`,
            });
        }
        credentials = {
            accessKeyId: decodeURIComponent(u.username),
            secretAccessKey: decodeURIComponent(u.password),
        };
    }
    else if (scheme === 'gs' &&
        str(env['GOOGLE_HMAC_ACCESS_KEY_ID']) &&
        str(env['GOOGLE_HMAC_SECRET'])) {
        credentials = {
            accessKeyId: env['GOOGLE_HMAC_ACCESS_KEY_ID'],
            secretAccessKey: env['GOOGLE_HMAC_SECRET'],
        };
    }
    else if (str(env['AWS_ACCESS_KEY_ID']) && str(env['AWS_SECRET_ACCESS_KEY'])) {
        // Same as the chain's first link, but honours the environment the engine was given.
        credentials = {
            accessKeyId: env['AWS_ACCESS_KEY_ID'],
            secretAccessKey: env['AWS_SECRET_ACCESS_KEY'],
        };
        if (str(env['AWS_SESSION_TOKEN']))
            credentials.sessionToken = env['AWS_SESSION_TOKEN'];
    }
    // Otherwise the SDK's default chain: profiles, SSO, web identity (OIDC), ECS, EC2 metadata.
    if (credentials) {
        ctx.redactor.add(credentials.secretAccessKey);
        ctx.redactor.add(credentials.sessionToken);
    }
    const sseValue = str(option('s3-sse'));
    const sseKmsKeyId = str(option('s3-sse-kms-key-id'));
    if (sseValue && sseValue !== 'AES256' && sseValue !== 'aws:kms') {
        throw new errors/* ConfigError */.xL('s3-sse', `'${sseValue}' is not a server-side encryption mode`, {
            hint: 'use AES256 or aws:kms',
        });
    }
    if (sseKmsKeyId && sseValue === 'AES256') {
        throw new errors/* ConfigError */.xL('s3-sse-kms-key-id', 'is set but s3-sse is AES256', {
            hint: 'set {{option:s3-sse=aws:kms}}',
        });
    }
    const sse = (sseValue ?? (sseKmsKeyId ? 'aws:kms' : undefined));
    // No credentials and no query: `s3://bucket/prefix` plus a key is a URL the aws CLI accepts.
    const displayUrl = `${scheme}://${bucket}${prefix ? `/${prefix.slice(0, -1)}` : ''}`;
    return {
        scheme,
        bucket,
        prefix,
        endpoint,
        region,
        forcePathStyle,
        isAws,
        credentials,
        sse,
        sseKmsKeyId,
        storageClass: str(option('s3-storage-class')),
        expectedSize: parseSize(option('expected-size')),
        displayUrl,
    };
}
/** `expected-size`: bytes as a number, or '500GiB', '2 TB', '750M'. */
function parseSize(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) && value >= 0 ? value : undefined;
    if (typeof value !== 'string' || value.trim() === '')
        return undefined;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?\s*$/i.exec(value);
    if (!m) {
        throw new errors/* ConfigError */.xL('expected-size', `'${value}' is not a size`, {
            hint: 'write bytes or e.g. 500GiB, 2TB',
        });
    }
    // Binary units either way: for sizing upload parts, overestimating is the safe side.
    const power = ' kmgtp'.indexOf((m[2] || ' ').toLowerCase());
    return Math.ceil(Number(m[1]) * 1024 ** Math.max(power, 0));
}

;// CONCATENATED MODULE: ./build/src/storage/s3/errors.js

const CREDENTIAL_CODES = new Set([
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'AccessDenied',
    'Forbidden',
    'ExpiredToken',
    'InvalidToken',
    'TokenRefreshRequired',
    'InvalidClientTokenId',
    'AllAccessDisabled',
    'AccountProblem',
]);
function credentialsHint(s) {
    const vars = s.scheme === 'gs'
        ? 'GOOGLE_HMAC_ACCESS_KEY_ID / GOOGLE_HMAC_SECRET (HMAC keys of a service account)'
        : 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a role via aws-actions/configure-aws-credentials)';
    return `check the credentials in ${vars}, that they may read and write bucket '${s.bucket}', and that this machine's clock is right`;
}
function httpReason(status) {
    return {
        301: 'Moved Permanently',
        400: 'Bad Request',
        403: 'Forbidden',
        404: 'Not Found',
        500: 'Internal Server Error',
        503: 'Service Unavailable',
    }[status];
}
function messageOf(err) {
    return err instanceof Error ? err.message : String(err);
}

;// CONCATENATED MODULE: ./build/src/storage/s3/storage.js










class S3Storage {
    displayUrl;
    settings;
    capabilities;
    client;
    /** Reads use a client without a socket idle timeout: a slow reader may pause the stream. */
    readClient;
    log;
    plan;
    constructor(settings, log, plan = multipartPlan) {
        this.settings = settings;
        this.displayUrl = settings.displayUrl;
        this.log = log;
        this.plan = plan;
        this.capabilities = {
            atomicPut: true,
            // AWS honours If-None-Match on PUT; S3-compatible stores may ignore it (s3rver does):
            // there createExclusive is a check-then-write (docs/storage.md).
            conditionalCreate: settings.isAws,
            rangeReads: true,
            listing: 'strong',
            maxConnections: 8,
            groupCommit: 'in-order',
        };
        const config = {
            region: settings.region,
            forcePathStyle: settings.forcePathStyle,
            followRegionRedirects: settings.isAws && !settings.endpoint,
        };
        if (settings.endpoint)
            config.endpoint = settings.endpoint;
        if (settings.credentials)
            config.credentials = settings.credentials;
        // Stores other than AWS reject or mangle the SDK's default CRC32 trailers (R2, B2, MinIO
        // releases, GCS, s3rver): send and check checksums only where an operation requires them.
        if (!settings.isAws) {
            config.requestChecksumCalculation = 'WHEN_REQUIRED';
            config.responseChecksumValidation = 'WHEN_REQUIRED';
        }
        this.client = new dist_cjs.S3Client({
            ...config,
            requestHandler: { connectionTimeout: 15_000, socketTimeout: 120_000 },
        });
        this.readClient = new dist_cjs.S3Client({ ...config, requestHandler: { connectionTimeout: 15_000 } });
    }
    async put(key, body, options) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        const signal = options?.signal;
        if (signal?.aborted)
            throw this.aborted(key, signal);
        const digest = new storage_body/* BodyDigest */.Hj();
        let bodyError;
        const source = external_node_stream_.Readable.from((async function* () {
            try {
                for await (const chunk of (0,storage_body/* chunksOf */.U_)(body, signal)) {
                    digest.update(chunk);
                    yield chunk;
                }
            }
            catch (err) {
                bodyError = err;
                throw err;
            }
        })(), { objectMode: false });
        const { partSize, queueSize } = this.plan(options?.size ?? this.settings.expectedSize);
        const params = {
            Bucket: this.settings.bucket,
            Key: this.settings.prefix + key,
            Body: source,
            ContentType: options?.contentType ?? 'application/octet-stream',
        };
        if (options?.sha256)
            params.Metadata = { [SHA256_METADATA]: options.sha256.toLowerCase() };
        if (this.settings.sse)
            params.ServerSideEncryption = this.settings.sse;
        if (this.settings.sseKmsKeyId)
            params.SSEKMSKeyId = this.settings.sseKmsKeyId;
        if (this.settings.storageClass)
            params.StorageClass = this.settings.storageClass;
        const upload = new lib_storage_dist_cjs/* Upload */._({
            client: signal ? withAbortSignal(this.client, signal) : this.client,
            params,
            partSize,
            queueSize,
            leavePartsOnError: false,
        });
        // Aborting the Upload stops new parts and aborts the multipart upload on S3.
        const onAbort = () => void upload.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
            await upload.done();
        }
        catch (err) {
            source.destroy();
            if (signal?.aborted) {
                await this.abortMultipart(upload, key);
                throw this.aborted(key, signal);
            }
            if (bodyError !== undefined) {
                if (err !== bodyError) {
                    // lib-storage reports a failed AbortMultipartUpload instead of the body's error.
                    this.log.warn(`${this.displayUrl}: could not abort the incomplete upload of ${key} (${messageOf(err)}); ` +
                        'it is not listed, and a lifecycle rule "AbortIncompleteMultipartUpload" removes its parts');
                }
                if (bodyError instanceof errors/* LifeboatError */.H3)
                    throw bodyError;
                throw new errors/* StorageError */.aq(`upload of ${key} to ${this.displayUrl} failed: ${messageOf(bodyError)}`, {
                    cause: bodyError,
                });
            }
            throw this.fail(err, `upload of ${key}`);
        }
        finally {
            signal?.removeEventListener('abort', onAbort);
        }
        const result = digest.result();
        try {
            (0,storage_body/* checkAnnounced */.AV)(key, this.displayUrl, options, result);
            // Confirmed by the store: what it holds now has the size we sent.
            const stored = await this.stat(key);
            if (!stored || stored.size !== result.size) {
                throw new errors/* IntegrityError */.cs(`${key} on ${this.displayUrl}: ${result.size} bytes were uploaded but the store reports ` +
                    `${stored ? `${stored.size} bytes` : 'no object'}`);
            }
        }
        catch (err) {
            if (err instanceof errors/* IntegrityError */.cs)
                await this.delete(key).catch(() => undefined);
            throw err;
        }
        return result;
    }
    /**
     * A conditional PutObject (`If-None-Match: *`): AWS S3, R2, GCS and current MinIO refuse it
     * with 412 when the key exists. Stores that ignore the header (s3rver, older MinIO) are
     * covered only by the HEAD before it, a check-then-write with a narrow race.
     */
    async createExclusive(key, body) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        if (await this.stat(key))
            return false;
        try {
            await this.client.send(new dist_cjs.PutObjectCommand({
                Bucket: this.settings.bucket,
                Key: this.settings.prefix + key,
                Body: body,
                ContentType: 'application/json',
                IfNoneMatch: '*',
            }));
            return true;
        }
        catch (err) {
            const e = err;
            const status = e.$metadata?.httpStatusCode;
            // 412: someone else's object is there; 409: a concurrent conditional write is in flight.
            if (status === 412 || status === 409 || e.name === 'PreconditionFailed')
                return false;
            throw this.fail(err, `create ${key}`);
        }
    }
    async get(key, options) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        try {
            const response = await this.readClient.send(new dist_cjs.GetObjectCommand({
                Bucket: this.settings.bucket,
                Key: this.settings.prefix + key,
                ...(options?.offset ? { Range: `bytes=${options.offset}-` } : {}),
            }), options?.signal ? { abortSignal: options.signal } : {});
            const stream = response.Body;
            const body = stream instanceof external_node_stream_.Readable
                ? stream
                : external_node_stream_.Readable.from(stream ? [Buffer.from(await stream.transformToByteArray())] : []);
            return (0,storage_body/* expectLength */.OU)(body, response.ContentLength, `${this.displayUrl} ${key}`, (err) => this.fail(err, `get ${key}`), options?.offset ?? 0);
        }
        catch (err) {
            throw this.fail(err, `get ${key}`);
        }
    }
    async stat(key) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        try {
            const head = await this.client.send(new dist_cjs.HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.settings.prefix + key }));
            const info = {
                key,
                size: head.ContentLength ?? 0,
                modified: head.LastModified ?? new Date(0),
            };
            const sha256 = head.Metadata?.[SHA256_METADATA];
            if (sha256 && /^[0-9a-f]{64}$/.test(sha256))
                info.sha256 = sha256;
            return info;
        }
        catch (err) {
            const failure = this.fail(err, `stat ${key}`);
            if (failure instanceof errors/* StorageError */.aq && failure.notFound)
                return undefined;
            throw failure;
        }
    }
    async list(prefix) {
        (0,keys/* checkPrefix */.by)(prefix, this.displayUrl);
        const out = [];
        let token;
        try {
            do {
                const page = await this.client.send(new dist_cjs.ListObjectsV2Command({
                    Bucket: this.settings.bucket,
                    Prefix: this.settings.prefix + prefix,
                    ContinuationToken: token,
                }));
                for (const o of page.Contents ?? []) {
                    if (!o.Key || !o.Key.startsWith(this.settings.prefix))
                        continue;
                    const key = o.Key.slice(this.settings.prefix.length);
                    // Folder markers made by consoles are not objects.
                    if (key === '' || key.endsWith('/'))
                        continue;
                    out.push({ key, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
                }
                token = page.IsTruncated ? page.NextContinuationToken : undefined;
            } while (token);
        }
        catch (err) {
            throw this.fail(err, `list ${prefix || '(all)'}`);
        }
        return out;
    }
    async delete(key, options) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        try {
            await this.client.send(new dist_cjs.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.settings.prefix + key }), options?.signal ? { abortSignal: options.signal } : {});
        }
        catch (err) {
            const failure = this.fail(err, `delete ${key}`);
            // GCS answers 404 for a missing key where S3 answers 204.
            if (failure instanceof errors/* StorageError */.aq && failure.notFound)
                return;
            throw failure;
        }
    }
    async close() {
        this.client.destroy();
        this.readClient.destroy();
    }
    /**
     * lib-storage's abort() leaves the multipart upload for after its in-flight parts, which a
     * cancel has just cut off, so it never happens: abort it here, on the unaborted client.
     */
    async abortMultipart(upload, key) {
        const uploadId = upload.uploadId;
        if (!uploadId)
            return;
        try {
            await this.client.send(new dist_cjs.AbortMultipartUploadCommand({
                Bucket: this.settings.bucket,
                Key: this.settings.prefix + key,
                UploadId: uploadId,
            }));
        }
        catch (err) {
            this.log.warn(`${this.displayUrl}: could not abort the incomplete upload of ${key} (${messageOf(err)}); ` +
                'it is not listed, and a lifecycle rule "AbortIncompleteMultipartUpload" removes its parts');
        }
    }
    aborted(key, signal) {
        return new errors/* StorageError */.aq(`upload of ${key} to ${this.displayUrl} was aborted`, {
            cause: signal.reason,
        });
    }
    /** SDK error → StorageError with a hint a person can act on. */
    fail(err, doing) {
        if (err instanceof errors/* LifeboatError */.H3)
            return err;
        const e = (err ?? {});
        const code = e.Code ?? e.name ?? 'Error';
        const status = e.$metadata?.httpStatusCode;
        const text = e.message && e.message !== 'UnknownError'
            ? e.message
            : (status && httpReason(status)) || code;
        const at = this.settings.endpoint ? ` at ${this.settings.endpoint}` : '';
        const message = `${doing} on ${this.displayUrl}${at} failed: ${code}${status ? ` (HTTP ${status})` : ''}: ${text}`;
        const { bucket } = this.settings;
        const where = this.settings.endpoint ?? `AWS region ${this.settings.region}`;
        if (code === 'NoSuchBucket') {
            return new errors/* StorageError */.aq(message, {
                cause: err,
                hint: `bucket '${bucket}' does not exist at ${where}: create it, or check the bucket name, {{option:s3-endpoint}} and {{option:s3-region}}`,
            });
        }
        if (CREDENTIAL_CODES.has(code) || status === 401 || status === 403) {
            return new errors/* StorageError */.aq(message, {
                cause: err,
                reason: 'denied',
                hint: credentialsHint(this.settings),
            });
        }
        if (code === 'CredentialsProviderError') {
            return new errors/* StorageError */.aq(`${doing} on ${this.displayUrl} failed: no credentials found (${text})`, {
                cause: err,
                reason: 'denied',
                hint: credentialsHint(this.settings),
            });
        }
        if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || status === 301) {
            return new errors/* StorageError */.aq(message, {
                cause: err,
                hint: `bucket '${bucket}' lives in another region: set {{option:s3-region}} (or ?region=) to the bucket's region`,
            });
        }
        if (/Exceeded \d+ parts/.test(text)) {
            return new errors/* StorageError */.aq(message, {
                cause: err,
                hint: 'the archive outgrew 10,000 upload parts: set {{option:expected-size}} (e.g. {{option:expected-size=200GB}}) so larger parts are used',
            });
        }
        if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) {
            return new errors/* StorageError */.aq(message, { cause: err, notFound: true });
        }
        return new errors/* StorageError */.aq(message, { cause: err, ...(0,retry/* classifyNodeError */.Fn)(err) });
    }
}
const s3Storage = {
    schemes: ['s3', 'gs'],
    create(url, ctx) {
        return new S3Storage(s3Settings(url, ctx), ctx.log);
    },
};
/** The client with every request tied to `signal`, so a cancel also cuts parts in flight. */
function withAbortSignal(client, signal) {
    const bound = Object.create(client);
    const send = client.send.bind(client);
    bound.send = ((command, options) => send(command, { ...options, abortSignal: signal }));
    return bound;
}

;// CONCATENATED MODULE: ./build/src/storage/s3/index.js
/**
 * `s3://` and `gs://` (S3-compatible stores): one folder by concern. settings.ts (URL, options,
 * credentials, multipart sizing), storage.ts (the Storage), errors.ts (SDK errors → hints).
 */




/***/ })

};
