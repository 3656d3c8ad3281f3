export const id = 268;
export const ids = [268];
export const modules = {

/***/ 53268:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PERMISSIONS_BLOCK: () => (/* reexport */ PERMISSIONS_BLOCK),
  artifactStorage: () => (/* reexport */ artifactStorage),
  parseArtifactUrl: () => (/* reexport */ parseArtifactUrl)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
;// CONCATENATED MODULE: ./build/src/storage/artifact/zip.js






const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_TAIL = 22 + 0xffff + 20;
async function readZipDirectory(src, label) {
    const bad = (why) => new errors/* IntegrityError */.cs(`${label} is not a readable zip: ${why}`);
    const tailLength = Math.min(src.size, MAX_TAIL);
    const tailStart = src.size - tailLength;
    const tail = await src.read(tailStart, tailLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD) {
            at = i;
            break;
        }
    }
    if (at < 0)
        throw bad('no end of central directory record');
    let count = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
        const loc = at - 20;
        if (loc < 0 || tail.readUInt32LE(loc) !== ZIP64_LOCATOR)
            throw bad('missing ZIP64 locator');
        const z64 = Number(tail.readBigUInt64LE(loc + 8));
        const rec = await src.read(z64, 56);
        if (rec.readUInt32LE(0) !== ZIP64_EOCD)
            throw bad('bad ZIP64 end record');
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOffset = Number(rec.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > src.size)
        throw bad('central directory outside the file');
    const cd = await src.read(cdOffset, cdSize);
    const entries = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL)
            throw bad('truncated central directory');
        const method = cd.readUInt16LE(p + 10);
        const time = cd.readUInt16LE(p + 12);
        const date = cd.readUInt16LE(p + 14);
        const crc = cd.readUInt32LE(p + 16);
        let compressedSize = cd.readUInt32LE(p + 20);
        let size = cd.readUInt32LE(p + 24);
        const nameLength = cd.readUInt16LE(p + 28);
        const extraLength = cd.readUInt16LE(p + 30);
        const commentLength = cd.readUInt16LE(p + 32);
        let localHeaderOffset = cd.readUInt32LE(p + 42);
        const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
        let e = p + 46 + nameLength;
        const extraEnd = e + extraLength;
        while (e + 4 <= extraEnd) {
            const id = cd.readUInt16LE(e);
            const len = cd.readUInt16LE(e + 2);
            if (id === 0x0001) {
                let q = e + 4;
                // ZIP64 fields appear in this order, each only when its 32-bit field is saturated.
                if (size === 0xffffffff) {
                    size = Number(cd.readBigUInt64LE(q));
                    q += 8;
                }
                if (compressedSize === 0xffffffff) {
                    compressedSize = Number(cd.readBigUInt64LE(q));
                    q += 8;
                }
                if (localHeaderOffset === 0xffffffff)
                    localHeaderOffset = Number(cd.readBigUInt64LE(q));
            }
            e += 4 + len;
        }
        p = extraEnd + commentLength;
        const modified = new Date(1980 + (date >> 9), ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
        if (name.endsWith('/'))
            continue;
        entries.push({
            name: name.replace(/^\/+/, ''),
            method,
            compressedSize,
            size,
            crc32: crc,
            localHeaderOffset,
            modified,
        });
    }
    return entries;
}
/** The member's bytes, failing with IntegrityError at the end if its CRC-32 or size is wrong. */
async function openZipEntry(src, entry, label) {
    if (entry.method !== 0 && entry.method !== 8) {
        throw new errors/* IntegrityError */.cs(`${label}: ${entry.name} uses unsupported zip compression method ${entry.method}`);
    }
    const header = await src.read(entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL)
        throw new errors/* IntegrityError */.cs(`${label}: ${entry.name} has no local header`);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > src.size) {
        throw new errors/* IntegrityError */.cs(`${label}: ${entry.name} extends past the end of the zip`);
    }
    const raw = await src.stream(dataStart, entry.compressedSize);
    let crc = 0;
    let seen = 0;
    const check = new external_node_stream_.Transform({
        transform(chunk, _enc, done) {
            crc = (0,external_node_zlib_.crc32)(chunk, crc);
            seen += chunk.length;
            if (seen > entry.size)
                return done(new errors/* IntegrityError */.cs(`${label}: ${entry.name} is longer than recorded`));
            done(null, chunk);
        },
        flush(done) {
            if (seen !== entry.size || crc !== entry.crc32) {
                return done(new errors/* IntegrityError */.cs(`${label}: ${entry.name} is damaged (${seen} of ${entry.size} bytes, CRC-32 ${crc.toString(16)} instead of ${entry.crc32.toString(16)})`));
            }
            done();
        },
    });
    const forward = (from, to) => from.on('error', (err) => to.destroy(err instanceof errors/* IntegrityError */.cs
        ? err
        : new errors/* IntegrityError */.cs(`${label}: ${entry.name} could not be read: ${err.message}`, {
            cause: err,
        })));
    if (entry.method === 8) {
        const inflate = (0,external_node_zlib_.createInflateRaw)();
        forward(raw, inflate);
        forward(inflate, check);
        raw.pipe(inflate).pipe(check);
    }
    else {
        forward(raw, check);
        raw.pipe(check);
    }
    return check;
}
/** Reads a whole (small) member into memory. */
async function readZipEntry(src, entry, label) {
    const chunks = [];
    for await (const c of await openZipEntry(src, entry, label))
        chunks.push(c);
    return Buffer.concat(chunks);
}
async function fileByteSource(path) {
    const handle = await (0,promises_.open)(path, 'r');
    const { size } = await handle.stat();
    return {
        size,
        async read(offset, length) {
            const buf = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buf, 0, length, offset);
            return buf.subarray(0, bytesRead);
        },
        async stream(offset, length) {
            if (length === 0)
                return external_node_stream_.Readable.from([]);
            return (0,external_node_fs_.createReadStream)(path, { start: offset, end: offset + length - 1 });
        },
        close: () => handle.close(),
    };
}
/** sha256 (hex) of a stream, passing the bytes through; `expected` makes the end fail if different. */
function sha256Checker(expected, label) {
    const hash = createHash('sha256');
    return new Transform({
        transform(chunk, _enc, done) {
            hash.update(chunk);
            done(null, chunk);
        },
        flush(done) {
            const actual = hash.digest('hex');
            if (actual !== expected) {
                return done(new IntegrityError(`${label}: sha256 is ${actual}, but its .sha256 sidecar says ${expected}`));
            }
            done();
        },
    });
}

// EXTERNAL MODULE: ./build/src/storage/keys.js
var keys = __webpack_require__(31851);
;// CONCATENATED MODULE: ./build/src/storage/types.js
/** What a wrapper or stand-in that knows nothing of its store may assume: the least. */
const LEAST_CAPABILITIES = Object.freeze({
    atomicPut: false,
    conditionalCreate: false,
    rangeReads: false,
    listing: 'eventual',
    maxConnections: 1,
    groupCommit: 'in-order',
});
/** The group's name of a member key: the key up to the first '.' of its last segment. */
function groupNameOf(key) {
    const slash = key.lastIndexOf('/');
    const dot = key.indexOf('.', slash + 1);
    return dot > slash + 1 ? key.slice(0, dot) : key;
}
/** A group whose members do not extend its name breaks the contract above. */
function checkGroup(group) {
    for (const key of [...group.members, group.commit]) {
        if (groupNameOf(key) !== group.name) {
            throw new Error(`${key} is not a member key of group ${group.name} (<name>.<suffix>)`);
        }
    }
    return group;
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
;// CONCATENATED MODULE: ./build/src/storage/artifact/settings.js

const PERMISSIONS_BLOCK = [
    'permissions:',
    '  actions: write   # read is enough for restore/list',
    '  contents: read',
].join('\n');
const PERMISSION_HINT = `give the workflow's token access to artifacts; add to the job (or workflow):\n${PERMISSIONS_BLOCK}`;
const INVALID_NAME_CHARS = /[":<>|*?\\/\r\n]/;
function parseArtifactUrl(url) {
    const m = /^artifact:(?:\/\/)?(.*)$/i.exec(url.trim());
    const prefix = decodeURIComponent(m?.[1] ?? '').replace(/\/+$/, '');
    if (!m || INVALID_NAME_CHARS.test(prefix)) {
        throw new errors/* ConfigError */.xL('destination', `'${url}' is not a valid artifact destination`, {
            hint: 'write artifact: or artifact:<name-prefix>, e.g. artifact:db-backup- (no / \\ : " < > | * ? in the prefix)',
        });
    }
    return prefix;
}
function parseRepository(option, env) {
    const fromOption = typeof option === 'string' && option.trim() !== '' ? option.trim() : undefined;
    const value = fromOption ?? env;
    if (!value)
        return undefined;
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
    if (!m) {
        throw new errors/* ConfigError */.xL('artifact-repository', `'${value}' is not owner/repo`, {
            hint: 'write it as owner/repo, e.g. acme/app',
        });
    }
    return { owner: m[1], repo: m[2] };
}
function parseRetentionDays(value) {
    if (value === undefined || value === null || value === '')
        return undefined;
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(n) || n < 1 || n > 400) {
        throw new errors/* ConfigError */.xL('retention-days', `'${String(value)}' is not a number of days`, {
            hint: 'use a whole number from 1 to 90 (up to 400 for private repositories where the organization allows it)',
        });
    }
    return n;
}

;// CONCATENATED MODULE: ./build/src/storage/artifact/rest.js





/** The REST API side of artifacts: listing, locating (range reads of a zip), deleting. */
class ArtifactApi {
    token;
    repository;
    apiUrl;
    ctx;
    constructor(token, repository, apiUrl, ctx) {
        this.token = token;
        this.repository = repository;
        this.apiUrl = apiUrl;
        this.ctx = ctx;
    }
    /** Live (not expired) artifacts of the repository, newest first; `name` filters exactly. */
    async listArtifacts(name) {
        const { owner, repo } = this.requireReadAccess();
        const out = [];
        const now = Date.now();
        for (let page = 1;; page++) {
            const q = new URLSearchParams({ per_page: '100', page: String(page) });
            if (name !== undefined)
                q.set('name', name);
            const res = await this.rest('GET', `/repos/${owner}/${repo}/actions/artifacts?${q}`, 'listing artifacts');
            const body = (await res.json());
            for (const a of body.artifacts) {
                const expiresAt = a.expires_at ? new Date(a.expires_at) : undefined;
                // Expired artifacts are gone for good (their content is deleted); never an error.
                if (a.expired || (expiresAt && expiresAt.getTime() <= now))
                    continue;
                out.push({
                    id: a.id,
                    name: a.name,
                    size: a.size_in_bytes,
                    createdAt: a.created_at ? new Date(a.created_at) : new Date(0),
                    expiresAt,
                    digest: a.digest ?? undefined,
                    runId: a.workflow_run?.id ?? undefined,
                });
            }
            if (body.artifacts.length < 100 || page * 100 >= body.total_count)
                break;
        }
        return out.sort((x, y) => y.id - x.id);
    }
    /** Range reads of the artifact's zip through the signed URL the REST API redirects to. */
    async remoteSource(a) {
        const { owner, repo } = this.requireReadAccess();
        const res = await this.rest('GET', `/repos/${owner}/${repo}/actions/artifacts/${a.id}/zip`, `locating artifact ${a.name}`, true);
        const location = res.headers.get('location');
        await res.body?.cancel();
        if (!location)
            throw new errors/* StorageError */.aq(`locating artifact ${a.name}: the API gave no download URL`, {
                transient: true,
            });
        const sig = new URL(location).searchParams.get('sig');
        if (sig)
            this.ctx.redactor.add(sig);
        const label = `artifact ${a.name}`;
        const fetchRange = async (offset, length) => {
            let r;
            try {
                r = await fetch(location, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
            }
            catch (err) {
                throw new errors/* StorageError */.aq(`reading ${label}: ${err.message}`, {
                    cause: err,
                    transient: true,
                });
            }
            if (r.status === 404 || r.status === 410) {
                throw new errors/* StorageError */.aq(`${label} is gone`, { notFound: true });
            }
            if (r.status !== 206 && r.status !== 200) {
                await r.body?.cancel();
                throw new errors/* StorageError */.aq(`reading ${label}: HTTP ${r.status}`, {
                    transient: r.status >= 500 || r.status === 403,
                });
            }
            return r;
        };
        let size = a.size;
        const head = await fetchRange(0, 1);
        const total = /\/(\d+)$/.exec(head.headers.get('content-range') ?? '')?.[1];
        await head.body?.cancel();
        if (total)
            size = Number(total);
        return {
            size,
            async read(offset, length) {
                if (length === 0)
                    return Buffer.alloc(0);
                const r = await fetchRange(offset, length);
                const buf = Buffer.from(await r.arrayBuffer());
                return r.status === 200 ? buf.subarray(offset, offset + length) : buf;
            },
            async stream(offset, length) {
                if (length === 0)
                    return external_node_stream_.Readable.from([]);
                const r = await fetchRange(offset, length);
                if (r.status === 200)
                    throw new errors/* StorageError */.aq(`reading ${label}: the server ignored the range request`);
                return external_node_stream_.Readable.fromWeb(r.body);
            },
        };
    }
    requireReadAccess() {
        if (!this.token) {
            throw new errors/* ConfigError */.xL('github-token', 'listing, restoring or deleting GitHub artifacts needs a token', {
                hint: `pass a token in {{option:github-token}} (in a workflow the default, \${{ github.token }}, works) and grant it:\n${PERMISSIONS_BLOCK}`,
            });
        }
        if (!this.repository) {
            throw new errors/* ConfigError */.xL('artifact-repository', 'no repository to read artifacts from (GITHUB_REPOSITORY is not set)', {
                hint: 'set {{option:artifact-repository=owner/repo}}',
            });
        }
        return this.repository;
    }
    async rest(method, path, what, redirect = false) {
        let res;
        try {
            res = await fetch(this.apiUrl + path, {
                method,
                redirect: redirect ? 'manual' : 'follow',
                headers: {
                    Accept: 'application/vnd.github+json',
                    Authorization: `Bearer ${this.token}`,
                    'X-GitHub-Api-Version': '2022-11-28',
                    'User-Agent': 'lifeboat',
                },
            });
        }
        catch (err) {
            throw new errors/* StorageError */.aq(`${what}: ${err.message}`, { cause: err, transient: true });
        }
        if (res.ok || (redirect && res.status >= 300 && res.status < 400))
            return res;
        const text = await res.text().catch(() => '');
        let message = text;
        try {
            message = JSON.parse(text).message ?? text;
        }
        catch {
            // not JSON: keep the text
        }
        const detail = `${what}: HTTP ${res.status}${message ? ` ${message}` : ''}`;
        if (res.status === 404 || res.status === 410)
            throw new errors/* StorageError */.aq(detail, { notFound: true });
        const rateLimited = res.headers.get('x-ratelimit-remaining') === '0' || res.status === 429;
        if (rateLimited)
            throw new errors/* StorageError */.aq(detail, {
                transient: true,
                hint: 'GitHub API rate limit; wait and retry',
            });
        if (res.status === 401) {
            throw new errors/* StorageError */.aq(detail, {
                hint: '{{option:github-token}} is invalid or expired; pass a current one (in a workflow: ${{ github.token }})',
            });
        }
        if (res.status === 403)
            throw new errors/* StorageError */.aq(detail, { hint: PERMISSION_HINT });
        throw new errors/* StorageError */.aq(detail, { transient: res.status >= 500 });
    }
    /** Deletes an artifact; one already gone is not an error. */
    async deleteArtifact(a) {
        const { owner, repo } = this.requireReadAccess();
        try {
            await this.rest('DELETE', `/repos/${owner}/${repo}/actions/artifacts/${a.id}`, `deleting artifact ${a.name}`);
        }
        catch (err) {
            if (!(err instanceof errors/* StorageError */.aq && err.notFound))
                throw err;
        }
        this.ctx.log.debug(`deleted artifact ${a.name} (id ${a.id})`);
    }
}
function toStorageError(err, what) {
    if (err instanceof errors/* LifeboatError */.H3)
        return err;
    const e = err;
    const message = String(e?.message ?? err);
    if (e?.name === 'UsageError') {
        return new errors/* StorageError */.aq(`${what}: ${message}`, {
            cause: err,
            hint: "the account's artifact storage quota is full: lower {{option:retention-days}}, set {{option:keep-last}} or another keep-* option so old backups are pruned, and delete old artifacts",
        });
    }
    if (/Unable to get the ACTIONS_(RUNTIME_TOKEN|RESULTS_URL)/.test(message)) {
        return new errors/* ConfigError */.xL('destination', `${what}: ${message}`, {
            hint: 'run Lifeboat as an action step inside GitHub Actions',
        });
    }
    if (e?.name === 'ArtifactNotFoundError')
        return new errors/* StorageError */.aq(`${what}: ${message}`, { cause: err, notFound: true });
    if (/\((401|403)\)|Resource not accessible by integration/i.test(message)) {
        return new errors/* StorageError */.aq(`${what}: ${message}`, { cause: err, hint: PERMISSION_HINT });
    }
    const transient = e?.name === 'NetworkError' ||
        /after \d+ attempts|after \d+ retries|stalled|timed? ?out|ECONNRESET|ETIMEDOUT/i.test(message);
    return new errors/* StorageError */.aq(`${what}: ${message}`, { cause: err, transient });
}

;// CONCATENATED MODULE: ./build/src/storage/artifact/spool.js








async function spoolMember(group, key, body, options) {
    const path = (0,external_node_path_.join)(group.root, ...key.split('/'));
    // Written aside and renamed, so a failed overwrite of a held key keeps the previous bytes.
    const partial = `${path}.partial-${(0,external_node_crypto_.randomUUID)()}`;
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const counter = new external_node_stream_.Transform({
        transform(chunk, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
        },
    });
    try {
        await (0,external_node_stream_promises_.pipeline)(body, counter, (0,external_node_fs_.createWriteStream)(partial), options.signal ? { signal: options.signal } : {});
    }
    catch (err) {
        await (0,promises_.rm)(partial, { force: true });
        if (err instanceof errors/* LifeboatError */.H3 || err.name === 'AbortError')
            throw err;
        throw new errors/* StorageError */.aq(`could not spool ${key} for upload: ${err.message}`, {
            cause: err,
        });
    }
    const sha256 = hash.digest('hex');
    if ((options.sha256 && options.sha256 !== sha256) ||
        (options.size !== undefined && options.size !== size)) {
        await (0,promises_.rm)(partial, { force: true });
        throw new errors/* IntegrityError */.cs(`${key}: received ${size} bytes with sha256 ${sha256}, expected ${options.size ?? '?'} bytes with ${options.sha256 ?? 'any sha256'}`);
    }
    await (0,promises_.rename)(partial, path);
    const member = { key, path, size, sha256, modified: new Date() };
    group.members.set(key, member);
    return member;
}
/** The digest the client computed while streaming must be what the service recorded at finalize. */
async function confirmUpload(client, name, result) {
    let recorded;
    try {
        recorded = (await client.getArtifact(name)).artifact;
    }
    catch (err) {
        throw toStorageError(err, `confirming ${name}`);
    }
    const digest = recorded.digest?.replace(/^sha256:/, '');
    if (recorded.id !== result.id ||
        digest !== result.digest ||
        (result.size !== undefined && recorded.size !== result.size)) {
        try {
            await client.deleteArtifact(name);
        }
        catch {
            // Reported below; a half-confirmed artifact without a usable digest is refused on read anyway.
        }
        throw new errors/* IntegrityError */.cs(`artifact ${name}: uploaded ${result.size} bytes with sha256 ${result.digest}, but the service recorded ` +
            `${recorded.size} bytes with ${recorded.digest ?? 'no digest'} (artifact ${recorded.id})`);
    }
}
async function unchangedOnDisk(members) {
    for (const m of members) {
        const now = await (0,promises_.stat)(m.path);
        if (now.size !== m.size)
            throw new errors/* IntegrityError */.cs(`${m.key} changed on disk while waiting for upload`);
    }
}

;// CONCATENATED MODULE: ./build/src/storage/artifact/storage.js













/**
 * `artifact:[name-prefix]`: backups as GitHub Actions artifacts, one artifact per backup.
 *
 * An artifact is immutable once finalized, and one backup is several keys written as a group
 * (`ObjectGroup`, announced by the engine with `beginGroup`: archive and sidecars, then the
 * commit key). So the group's members are spooled to a temp directory when they are put, and
 * the commit key's put uploads them all as ONE artifact named `<name-prefix><group name>` with
 * '/' as '-' (its members keep their keys as paths inside the zip): `groupCommit: 'on-commit'`.
 * Until then the held keys are visible only to this Storage instance (for the engine's
 * read-back); a group whose commit key is never put uploads nothing. Any key outside a group
 * is uploaded at once as an artifact named after the key itself. A later run finds a key's
 * artifact from the key alone: the group contract makes every member key `<group name>.<suffix>`,
 * so its artifact is named after `groupNameOf(key)`, or after the key for a lone object.
 * Nothing here knows which suffixes the engine uses.
 *
 * Upload goes through @actions/artifact (the runner's ACTIONS_RUNTIME_TOKEN); listing, reading
 * and deleting go through the REST API with `github-token`, so backups of earlier runs can be
 * listed, restored and pruned. Small members are read with range requests from the zip; an
 * archive is downloaded whole by the client and checked against the zip digest recorded at
 * upload and against its own .sha256 sidecar.
 *
 * The artifact client reads process.env (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL,
 * GITHUB_API_URL); StorageContext.env must be the same environment.
 */
const artifactStorage = {
    schemes: ['artifact'],
    create(url, ctx) {
        return new ArtifactStorage(parseArtifactUrl(url), ctx);
    },
};
const LIST_CONCURRENCY = 8;
/**
 * Members at least this big are downloaded whole through the artifact client, which checks the
 * zip against the digest recorded at upload; smaller ones are range-read out of the zip.
 */
const WHOLE_DOWNLOAD_BYTES = 1024 * 1024;
/** An artifact name for a group or lone key: the key's path with '/' as '-'. */
function flatten(namePrefix, stem) {
    return namePrefix + stem.replaceAll('/', '-');
}
class ArtifactStorage {
    displayUrl;
    /**
     * An artifact appears whole at finalize; no conditional create (createExclusive is a
     * check-then-write); zip members cannot be read from an offset (skipped to); the REST
     * listing may lag an upload; groups are one artifact each.
     */
    capabilities = {
        atomicPut: true,
        conditionalCreate: false,
        rangeReads: false,
        listing: 'eventual',
        maxConnections: LIST_CONCURRENCY,
        groupCommit: 'on-commit',
    };
    /** Announced groups, by each of their keys. */
    groups = new Map();
    env;
    token;
    repository;
    apiUrl;
    api;
    retentionDays;
    held = new Map();
    directories = new Map();
    spool;
    client;
    namePrefix;
    ctx;
    constructor(namePrefix, ctx) {
        this.namePrefix = namePrefix;
        this.ctx = ctx;
        this.displayUrl = `artifact:${namePrefix}`;
        this.env = ctx.env;
        this.ctx.redactor.add(this.env['ACTIONS_RUNTIME_TOKEN']);
        const tokenOption = ctx.options['github-token'];
        this.token =
            (typeof tokenOption === 'string' && tokenOption.trim()) ||
                this.env['GITHUB_TOKEN']?.trim() ||
                undefined;
        this.ctx.redactor.add(this.token);
        this.apiUrl = (this.env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
        this.repository = parseRepository(ctx.options['artifact-repository'], this.env['GITHUB_REPOSITORY']);
        this.retentionDays = parseRetentionDays(ctx.options['retention-days']);
        this.api = new ArtifactApi(this.token, this.repository, this.apiUrl, ctx);
        if (!this.inActions() && !this.token) {
            throw new errors/* ConfigError */.xL('destination', 'artifact: needs GitHub Actions: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set', {
                hint: 'run Lifeboat as an action step (uses: <owner>/lifeboat@v1; a `run:` step does not receive the runtime token); ' +
                    'outside Actions only list/restore work, with github-token and artifact-repository set',
            });
        }
    }
    inActions() {
        return Boolean(this.env['ACTIONS_RUNTIME_TOKEN'] && this.env['ACTIONS_RESULTS_URL']);
    }
    async put(key, body, options = {}) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        const name = this.nameFor(key);
        const group0 = this.groups.get(key);
        const held = group0 !== undefined && group0.commit !== key;
        if (!held && !this.inActions()) {
            throw new errors/* ConfigError */.xL('destination', `cannot upload ${key}: artifacts can only be created inside GitHub Actions`, {
                hint: 'ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are missing; run Lifeboat as an action step (uses: …), not from a `run:` script',
            });
        }
        let group = this.held.get(name);
        if (!group) {
            const root = await (0,promises_.mkdtemp)((0,external_node_path_.join)(await this.spoolDir(), 'group-'));
            group = { name, root, members: new Map() };
            this.held.set(name, group);
        }
        const member = await spoolMember(group, key, body, options);
        if (held)
            return { size: member.size, sha256: member.sha256 };
        try {
            options.signal?.throwIfAborted();
            await this.upload(group);
        }
        catch (err) {
            group.members.delete(key);
            await (0,promises_.rm)(member.path, { force: true });
            throw err;
        }
        this.held.delete(name);
        if (group0)
            for (const k of [...group0.members, group0.commit])
                this.groups.delete(k);
        await (0,promises_.rm)(group.root, { recursive: true, force: true });
        return { size: member.size, sha256: member.sha256 };
    }
    beginGroup(group) {
        checkGroup(group);
        for (const key of [...group.members, group.commit])
            this.groups.set((0,keys/* checkKey */.yR)(key, this.displayUrl), group);
    }
    /**
     * Artifacts have no conditional create: this is a check-then-write, so two runs may both
     * succeed in a narrow window. A workflow `concurrency:` group is the real guard here.
     */
    async createExclusive(key, body) {
        if (await this.stat(key))
            return false;
        await this.put(key, external_node_stream_.Readable.from([body]), { contentType: 'application/json' });
        return true;
    }
    async get(key, options = {}) {
        const stream = await this.getWhole(key);
        // Zip entries and artifact downloads cannot start mid-way: skip to a resumed read's offset.
        return options.offset
            ? external_node_stream_.Readable.from(skipBytes(options.offset)(stream), { objectMode: false })
            : stream;
    }
    async getWhole(key) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        const held = this.held.get(this.nameFor(key))?.members.get(key);
        if (held)
            return (0,external_node_fs_.createReadStream)(held.path);
        const found = await this.findMember(key);
        if (!found)
            throw new errors/* StorageError */.aq(`${key} not found in ${this.displayUrl}`, { notFound: true });
        if (found.whole)
            return this.downloadWhole(found.artifact, key);
        const src = await this.api.remoteSource(found.artifact);
        return openZipEntry(src, found.entry, `artifact ${found.artifact.name}`);
    }
    async stat(key) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        const held = this.held.get(this.nameFor(key))?.members.get(key);
        if (held)
            return { key, size: held.size, modified: held.modified, sha256: held.sha256 };
        const found = await this.findMember(key);
        return found ? { key, size: found.entry.size, modified: found.artifact.createdAt } : undefined;
    }
    async list(prefix) {
        (0,keys/* checkPrefix */.by)(prefix, this.displayUrl);
        const out = new Map();
        // Only a key's last segment loses a suffix in its artifact name, so filter by the folder part.
        const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
        const namePrefix = this.namePrefix + folder.replaceAll('/', '-');
        const artifacts = (await this.api.listArtifacts()).filter((a) => a.name.startsWith(namePrefix));
        const directories = await mapLimit(artifacts, LIST_CONCURRENCY, async (a) => {
            try {
                return await this.directory(a);
            }
            catch (err) {
                if (err instanceof errors/* StorageError */.aq && err.notFound)
                    return [];
                throw err;
            }
        });
        // Newest first, so when a key was written twice the latest artifact wins.
        for (const [i, a] of artifacts.entries()) {
            for (const entry of directories[i]) {
                if (!entry.name.startsWith(prefix) || out.has(entry.name))
                    continue;
                if (!this.ownsKey(a, entry.name))
                    continue;
                out.set(entry.name, { key: entry.name, size: entry.size, modified: a.createdAt });
            }
        }
        for (const group of this.held.values()) {
            for (const m of group.members.values()) {
                if (m.key.startsWith(prefix))
                    out.set(m.key, { key: m.key, size: m.size, modified: m.modified, sha256: m.sha256 });
            }
        }
        return [...out.values()];
    }
    async delete(key) {
        (0,keys/* checkKey */.yR)(key, this.displayUrl);
        const name = this.nameFor(key);
        const group = this.held.get(name);
        const held = group?.members.get(key);
        if (group && held) {
            group.members.delete(key);
            await (0,promises_.rm)(held.path, { force: true });
            if (!this.token)
                return;
        }
        for (const a of (await Promise.all(this.candidateNames(key).map((n) => this.api.listArtifacts(n)))).flat()) {
            let entries;
            try {
                entries = await this.directory(a);
            }
            catch (err) {
                if (err instanceof errors/* StorageError */.aq && err.notFound)
                    continue;
                throw err;
            }
            if (!entries.some((e) => e.name === key))
                continue;
            await this.deleteArtifact(a);
        }
    }
    async close() {
        const pending = [...this.held.values()].flatMap((g) => [...g.members.keys()]);
        if (pending.length > 0) {
            this.ctx.log.debug(`artifact: discarding ${pending.length} key(s) never committed by a manifest: ${pending.join(', ')}`);
        }
        this.held.clear();
        if (this.spool)
            await (0,promises_.rm)(await this.spool, { recursive: true, force: true });
        this.spool = undefined;
    }
    /** The artifact a key is written to: its announced group's, else its own. */
    nameFor(key) {
        return this.checkedName(key, flatten(this.namePrefix, this.groups.get(key)?.name ?? key));
    }
    /** Where a key may live in earlier runs' artifacts: its group's artifact, or its own. */
    candidateNames(key) {
        const names = [this.nameFor(key)];
        for (const stem of [groupNameOf(key), key]) {
            const name = flatten(this.namePrefix, stem);
            if (!names.includes(name))
                names.push(this.checkedName(key, name));
        }
        return names;
    }
    checkedName(key, name) {
        if (INVALID_NAME_CHARS.test(name)) {
            throw new errors/* StorageError */.aq(`${key} cannot be stored as a GitHub artifact: artifact names cannot contain " : < > | * ? \\`);
        }
        return name;
    }
    /** A member belongs to an artifact only when its key maps to that artifact's name. */
    ownsKey(a, key) {
        try {
            return this.candidateNames((0,keys/* checkKey */.yR)(key, this.displayUrl)).includes(a.name);
        }
        catch {
            return false;
        }
    }
    spoolDir() {
        this.spool ??= (0,promises_.mkdtemp)((0,external_node_path_.join)(this.ctx.tmpRoot ?? (0,external_node_os_.tmpdir)(), 'lifeboat-artifact-'));
        return this.spool;
    }
    async artifactClient() {
        this.client ??= Promise.all(/* import() */[__webpack_require__.e(941), __webpack_require__.e(752), __webpack_require__.e(747), __webpack_require__.e(647), __webpack_require__.e(888)]).then(__webpack_require__.bind(__webpack_require__, 37888)).then((m) => new m.DefaultArtifactClient());
        return this.client;
    }
    async upload(group) {
        const members = [...group.members.values()];
        await unchangedOnDisk(members);
        this.warnAboutRetention();
        const client = await this.artifactClient();
        const files = members.map((m) => m.path);
        const total = members.reduce((n, m) => n + m.size, 0);
        this.ctx.log.info(`Uploading artifact ${group.name} (${members.length} file(s), ${(0,log/* formatBytes */.z3)(total)})…`);
        const options = {
            // The archive is compressed already; storing it saves a second compression pass.
            compressionLevel: 0,
            ...(this.retentionDays ? { retentionDays: this.retentionDays } : {}),
        };
        let result;
        try {
            result = await client.uploadArtifact(group.name, files, group.root, options);
        }
        catch (err) {
            if (!/\(409\)/.test(String(err?.message)))
                throw toStorageError(err, `uploading ${group.name}`);
            // A failed attempt earlier in this run left an artifact of that name; replace it.
            this.ctx.log.warn(`artifact ${group.name} already exists in this run; replacing it`);
            try {
                await client.deleteArtifact(group.name);
                result = await client.uploadArtifact(group.name, files, group.root, options);
            }
            catch (again) {
                throw toStorageError(again, `uploading ${group.name}`);
            }
        }
        if (!result.id || !result.digest) {
            throw new errors/* StorageError */.aq(`uploading ${group.name}: the artifact service returned no id or digest`);
        }
        await confirmUpload(client, group.name, result);
        this.ctx.log.info(`Stored artifact ${group.name} (id ${result.id}, zip sha256 ${result.digest})`);
        if (this.token && this.repository)
            await this.afterUpload(group, result.id);
    }
    /** Older artifacts holding the same keys are superseded; and tell when retention was capped. */
    async afterUpload(group, id) {
        const keys = new Set(group.members.keys());
        try {
            for (const a of await this.api.listArtifacts(group.name)) {
                if (a.id === id) {
                    this.checkExpiry(a);
                    continue;
                }
                const entries = await this.directory(a).catch(() => []);
                if (entries.some((e) => keys.has(e.name)))
                    await this.deleteArtifact(a);
            }
        }
        catch (err) {
            this.ctx.log.warn(`artifact ${group.name}: could not check older copies: ${err.message}`);
        }
    }
    warnAboutRetention() {
        const cap = Number.parseInt(this.env['GITHUB_RETENTION_DAYS'] ?? '', 10);
        if (this.retentionDays && Number.isFinite(cap) && this.retentionDays > cap) {
            this.ctx.log.warn(`retention-days ${this.retentionDays} is more than this repository allows for artifacts; GitHub keeps them ${cap} days`);
        }
    }
    checkExpiry(a) {
        if (!this.retentionDays || !a.expiresAt)
            return;
        const days = (a.expiresAt.getTime() - a.createdAt.getTime()) / 86_400_000;
        if (days < this.retentionDays - 1) {
            this.ctx.log.warn(`artifact ${a.name} expires ${a.expiresAt.toISOString()} (${Math.round(days)} days), not after the ${this.retentionDays} retention-days asked for: the repository's artifact retention setting caps it`);
        }
    }
    async downloadWhole(a, key) {
        const { owner, repo } = this.api.requireReadAccess();
        const client = await this.artifactClient();
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(await this.spoolDir(), 'download-'));
        const cleanup = () => (0,promises_.rm)(dir, { recursive: true, force: true });
        try {
            if (!a.digest)
                this.ctx.log.warn(`artifact ${a.name} has no recorded digest; checking its members only`);
            let mismatch;
            try {
                const res = await client.downloadArtifact(a.id, {
                    path: dir,
                    skipDecompress: true,
                    ...(a.digest ? { expectedHash: a.digest } : {}),
                    findBy: {
                        token: this.token,
                        repositoryOwner: owner,
                        repositoryName: repo,
                        workflowRunId: a.runId ?? 0,
                    },
                });
                mismatch = res.digestMismatch;
            }
            catch (err) {
                throw toStorageError(err, `downloading artifact ${a.name}`);
            }
            if (mismatch) {
                throw new errors/* IntegrityError */.cs(`artifact ${a.name} (id ${a.id}) does not match the digest recorded when it was uploaded (${a.digest}): it is damaged`);
            }
            const files = await (0,promises_.readdir)(dir);
            if (files.length !== 1)
                throw new errors/* StorageError */.aq(`downloading artifact ${a.name}: expected one zip, got ${files.length} files`);
            const src = await fileByteSource((0,external_node_path_.join)(dir, files[0]));
            const label = `artifact ${a.name}`;
            const entries = await readZipDirectory(src, label);
            const entry = entries.find((e) => e.name === key);
            if (!entry)
                throw new errors/* StorageError */.aq(`${key} not found in ${label}`, { notFound: true });
            const out = await openZipEntry(src, entry, label);
            out.on('close', () => void src.close().finally(cleanup));
            return out;
        }
        catch (err) {
            await cleanup();
            throw err;
        }
    }
    async findMember(key) {
        for (const name of this.candidateNames(key)) {
            for (const a of await this.api.listArtifacts(name)) {
                let entries;
                try {
                    entries = await this.directory(a);
                }
                catch (err) {
                    if (err instanceof errors/* StorageError */.aq && err.notFound)
                        continue;
                    throw err;
                }
                const entry = entries.find((e) => e.name === key);
                if (!entry)
                    continue;
                // A big member, or the biggest of a group (its archive), comes through the client so
                // the whole zip is checked against the digest recorded at upload.
                const whole = entry.size >= WHOLE_DOWNLOAD_BYTES ||
                    (entries.length > 1 && entries.every((e) => e === entry || e.size < entry.size));
                return { artifact: a, entry, whole };
            }
        }
        return undefined;
    }
    /** Artifacts are immutable, so a directory read once stays true for this instance's life. */
    directory(a) {
        let d = this.directories.get(a.id);
        if (!d) {
            d = this.api.remoteSource(a).then((src) => readZipDirectory(src, `artifact ${a.name}`));
            d.catch(() => this.directories.delete(a.id));
            this.directories.set(a.id, d);
        }
        return d;
    }
    async deleteArtifact(a) {
        await this.api.deleteArtifact(a);
        this.directories.delete(a.id);
    }
}
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    });
    await Promise.all(workers);
    return out;
}
/** Drops the first `count` bytes of a stream. */
function skipBytes(count) {
    return async function* (source) {
        let left = count;
        for await (const chunk of source) {
            if (left >= chunk.length) {
                left -= chunk.length;
                continue;
            }
            yield left > 0 ? chunk.subarray(left) : chunk;
            left = 0;
        }
    };
}

;// CONCATENATED MODULE: ./build/src/storage/artifact/index.js
/**
 * `artifact:`: one folder by concern. storage.ts (the Storage: groups spooled and uploaded as
 * one artifact, reads, listing), rest.ts (the REST API: list, locate, delete), settings.ts (the
 * URL and options), spool.ts (members spooled to disk until their group is uploaded), zip.ts
 * (reading members out of an artifact's zip).
 */




/***/ })

};
