export const id = 99;
export const ids = [99];
export const modules = {

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


/***/ }),

/***/ 35099:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  INFO_MEMBER: () => (/* binding */ INFO_MEMBER),
  SNAPSHOT_MEMBER: () => (/* binding */ SNAPSHOT_MEMBER),
  qdrantDetails: () => (/* binding */ qdrantDetails),
  qdrantDriver: () => (/* binding */ qdrantDriver)
});

// EXTERNAL MODULE: ./build/src/sources/collection-targets.js
var collection_targets = __webpack_require__(13225);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/core/log.js
var log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/sources/qdrant/client.js
var client = __webpack_require__(28336);
// EXTERNAL MODULE: ./build/src/archive/tar.js
var tar = __webpack_require__(59571);
;// CONCATENATED MODULE: ./build/src/sources/qdrant/snapshot-tar.js
/**
 * The structural check of a Qdrant collection snapshot: a tar (as Qdrant's Rust `tar` writer
 * makes it: ustar, with GNU long-name and pax entries for long paths) holding the collection's
 * `config.json` and `version.info` at the top and one folder per shard (`0/`, `1/`, …).
 */


function octal(block, offset, length) {
    const field = block.subarray(offset, offset + length);
    if (field[0] & 0x80) {
        // base-256 (GNU) for large sizes
        let n = 0;
        for (let i = 1; i < field.length; i++)
            n = n * 256 + field[i];
        return n;
    }
    const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
    if (text && !/^[0-7]+$/.test(text))
        return NaN;
    return text ? parseInt(text, 8) : 0;
}
function checksumOk(block) {
    const stored = octal(block, 148, 8);
    let sum = 0;
    for (let i = 0; i < tar/* BLOCK_SIZE */.cS; i++)
        sum += i >= 148 && i < 156 ? 32 : block[i];
    return stored === sum;
}
async function skip(src, n, what) {
    let left = n;
    while (left > 0) {
        const piece = Math.min(left, 1024 * 1024);
        await src.read(piece, what);
        left -= piece;
    }
}
/** Reads a snapshot stream to its end and checks its layout; throws IntegrityError (`what` first). */
async function checkSnapshotTar(input, what) {
    const src = new tar/* ByteSource */.Ik(input);
    const names = new Set();
    const shards = new Set();
    let config;
    let longName;
    let paxPath;
    let entries = 0;
    const fail = (why) => new errors/* IntegrityError */.cs(`${what} is not a Qdrant snapshot: ${why}`);
    try {
        for (;;) {
            let block;
            try {
                block = await src.read(tar/* BLOCK_SIZE */.cS, 'a tar header');
            }
            catch {
                throw fail(`the tar ends without its end marker after ${entries} entries`);
            }
            if (block.every((b) => b === 0))
                break;
            if (!checksumOk(block))
                throw fail(`bad tar header checksum at byte ${src.position - 512}`);
            const size = octal(block, 124, 12);
            if (!Number.isFinite(size) || size < 0)
                throw fail('bad entry size');
            const flag = String.fromCharCode(block[156]);
            if (flag === 'L' || flag === 'x' || flag === 'g') {
                if (size > 1024 * 1024)
                    throw fail('oversized long-name header');
                const body = await src.read(size, 'a tar header');
                await src.read((0,tar/* paddingFor */.RQ)(size), 'a tar header');
                if (flag === 'L')
                    longName = body.toString('utf8').replace(/\0+$/, '');
                if (flag === 'x') {
                    const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
                    if (m)
                        paxPath = m[1];
                }
                continue;
            }
            const ustar = block.subarray(257, 262).toString('latin1') === 'ustar';
            const short = block.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
            const prefix = ustar ? block.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '') : '';
            const name = (paxPath ?? longName ?? (prefix ? `${prefix}/${short}` : short)).replace(/^\.\//, '');
            longName = undefined;
            paxPath = undefined;
            entries++;
            if (name.startsWith('/') || name.split('/').includes('..'))
                throw fail(`unsafe path ${name}`);
            names.add(name.replace(/\/$/, ''));
            const shard = /^(\d+)(\/|$)/.exec(name);
            if (shard)
                shards.add(Number(shard[1]));
            const hasBody = flag === '0' || flag === '\0' || flag === '7';
            if (name === 'config.json' && hasBody && size <= 16 * 1024 * 1024) {
                const body = await src.read(size, 'config.json');
                await src.read((0,tar/* paddingFor */.RQ)(size), 'config.json');
                try {
                    config = JSON.parse(body.toString('utf8'));
                }
                catch {
                    throw fail('its config.json is not JSON');
                }
                continue;
            }
            if (hasBody)
                await skip(src, size + (0,tar/* paddingFor */.RQ)(size), name);
        }
    }
    finally {
        // Drain the rest (the second end block, padding) so the caller's stream completes.
        for (;;) {
            const rest = await src.readSome(64 * 1024).catch(() => Buffer.alloc(0));
            if (!rest.length)
                break;
        }
        await src.close().catch(() => { });
    }
    if (!names.has('config.json'))
        throw fail('it holds no config.json');
    if (!names.has('version.info'))
        throw fail('it holds no version.info');
    if (!shards.size)
        throw fail('it holds no shard folder');
    return { entries, shards: [...shards].sort((a, b) => a - b), config };
}

;// CONCATENATED MODULE: ./build/src/sources/qdrant/index.js
/**
 * Qdrant source (`qdrant://host:6333[/collection]`, `qdrant+https://…`), through Qdrant's
 * snapshot API.
 *
 * Per collection: `POST /collections/{c}/snapshots`, the snapshot streamed from
 * `GET /collections/{c}/snapshots/{name}` into the archive as `collections/<c>/collection.snapshot`
 * (its sha256 and size compared with what Qdrant reported), then the server-side snapshot deleted,
 * also when anything failed. `collections/<c>/collection.json` beside it keeps the collection's
 * info (vector configs, points count) as Qdrant described it.
 *
 * Restore spools each snapshot to the run's temporary folder (sha256 and tar layout checked:
 * that is the staging), and commit uploads it with
 * `POST /collections/{new}/snapshots/upload?priority=snapshot&checksum=…` into a new collection
 * (the target URL's collection for a backup of one, or each name plus `collection-suffix`). An
 * existing collection is refused without `overwrite`; with it, a safety backup of it is taken
 * first. Qdrant cannot rename collections, so an upload that replaced one cannot be undone
 * except from that safety backup.
 */











const INFO_MEMBER = 'collection.json';
const SNAPSHOT_MEMBER = 'collection.snapshot';
function summarize(info) {
    const params = (info['config']?.['params'] ??
        {});
    const v = params['vectors'];
    const out = { vectors: {}, sparse: [] };
    const one = (p) => {
        const o = (p ?? {});
        return {
            size: typeof o['size'] === 'number' ? o['size'] : null,
            distance: typeof o['distance'] === 'string' ? o['distance'] : null,
        };
    };
    if (v && typeof v['size'] === 'number')
        out.vectors[''] = one(v);
    else if (v)
        for (const [name, p] of Object.entries(v))
            out.vectors[name] = one(p);
    const sparse = params['sparse_vectors'];
    if (sparse && typeof sparse === 'object')
        out.sparse = Object.keys(sparse).sort();
    return out;
}
function pointsOf(info) {
    const n = info?.['points_count'];
    return typeof n === 'number' ? n : null;
}
function message(err) {
    return err instanceof Error ? err.message : String(err);
}
/** Counts and hashes what passes through. */
class Measure extends external_node_stream_.Transform {
    hash = (0,external_node_crypto_.createHash)('sha256');
    bytes = 0;
    _transform(chunk, _enc, done) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        this.push(chunk);
        done();
    }
}
class QdrantSource {
    kind = 'qdrant';
    displayUrl;
    target;
    constructor(url, ctx) {
        this.target = (0,client/* parseQdrantUrl */.R1)(url, 'source', ctx);
        this.displayUrl = this.target.displayUrl;
    }
    async dump(sink, ctx) {
        const q = new client/* Qdrant */.fi(this.target, 'source', ctx);
        const version = await q.version();
        let names;
        if (this.target.collection) {
            if (!(await q.collection(this.target.collection))) {
                throw new errors/* ConfigError */.xL('source', `Qdrant at ${this.target.base} has no collection '${this.target.collection}'`, {
                    hint: 'check the collection name in the source URL, or leave it out to back up every collection',
                });
            }
            names = [this.target.collection];
        }
        else {
            names = await q.collections();
            ctx.log.info(`Qdrant ${this.displayUrl}: no collection in the URL, so every collection: ${names.length} (${names.join(', ') || 'none'})`);
        }
        const details = [];
        for (const name of names) {
            if (!(0,client/* isQdrantCollectionName */.C4)(name)) {
                throw new errors/* SourceError */.c8(`Qdrant collection name '${name}' cannot be stored as a path`);
            }
            const info = await q.collection(name);
            if (!info)
                throw new errors/* SourceError */.c8(`Qdrant collection '${name}' vanished during the backup`);
            await sink.addFile(`collections/${name}/${INFO_MEMBER}`, Buffer.from(`${JSON.stringify({ name, info })}\n`));
            const snap = await q.createSnapshot(name);
            ctx.log.info(`Qdrant collection '${name}': snapshot ${snap.name} (${(0,log/* formatBytes */.z3)(snap.size)}), streaming it…`);
            let measured;
            try {
                const body = await q.download(name, snap.name);
                measured = new Measure();
                const out = new external_node_stream_.PassThrough();
                const piping = (0,external_node_stream_promises_.pipeline)(body, measured, out);
                const [record] = await Promise.all([
                    sink.addFile(`collections/${name}/${SNAPSHOT_MEMBER}`, out),
                    piping,
                ]);
                const sha256 = measured.hash.digest('hex');
                if (measured.bytes !== snap.size || record.size !== snap.size) {
                    throw new errors/* IntegrityError */.cs(`Qdrant snapshot ${snap.name} of '${name}': ${measured.bytes} bytes arrived, Qdrant reported ${snap.size}`, { hint: 'the download was cut short or the snapshot changed: run the backup again' });
                }
                if (snap.checksum && snap.checksum.toLowerCase() !== sha256) {
                    throw new errors/* IntegrityError */.cs(`Qdrant snapshot ${snap.name} of '${name}': its sha256 is ${sha256}, Qdrant reported ${snap.checksum}`, { hint: 'the download was damaged or the snapshot changed: run the backup again' });
                }
                if (!snap.checksum) {
                    ctx.log.warn(`Qdrant reported no checksum for snapshot ${snap.name}: only its size was compared`);
                }
                details.push({
                    name,
                    points: pointsOf(info),
                    snapshot: snap.name,
                    size: snap.size,
                    sha256,
                    vectors: summarize(info),
                });
            }
            finally {
                await q.deleteSnapshot(name, snap.name).catch((err) => {
                    ctx.log.warn(`could not delete the snapshot ${snap.name} of '${name}' on the server (delete it by hand): ${message(err)}`);
                });
            }
        }
        const out = { allCollections: !this.target.collection, collections: details };
        return {
            versions: { qdrant: version },
            inventory: {
                tables: details.map((d) => ({
                    name: d.name,
                    rows: d.points ?? 0,
                    estimated: true,
                })),
                totalBytes: details.reduce((n, d) => n + d.size, 0),
                extra: {
                    allCollections: !this.target.collection,
                    collections: details.map((d) => ({
                        name: d.name,
                        points: d.points,
                        vectors: d.vectors.vectors,
                        sparseVectors: d.vectors.sparse,
                    })),
                },
            },
            details: out,
        };
    }
}
function qdrantDetails(manifest) {
    const d = manifest.details;
    const ok = d &&
        Array.isArray(d.collections) &&
        d.collections.every((c) => typeof c?.name === 'string' &&
            (0,client/* isQdrantCollectionName */.C4)(c.name) &&
            typeof c.sha256 === 'string' &&
            typeof c.size === 'number');
    if (!ok)
        throw new errors/* IntegrityError */.cs(`${manifest.name}: the manifest's Qdrant details are missing or malformed`);
    return d;
}
function memberOf(path) {
    const i = path.lastIndexOf('/');
    if (!path.startsWith('collections/') || i <= 'collections/'.length)
        return undefined;
    const collection = path.slice('collections/'.length, i);
    const member = path.slice(i + 1);
    if (!(0,client/* isQdrantCollectionName */.C4)(collection) || collection.includes('/'))
        return undefined;
    if (member !== INFO_MEMBER && member !== SNAPSHOT_MEMBER)
        return undefined;
    return { collection, member };
}
/** Reads one snapshot member: its sha256 and size against the manifest and its tar layout. */
async function checkSnapshotMember(body, expected, what, spool) {
    const measured = new Measure();
    const tee = new external_node_stream_.PassThrough();
    const checking = checkSnapshotTar(tee, what);
    const writes = [(0,external_node_stream_promises_.pipeline)(body, measured, tee)];
    if (spool) {
        // A second reader of the same bytes: the file the commit uploads.
        const copy = new external_node_stream_.PassThrough();
        measured.pipe(copy);
        writes.push((0,external_node_stream_promises_.pipeline)(copy, (0,external_node_fs_.createWriteStream)(spool, { flags: 'wx', mode: 0o600 })));
    }
    await Promise.all([...writes, checking]);
    const sha256 = measured.hash.digest('hex');
    if (measured.bytes !== expected.size || sha256 !== expected.sha256) {
        throw new errors/* IntegrityError */.cs(`${what}: ${measured.bytes} bytes with sha256 ${sha256}, the manifest says ${expected.size} bytes with ${expected.sha256}`);
    }
}
function targetNames(details, target, suffix) {
    return (0,collection_targets/* collectionTargets */.L)({
        store: 'Qdrant',
        collections: details.collections,
        targetCollection: target.collection,
        suffix,
        isValid: client/* isQdrantCollectionName */.C4,
        renameHint: 'leave the collection out of the target URL and use {{option:collection-suffix}}',
    });
}
function collectionUrl(url, name) {
    const u = new URL(url.trim());
    u.pathname = `/${encodeURIComponent(name)}`;
    return u.toString();
}
async function stageQdrant(members, request, ctx) {
    const target = (0,client/* parseQdrantUrl */.R1)(request.target, 'target', ctx);
    const details = qdrantDetails(request.manifest);
    const suffixOption = ctx.options['collection-suffix'];
    const suffix = typeof suffixOption === 'string' ? suffixOption.trim() : '';
    const names = targetNames(details, target, suffix);
    const q = new client/* Qdrant */.fi(target, 'target', ctx);
    await q.version();
    const existing = async () => {
        const out = [];
        for (const n of names.values())
            if (await q.collection(n))
                out.push(n);
        return out;
    };
    const present = await existing();
    if (present.length && !request.overwrite) {
        throw new errors/* ConfigError */.xL('target', `Qdrant collection${present.length > 1 ? 's' : ''} ${present.map((n) => `'${n}'`).join(', ')} already exist${present.length > 1 ? '' : 's'} at ${target.base}`, {
            hint: 'restore into new collections with {{option:collection-suffix=_restored}} or a collection in the target URL, or set {{option:overwrite=true}} (a safety backup is taken first)',
        });
    }
    const spools = new Map();
    const removeSpools = async () => {
        for (const s of spools.values())
            await (0,promises_.rm)(s, { force: true });
    };
    try {
        const wanted = new Map(details.collections.map((c) => [c.name, c]));
        for await (const m of members) {
            const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
            const expected = parts ? wanted.get(parts.collection) : undefined;
            if (!parts || !expected) {
                throw new errors/* IntegrityError */.cs(`unexpected member '${m.path}' (${m.type}) in a Qdrant backup`);
            }
            if (parts.member === INFO_MEMBER) {
                m.body.resume();
                await new Promise((ok, fail) => m.body.once('end', ok).once('error', fail));
                continue;
            }
            if (spools.has(parts.collection))
                throw new errors/* IntegrityError */.cs(`${m.path} appears twice`);
            const spool = (0,external_node_path_.join)(ctx.tmpDir, `qdrant-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.snapshot`);
            spools.set(parts.collection, spool);
            await checkSnapshotMember(m.body, expected, `${request.manifest.name}/${m.path}`, spool);
        }
        for (const c of details.collections) {
            if (!spools.has(c.name))
                throw new errors/* IntegrityError */.cs(`the backup holds no snapshot of collection '${c.name}'`);
        }
    }
    catch (err) {
        await removeSpools();
        throw err;
    }
    const location = target.base.replace(/^http(s?):/, (_, s) => s ? 'qdrant+https:' : 'qdrant:');
    /** Collections this commit created (none of that name existed): what a rollback removes. */
    const created = [];
    const removeCreated = async () => {
        for (const name of created.splice(0)) {
            await q.deleteCollection(name).catch((err) => {
                ctx.log.warn(`could not remove the restored Qdrant collection '${name}': ${message(err)}`);
            });
        }
    };
    const commit = async () => {
        const now = await existing();
        if (now.length && !request.overwrite) {
            throw new errors/* ConfigError */.xL('target', `Qdrant collection ${now.map((n) => `'${n}'`).join(', ')} appeared during the restore; nothing was changed`, { hint: 'pass {{option:overwrite=true}} or use {{option:collection-suffix}}' });
        }
        const notes = [];
        if (now.length && request.safetyBackup) {
            for (const n of now) {
                const id = await request.safetyBackup(collectionUrl(request.target, n));
                notes.push(`safety backup of Qdrant collection '${n}' taken first: ${id}`);
            }
        }
        const tables = [];
        for (const c of details.collections) {
            const name = names.get(c.name);
            if (!now.includes(name))
                created.push(name);
            try {
                await q.upload(name, spools.get(c.name), c.sha256);
            }
            catch (err) {
                // New collections this commit made go again; replaced ones are in their safety backups.
                await removeCreated();
                throw err;
            }
            const info = await q.collection(name);
            const points = pointsOf(info);
            // Qdrant verified the upload against the snapshot's sha256; its points count is
            // approximate, so a different one is worth a warning, not a failed restore.
            if (c.points !== null && points !== null && points !== c.points) {
                const line = `Qdrant collection '${name}' reports ${points} points after the upload, the backup recorded ${c.points} (Qdrant's count is approximate; the snapshot itself matched its sha256)`;
                ctx.log.warn(line);
                notes.push(line);
            }
            tables.push({ name, rows: points ?? 0 });
        }
        ctx.log.info(`Restored ${tables.length} Qdrant collection${tables.length === 1 ? '' : 's'} at ${target.base}: ${tables.map((t) => `${t.name} (${t.rows} points)`).join(', ')}`);
        if (now.length)
            notes.push(`replaced: ${now.join(', ')}`);
        return { location, inventory: { tables }, notes, replaced: now.length > 0 };
    };
    // A rollback (a later source failed) removes the collections this restore created; replaced
    // ones cannot be put back here (Qdrant has no rename): their safety backups are named.
    return { location, commit, abort: removeSpools, rollback: removeCreated };
}
async function verifyQdrant(members, manifest) {
    const details = qdrantDetails(manifest);
    const wanted = new Map(details.collections.map((c) => [c.name, c]));
    const seen = new Set();
    for await (const m of members) {
        const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
        const expected = parts ? wanted.get(parts.collection) : undefined;
        if (!parts || !expected) {
            throw new errors/* IntegrityError */.cs(`unexpected member '${m.path}' (${m.type}) in a Qdrant backup`);
        }
        if (parts.member === INFO_MEMBER) {
            m.body.resume();
            await new Promise((ok, fail) => m.body.once('end', ok).once('error', fail));
            continue;
        }
        await checkSnapshotMember(m.body, expected, `${manifest.name}/${m.path}`);
        seen.add(parts.collection);
    }
    for (const c of details.collections) {
        if (!seen.has(c.name))
            throw new errors/* IntegrityError */.cs(`${manifest.name}: collection '${c.name}' has no snapshot`);
    }
}
async function inventoryQdrant(url, ctx) {
    const target = (0,client/* parseQdrantUrl */.R1)(url, 'target', ctx);
    const q = new client/* Qdrant */.fi(target, 'target', ctx);
    const names = target.collection ? [target.collection] : await q.collections();
    const tables = [];
    for (const n of names) {
        const info = await q.collection(n);
        if (info)
            tables.push({ name: n, rows: pointsOf(info) ?? 0, estimated: true });
    }
    return { tables };
}
const qdrantDriver = {
    kind: 'qdrant',
    schemes: ['qdrant', 'qdrant+https', 'qdrant+http'],
    open: (url, ctx) => new QdrantSource(url, ctx),
    stage: stageQdrant,
    verify: (members, manifest) => verifyQdrant(members, manifest),
    inventory: inventoryQdrant,
};


/***/ })

};
