export const id = 584;
export const ids = [584];
export const modules = {

/***/ 19584:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ main_run)
});

// UNUSED EXPORTS: readInputs

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./build/src/action/runner.js
/**
 * The runner's protocol, written directly: inputs from INPUT_<NAME>, workflow commands on
 * stdout (`::error::`, `::group::`, `::add-mask::`…) and file commands (GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY). @actions/core does the same but bundles an HTTP client for OIDC that
 * every run would load and compile; start-up is a third of a short run's time.
 * The formats follow @actions/core (command.ts, file-command.ts), which the runner parses.
 */



/** The runner's name for an input: spaces become underscores, dashes stay. Trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
function issueCommand(command, message = '') {
    process.stdout.write(`::${command}::${escapeData(message)}${external_node_os_.EOL}`);
}
const info = (message) => void process.stdout.write(message + external_node_os_.EOL);
const debug = (message) => issueCommand('debug', message);
const warning = (message) => issueCommand('warning', message);
const error = (message) => issueCommand('error', message);
const startGroup = (title) => issueCommand('group', title);
const endGroup = () => issueCommand('endgroup');
const setSecret = (secret) => issueCommand('add-mask', secret);
/** Fails the step: one error annotation and a non-zero exit code. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
function fileCommand(variable) {
    const path = process.env[variable];
    if (!path)
        throw new Error(`${variable} is not set: not running on a GitHub Actions runner`);
    if (!(0,external_node_fs_.existsSync)(path))
        throw new Error(`${variable} points to a missing file: ${path}`);
    return path;
}
/** `name<<DELIMITER` block with a delimiter that cannot occur in the value. */
function setOutput(name, value) {
    if (!process.env['GITHUB_OUTPUT']) {
        // An old runner without file commands (or a local run): the deprecated command still works.
        process.stdout.write(`${external_node_os_.EOL}::set-output name=${name}::${escapeData(value)}${external_node_os_.EOL}`);
        return;
    }
    const delimiter = `ghadelimiter_${(0,external_node_crypto_.randomUUID)()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error(`output ${name}: its value contains the delimiter`);
    (0,external_node_fs_.appendFileSync)(fileCommand('GITHUB_OUTPUT'), `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`, 'utf8');
}
/** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
function appendSummary(markdown) {
    (0,external_node_fs_.appendFileSync)(fileCommand('GITHUB_STEP_SUMMARY'), markdown + external_node_os_.EOL, 'utf8');
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./build/src/core/errors.js
var errors = __webpack_require__(43026);
;// CONCATENATED MODULE: ./build/src/action/workflow-schedule.js
/**
 * The calling workflow's own `on.schedule`: GitHub knowledge, so it lives in the action face,
 * which hands it to the engine as RunContext.workflowSchedule.
 */




/**
 * Reads the calling workflow's own `on.schedule` cron lines from the checkout.
 * GITHUB_WORKFLOW_REF is 'owner/repo/.github/workflows/backup.yml@refs/heads/main'.
 * Returns [] when the workflow has no schedule.
 */
async function readWorkflowSchedule(env) {
    const setSchedule = "or set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}";
    const ref = env['GITHUB_WORKFLOW_REF']?.trim();
    if (!ref) {
        throw new errors/* ConfigError */.xL('schedule', 'no schedule given and GITHUB_WORKFLOW_REF is not set (not running in a GitHub workflow)', {
            hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
        });
    }
    const at = ref.lastIndexOf('@');
    const withoutRef = at >= 0 ? ref.slice(0, at) : ref;
    const segments = withoutRef.split('/');
    const workflowPath = segments.slice(2).join('/');
    if (segments.length < 3 || !workflowPath.startsWith('.github/workflows/')) {
        throw new errors/* ConfigError */.xL('schedule', `cannot find the workflow file in GITHUB_WORKFLOW_REF '${ref}'`, {
            hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
        });
    }
    const workspace = env['GITHUB_WORKSPACE']?.trim();
    if (!workspace) {
        throw new errors/* ConfigError */.xL('schedule', `cannot read ${workflowPath}: GITHUB_WORKSPACE is not set`, {
            hint: `add 'uses: actions/checkout' before this step, ${setSchedule}`,
        });
    }
    const file = (0,external_node_path_.resolve)(workspace, workflowPath);
    const inside = (0,external_node_path_.relative)((0,external_node_path_.resolve)(workspace), file);
    if (inside.startsWith('..') || (0,external_node_path_.isAbsolute)(inside)) {
        throw new errors/* ConfigError */.xL('schedule', `workflow path '${workflowPath}' points outside the workspace`, { hint: setSchedule });
    }
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (err) {
        const missing = err.code === 'ENOENT';
        throw new errors/* ConfigError */.xL('schedule', missing
            ? `the workflow file ${workflowPath} is not in ${workspace}: the repository is not checked out`
            : `cannot read the workflow file ${(0,external_node_path_.join)(workspace, workflowPath)}: ${err.message}`, {
            hint: `add '- uses: actions/checkout@v5' (sparse-checkout: .github is enough) before this step, ${setSchedule}`,
            cause: err,
        });
    }
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text);
    }
    catch (err) {
        throw new errors/* ConfigError */.xL('schedule', `cannot parse the workflow file ${workflowPath}: ${err.message}`, {
            hint: setSchedule,
            cause: err,
        });
    }
    return scheduleOf(doc, workflowPath, setSchedule);
}
function scheduleOf(doc, workflowPath, hint) {
    if (!doc || typeof doc !== 'object')
        return [];
    const root = doc;
    // YAML 1.1 readers turn the key `on` into true; accept both spellings.
    const on = 'on' in root ? root['on'] : root['true'];
    if (!on || typeof on !== 'object' || Array.isArray(on))
        return [];
    const schedule = on['schedule'];
    if (schedule === undefined || schedule === null)
        return [];
    if (!Array.isArray(schedule)) {
        throw new errors/* ConfigError */.xL('schedule', `on.schedule in ${workflowPath} is not a list of '- cron: ...' entries`, { hint });
    }
    const crons = [];
    for (const entry of schedule) {
        const cron = entry && typeof entry === 'object' ? entry['cron'] : undefined;
        if (typeof cron !== 'string' || !cron.trim()) {
            throw new errors/* ConfigError */.xL('schedule', `an on.schedule entry in ${workflowPath} has no cron string`, { hint });
        }
        crons.push(cron.trim());
    }
    return crons;
}

;// CONCATENATED MODULE: ./build/src/action/keep-alive.js
/**
 * GitHub disables the scheduled workflows of a public repository after 60 days without
 * repository activity, and the backups stop without a word. This checks how long the
 * repository has been quiet (REST: GET /repos/{owner}/{repo}, `pushed_at`), warns from day 45
 * and, when asked, re-enables the calling workflow (PUT …/actions/workflows/{id}/enable),
 * which restarts the count. GitHub knowledge, so it lives in the action face; the engine only
 * calls RunContext.workflowActivity.
 */

const WARN_FROM_DAYS = 45;
const DISABLED_AFTER_DAYS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Pure: how long the repository has been quiet and whether that needs attention. */
function inactivity(pushedAt, now, isPublic) {
    const days = Math.max(0, Math.floor((now.getTime() - pushedAt.getTime()) / DAY_MS));
    return {
        days,
        disablesOn: new Date(pushedAt.getTime() + DISABLED_AFTER_DAYS * DAY_MS),
        due: isPublic && days >= WARN_FROM_DAYS,
    };
}
/**
 * Returns a line for the job summary when something needed saying, else undefined.
 * Never throws: a failed check is a warning (with keep-alive) or a log line, not a failed backup.
 */
async function checkWorkflowActivity(check) {
    const { env, log } = check;
    const api = (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/$/, '');
    const repository = env['GITHUB_REPOSITORY'];
    const workflow = workflowFile(env['GITHUB_WORKFLOW_REF']);
    if (!repository || !workflow)
        return undefined;
    const call = (method, path) => (check.fetch ?? fetch)(`${api}${path}`, {
        method,
        headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${check.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'lifeboat',
        },
        signal: AbortSignal.timeout(15_000),
    });
    const failed = (what, detail) => {
        const line = `could not ${what}: ${detail}`;
        if (check.enable)
            log.warn(`keep-alive: ${line}`);
        else
            log.info(`Repository activity not checked: ${detail}`);
        return check.enable ? `keep-alive: ${line}` : undefined;
    };
    let repo;
    try {
        const res = await call('GET', `/repos/${repository}`);
        if (!res.ok)
            return failed('read the repository', await describeResponse(res));
        repo = (await res.json());
    }
    catch (err) {
        return failed('read the repository', err.message);
    }
    const pushedAt = repo.pushed_at ? new Date(repo.pushed_at) : undefined;
    if (!pushedAt || Number.isNaN(pushedAt.getTime())) {
        return failed('read the repository', 'the API answered without pushed_at');
    }
    const isPublic = repo.visibility ? repo.visibility === 'public' : repo.private === false;
    const quiet = inactivity(pushedAt, check.now, isPublic);
    if (!quiet.due) {
        log.info(`Repository activity: last push ${quiet.days} day(s) ago`);
        return undefined;
    }
    const when = quiet.disablesOn.toISOString().slice(0, 10);
    if (!check.enable) {
        const line = `no push to ${repository} for ${quiet.days} days: GitHub disables the scheduled workflow ${workflow} after ${DISABLED_AFTER_DAYS} (around ${when}) and the backups stop. Set keep-alive: true with permissions actions: write, or push a commit.`;
        log.warn(line);
        return line;
    }
    try {
        const res = await call('PUT', `/repos/${repository}/actions/workflows/${encodeURIComponent(workflow)}/enable`);
        if (res.status !== 204 && !res.ok) {
            const hint = res.status === 403 ? ' (grant the job permissions: actions: write)' : '';
            return failed(`re-enable ${workflow}`, `${await describeResponse(res)}${hint}`);
        }
    }
    catch (err) {
        return failed(`re-enable ${workflow}`, err.message);
    }
    const line = `no push to ${repository} for ${quiet.days} days: re-enabled ${workflow} through the API (keep-alive), so GitHub does not disable its schedule on day ${DISABLED_AFTER_DAYS}.`;
    log.info(line);
    return line;
}
/** 'owner/repo/.github/workflows/backup.yml@refs/heads/main' → 'backup.yml'. */
function workflowFile(ref) {
    if (!ref)
        return undefined;
    const at = ref.lastIndexOf('@');
    const path = at >= 0 ? ref.slice(0, at) : ref;
    if (!/\/\.github\/workflows\/[^/]+\.ya?ml$/.test(path))
        return undefined;
    return (0,external_node_path_.basename)(path);
}
async function describeResponse(res) {
    let message = '';
    try {
        message = (await res.json()).message ?? '';
    }
    catch {
        // not JSON
    }
    return `HTTP ${res.status}${message ? ` ${message}` : ''}`;
}

// EXTERNAL MODULE: ./build/src/core/cancel.js
var cancel = __webpack_require__(24091);
// EXTERNAL MODULE: ./build/src/core/temp.js
var temp = __webpack_require__(34563);
// EXTERNAL MODULE: ./build/src/core/log.js
var core_log = __webpack_require__(85491);
// EXTERNAL MODULE: ./build/src/engine/run.js + 43 modules
var run = __webpack_require__(65616);
// EXTERNAL MODULE: ./build/src/core/version.js + 1 modules
var version = __webpack_require__(33711);
// EXTERNAL MODULE: ./build/src/options/parse.js
var parse = __webpack_require__(85007);
// EXTERNAL MODULE: ./build/src/options/schema.js
var schema = __webpack_require__(43549);
// EXTERNAL MODULE: ./build/src/report/report.js
var report_report = __webpack_require__(18456);
// EXTERNAL MODULE: ./build/src/report/summary.js
var summary = __webpack_require__(73320);
// EXTERNAL MODULE: ./build/src/core/option-ref.js
var option_ref = __webpack_require__(76792);
;// CONCATENATED MODULE: ./build/src/action/log.js


/**
 * The engine's Logger on the runner's workflow commands. Groups do not nest on the runner, so
 * a new phase ends the open one.
 */
function createActionLogger() {
    let open = false;
    const closeGroup = () => {
        if (open)
            endGroup();
        open = false;
    };
    return {
        info: (m) => info((0,option_ref/* renderOptionRefs */.Qm)(m)),
        warn: (m) => warning((0,option_ref/* renderOptionRefs */.Qm)(m)),
        error: (m) => error((0,option_ref/* renderOptionRefs */.Qm)(m)),
        debug: (m) => debug((0,option_ref/* renderOptionRefs */.Qm)(m)),
        startGroup(title) {
            closeGroup();
            startGroup(title);
            open = true;
        },
        endGroup: closeGroup,
        closeGroup,
    };
}

// EXTERNAL MODULE: ./build/src/core/process.js
var core_process = __webpack_require__(15816);
;// CONCATENATED MODULE: ./build/src/action/tools.js


/** PGDG's setup script, shipped by the runner images' postgresql-common package. */
const PGDG_SETUP_SCRIPT = '/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh';
/**
 * What installing the PostgreSQL client `major` on this runner takes: a pure function of the
 * runner's facts, so the commands and cache keys are tested for every image without a runner.
 * Undefined when Lifeboat does not install the tool here (self-hosted runners, other systems,
 * other tools): the source then explains what to install.
 */
function pgClientInstallPlan(tool, major, runner) {
    if (!/^pg_/.test(tool) || !/^\d+$/.test(major))
        return undefined;
    if (runner.environment !== 'github-hosted' || runner.platform !== 'linux')
        return undefined;
    // GitHub's Linux images are Ubuntu ('ubuntu22', 'ubuntu24', 'ubuntu24-arm' style names);
    // anything else is not an image whose package manager we know.
    const image = runner.imageOs?.trim() || 'ubuntu';
    if (!/^ubuntu[\w-]*$/.test(image))
        return undefined;
    const folder = `/usr/lib/postgresql/${major}`;
    const commands = [];
    if (!runner.setupScriptPresent) {
        commands.push(['sudo', 'apt-get', 'update', '-q']);
        commands.push(['sudo', 'apt-get', 'install', '-y', '-q', 'postgresql-common']);
    }
    // The script adds apt.postgresql.org for the image's release and runs apt-get update.
    commands.push(['sudo', PGDG_SETUP_SCRIPT, '-y']);
    commands.push([
        'sudo',
        'apt-get',
        'install',
        '-y',
        '-q',
        '--no-install-recommends',
        `postgresql-client-${major}`,
    ]);
    return {
        bin: `${folder}/bin`,
        cachePaths: [folder],
        cacheKey: `lifeboat-postgresql-client-${major}-${image}-${runner.arch}`,
        commands,
    };
}
function runnerFacts(env, setupScriptPresent) {
    return {
        environment: env['RUNNER_ENVIRONMENT'],
        imageOs: env['ImageOS'],
        platform: process.platform,
        arch: process.arch,
        setupScriptPresent,
    };
}
/**
 * On GitHub-hosted Ubuntu runners, installs a PostgreSQL client of the server's major version
 * from the PGDG apt repository and caches the binaries with @actions/cache so later runs skip
 * the install. Elsewhere it declines, and the source explains.
 */
async function provideTool(tool, major, log, env = process.env) {
    const plan = pgClientInstallPlan(tool, major, runnerFacts(env, await exists(PGDG_SETUP_SCRIPT)));
    if (!plan)
        return undefined;
    // Loaded here, not at start-up: @actions/cache brings the Azure SDK, which every run
    // would otherwise pay for to use it only on this rare path.
    const cache = await Promise.all(/* import() */[__webpack_require__.e(941), __webpack_require__.e(752), __webpack_require__.e(647), __webpack_require__.e(872)]).then(__webpack_require__.bind(__webpack_require__, 63872));
    try {
        if (await cache.restoreCache(plan.cachePaths, plan.cacheKey)) {
            log.info(`Restored the PostgreSQL ${major} client from the Actions cache`);
            if (await exists(`${plan.bin}/pg_dump`))
                return plan.bin;
        }
    }
    catch (err) {
        log.warn(`Actions cache unavailable: ${err.message}`);
    }
    log.info(`Installing the PostgreSQL ${major} client from apt.postgresql.org…`);
    for (const argv of plan.commands)
        await sh(argv, env);
    if (!(await exists(`${plan.bin}/pg_dump`))) {
        log.warn(`the install finished but ${plan.bin}/pg_dump is not there`);
        return undefined;
    }
    try {
        await cache.saveCache(plan.cachePaths, plan.cacheKey);
    }
    catch (err) {
        log.warn(`could not cache the PostgreSQL client: ${err.message}`);
    }
    return plan.bin;
}
async function exists(path) {
    return (0,promises_.access)(path).then(() => true, () => false);
}
function sh(argv, env) {
    return (0,core_process/* startProcess */.kp)({
        tool: argv.join(' '),
        command: argv[0],
        args: argv.slice(1),
        env,
        stdout: 'inherit',
        stderr: 'inherit',
    }).check();
}

;// CONCATENATED MODULE: ./build/src/action/main.js















/** Reads every input through the option schema; secrets are masked before anything else runs. */
function readInputs(redactor) {
    const raw = {};
    for (const spec of schema/* OPTIONS */.lw) {
        const value = getInput(spec.name);
        for (const form of (0,schema/* secretForms */.eo)(spec, value))
            redactor.add(form);
        if (value !== '')
            raw[spec.name] = value;
    }
    return raw;
}
async function main_run() {
    const redactor = new core_log/* Redactor */.pO();
    redactor.onSecret((s) => setSecret(s));
    const actionLog = createActionLogger();
    const log = (0,core_log/* redactingLogger */.S)(actionLog, redactor);
    log.info(`Lifeboat ${version/* VERSION */.x}`);
    const cancellation = (0,cancel.cancelOnSignals)((line) => log.warn(line));
    let report = new report_report/* RunReport */.e(getInput('command') || 'backup');
    try {
        const options = (0,parse/* parseOptions */.Ac)(readInputs(redactor));
        report = new report_report/* RunReport */.e(options.command);
        const ctx = {
            log,
            redactor,
            env: process.env,
            cwd: process.cwd(),
            now: () => new Date(),
            version: version/* VERSION */.x,
            provideTool: async (tool, major) => {
                (0,core_log/* startPhase */.CJ)(log, `Set up ${tool} ${major}`);
                try {
                    return await provideTool(tool, major, log);
                }
                finally {
                    (0,core_log/* endPhase */.zN)(log);
                }
            },
            signal: cancellation.signal,
            tmpRoot: (0,temp/* tempRootFor */.I0)(process.env),
        };
        if (process.env['GITHUB_WORKFLOW_REF']) {
            ctx.workflowSchedule = () => readWorkflowSchedule(process.env);
            ctx.workflowActivity = (enable) => checkWorkflowActivity({
                env: process.env,
                token: getInput('github-token'),
                enable,
                now: new Date(),
                log,
            });
        }
        const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
        if (GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID)
            ctx.runUrl = `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
        ctx.github = {
            apiUrl: process.env['GITHUB_API_URL'] || 'https://api.github.com',
            ...(GITHUB_SERVER_URL && { serverUrl: GITHUB_SERVER_URL }),
            ...(GITHUB_REPOSITORY && { repository: GITHUB_REPOSITORY }),
        };
        await (0,run/* runCommand */.d1)(options, ctx, report);
    }
    catch (err) {
        report.error ??= (0,errors/* describeError */.Uc)(err);
        report.outputs['error-kind'] = (0,run/* errorKindOf */.AI)(err);
        actionLog.closeGroup();
        setFailed(redactor.redact((0,errors/* describeError */.Uc)(err)));
        // 130/143 as a shell reports SIGINT/SIGTERM, so a cancelled step is not mistaken for a failed one.
        if (err instanceof errors/* CancelledError */.cc)
            process.exitCode = err.exitCode;
    }
    finally {
        actionLog.closeGroup();
        for (const [name, value] of Object.entries(report.outputs))
            setOutput(name, value);
        try {
            if (process.env['GITHUB_STEP_SUMMARY'])
                appendSummary(redactor.redact((0,summary/* renderSummary */.Br)(report)));
        }
        catch (err) {
            warning(`could not write the job summary: ${(0,errors/* describeError */.Uc)(err)}`);
        }
        cancellation.dispose();
    }
}


/***/ })

};
