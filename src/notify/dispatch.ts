import { ConfigError } from '../core/errors.ts';
import { updateGitHubIssue } from './github-issue.ts';
import { request } from './http.ts';
import type { LastRun } from './last-run.ts';
import { buildMessage, type Message } from './message.ts';
import { slackPayload } from './slack.ts';
import { discordPayload } from './discord.ts';
import { teamsPayload } from './teams.ts';
import { parseNotifyTargets, type NotifyTarget, type WebhookTarget } from './targets.ts';
import type { NotificationResult, NotifyContext, RunOutcome } from './types.ts';
import { SIGNATURE_HEADER, signBody, webhookPayload } from './webhook.ts';

export type NotifyOn = 'failure' | 'always' | 'change';

export interface NotifyPlan {
  targets: NotifyTarget[];
  on: NotifyOn;
}

/**
 * Checks the notify options before the command runs, so a typo fails the run before any work
 * (and not silently at 3 a.m. when the first failure should have been reported).
 */
export function planNotifications(
  lines: string[],
  on: string | undefined,
  ctx: NotifyContext,
): NotifyPlan | undefined {
  if (ctx.webhookSecret) ctx.redactor.add(ctx.webhookSecret);
  const targets = parseNotifyTargets(lines, ctx.redactor);
  if (targets.length === 0) return undefined;
  for (const t of targets) {
    if (t.kind !== 'github-issue') continue;
    if (!ctx.githubToken) {
      throw new ConfigError('notify', 'github-issue needs a token', {
        hint: 'set {{option:github-token}} (in a workflow the default github.token works with `permissions: issues: write`)',
      });
    }
    if (!t.repository && !ctx.github?.repository) {
      throw new ConfigError(
        'notify',
        'github-issue does not know the repository outside GitHub Actions',
        {
          hint: 'write github-issue=owner/repo',
        },
      );
    }
  }
  return { targets, on: (on ?? 'failure') as NotifyOn };
}

/** Whether chat and webhook targets hear about this run (github-issue follows the state itself). */
export function shouldNotify(on: NotifyOn, ok: boolean, previous: LastRun | undefined): boolean {
  if (on === 'always') return true;
  if (on === 'failure') return !ok;
  // change: a first run is news only when it failed (nobody needs "it works" on day one).
  return previous ? previous.ok !== ok : !ok;
}

/** Sends to every target that should hear about this run; never throws. */
export async function sendNotifications(
  plan: NotifyPlan,
  outcome: RunOutcome,
  previous: LastRun | undefined,
  ctx: NotifyContext,
): Promise<NotificationResult[]> {
  const message = redactMessage(buildMessage(outcome), ctx);
  const chat = shouldNotify(plan.on, outcome.ok, previous);
  const results: NotificationResult[] = [];
  for (const target of plan.targets) {
    if (target.kind !== 'github-issue' && !chat) continue;
    try {
      const detail = await sendOne(target, outcome, message, ctx);
      results.push({ target: target.label, ok: true, detail });
    } catch (err) {
      const why = ctx.redactor.redact((err as Error).message ?? String(err));
      results.push({ target: target.label, ok: false, detail: why });
      ctx.log.warn(`notification to ${target.label} failed: ${why}; the run's own result stands`);
    }
  }
  return results;
}

async function sendOne(
  target: NotifyTarget,
  outcome: RunOutcome,
  message: Message,
  ctx: NotifyContext,
): Promise<string> {
  if (target.kind === 'github-issue') {
    const repository = target.repository ?? ctx.github?.repository ?? '';
    return updateGitHubIssue(outcome, message, ctx, repository, ctx.githubToken ?? '');
  }
  const payload = payloadFor(target, outcome, message);
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'lifeboat',
  };
  if (target.kind === 'webhook' && ctx.webhookSecret)
    headers[SIGNATURE_HEADER] = signBody(body, ctx.webhookSecret);
  await request(ctx, 'POST', target.url, body, headers);
  return 'sent';
}

function payloadFor(
  target: WebhookTarget,
  outcome: RunOutcome,
  message: Message,
): Record<string, unknown> {
  switch (target.kind) {
    case 'slack':
      return slackPayload(message);
    case 'discord':
      return discordPayload(message);
    case 'teams':
      return teamsPayload(message);
    case 'webhook':
      return webhookPayload(outcome, message);
  }
}

/** Whatever reached the message (an error quoting a URL), no secret leaves in it. */
function redactMessage(m: Message, ctx: NotifyContext): Message {
  const r = (s: string) => ctx.redactor.redact(s);
  return {
    ...m,
    headline: r(m.headline),
    ...(m.error !== undefined && { error: r(m.error) }),
    ...(m.fix !== undefined && { fix: r(m.fix) }),
    facts: m.facts.map(([k, v]) => [k, r(v)]),
  };
}
