/**
 * GitHub disables the scheduled workflows of a public repository after 60 days without
 * repository activity, and the backups stop without a word. This checks how long the
 * repository has been quiet (REST: GET /repos/{owner}/{repo}, `pushed_at`), warns from day 45
 * and, when asked, re-enables the calling workflow (PUT …/actions/workflows/{id}/enable),
 * which restarts the count. GitHub knowledge, so it lives in the action face; the engine only
 * calls RunContext.workflowActivity.
 */
import { basename } from 'node:path';
import type { Logger } from '../core/log.ts';

export const WARN_FROM_DAYS = 45;
export const DISABLED_AFTER_DAYS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Inactivity {
  days: number;
  /** When GitHub disables the scheduled workflows if nothing happens before. */
  disablesOn: Date;
  /** Past the warning threshold in a public repository. */
  due: boolean;
}

/** Pure: how long the repository has been quiet and whether that needs attention. */
export function inactivity(pushedAt: Date, now: Date, isPublic: boolean): Inactivity {
  const days = Math.max(0, Math.floor((now.getTime() - pushedAt.getTime()) / DAY_MS));
  return {
    days,
    disablesOn: new Date(pushedAt.getTime() + DISABLED_AFTER_DAYS * DAY_MS),
    due: isPublic && days >= WARN_FROM_DAYS,
  };
}

export interface ActivityCheck {
  env: NodeJS.ProcessEnv;
  token: string;
  enable: boolean;
  now: Date;
  log: Logger;
  fetch?: typeof fetch;
}

/**
 * Returns a line for the job summary when something needed saying, else undefined.
 * Never throws: a failed check is a warning (with keep-alive) or a log line, not a failed backup.
 */
export async function checkWorkflowActivity(check: ActivityCheck): Promise<string | undefined> {
  const { env, log } = check;
  const api = (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/$/, '');
  const repository = env['GITHUB_REPOSITORY'];
  const workflow = workflowFile(env['GITHUB_WORKFLOW_REF']);
  if (!repository || !workflow) return undefined;
  const call = (method: string, path: string) =>
    (check.fetch ?? fetch)(`${api}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${check.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'lifeboat',
      },
      signal: AbortSignal.timeout(15_000),
    });
  const failed = (what: string, detail: string) => {
    const line = `could not ${what}: ${detail}`;
    if (check.enable) log.warn(`keep-alive: ${line}`);
    else log.info(`Repository activity not checked: ${detail}`);
    return check.enable ? `keep-alive: ${line}` : undefined;
  };
  let repo: { pushed_at?: string; private?: boolean; visibility?: string };
  try {
    const res = await call('GET', `/repos/${repository}`);
    if (!res.ok) return failed('read the repository', await describeResponse(res));
    repo = (await res.json()) as typeof repo;
  } catch (err) {
    return failed('read the repository', (err as Error).message);
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
    const res = await call(
      'PUT',
      `/repos/${repository}/actions/workflows/${encodeURIComponent(workflow)}/enable`,
    );
    if (res.status !== 204 && !res.ok) {
      const hint = res.status === 403 ? ' (grant the job permissions: actions: write)' : '';
      return failed(`re-enable ${workflow}`, `${await describeResponse(res)}${hint}`);
    }
  } catch (err) {
    return failed(`re-enable ${workflow}`, (err as Error).message);
  }
  const line = `no push to ${repository} for ${quiet.days} days: re-enabled ${workflow} through the API (keep-alive), so GitHub does not disable its schedule on day ${DISABLED_AFTER_DAYS}.`;
  log.info(line);
  return line;
}

/** 'owner/repo/.github/workflows/backup.yml@refs/heads/main' → 'backup.yml'. */
export function workflowFile(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const at = ref.lastIndexOf('@');
  const path = at >= 0 ? ref.slice(0, at) : ref;
  if (!/\/\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return undefined;
  return basename(path);
}

async function describeResponse(res: Response): Promise<string> {
  let message = '';
  try {
    message = ((await res.json()) as { message?: string }).message ?? '';
  } catch {
    // not JSON
  }
  return `HTTP ${res.status}${message ? ` ${message}` : ''}`;
}
