export const id = 781;
export const ids = [781];
export const modules = {

/***/ 71781:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pgDriver: () => (/* binding */ pgDriver)
});

// EXTERNAL MODULE: ./build/src/sources/postgres/url.js
var postgres_url = __webpack_require__(73287);
// EXTERNAL MODULE: ./build/src/sources/postgres/connection.js
var connection = __webpack_require__(72308);
// EXTERNAL MODULE: ./build/src/sources/postgres/inventory.js
var inventory = __webpack_require__(83658);
// EXTERNAL MODULE: ./build/src/sources/postgres/tools.js
var tools = __webpack_require__(93737);
// EXTERNAL MODULE: ./build/src/sources/postgres/dump.js
var dump = __webpack_require__(130);
// EXTERNAL MODULE: ./build/src/sources/postgres/restore.js
var restore = __webpack_require__(5588);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
// EXTERNAL MODULE: ./build/src/sources/postgres/parallel.js
var postgres_parallel = __webpack_require__(66575);
;// CONCATENATED MODULE: ./build/src/sources/postgres/verify.js
/**
 * Verify: every dump member is read through by `pg_restore --list` (a parallel dump's segments
 * as they come), and `globals.sql` must end with pg_dumpall's end marker.
 */








async function verifyMembers(members, manifest, ctx) {
    const details = manifest.details ?? {};
    const format = details.format === 'directory' || details.format === 'parallel' ? details.format : 'custom';
    const prefix = typeof details.member === 'string' ? details.member : undefined;
    let checkedDump = false;
    let spool;
    const parallel = format === 'parallel' ? (0,postgres_parallel/* layoutOf */.aH)(details) : undefined;
    let feeder;
    let ok = false;
    try {
        for await (const entry of members) {
            if (entry.type !== 'file' || !entry.body) {
                await (0,tools/* drain */.Ze)(entry.body);
                continue;
            }
            if (entry.path === dump/* GLOBALS_MEMBER */.an) {
                const text = (await (0,tools/* bufferOf */.Kb)(entry.body)).toString('utf8');
                if (!text.includes(dump/* GLOBALS_END */.j9))
                    throw new errors/* IntegrityError */.cs(`${dump/* GLOBALS_MEMBER */.an} is incomplete (no end marker)`);
                continue;
            }
            const part = parallel ? (0,postgres_parallel/* classify */.L8)(parallel, entry.path) : undefined;
            if (parallel && part) {
                if (part.kind === 'segment') {
                    if (!feeder)
                        throw new errors/* IntegrityError */.cs(`${entry.path} comes before the schema member of the backup`);
                    await feeder.segment(part.worker, part.seq, entry.body);
                    continue;
                }
                const { head, stream } = await (0,tools/* peekHead */.mc)(entry.body);
                const client = await (0,tools/* restoreClientFor */.pI)(manifest, ctx, head);
                const run = (0,tools/* startTool */.pQ)(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx);
                const r = await (0,tools/* runOverBody */.UT)(run, stream);
                if (r.code !== 0) {
                    throw new errors/* IntegrityError */.cs(`pg_restore --list cannot read ${entry.path} (${(0,tools/* exitText */.iJ)(r)}): ${run.stderr.lines(ctx)}`);
                }
                feeder = new postgres_parallel/* SegmentFeeder */.Tf(parallel, 'pg_restore --list', () => (0,tools/* startTool */.pQ)(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx));
                continue;
            }
            const isDump = format === 'custom'
                ? entry.path === prefix || (!prefix && entry.path.endsWith('.pgdump'))
                : false;
            if (isDump) {
                const { head, stream } = await (0,tools/* peekHead */.mc)(entry.body);
                const client = await (0,tools/* restoreClientFor */.pI)(manifest, ctx, head);
                const run = (0,tools/* startTool */.pQ)(client, ['--list'], ctx.env, 'pipe', 'ignore', ctx);
                const r = await (0,tools/* runOverBody */.UT)(run, stream);
                if (r.code !== 0) {
                    throw new errors/* IntegrityError */.cs(`pg_restore --list cannot read ${entry.path} (${(0,tools/* exitText */.iJ)(r)}): ${run.stderr.lines(ctx)}`);
                }
                checkedDump = true;
                continue;
            }
            if (format === 'directory' && prefix && entry.path === `${prefix}/toc.dat`) {
                spool = await (0,promises_.mkdtemp)((0,external_node_path_.join)(ctx.tmpDir, 'pgverify-'));
                await (0,external_node_stream_promises_.pipeline)(entry.body, (0,external_node_fs_.createWriteStream)((0,external_node_path_.join)(spool, 'toc.dat'), { mode: 0o600 }));
                const head = (await (0,promises_.readFile)((0,external_node_path_.join)(spool, 'toc.dat'))).subarray(0, 8);
                const client = await (0,tools/* restoreClientFor */.pI)(manifest, ctx, head);
                const run = (0,tools/* startTool */.pQ)(client, ['--list', '--format=directory', spool], ctx.env, 'ignore', 'ignore', ctx);
                const r = await run.exited;
                if (r.code !== 0) {
                    throw new errors/* IntegrityError */.cs(`pg_restore --list cannot read ${entry.path} (${(0,tools/* exitText */.iJ)(r)}): ${run.stderr.lines(ctx)}`);
                }
                checkedDump = true;
                continue;
            }
            await (0,tools/* drain */.Ze)(entry.body);
        }
        if (parallel) {
            if (!feeder)
                throw new errors/* IntegrityError */.cs(`the archive holds no schema member of the parallel dump '${parallel.folder}'`);
            await feeder.finish();
            checkedDump = true;
        }
        ok = true;
    }
    finally {
        if (feeder && !ok)
            await feeder.stopped();
        if (spool)
            await (0,promises_.rm)(spool, { recursive: true, force: true });
    }
    if (!checkedDump)
        throw new errors/* IntegrityError */.cs(`the archive holds no PostgreSQL dump for source '${manifest.name}'`);
}

;// CONCATENATED MODULE: ./build/src/sources/postgres/index.js








const pgDriver = {
    kind: 'postgres',
    schemes: ['postgres', 'postgresql'],
    open(url, ctx) {
        const conn = (0,postgres_url.parsePgUrl)(url, 'source', ctx.env);
        ctx.redactor.add(conn.password);
        (0,inventory/* filtersOf */.$l)(ctx.options);
        (0,inventory/* rowCountsOption */.S5)(ctx.options);
        (0,postgres_parallel/* jobsOption */.iI)(ctx.options, 1);
        return new dump/* PgSource */.nh(conn);
    },
    verify: verifyMembers,
    async stage(members, request, ctx) {
        let touched = false;
        const tracked = (async function* () {
            touched = true;
            yield* members;
        })();
        try {
            return await (0,restore/* stageInto */.BH)(tracked, request, ctx);
        }
        catch (err) {
            // Refused before reading the members: read them out anyway, so the archive reader
            // behind them (a decompressor child process, a download) can finish instead of hanging.
            if (!touched)
                for await (const e of members)
                    await (0,tools/* drain */.Ze)(e.body).catch(() => { });
            throw err;
        }
    },
    async inventory(url, ctx) {
        const conn = (0,postgres_url.parsePgUrl)(url, 'target', ctx.env);
        ctx.redactor.add(conn.password);
        const c = await (0,connection.connect)(conn, 'target', ctx);
        try {
            return await (0,inventory/* readInventory */.zw)(c, { includeSchemas: [], excludeSchemas: [], includeTables: [], excludeTables: [] }, (0,inventory/* rowCountsOption */.S5)(ctx.options));
        }
        finally {
            await c.end().catch(() => { });
        }
    },
};


/***/ })

};
