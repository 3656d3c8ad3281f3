/**
 * Start-up: the bundled action (`dist/index.js`, as the runner starts it) running `list` on an
 * empty `file:` destination, against `node -e 0` on the same Node in the same run. Runs are
 * interleaved and the medians compared, so a noisy moment hits both sides alike.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface StartupFigures {
  runs: number;
  baselineMs: number;
  actionMs: number;
  ratio: number;
  node: string;
}

export const STARTUP_TARGET = 3;

function timeRun(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<number> {
  return new Promise((res, rej) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', rej);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) res(ms);
      else rej(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The runner's environment for one `list` step: every input with its action.yml default. */
async function actionEnv(work: string, destination: string): Promise<NodeJS.ProcessEnv> {
  const meta = parseYaml(await readFile(resolve('action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>;
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: work,
    RUNNER_TEMP: join(work, '_temp'),
    RUNNER_OS: 'Linux',
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary'),
  };
  for (const [name, spec] of Object.entries(meta.inputs)) {
    const value = String(spec.default ?? '').replace(/\$\{\{[^}]*\}\}/g, 'ghs_benchToken');
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  env['INPUT_COMMAND'] = 'list';
  env['INPUT_DESTINATION'] = destination;
  return env;
}

export async function measureStartup(runs = 15, node = process.execPath): Promise<StartupFigures> {
  const main = resolve('dist/index.js');
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-bench-startup-'));
  try {
    await mkdir(join(work, '_temp'));
    await mkdir(join(work, 'backups'));
    const env = await actionEnv(work, `file:${join(work, 'backups')}`);
    const baseline: number[] = [];
    const action: number[] = [];
    await writeFile(join(work, 'output'), '');
    await writeFile(join(work, 'summary'), '');
    // One warm-up of each so the first file-system reads are not counted against either.
    await timeRun(node, ['-e', '0'], env, work);
    await timeRun(node, [main], env, work);
    for (let i = 0; i < runs; i++) {
      await writeFile(join(work, 'output'), '');
      await writeFile(join(work, 'summary'), '');
      baseline.push(await timeRun(node, ['-e', '0'], env, work));
      action.push(await timeRun(node, [main], env, work));
    }
    const output = await readFile(join(work, 'output'), 'utf8');
    if (!/^count<<.*\n0\n/m.test(output))
      throw new Error(`the action's list did not report 0 backups:\n${output}`);
    const baselineMs = median(baseline);
    const actionMs = median(action);
    return {
      runs,
      baselineMs,
      actionMs,
      ratio: actionMs / baselineMs,
      node: await nodeVersion(node),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function nodeVersion(node: string): Promise<string> {
  return new Promise((res) => {
    const child = spawn(node, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', () => res(out.trim()));
  });
}

export function startupSection(f: StartupFigures): string {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  return `## Start-up

The bundled action (\`node dist/index.js\`, as the runner starts it, every input from
\`action.yml\` with its default) listing an empty \`file:\` destination, against \`node -e 0\`;
median of ${f.runs} interleaved runs each, Node ${f.node}.

| run | time | vs \`node -e 0\` |
|---|---|---|
| \`node -e 0\` | ${ms(f.baselineMs)} | 1.00 × |
| action \`list\` of an empty \`file:\` destination | ${ms(f.actionMs)} | ${f.ratio.toFixed(2)} × |

Most of a short run used to be start-up: \`@actions/cache\` (which brings the Azure SDK) was
loaded by every run though only the PostgreSQL client install uses it, and \`@actions/core\`
bundles an HTTP client for OIDC; the action now loads the cache module on that path only and
speaks the runner's workflow and file commands itself (\`src/action/runner.ts\`).

| target | measured | |
|---|---|---|
| action start-up ≤ ${STARTUP_TARGET} × \`node -e 0\` | ${f.ratio.toFixed(2)} × | ${f.ratio <= STARTUP_TARGET ? 'met' : '**missed**'} |
`;
}

const START = '<!-- startup:start (npm run bench -- startup) -->';
const END = '<!-- startup:end -->';

/** Puts the start-up section into an existing report, replacing the previous one. */
export function withStartupSection(report: string, section: string): string {
  const block = `${START}\n${section}${END}\n`;
  const start = report.indexOf(START);
  const end = report.indexOf(END);
  if (start >= 0 && end > start)
    return report.slice(0, start) + block + report.slice(end + END.length + 1);
  return `${report.trimEnd()}\n\n${block}`;
}
