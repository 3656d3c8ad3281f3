/**
 * Runs one job of a workflow file the way the runner would, as far as Lifeboat's part goes:
 * each step's `if:`, `with:`, `env:` and `run:` expressions are evaluated against the contexts
 * the test gives (inputs, secrets, github, needs, matrix) and the outputs of earlier steps;
 * Lifeboat steps run through the action harness (from the source), `run:` steps run in bash
 * with the runner's GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, `actions/checkout` is a no-op
 * (the test prepares the workspace), and artifact uploads are recorded after checking that their
 * path holds something (GitHub's artifact service is not here). Any other action, or an expression this evaluator does
 * not know, is an error: a test never passes by skipping what it cannot run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommands, runAction, type ActionRun } from './action-harness.ts';

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

export interface Contexts {
  inputs?: Record<string, Value>;
  secrets?: Record<string, string>;
  github?: Record<string, Value>;
  needs?: Record<string, { outputs: Record<string, string>; result?: string }>;
  matrix?: Record<string, Value>;
  env?: Record<string, string>;
}

export interface StepResult {
  id?: string;
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  /** The Lifeboat run, for Lifeboat steps. */
  action?: ActionRun;
  /** `with:` as evaluated (Lifeboat steps), or the env (run steps). */
  inputs?: Record<string, string>;
  log: string;
}

export interface JobResult {
  result: 'success' | 'failure';
  steps: StepResult[];
  outputs: Record<string, string>;
  summary: string;
}

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  shell?: string;
}

export async function loadWorkflow(path: string): Promise<Record<string, unknown>> {
  return parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

const LIFEBOAT = /^[\w.-]+\/lifeboat@.+$/;

export async function runJob(
  workflow: Record<string, unknown>,
  jobId: string,
  contexts: Contexts,
  options: { workspace: string; actionYml: string; env?: Record<string, string> },
): Promise<JobResult> {
  const job = (workflow['jobs'] as Record<string, { steps: Step[]; outputs?: object }>)[jobId];
  if (!job) throw new Error(`no job '${jobId}'`);
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const results: StepResult[] = [];
  let failed = false;
  let summary = '';
  const scratch = await mkdtemp(join(tmpdir(), 'toolkit-job-'));
  try {
    for (const [index, step] of job.steps.entries()) {
      const ctx = { ...contexts, steps, status: () => (failed ? 'failure' : 'success') };
      const name = step.name ? interpolate(step.name, ctx) : (step.uses ?? `step ${index + 1}`);
      const condition = step.if ? truthy(evaluate(stripBraces(step.if), ctx)) : !failed;
      if (!condition) {
        results.push({ id: step.id, name, outcome: 'skipped', outputs: {}, log: '' });
        if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped' };
        continue;
      }
      const env: Record<string, string> = { ...contexts.env, ...options.env };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = interpolate(String(v), ctx);
      let result: StepResult;
      if (step.uses && LIFEBOAT.test(step.uses)) {
        const inputs: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.with ?? {}))
          inputs[k] = interpolate(String(v), ctx);
        const run = await runAction({
          workspace: options.workspace,
          actionYml: options.actionYml,
          inputs,
          env,
          github: {
            token: String(
              contexts.secrets?.['GITHUB_TOKEN'] ?? 'ghs_workflowRunnerToken000000000000',
            ),
          },
        });
        summary += run.summary;
        result = {
          id: step.id,
          name,
          outcome: run.code === 0 ? 'success' : 'failure',
          outputs: run.outputs,
          action: run,
          inputs,
          log: run.log,
        };
      } else if (step.uses?.startsWith('actions/checkout@')) {
        result = { id: step.id, name, outcome: 'success', outputs: {}, log: '' };
      } else if (
        step.uses?.startsWith('actions/upload-artifact@') ||
        step.uses?.startsWith('actions/upload-pages-artifact@')
      ) {
        // GitHub's artifact service is not here: the upload is recorded, and fails as the
        // real one does when its path holds nothing.
        const inputs: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.with ?? {}))
          inputs[k] = interpolate(String(v), ctx);
        const path = join(options.workspace, inputs['path'] ?? '');
        const found =
          inputs['path'] !== undefined &&
          existsSync(path) &&
          (!statSync(path).isDirectory() || readdirSync(path).length > 0);
        result = {
          id: step.id,
          name,
          outcome: found ? 'success' : 'failure',
          outputs: {},
          inputs,
          log: found
            ? `uploaded ${inputs['path']}`
            : `no files were found at ${inputs['path'] ?? '(no path)'}`,
        };
      } else if (step.run !== undefined) {
        const script = interpolate(step.run, ctx);
        const output = join(scratch, `output-${index}`);
        const stepSummary = join(scratch, `summary-${index}`);
        await writeFile(output, '');
        await writeFile(stepSummary, '');
        const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
          cwd: options.workspace,
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            HOME: process.env['HOME'] ?? scratch,
            GITHUB_OUTPUT: output,
            GITHUB_STEP_SUMMARY: stepSummary,
            GITHUB_WORKSPACE: options.workspace,
            ...env,
          },
          encoding: 'utf8',
        });
        summary += await readFile(stepSummary, 'utf8');
        result = {
          id: step.id,
          name,
          outcome: r.status === 0 ? 'success' : 'failure',
          outputs: parseFileCommands(await readFile(output, 'utf8')),
          inputs: env,
          log: `${r.stdout}${r.stderr}`,
        };
      } else {
        throw new Error(`step '${name}': the workflow runner cannot run ${step.uses}`);
      }
      results.push(result);
      if (step.id) steps[step.id] = { outputs: result.outputs, outcome: result.outcome };
      if (result.outcome === 'failure') failed = true;
    }
    const ctx = { ...contexts, steps, status: () => (failed ? 'failure' : 'success') };
    const outputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(job.outputs ?? {}))
      outputs[k] = interpolate(String(v), ctx);
    return { result: failed ? 'failure' : 'success', steps: results, outputs, summary };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// --- a small evaluator for GitHub's expression language ---

type Ctx = Contexts & {
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  status: () => string;
};

function stripBraces(text: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return m ? m[1]! : text;
}

/** Replaces every `${{ expr }}` in a string, as the runner does before a step runs. */
export function interpolate(text: string, ctx: Ctx): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => asString(evaluate(expr, ctx)));
}

function asString(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function truthy(v: Value): boolean {
  return !(v === null || v === false || v === 0 || v === '' || Number.isNaN(v));
}

function asNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' && a !== null) return a === b;
  return asNumber(a) === asNumber(b);
}

export function evaluate(expr: string, ctx: Ctx): Value {
  const tokens =
    expr.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[!().,[\]]|[\w-]+(?:\.[\w-]+)*|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`expression '${expr}': expected '${t}'`);
  };
  const or = (): Value => {
    let v = and();
    while (peek() === '||') {
      next();
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const and = (): Value => {
    let v = cmp();
    while (peek() === '&&') {
      next();
      const r = cmp();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const cmp = (): Value => {
    const v = unary();
    if (peek() === '==' || peek() === '!=') {
      const op = next();
      const r = unary();
      return op === '==' ? equal(v, r) : !equal(v, r);
    }
    return v;
  };
  const unary = (): Value => {
    if (peek() === '!') {
      next();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const t = next();
    if (t === undefined) throw new Error(`expression '${expr}' ends early`);
    if (t === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (peek() === '(') {
      next();
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') next();
      }
      expect(')');
      return call(t, args);
    }
    let v = lookup(t);
    while (peek() === '[') {
      next();
      const key = or();
      expect(']');
      v = v && typeof v === 'object' ? ((v as Record<string, Value>)[String(key)] ?? null) : null;
    }
    return v;
  };
  const call = (fn: string, args: Value[]): Value => {
    switch (fn.toLowerCase()) {
      case 'success':
        return ctx.status() === 'success';
      case 'failure':
        return ctx.status() === 'failure';
      case 'always':
        return true;
      case 'cancelled':
        return false;
      case 'fromjson':
        return JSON.parse(asString(args[0] ?? null)) as Value;
      case 'tojson':
        return JSON.stringify(args[0] ?? null, null, 2);
      case 'contains':
        return Array.isArray(args[0])
          ? args[0].some((x) => equal(x, args[1] ?? null))
          : asString(args[0] ?? null)
              .toLowerCase()
              .includes(asString(args[1] ?? null).toLowerCase());
      case 'startswith':
        return asString(args[0] ?? null)
          .toLowerCase()
          .startsWith(asString(args[1] ?? null).toLowerCase());
      case 'format':
        return asString(args[0] ?? null).replace(/\{(\d+)\}/g, (_, n: string) =>
          asString(args[Number(n) + 1] ?? null),
        );
      default:
        throw new Error(`expression '${expr}': the workflow runner has no function ${fn}()`);
    }
  };
  const lookup = (path: string): Value => {
    const [root, ...rest] = path.split('.');
    const roots: Record<string, unknown> = {
      inputs: ctx.inputs ?? {},
      secrets: ctx.secrets ?? {},
      github: ctx.github ?? {},
      needs: ctx.needs ?? {},
      matrix: ctx.matrix ?? {},
      env: ctx.env ?? {},
      steps: ctx.steps,
    };
    if (!(root! in roots)) throw new Error(`expression '${expr}': unknown context '${root}'`);
    let v: unknown = roots[root!];
    for (const key of rest) {
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    }
    return (v ?? null) as Value;
  };
  const value = or();
  if (i < tokens.length) throw new Error(`expression '${expr}': unexpected '${tokens[i]}'`);
  return value;
}

/**
 * The `inputs` a `workflow_call` workflow sees: the caller's `with:` over the declared
 * defaults. An undeclared or missing required input is an error, as GitHub refuses the call.
 */
export function callInputs(
  workflow: Record<string, unknown>,
  given: Record<string, Value>,
): Record<string, Value> {
  const on = (workflow['on'] ?? workflow['true']) as Record<string, unknown>;
  const call = on['workflow_call'] as {
    inputs?: Record<string, { required?: boolean; default?: Value; type: string }>;
  };
  const declared = call.inputs ?? {};
  const inputs: Record<string, Value> = {};
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`input '${name}' is not declared by the workflow`);
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (name in given) inputs[name] = given[name]!;
    else if (spec.required) throw new Error(`required input '${name}' not given`);
    else
      inputs[name] =
        spec.default ?? (spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : '');
  }
  return inputs;
}

/** The secrets a `workflow_call` workflow declares: passing an undeclared one is an error. */
export function callSecrets(
  workflow: Record<string, unknown>,
  given: Record<string, string>,
): Record<string, string> {
  const on = (workflow['on'] ?? workflow['true']) as Record<string, unknown>;
  const declared = (on['workflow_call'] as { secrets?: Record<string, unknown> }).secrets ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`secret '${name}' is not declared by the workflow`);
  }
  return given;
}

/**
 * What GitHub passes to a reusable workflow from a caller's job (`uses: owner/lifeboat/
 * .github/workflows/x.yml@ref`): the called file (this repository's copy), its `inputs` (the
 * caller's `with:` evaluated, over the declared defaults) and its `secrets`.
 */
export async function calledWorkflow(
  caller: Record<string, unknown>,
  jobId: string,
  contexts: Contexts,
): Promise<{
  workflow: Record<string, unknown>;
  inputs: Record<string, Value>;
  secrets: Record<string, string>;
}> {
  const job = (
    caller['jobs'] as Record<string, { uses?: string; with?: object; secrets?: object }>
  )[jobId];
  const m = /^[\w.-]+\/lifeboat\/(\.github\/workflows\/[\w.-]+\.ya?ml)@.+$/.exec(job?.uses ?? '');
  if (!job || !m) throw new Error(`job '${jobId}' does not call a Lifeboat reusable workflow`);
  const workflow = await loadWorkflow(m[1]!);
  const ctx = { ...contexts, steps: {}, status: () => 'success' };
  const given: Record<string, Value> = {};
  for (const [k, v] of Object.entries(job.with ?? {})) {
    // A lone expression keeps its type (a boolean input stays boolean), as GitHub does.
    const whole = typeof v === 'string' ? /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(v) : null;
    given[k] = whole
      ? evaluate(whole[1]!, ctx)
      : typeof v === 'string'
        ? interpolate(v, ctx)
        : (v as Value);
  }
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(job.secrets ?? {})) secrets[k] = interpolate(String(v), ctx);
  return { workflow, inputs: callInputs(workflow, given), secrets: callSecrets(workflow, secrets) };
}
