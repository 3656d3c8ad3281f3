/**
 * Runs the action the way the GitHub runner does, so the tests exercise what users get:
 * action.yml is parsed (a broken action.yml fails every test), every input is passed as
 * `INPUT_<NAME>` with its action.yml default, the runner's file commands and folders are set
 * up, `runs.main` is started with a node24 binary, and the outputs, workflow commands and job
 * summary are read back in the runner's own formats.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ActionMetadata {
  name: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; pre?: string; post?: string };
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface LogGroup {
  title: string;
  lines: string[];
}

export interface ParsedLog {
  errors: WorkflowCommand[];
  warnings: WorkflowCommand[];
  notices: WorkflowCommand[];
  debug: string[];
  masks: string[];
  groups: LogGroup[];
  /** Every command in order, including ones not sorted into the lists above. */
  commands: WorkflowCommand[];
  /** Lines that are not commands, as the log shows them (masked values replaced by ***). */
  lines: string[];
}

export interface ActionRun extends ParsedLog {
  code: number;
  /** stdout and stderr as the process wrote them, interleaved in arrival order. */
  log: string;
  outputs: Record<string, string>;
  env: Record<string, string>;
  state: Record<string, string>;
  path: string[];
  summary: string;
}

export interface RunActionOptions {
  /** The workspace: GITHUB_WORKSPACE and the working directory. */
  workspace: string;
  inputs?: Record<string, string>;
  /** Extra environment (the step's `env:`); wins over the runner's variables. */
  env?: Record<string, string>;
  /** Path to action.yml; default: the repository's. */
  actionYml?: string;
  /** Node binary; default: $LIFEBOAT_TEST_NODE, else the Node running the tests. */
  node?: string;
  /** Values for `${{ github.* }}` in input defaults. */
  github?: Record<string, string>;
  /** Called once the action's process runs (to signal it, as a cancel does). */
  onStart?: (child: ChildProcess) => void;
}

/** The Node that runs the action: a newest-Node CI pass points LIFEBOAT_TEST_NODE at its own. */
export function actionNode(): string {
  return process.env['LIFEBOAT_TEST_NODE'] || process.execPath;
}

export async function readActionMetadata(
  actionYml = resolve('action.yml'),
): Promise<ActionMetadata> {
  const doc = parseYaml(await readFile(actionYml, 'utf8')) as Partial<ActionMetadata> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${actionYml} is not a YAML mapping`);
  if (!doc.runs?.main || !doc.runs.using)
    throw new Error(`${actionYml} has no runs.using/runs.main`);
  return {
    name: doc.name ?? '',
    inputs: doc.inputs ?? {},
    outputs: doc.outputs ?? {},
    runs: doc.runs,
  };
}

/** The runner's name for an input's variable: spaces become underscores, dashes stay. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Evaluates the only expressions action.yml defaults use: `${{ github.<name> }}`. */
export function evaluateDefault(value: unknown, github: Record<string, string>): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^github\.([A-Za-z_]+)$/.exec(expr);
    if (!m || !(m[1]! in github))
      throw new Error(`the harness cannot evaluate \${{ ${expr} }} in an input default`);
    return github[m[1]!]!;
  });
}

const HARNESS_GITHUB: Record<string, string> = {
  token: 'ghs_harnessTokenNotARealOne000000000000',
  repository: 'lifeboat-test/app',
  workspace: '',
};

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionYml = options.actionYml ?? resolve('action.yml');
  const meta = await readActionMetadata(actionYml);
  if (meta.runs.using !== 'node24') throw new Error(`runs.using is ${meta.runs.using}, not node24`);
  const inputs = options.inputs ?? {};
  for (const name of Object.keys(inputs)) {
    // The runner warns and still passes an undeclared input; a test that sets one is wrong.
    if (!(name in meta.inputs)) throw new Error(`input '${name}' is not declared in action.yml`);
  }
  const workspace = resolve(options.workspace);
  const runnerDir = await mkdtemp(join(tmpdir(), 'lifeboat-runner-'));
  try {
    const commandsDir = join(runnerDir, '_runner_file_commands');
    const runnerTemp = join(runnerDir, '_temp');
    const toolCache = join(runnerDir, '_tool');
    await mkdir(commandsDir, { recursive: true });
    await mkdir(runnerTemp, { recursive: true });
    await mkdir(toolCache, { recursive: true });
    const files = {
      GITHUB_OUTPUT: join(commandsDir, `set_output_${randomUUID()}`),
      GITHUB_STEP_SUMMARY: join(commandsDir, `step_summary_${randomUUID()}`),
      GITHUB_ENV: join(commandsDir, `set_env_${randomUUID()}`),
      GITHUB_STATE: join(commandsDir, `save_state_${randomUUID()}`),
      GITHUB_PATH: join(commandsDir, `add_path_${randomUUID()}`),
    };
    for (const f of Object.values(files)) await writeFile(f, '');
    const eventPath = join(runnerDir, 'event.json');
    await writeFile(eventPath, '{}');

    const github: Record<string, string> = { ...HARNESS_GITHUB, workspace, ...options.github };
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? runnerDir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: github['repository']!,
      GITHUB_REPOSITORY_OWNER: github['repository']!.split('/')[0]!,
      GITHUB_WORKFLOW: 'backup',
      GITHUB_WORKFLOW_REF: `${github['repository']}/.github/workflows/backup.yml@refs/heads/main`,
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_RUN_ID: '1',
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'backup',
      GITHUB_ACTION: '__lifeboat',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SERVER_URL: 'https://github.com',
      // Nothing listens here: a test never reaches the real GitHub (one that needs the API
      // passes its stand-in's address).
      GITHUB_API_URL: 'http://127.0.0.1:9',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'lifeboat-harness',
      // Not 'github-hosted': the action would install tools with sudo apt-get there.
      RUNNER_ENVIRONMENT: 'self-hosted',
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: toolCache,
      ...files,
    };
    for (const [name, spec] of Object.entries(meta.inputs)) {
      const value = name in inputs ? inputs[name]! : evaluateDefault(spec.default, github);
      env[inputVariable(name)] = value;
    }
    Object.assign(env, options.env);

    const main = resolve(dirname(actionYml), meta.runs.main);
    const child = spawn(options.node ?? actionNode(), [main], {
      cwd: workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    options.onStart?.(child);
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    const code: number = await new Promise((res, rej) => {
      child.on('error', rej);
      child.on('close', (c, signal) => res(c ?? (signal ? 128 : -1)));
    });
    return {
      code,
      log,
      ...parseWorkflowCommands(log),
      outputs: parseFileCommands(await readFile(files.GITHUB_OUTPUT, 'utf8')),
      env: parseFileCommands(await readFile(files.GITHUB_ENV, 'utf8')),
      state: parseFileCommands(await readFile(files.GITHUB_STATE, 'utf8')),
      path: (await readFile(files.GITHUB_PATH, 'utf8')).split('\n').filter((l) => l !== ''),
      summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    };
  } finally {
    await rm(runnerDir, { recursive: true, force: true });
  }
}

/**
 * The file-command format of GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STATE: `name=value` lines
 * and `name<<DELIMITER` … `DELIMITER` blocks. Malformed content throws, as the runner fails
 * the step on it.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (delimiter === '') throw new Error(`file command '${line}' has an empty delimiter`);
      const value: string[] = [];
      for (i++; ; i++) {
        if (i >= lines.length)
          throw new Error(`file command '${name}': delimiter '${delimiter}' never closed`);
        if (lines[i] === delimiter) break;
        value.push(lines[i]!);
      }
      out[name] = value.join('\n');
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`malformed file command line '${line}'`);
    }
  }
  return out;
}

const unescapeData = (s: string) =>
  s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) =>
  s
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');

/** Parses one `::command key=value,…::message` line, or returns undefined for a plain line. */
export function parseCommandLine(line: string): WorkflowCommand | undefined {
  const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/s.exec(line.trimStart());
  if (!m) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: m[1]!.toLowerCase(), properties, message: unescapeData(m[3]!) };
}

/**
 * Sorts a step's log into the runner's structures: annotations, masks, groups (with the lines
 * inside them) and the visible lines, honouring `::stop-commands::`.
 */
export function parseWorkflowCommands(log: string): ParsedLog {
  const parsed: ParsedLog = {
    errors: [],
    warnings: [],
    notices: [],
    debug: [],
    masks: [],
    groups: [],
    commands: [],
    lines: [],
  };
  let group: LogGroup | undefined;
  let stopToken: string | undefined;
  const mask = (s: string) => parsed.masks.reduce((t, m) => (m ? t.split(m).join('***') : t), s);
  const lines = log.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (stopToken !== undefined) {
      if (line.trim() === `::${stopToken}::`) stopToken = undefined;
      else parsed.lines.push(mask(line));
      continue;
    }
    const cmd = parseCommandLine(line);
    if (!cmd) {
      const shown = mask(line);
      parsed.lines.push(shown);
      group?.lines.push(shown);
      continue;
    }
    parsed.commands.push(cmd);
    switch (cmd.command) {
      case 'error':
        parsed.errors.push(cmd);
        break;
      case 'warning':
        parsed.warnings.push(cmd);
        break;
      case 'notice':
        parsed.notices.push(cmd);
        break;
      case 'debug':
        parsed.debug.push(cmd.message);
        break;
      case 'add-mask':
        parsed.masks.push(cmd.message);
        break;
      case 'group':
        // The runner does not nest groups: a new one closes the open one.
        group = { title: cmd.message, lines: [] };
        parsed.groups.push(group);
        break;
      case 'endgroup':
        group = undefined;
        break;
      case 'stop-commands':
        stopToken = cmd.message;
        break;
    }
  }
  return parsed;
}
