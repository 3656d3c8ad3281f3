import { ConfigError } from '../core/errors.ts';
import type { Redactor } from '../core/log.ts';

export type TargetKind = 'slack' | 'discord' | 'teams' | 'webhook' | 'github-issue';

export interface WebhookTarget {
  kind: Exclude<TargetKind, 'github-issue'>;
  url: string;
  /** Safe to show: kind and host only (the path of a webhook URL is its secret). */
  label: string;
}

export interface GitHubIssueTarget {
  kind: 'github-issue';
  /** `owner/repo`; undefined means the calling workflow's repository. */
  repository?: string;
  label: string;
}

export type NotifyTarget = WebhookTarget | GitHubIssueTarget;

const EXPLICIT = ['slack', 'discord', 'teams', 'webhook'] as const;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The payload a webhook URL takes, from its host; anything unknown is a generic webhook. */
export function detectKind(url: URL): WebhookTarget['kind'] {
  const host = url.hostname.toLowerCase();
  if (host === 'hooks.slack.com') return 'slack';
  if (
    /^(ptb\.|canary\.)?discord(app)?\.com$/.test(host) &&
    url.pathname.startsWith('/api/webhooks/')
  )
    return 'discord';
  // Teams workflow webhooks ("Post to a channel when a webhook request is received") are
  // Power Automate triggers: Logic Apps hosts, or the newer Power Platform ones.
  if (host.endsWith('.logic.azure.com') || host.endsWith('.api.powerplatform.com')) return 'teams';
  return 'webhook';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Parses the `notify` lines. Every URL is registered as a secret before anything can echo it,
 * and errors name the line by position and kind, never by its text.
 */
export function parseNotifyTargets(lines: string[], redactor: Redactor): NotifyTarget[] {
  // Each URL line is a secret on its own (the faces mask the input as a whole); the
  // github-issue keyword is not, or every mention of it in a log would read '***'.
  for (const line of lines) if (!isGitHubIssueLine(line)) redactor.add(line);
  return lines.map((line, i) => parseTarget(line, i + 1, redactor));
}

function isGitHubIssueLine(line: string): boolean {
  return line === 'github-issue' || line.startsWith('github-issue=');
}

function parseTarget(line: string, position: number, redactor: Redactor): NotifyTarget {
  const which = `line ${position}`;
  if (isGitHubIssueLine(line)) {
    const repository = line.startsWith('github-issue=')
      ? line.slice('github-issue='.length).trim()
      : undefined;
    if (repository !== undefined && !REPOSITORY.test(repository)) {
      throw new ConfigError('notify', `${which}: '${repository}' is not a repository`, {
        hint: 'write github-issue, or github-issue=owner/repo',
      });
    }
    return {
      kind: 'github-issue',
      repository,
      label: `GitHub issue (${repository ?? 'this repository'})`,
    };
  }
  let explicit: WebhookTarget['kind'] | undefined;
  let rest = line;
  const prefix = /^([a-z]+)=(.*)$/.exec(line);
  if (prefix && !prefix[1]!.startsWith('http')) {
    const name = prefix[1]!;
    if (!(EXPLICIT as readonly string[]).includes(name)) {
      throw new ConfigError('notify', `${which}: unknown target kind '${name}'`, {
        hint: `use a URL, one of ${EXPLICIT.map((k) => `${k}=<url>`).join(', ')}, or github-issue`,
      });
    }
    explicit = name as WebhookTarget['kind'];
    rest = prefix[2]!.trim();
  }
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw new ConfigError('notify', `${which} is not a URL`, {
      hint: 'give the webhook URL your chat service shows (https://…), or github-issue',
    });
  }
  redactor.add(url.href);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new ConfigError(
      'notify',
      `${which}: ${url.protocol}// would send the webhook's secret in clear`,
      {
        hint: 'use the https:// URL (plain http:// is accepted only for localhost)',
      },
    );
  }
  if (url.username || url.password) {
    redactor.add(decodeURIComponent(url.password));
  }
  const kind = explicit ?? detectKind(url);
  return { kind, url: url.href, label: `${kind} (${url.host})` };
}
