export const id = 836;
export const ids = [836];
export const modules = {

/***/ 91836:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  chromaDriver: () => (/* binding */ chromaDriver)
});

// EXTERNAL MODULE: ./build/src/sources/chroma/client.js
var chroma_client = __webpack_require__(2008);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./build/src/sources/chroma/records.js
/**
 * How Chroma records are written into the archive: JSON Lines, one record per line,
 * `{"id", "embedding", "document", "metadata", "uri"}`, with the embedding as base64 of its
 * little-endian float32 values (exactly what Chroma stores; 4 bytes a dimension instead of
 * about 11 as decimal text). `jq` reads it; `Buffer.from(e, 'base64')` gives the floats back.
 *
 * And the id digest a backup records for each collection, so verify and restore can prove they
 * hold the same ids: the sum, modulo 2^256, of the sha256 of every id. A sum does not depend on
 * the order records arrive in (Chroma pages in its own order) and needs no memory beyond itself.
 */

const MOD = 1n << 256n;
class IdDigest {
    sum = 0n;
    count = 0;
    add(id) {
        this.sum = (this.sum + BigInt(`0x${(0,external_node_crypto_.createHash)('sha256').update(id).digest('hex')}`)) % MOD;
        this.count++;
    }
    hex() {
        return this.sum.toString(16).padStart(64, '0');
    }
}
function encodeEmbedding(values) {
    const f = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++)
        f[i] = values[i];
    // Float32Array is in the machine's byte order; every platform Node runs on is little-endian.
    return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}
/** The embedding's floats, or undefined when the text is not a whole number of float32s. */
function decodeEmbedding(base64) {
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length % 4 !== 0)
        return undefined;
    const out = new Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++)
        out[i] = bytes.readFloatLE(i * 4);
    return out;
}
/** Dimension of a base64 embedding (bytes / 4), or -1 when malformed. */
function embeddingDimension(base64) {
    const bytes = Buffer.byteLength(base64, 'base64');
    return bytes % 4 === 0 ? bytes / 4 : -1;
}
/** Checks one parsed JSONL line; a reason when it is not a record. */
function recordProblem(r) {
    if (typeof r !== 'object' || r === null)
        return 'not a JSON object';
    const o = r;
    if (typeof o['id'] !== 'string' || !o['id'])
        return 'no id';
    if (o['embedding'] !== null && typeof o['embedding'] !== 'string')
        return 'bad embedding';
    if (o['document'] !== null && o['document'] !== undefined && typeof o['document'] !== 'string')
        return 'bad document';
    if (o['uri'] !== null && o['uri'] !== undefined && typeof o['uri'] !== 'string')
        return 'bad uri';
    const m = o['metadata'];
    if (m !== null && m !== undefined && (typeof m !== 'object' || Array.isArray(m)))
        return 'bad metadata';
    return undefined;
}

// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(80481);
// EXTERNAL MODULE: ./build/src/sources/types.js
var types = __webpack_require__(97145);
;// CONCATENATED MODULE: ./build/src/sources/chroma/members.js
/** A Chroma backup's members (`collections/<name>/collection.json`, `records.jsonl`) and its manifest details: reading and checking them. */







const COLLECTION_MEMBER = 'collection.json';
const RECORDS_MEMBER = 'records.jsonl';
function message(err) {
    return err instanceof Error ? err.message : String(err);
}
function where(t) {
    return `tenant '${t.tenant}', database '${t.database}' at ${t.base}`;
}
/** The manifest's details, checked: a backup whose details are not ours cannot be restored. */
function chromaDetails(manifest) {
    const d = (0,types/* detailsOf */.cz)(manifest, 'chroma');
    const ok = d &&
        typeof d.tenant === 'string' &&
        typeof d.database === 'string' &&
        Array.isArray(d.collections) &&
        d.collections.every((c) => typeof c?.name === 'string' &&
            (0,chroma_client/* isCollectionName */.m7)(c.name) &&
            typeof c.records === 'number' &&
            typeof c.idDigest === 'string');
    if (!ok)
        throw new errors/* IntegrityError */.cs(`${manifest.name}: the manifest's Chroma details are missing or malformed`);
    return d;
}
/** `collections/<name>/<member>` split, or undefined for anything else. */
function memberOf(path) {
    const m = /^collections\/([^/]+)\/([^/]+)$/.exec(path);
    if (!m || !(0,chroma_client/* isCollectionName */.m7)(m[1]))
        return undefined;
    if (m[2] !== COLLECTION_MEMBER && m[2] !== RECORDS_MEMBER)
        return undefined;
    return { collection: m[1], member: m[2] };
}
async function readSmall(body, what, limit = 16 * 1024 * 1024) {
    const parts = [];
    let size = 0;
    for await (const chunk of body) {
        const b = chunk;
        size += b.length;
        if (size > limit)
            throw new errors/* IntegrityError */.cs(`${what} is larger than ${(0,log/* formatBytes */.z3)(limit)}`);
        parts.push(b);
    }
    return Buffer.concat(parts).toString('utf8');
}
function parseCollectionFile(text, what) {
    let j;
    try {
        j = JSON.parse(text);
    }
    catch {
        throw new errors/* IntegrityError */.cs(`${what} is not JSON`);
    }
    if (typeof j?.name !== 'string')
        throw new errors/* IntegrityError */.cs(`${what} names no collection`);
    return {
        name: j.name,
        metadata: j.metadata && typeof j.metadata === 'object' ? j.metadata : null,
        configuration: j.configuration && typeof j.configuration === 'object' ? j.configuration : null,
        dimension: typeof j.dimension === 'number' ? j.dimension : null,
    };
}
/**
 * Reads records.jsonl line by line, checking each line, and hands batches to `onBatch` (when
 * given). Returns the count and id digest.
 */
async function readRecords(body, what, onBatch, batchSize = 1000) {
    const digest = new IdDigest();
    let dimension = null;
    let batch = [];
    let lineNo = 0;
    const rl = (0,external_node_readline_.createInterface)({ input: body, crlfDelay: Infinity });
    for await (const line of rl) {
        lineNo++;
        if (!line)
            continue;
        let r;
        try {
            r = JSON.parse(line);
        }
        catch {
            throw new errors/* IntegrityError */.cs(`${what}, line ${lineNo}: not JSON`);
        }
        const problem = recordProblem(r);
        if (problem)
            throw new errors/* IntegrityError */.cs(`${what}, line ${lineNo}: ${problem}`);
        const rec = r;
        if (rec.embedding !== null) {
            const d = embeddingDimension(rec.embedding);
            if (d < 0)
                throw new errors/* IntegrityError */.cs(`${what}, line ${lineNo}: malformed embedding`);
            if (dimension === null)
                dimension = d;
            else if (d !== dimension) {
                throw new errors/* IntegrityError */.cs(`${what}, line ${lineNo}: embedding of ${d} dimensions among ones of ${dimension}`);
            }
        }
        digest.add(rec.id);
        if (onBatch) {
            batch.push(rec);
            if (batch.length >= batchSize) {
                const b = batch;
                batch = [];
                await onBatch(b);
            }
        }
    }
    if (onBatch && batch.length)
        await onBatch(batch);
    return { digest, dimension };
}
function compareWithManifest(what, expected, got) {
    if (got.count !== expected.records) {
        throw new errors/* IntegrityError */.cs(`${what} holds ${got.count} records, the manifest says ${expected.records}`);
    }
    if (got.digest !== expected.idDigest) {
        throw new errors/* IntegrityError */.cs(`${what}: its ids do not match the manifest's id digest`);
    }
}

;// CONCATENATED MODULE: ./build/src/sources/chroma/dump.js
/** Backup: each collection's description, then its records read in pages and streamed as JSON Lines. */






const INCLUDE_ALL = ['embeddings', 'documents', 'metadatas', 'uris'];
/** Records per page read: about 4 MB of JSON whatever the dimension. */
function pageSize(dimension) {
    const d = dimension && dimension > 0 ? dimension : 384;
    return Math.max(50, Math.min(1000, Math.floor(400_000 / d)));
}
class ChromaSource {
    kind = 'chroma';
    displayUrl;
    target;
    constructor(url, ctx) {
        this.target = (0,chroma_client/* parseChromaUrl */.zq)(url, 'source', ctx);
        this.displayUrl = this.target.displayUrl;
    }
    async dump(sink, ctx) {
        const client = new chroma_client/* ChromaClient */.qy(this.target, 'source', ctx.signal);
        const version = await client.version();
        await client.checkDatabase();
        let collections;
        if (this.target.collection) {
            const c = await client.getCollection(this.target.collection);
            if (!c) {
                throw new errors/* ConfigError */.xL('source', `Chroma has no collection '${this.target.collection}' in ${where(this.target)}`, {
                    hint: 'check the collection name in the source URL, or leave it out to back up every collection',
                });
            }
            collections = [c];
        }
        else {
            collections = (await client.listCollections()).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
            ctx.log.info(`Chroma ${this.displayUrl}: no collection in the URL, so every collection of ${where(this.target)}: ${collections.length} (${collections.map((c) => c.name).join(', ') || 'none'})`);
        }
        const details = [];
        let totalBytes = 0;
        for (const c of collections) {
            if (!(0,chroma_client/* isCollectionName */.m7)(c.name)) {
                throw new errors/* SourceError */.c8(`Chroma collection name '${c.name}' cannot be stored as a path`);
            }
            const before = await client.count(c.id);
            await sink.addFile(`collections/${c.name}/${COLLECTION_MEMBER}`, Buffer.from(`${JSON.stringify({
                name: c.name,
                id: c.id,
                metadata: c.metadata ?? null,
                configuration: c.configuration_json ?? null,
                dimension: c.dimension ?? null,
            })}\n`));
            const digest = new IdDigest();
            let dimension = c.dimension ?? null;
            let bytes = 0;
            const page = pageSize(dimension);
            async function* lines() {
                for (let offset = 0;; offset += page) {
                    const r = await client.get(c.id, offset, page, INCLUDE_ALL);
                    const n = r.ids.length;
                    if (!n)
                        return;
                    let text = '';
                    for (let i = 0; i < n; i++) {
                        const e = r.embeddings?.[i];
                        if (e && dimension === null)
                            dimension = e.length;
                        const line = {
                            id: r.ids[i],
                            embedding: e ? encodeEmbedding(e) : null,
                            document: r.documents?.[i] ?? null,
                            metadata: r.metadatas?.[i] ?? null,
                            uri: r.uris?.[i] ?? null,
                        };
                        digest.add(line.id);
                        text += `${JSON.stringify(line)}\n`;
                    }
                    const buf = Buffer.from(text);
                    bytes += buf.length;
                    yield buf;
                    if (n < page)
                        return;
                }
            }
            await sink.addFile(`collections/${c.name}/${RECORDS_MEMBER}`, external_node_stream_.Readable.from(lines()));
            const after = await client.count(c.id);
            if (digest.count !== before && digest.count !== after) {
                throw new errors/* SourceError */.c8(`Chroma collection '${c.name}' changed while it was read: ${digest.count} records read, ${before} before and ${after} after`, {
                    hint: 'back up when nothing deletes records, or stop the writers (Chroma has no snapshot to read from)',
                });
            }
            if (before !== after) {
                ctx.log.warn(`Chroma collection '${c.name}' changed while it was read (${before} records before, ${after} after); the backup holds ${digest.count}`);
            }
            totalBytes += bytes;
            details.push({ name: c.name, records: digest.count, idDigest: digest.hex(), dimension });
            ctx.log.info(`Chroma collection '${c.name}': ${digest.count} records${dimension ? ` of ${dimension} dimensions` : ''}, ${(0,log/* formatBytes */.z3)(bytes)}`);
        }
        const out = {
            tenant: this.target.tenant,
            database: this.target.database,
            allCollections: !this.target.collection,
            collections: details,
        };
        return {
            versions: { chroma: version },
            inventory: {
                tables: details.map((d) => ({ name: d.name, rows: d.records })),
                totalBytes,
                extra: {
                    allCollections: !this.target.collection,
                    collections: details.map((d) => ({
                        name: d.name,
                        records: d.records,
                        dimension: d.dimension,
                    })),
                },
            },
            details: out,
        };
    }
}

// EXTERNAL MODULE: ./build/src/sources/collection-targets.js
var collection_targets = __webpack_require__(13225);
;// CONCATENATED MODULE: ./build/src/sources/chroma/restore.js
/** Restore: new collections staged under temporary names, renamed into place on commit. */






/** Id digest and count of a live collection, read in pages of ids only. */
async function liveDigest(client, id) {
    const digest = new IdDigest();
    const page = 5000;
    for (let offset = 0;; offset += page) {
        const r = await client.get(id, offset, page, []);
        for (const i of r.ids)
            digest.add(i);
        if (r.ids.length < page)
            break;
    }
    return digest;
}
function stamp() {
    return new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')
        .toLowerCase();
}
/** `<name>_lifeboat_<kind>_<time>_<hex>`, shortened to Chroma's 512 characters. */
function asideName(name, kind) {
    const suffix = `_lifeboat_${kind}_${stamp()}_${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
    return name.slice(0, 512 - suffix.length) + suffix;
}
/** The target collection for each collection in the backup. */
function targetNames(details, target, suffix) {
    return (0,collection_targets/* collectionTargets */.L)({
        store: 'Chroma',
        collections: details.collections,
        targetCollection: target.collection,
        suffix,
        isValid: chroma_client/* isCollectionName */.m7,
        renameHint: 'leave the collection out of the target URL; use {{option:collection-suffix}} or another ?database=… to restore beside the originals',
        invalidHint: 'choose a collection-suffix of letters, digits, dots, dashes and underscores',
    });
}
/** The target URL narrowed to one collection (for a safety backup of it). */
function collectionUrl(url, target, name) {
    const u = new URL(url.trim());
    u.pathname = `/${name}`;
    u.search = '';
    u.searchParams.set('tenant', target.tenant);
    u.searchParams.set('database', target.database);
    return u.toString();
}
async function stageChroma(members, request, ctx) {
    const target = (0,chroma_client/* parseChromaUrl */.zq)(request.target, 'target', ctx);
    const details = chromaDetails(request.manifest);
    const suffixOption = ctx.options['collection-suffix'];
    const suffix = typeof suffixOption === 'string' ? suffixOption.trim() : '';
    const names = targetNames(details, target, suffix);
    const client = new chroma_client/* ChromaClient */.qy(target, 'target', ctx.signal);
    const preflight = await client.preflight();
    const location = `${target.displayUrl.replace(/\?.*$/, '')}?tenant=${target.tenant}&database=${target.database}`;
    const existing = async () => {
        const out = [];
        for (const name of names.values())
            if (await client.getCollection(name))
                out.push(name);
        return out;
    };
    const present = await existing().catch((err) => {
        // A tenant or database that does not exist yet holds no collection.
        if (err.status === 404)
            return [];
        throw err;
    });
    if (present.length && !request.overwrite) {
        throw new errors/* ConfigError */.xL('target', `Chroma collection${present.length > 1 ? 's' : ''} ${present.map((n) => `'${n}'`).join(', ')} already exist${present.length > 1 ? '' : 's'} in ${where(target)}`, {
            hint: 'restore into new collections with {{option:collection-suffix=_restored}} or another ?database=… in the target URL, or set {{option:overwrite=true}} (a safety backup is taken first)',
        });
    }
    const createdDatabase = await client.ensureDatabase();
    const staged = new Map();
    const dropStaged = async () => {
        await dropCollections();
        // A database this restore created goes again when nothing was put in it.
        if (createdDatabase)
            await client.deleteDatabaseIfEmpty().catch(() => { });
    };
    const dropCollections = async () => {
        for (const s of staged.values()) {
            if (s.committed)
                continue;
            await client.deleteCollection(s.stagedName, s.stagedId).catch((err) => {
                ctx.log.warn(`could not remove the staged Chroma collection '${s.stagedName}': ${message(err)}`);
            });
        }
    };
    const batchSize = Math.max(1, Math.min(preflight.max_batch_size || 1000, 1000));
    const base64 = preflight.supports_base64_encoding === true;
    try {
        const wanted = new Map(details.collections.map((c) => [c.name, c]));
        for await (const m of members) {
            const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
            const expected = parts ? wanted.get(parts.collection) : undefined;
            if (!parts || !expected) {
                throw new errors/* IntegrityError */.cs(`unexpected member '${m.path}' (${m.type}) in a Chroma backup`);
            }
            const what = `${request.manifest.name}/${m.path}`;
            if (parts.member === COLLECTION_MEMBER) {
                if (staged.has(parts.collection))
                    throw new errors/* IntegrityError */.cs(`${what} appears twice`);
                const file = parseCollectionFile(await readSmall(m.body, what), what);
                const targetName = names.get(parts.collection);
                const stagedName = asideName(targetName, 'new');
                const created = await client.createCollection(stagedName, file.metadata, file.configuration);
                staged.set(parts.collection, {
                    source: parts.collection,
                    target: targetName,
                    stagedName,
                    stagedId: created.id,
                    expected,
                });
                continue;
            }
            const s = staged.get(parts.collection);
            if (!s || s.read)
                throw new errors/* IntegrityError */.cs(`${what} is out of place`);
            const { digest } = await readRecords(m.body, what, async (batch) => {
                const payload = {
                    ids: batch.map((r) => r.id),
                    embeddings: batch.map((r) => {
                        if (r.embedding === null)
                            throw new errors/* IntegrityError */.cs(`${what}: record '${r.id}' has no embedding`);
                        return base64 ? r.embedding : decodeEmbedding(r.embedding);
                    }),
                    documents: batch.map((r) => r.document ?? null),
                    metadatas: batch.map((r) => r.metadata && Object.keys(r.metadata).length ? r.metadata : null),
                    uris: batch.map((r) => r.uri ?? null),
                };
                await client.add(s.stagedId, JSON.stringify(payload));
            }, batchSize);
            compareWithManifest(what, expected, { count: digest.count, digest: digest.hex() });
            s.read = true;
        }
        for (const c of details.collections) {
            const s = staged.get(c.name);
            if (!s?.read)
                throw new errors/* IntegrityError */.cs(`the backup holds no records member for collection '${c.name}'`);
            const live = await liveDigest(client, s.stagedId);
            compareWithManifest(`the staged collection '${s.stagedName}'`, c, {
                count: live.count,
                digest: live.hex(),
            });
        }
    }
    catch (err) {
        await dropStaged();
        throw err;
    }
    const commit = async () => {
        const now = await existing();
        if (now.length && !request.overwrite) {
            throw new errors/* ConfigError */.xL('target', `Chroma collection ${now.map((n) => `'${n}'`).join(', ')} appeared in ${where(target)} during the restore; nothing was changed`, {
                hint: 'pass {{option:overwrite=true}} or restore into new collections with {{option:collection-suffix}}',
            });
        }
        const notes = [];
        if (now.length && request.safetyBackup) {
            for (const name of now) {
                const id = await request.safetyBackup(collectionUrl(request.target, target, name));
                notes.push(`safety backup of Chroma collection '${name}' taken first: ${id}`);
            }
        }
        try {
            for (const s of staged.values()) {
                const old = await client.getCollection(s.target);
                if (old) {
                    s.asideName = asideName(s.target, 'old');
                    await client.renameCollection(old.id, s.asideName);
                    s.asideId = old.id;
                }
                await client.renameCollection(s.stagedId, s.target);
                s.committed = true;
            }
        }
        catch (err) {
            // Half done: put every replaced collection back before the error goes up.
            await undo().catch((e) => {
                ctx.log.error(`could not put the previous Chroma collections back: ${message(e)}`);
            });
            throw err;
        }
        const tables = details.collections.map((c) => ({ name: names.get(c.name), rows: c.records }));
        ctx.log.info(`Restored ${tables.length} Chroma collection${tables.length === 1 ? '' : 's'} into ${where(target)}: ${tables.map((t) => `${t.name} (${t.rows})`).join(', ')}`);
        if (now.length)
            notes.push(`replaced: ${now.join(', ')}`);
        return { location, inventory: { tables }, notes, replaced: now.length > 0 };
    };
    /** Removes what the commit put in place and renames the replaced collections back. */
    const undo = async () => {
        for (const s of staged.values()) {
            if (s.committed) {
                await client.deleteCollection(s.target, s.stagedId);
                s.committed = false;
                s.stagedId = '';
            }
            if (s.asideId) {
                await client.renameCollection(s.asideId, s.target);
                s.asideId = undefined;
            }
        }
    };
    const rollback = undo;
    const abort = async () => {
        for (const s of staged.values()) {
            if (!s.committed && s.stagedId)
                await client.deleteCollection(s.stagedName, s.stagedId).catch((err) => {
                    ctx.log.warn(`could not remove the staged Chroma collection '${s.stagedName}': ${message(err)}`);
                });
            if (s.committed && s.asideId && s.asideName) {
                await client.deleteCollection(s.asideName, s.asideId).catch((err) => {
                    ctx.log.warn(`could not remove the replaced Chroma collection '${s.asideName}': ${message(err)}`);
                });
            }
            s.stagedId = '';
            s.asideId = undefined;
        }
        if (createdDatabase)
            await client.deleteDatabaseIfEmpty().catch(() => { });
    };
    return { location, commit, abort, rollback };
}

;// CONCATENATED MODULE: ./build/src/sources/chroma/verify.js


async function verifyChroma(members, manifest) {
    const details = chromaDetails(manifest);
    const wanted = new Map(details.collections.map((c) => [c.name, c]));
    const seen = new Set();
    const described = new Set();
    for await (const m of members) {
        const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
        const expected = parts ? wanted.get(parts.collection) : undefined;
        if (!parts || !expected) {
            throw new errors/* IntegrityError */.cs(`unexpected member '${m.path}' (${m.type}) in a Chroma backup`);
        }
        const what = `${manifest.name}/${m.path}`;
        if (parts.member === COLLECTION_MEMBER) {
            const file = parseCollectionFile(await readSmall(m.body, what), what);
            if (file.name !== parts.collection) {
                throw new errors/* IntegrityError */.cs(`${what} describes collection '${file.name}'`);
            }
            described.add(parts.collection);
            continue;
        }
        if (!described.has(parts.collection) || seen.has(parts.collection))
            throw new errors/* IntegrityError */.cs(`${what} is out of place`);
        const { digest, dimension } = await readRecords(m.body, what);
        compareWithManifest(what, expected, { count: digest.count, digest: digest.hex() });
        if (expected.dimension !== null && dimension !== null && dimension !== expected.dimension) {
            throw new errors/* IntegrityError */.cs(`${what}: embeddings of ${dimension} dimensions, the manifest says ${expected.dimension}`);
        }
        seen.add(parts.collection);
    }
    for (const c of details.collections) {
        if (!seen.has(c.name))
            throw new errors/* IntegrityError */.cs(`${manifest.name}: collection '${c.name}' has no records member`);
    }
}

;// CONCATENATED MODULE: ./build/src/sources/chroma/index.js




async function inventoryChroma(url, ctx) {
    const target = (0,chroma_client/* parseChromaUrl */.zq)(url, 'target', ctx);
    const client = new chroma_client/* ChromaClient */.qy(target, 'target', ctx.signal);
    await client.checkDatabase();
    const all = target.collection
        ? [await client.getCollection(target.collection)].filter((c) => c !== undefined)
        : await client.listCollections();
    const tables = [];
    for (const c of all)
        tables.push({ name: c.name, rows: await client.count(c.id) });
    return { tables: tables.sort((a, b) => (a.name < b.name ? -1 : 1)) };
}
const chromaDriver = {
    kind: 'chroma',
    schemes: ['chroma', 'chroma+https', 'chroma+http'],
    open: (url, ctx) => new ChromaSource(url, ctx),
    stage: stageChroma,
    verify: (members, manifest) => verifyChroma(members, manifest),
    inventory: inventoryChroma,
};


/***/ }),

/***/ 13225:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ collectionTargets)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);

/**
 * The target collection for each collection in a vector store backup (Chroma, Qdrant): a
 * collection named in the target URL renames a backup of one; otherwise every collection keeps
 * its name, each with `suffix` appended. Every resulting name is checked with `isValid`.
 */
function collectionTargets(o) {
    const out = new Map();
    if (o.targetCollection) {
        if (o.collections.length !== 1) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL('target', `the backup holds ${o.collections.length} ${o.store} collections; a collection in the target URL renames a backup of one`, { hint: o.renameHint });
        }
        out.set(o.collections[0].name, o.targetCollection + o.suffix);
    }
    else {
        for (const c of o.collections)
            out.set(c.name, c.name + o.suffix);
    }
    for (const name of out.values()) {
        if (!o.isValid(name)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL('target', `'${name}' is not a valid ${o.store} collection name`, o.invalidHint ? { hint: o.invalidHint } : undefined);
        }
    }
    return out;
}


/***/ })

};
