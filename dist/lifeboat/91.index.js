export const id = 91;
export const ids = [91];
export const modules = {

/***/ 24091:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ unlessAborted),
/* harmony export */   cancelOnSignals: () => (/* binding */ cancelOnSignals)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43026);
/* harmony import */ var _process_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(15816);
/**
 * SIGINT/SIGTERM → one AbortSignal for the whole run. The first signal cancels (children
 * stopped, uploads aborted, temp folders removed by the code that owns them); a second one
 * only says cleanup is still running; a third forces the exit.
 */


function cancelOnSignals(say, proc = process) {
    const controller = new AbortController();
    let received = 0;
    const onSignal = (name) => {
        received++;
        if (received === 1) {
            say(`Cancelling (${name} received): stopping child processes, aborting uploads, removing temporary files…`);
            controller.abort(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc(name));
        }
        else if (received === 2) {
            say(`${name} received again: still cleaning up; a third signal stops without cleanup`);
        }
        else {
            say(`${name} received a third time: exiting now, cleanup may be incomplete`);
            (0,_process_js__WEBPACK_IMPORTED_MODULE_1__/* .killAllProcesses */ .F2)();
            const first = controller.signal.reason;
            proc.exit(first.exitCode);
        }
    };
    const onInt = () => onSignal('SIGINT');
    const onTerm = () => onSignal('SIGTERM');
    proc.on('SIGINT', onInt);
    proc.on('SIGTERM', onTerm);
    return {
        signal: controller.signal,
        dispose() {
            proc.off('SIGINT', onInt);
            proc.off('SIGTERM', onTerm);
        },
    };
}
/**
 * Waits for `work` unless the signal aborts first, then throws its reason at once: for a step
 * that takes no signal itself (a storage delete) and must not hold a cancelled run open.
 */
function unlessAborted(work, signal) {
    if (!signal)
        return work;
    signal.throwIfAborted();
    work.catch(() => undefined); // abandoned: its outcome no longer matters
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then((v) => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
        }, (err) => {
            signal.removeEventListener('abort', onAbort);
            reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
}


/***/ }),

/***/ 43026:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H3: () => (/* binding */ LifeboatError),
/* harmony export */   Qj: () => (/* binding */ describeErrorTemplate),
/* harmony export */   Rr: () => (/* binding */ exitCodeFor),
/* harmony export */   Uc: () => (/* binding */ describeError),
/* harmony export */   aq: () => (/* binding */ StorageError),
/* harmony export */   c4: () => (/* binding */ isNotFound),
/* harmony export */   c8: () => (/* binding */ SourceError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   cs: () => (/* binding */ IntegrityError),
/* harmony export */   dg: () => (/* binding */ isTransient),
/* harmony export */   mP: () => (/* binding */ FreshnessError),
/* harmony export */   xL: () => (/* binding */ ConfigError),
/* harmony export */   yU: () => (/* binding */ ExitCode)
/* harmony export */ });
/* harmony import */ var _option_ref_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76792);
/**
 * Typed errors. Engine code throws these; only the faces (action, CLI) turn them into exit
 * codes or `setFailed`. Integrity errors are always fatal.
 */

class LifeboatError extends Error {
    /** A short hint telling the person what to do next, shown after the message. */
    hint;
    /** The hint with its option references unrendered (see option-ref.ts), for the faces. */
    hintTemplate;
    constructor(message, options) {
        super(message, options?.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.hintTemplate = options?.hint;
        this.hint = options?.hint === undefined ? undefined : (0,_option_ref_js__WEBPACK_IMPORTED_MODULE_0__/* .renderOptionRefs */ .Qm)(options.hint);
    }
}
/** Bad input: an option, a URL, a missing tool. Exit code 2. */
class ConfigError extends LifeboatError {
    kind = 'config';
    option;
    constructor(option, message, options) {
        super(option ? `${option}: ${message}` : message, options);
        this.option = option;
    }
}
/** A source could not be dumped or restored (server down, dump tool failed, …). Exit code 1. */
class SourceError extends LifeboatError {
    kind = 'source';
}
/** A storage operation failed. `transient` errors may be retried; others fail at once. Exit 1. */
class StorageError extends LifeboatError {
    kind = 'storage';
    transient;
    notFound;
    /** The failure's class; derived from notFound/transient when the thrower did not say. */
    reason;
    constructor(message, options) {
        super(message, options);
        this.reason =
            options?.reason ??
                (options?.notFound ? 'not-found' : options?.transient ? 'network' : 'other');
        this.notFound = options?.notFound ?? this.reason === 'not-found';
        this.transient = options?.transient ?? false;
    }
}
/** A checksum, size or structure did not match: the backup cannot be trusted. Exit code 3. */
class IntegrityError extends LifeboatError {
    kind = 'integrity';
}
/** The newest backup is older than the schedule allows (missed runs, RPO breached). Exit 1. */
class FreshnessError extends LifeboatError {
    kind = 'freshness';
}
/** The run was cancelled by SIGINT/SIGTERM. Exit 130 or 143, as a shell reports those signals. */
class CancelledError extends LifeboatError {
    kind = 'cancelled';
    signal;
    /** `stage` says what had already happened, e.g. that the backup was stored. */
    constructor(signal, stage) {
        super(`cancelled (${signal} received)${stage ? `: ${stage}` : ''}`);
        this.signal = signal;
    }
    get exitCode() {
        return this.signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm;
    }
}
function isNotFound(err) {
    return err instanceof StorageError && err.notFound;
}
function isTransient(err) {
    return err instanceof StorageError && err.transient;
}
/** Exit codes shared by the CLI and the action's tests. */
const ExitCode = {
    ok: 0,
    failure: 1,
    config: 2,
    integrity: 3,
    sigint: 130,
    sigterm: 143,
};
function exitCodeFor(err) {
    if (err instanceof ConfigError)
        return ExitCode.config;
    if (err instanceof IntegrityError)
        return ExitCode.integrity;
    if (err instanceof CancelledError)
        return err.exitCode;
    return ExitCode.failure;
}
/** The one line a person reads: message, then the hint if any, options named in `syntax`. */
function describeError(err, syntax) {
    return (0,_option_ref_js__WEBPACK_IMPORTED_MODULE_0__/* .renderOptionRefs */ .Qm)(describeErrorTemplate(err), syntax);
}
/**
 * The same line with its option references left for the face to render: what the engine
 * writes into its own log lines and into messages that wrap another error.
 */
function describeErrorTemplate(err) {
    if (err instanceof LifeboatError) {
        return err.hintTemplate ? `${err.message}\n  fix: ${err.hintTemplate}` : err.message;
    }
    if (err instanceof Error)
        return err.message;
    return String(err);
}


/***/ }),

/***/ 76792:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $j: () => (/* binding */ optionRef),
/* harmony export */   Qm: () => (/* binding */ renderOptionRefs)
/* harmony export */ });
/* unused harmony export actionSyntax */
/**
 * Messages and hints name options the way each face spells them: `overwrite: true` in a
 * workflow, `--overwrite` on a command line. Engine code writes `optionRef('overwrite', 'true')`
 * into the text; each face renders the references with its own syntax.
 */
const REF = /\{\{option:([a-z0-9-]+)(?:=([^}]*))?\}\}/g;
function optionRef(name, value) {
    return value === undefined ? `{{option:${name}}}` : `{{option:${name}=${value}}}`;
}
/** The action's inputs, as written under `with:`. */
const actionSyntax = (name, value) => value === undefined ? `the ${name} input` : `${name}: ${value}`;
function renderOptionRefs(text, syntax = actionSyntax) {
    return text.replace(REF, (_, name, value) => syntax(name, value));
}


/***/ }),

/***/ 15816:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DL: () => (/* binding */ isProcessRunning),
/* harmony export */   F2: () => (/* binding */ killAllProcesses),
/* harmony export */   KE: () => (/* binding */ describeExit),
/* harmony export */   R3: () => (/* binding */ runProcess),
/* harmony export */   kp: () => (/* binding */ startProcess)
/* harmony export */ });
/* unused harmony exports DEFAULT_GRACE_MS, ProcessRun */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43026);
/**
 * The one way Lifeboat runs a child process. Credentials travel only in `env` (never argv);
 * stderr is kept as a bounded tail for messages; an abort sends SIGTERM, then SIGKILL after a
 * short grace; a non-zero exit or a signal becomes a typed error that names the tool.
 */


const DEFAULT_GRACE_MS = 5_000;
const TAIL_BYTES = 16_384;
const TAIL_LINES = 20;
/** Children still running, so a forced exit can still kill them (no orphans after a 3rd signal). */
const live = new Set();
class ProcessRun {
    child;
    /** Resolves once the process has exited and its output streams are closed; never rejects. */
    exited;
    tool;
    /** Why the process could not be started, once that is known. */
    spawnError;
    #tail = '';
    #stopping = false;
    #killTimer;
    #options;
    constructor(options) {
        this.#options = options;
        this.tool = options.tool;
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(options.command, [...options.args], {
            env: options.env,
            stdio: [options.stdin ?? 'ignore', options.stdout ?? 'pipe', options.stderr ?? 'pipe'],
            ...(options.cwd ? { cwd: options.cwd } : {}),
        });
        this.child = child;
        live.add(child);
        child.stderr?.on('data', (c) => this.#push(c));
        // 'close' waits for stdout to be read to its end, which a cancelled reader never does.
        child.once('exit', () => clearTimeout(this.#killTimer));
        // A child that stops reading makes writes fail with EPIPE; its exit status says why.
        child.stdin?.on('error', () => undefined);
        this.exited = new Promise((resolve) => {
            child.once('error', (err) => {
                // 'close' may not follow a spawn failure; resolve here as well.
                live.delete(child);
                this.spawnError = err;
                resolve({ code: null, signal: null, spawnError: err });
            });
            child.once('close', (code, signal) => resolve({ code, signal }));
        }).finally(() => {
            live.delete(child);
            clearTimeout(this.#killTimer);
            options.signal?.removeEventListener('abort', this.#onAbort);
        });
        if (options.signal?.aborted)
            this.stop();
        else
            options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    }
    get stdin() {
        return this.child.stdin;
    }
    get stdout() {
        return this.child.stdout;
    }
    get running() {
        return this.child.exitCode === null && this.child.signalCode === null && live.has(this.child);
    }
    /** True when the run's signal was aborted: the exit is the cancellation's doing. */
    get aborted() {
        return this.#options.signal?.aborted ?? false;
    }
    /** SIGTERM now, SIGKILL if it is still running after the grace period. Safe to call twice. */
    stop() {
        if (this.#stopping || !this.running)
            return;
        this.#stopping = true;
        this.child.kill('SIGTERM');
        this.#killTimer = setTimeout(() => {
            if (this.running)
                this.child.kill('SIGKILL');
        }, this.#options.graceMs ?? DEFAULT_GRACE_MS);
        // The live child keeps the process up; the timer alone must not.
        this.#killTimer.unref();
    }
    /** The last lines the tool wrote to stderr, masked. */
    stderrTail(lines = TAIL_LINES) {
        const text = this.#tail.trim().split('\n').filter(Boolean).slice(-lines).join('\n');
        return this.#options.redact ? this.#options.redact(text) : text;
    }
    /**
     * The error for an unsuccessful exit: the cancellation's reason when the run was aborted,
     * otherwise a typed error naming the tool, how it ended, and its stderr tail.
     */
    failure(status, what = this.tool, hint) {
        const reason = this.#options.signal?.reason;
        if (this.aborted && reason instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .LifeboatError */ .H3)
            return reason;
        const tail = this.stderrTail();
        const make = this.#options.failure ?? ((m, o) => new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SourceError */ .c8(m, o));
        return make(`${what} failed (${describeExit(status, this.tool)})${tail ? `:\n${tail}` : ''}`, {
            ...(status.spawnError ? { cause: status.spawnError } : {}),
            ...(hint ? { hint } : {}),
        });
    }
    /** Waits for the exit; throws `failure()` unless it exited 0. */
    async check(what, hint) {
        const status = await this.exited;
        if (status.code !== 0)
            throw this.failure(status, what, hint);
    }
    #onAbort = () => this.stop();
    #push(chunk) {
        this.#tail = (this.#tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    }
}
function startProcess(options) {
    return new ProcessRun(options);
}
/** Runs a process to the end and returns its stdout; throws the typed failure otherwise. */
async function runProcess(options) {
    const run = startProcess({ ...options, stdout: 'pipe' });
    const limit = options.maxOutput ?? 1 << 20;
    let out = '';
    run.stdout.setEncoding('utf8');
    run.stdout.on('data', (s) => {
        if (out.length < limit)
            out += s;
    });
    await run.check();
    return out;
}
function describeExit(status, tool) {
    if (status.spawnError) {
        const code = status.spawnError.code;
        return code === 'ENOENT'
            ? `${tool} was not found`
            : `${tool} could not be started: ${status.spawnError.message}`;
    }
    if (status.signal)
        return `killed by ${status.signal}`;
    return `exit code ${status.code}`;
}
/** For a forced exit: SIGKILL every child still running. Synchronous, so usable in 'exit'. */
function killAllProcesses() {
    for (const child of live) {
        try {
            child.kill('SIGKILL');
        }
        catch {
            // already gone
        }
    }
}
/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
function isProcessRunning(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}


/***/ })

};
