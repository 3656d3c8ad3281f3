/**
 * The calling workflow's own `on.schedule`: GitHub knowledge, so it lives in the action face,
 * which hands it to the engine as RunContext.workflowSchedule.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.ts';

/**
 * Reads the calling workflow's own `on.schedule` cron lines from the checkout.
 * GITHUB_WORKFLOW_REF is 'owner/repo/.github/workflows/backup.yml@refs/heads/main'.
 * Returns [] when the workflow has no schedule.
 */
export async function readWorkflowSchedule(env: NodeJS.ProcessEnv): Promise<string[]> {
  const setSchedule =
    "or set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}";
  const ref = env['GITHUB_WORKFLOW_REF']?.trim();
  if (!ref) {
    throw new ConfigError(
      'schedule',
      'no schedule given and GITHUB_WORKFLOW_REF is not set (not running in a GitHub workflow)',
      {
        hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
      },
    );
  }
  const at = ref.lastIndexOf('@');
  const withoutRef = at >= 0 ? ref.slice(0, at) : ref;
  const segments = withoutRef.split('/');
  const workflowPath = segments.slice(2).join('/');
  if (segments.length < 3 || !workflowPath.startsWith('.github/workflows/')) {
    throw new ConfigError(
      'schedule',
      `cannot find the workflow file in GITHUB_WORKFLOW_REF '${ref}'`,
      {
        hint: "set the cron line(s) your backups follow, e.g. {{option:schedule='0 3 * * *'}}",
      },
    );
  }
  const workspace = env['GITHUB_WORKSPACE']?.trim();
  if (!workspace) {
    throw new ConfigError('schedule', `cannot read ${workflowPath}: GITHUB_WORKSPACE is not set`, {
      hint: `add 'uses: actions/checkout' before this step, ${setSchedule}`,
    });
  }
  const file = resolve(workspace, workflowPath);
  const inside = relative(resolve(workspace), file);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new ConfigError(
      'schedule',
      `workflow path '${workflowPath}' points outside the workspace`,
      { hint: setSchedule },
    );
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      'schedule',
      missing
        ? `the workflow file ${workflowPath} is not in ${workspace}: the repository is not checked out`
        : `cannot read the workflow file ${join(workspace, workflowPath)}: ${(err as Error).message}`,
      {
        hint: `add '- uses: actions/checkout@v5' (sparse-checkout: .github is enough) before this step, ${setSchedule}`,
        cause: err,
      },
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      'schedule',
      `cannot parse the workflow file ${workflowPath}: ${(err as Error).message}`,
      {
        hint: setSchedule,
        cause: err,
      },
    );
  }
  return scheduleOf(doc, workflowPath, setSchedule);
}

function scheduleOf(doc: unknown, workflowPath: string, hint: string): string[] {
  if (!doc || typeof doc !== 'object') return [];
  const root = doc as Record<string, unknown>;
  // YAML 1.1 readers turn the key `on` into true; accept both spellings.
  const on = 'on' in root ? root['on'] : root['true'];
  if (!on || typeof on !== 'object' || Array.isArray(on)) return [];
  const schedule = (on as Record<string, unknown>)['schedule'];
  if (schedule === undefined || schedule === null) return [];
  if (!Array.isArray(schedule)) {
    throw new ConfigError(
      'schedule',
      `on.schedule in ${workflowPath} is not a list of '- cron: ...' entries`,
      { hint },
    );
  }
  const crons: string[] = [];
  for (const entry of schedule) {
    const cron =
      entry && typeof entry === 'object' ? (entry as Record<string, unknown>)['cron'] : undefined;
    if (typeof cron !== 'string' || !cron.trim()) {
      throw new ConfigError(
        'schedule',
        `an on.schedule entry in ${workflowPath} has no cron string`,
        { hint },
      );
    }
    crons.push(cron.trim());
  }
  return crons;
}
