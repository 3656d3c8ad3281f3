import { messageText, type Message } from './message.ts';
import { request } from './http.ts';
import type { NotifyContext, RunOutcome } from './types.ts';

/** Every issue Lifeboat opens carries this label, so people can filter them and we find ours. */
export const ISSUE_LABEL = 'lifeboat';

/** One issue per set and command: the stable title is how a repeat finds it. */
export function issueTitle(outcome: Pick<RunOutcome, 'command' | 'set'>): string {
  return `Lifeboat: ${outcome.command} of set '${outcome.set}' is failing`;
}

interface Issue {
  number: number;
  title: string;
  html_url?: string;
  pull_request?: unknown;
}

/**
 * Opens an issue on failure (or comments on the open one), and closes it with a comment on
 * the next success. Uses the REST endpoints: list repository issues (by label; unlike search,
 * it sees an issue the moment it exists), create an issue, create a comment, update an issue.
 */
export async function updateGitHubIssue(
  outcome: RunOutcome,
  message: Message,
  ctx: NotifyContext,
  repository: string,
  token: string,
): Promise<string> {
  const api = (ctx.github?.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const repo = `${api}/repos/${repository}`;
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${token}`,
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'lifeboat',
    'Content-Type': 'application/json',
  };
  const call = async (method: string, url: string, body?: unknown) =>
    JSON.parse(
      (
        await request(
          ctx,
          method,
          url,
          body === undefined ? undefined : JSON.stringify(body),
          headers,
        )
      ).body || 'null',
    ) as unknown;
  const title = issueTitle(outcome);
  const listed = (await call(
    'GET',
    `${repo}/issues?state=open&labels=${encodeURIComponent(ISSUE_LABEL)}&per_page=100`,
  )) as Issue[];
  const open = (Array.isArray(listed) ? listed : []).find(
    (i) => !i.pull_request && i.title === title,
  );
  const text = messageText(message, (url, label) => `[${label}](${url})`);
  if (!outcome.ok) {
    if (open) {
      await call('POST', `${repo}/issues/${open.number}/comments`, {
        body: `Failed again.\n\n${text}`,
      });
      return `commented on issue #${open.number} in ${repository}`;
    }
    const created = (await call('POST', `${repo}/issues`, {
      title,
      body: `${text}\n\nLifeboat comments here while it keeps failing and closes this issue on the next success.`,
      labels: [ISSUE_LABEL],
    })) as Issue;
    return `opened issue #${created.number} in ${repository}`;
  }
  if (!open) return `no open issue in ${repository}`;
  await call('POST', `${repo}/issues/${open.number}/comments`, {
    body: `Succeeded again.\n\n${text}`,
  });
  await call('PATCH', `${repo}/issues/${open.number}`, {
    state: 'closed',
    state_reason: 'completed',
  });
  return `closed issue #${open.number} in ${repository}`;
}
