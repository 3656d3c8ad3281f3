import type { Logger, Redactor } from '../core/log.ts';

/** What notifications and metrics need from the run; the engine builds it from its RunContext. */
export interface NotifyContext {
  log: Logger;
  redactor: Redactor;
  now: () => Date;
  signal?: AbortSignal;
  /** Waits before the one retry of a refused request; tests inject one so no real time passes. */
  sleep?: (ms: number) => Promise<void>;
  /** The run's page (the action's run URL): the link in every message. */
  runUrl?: string;
  /** GitHub's REST API and this repository, as the action face knows them. */
  github?: GitHubApi;
  /** `github-token`, for github-issue targets. */
  githubToken?: string;
  /** `notify-secret`, for the generic webhook's signature. */
  webhookSecret?: string;
}

export interface GitHubApi {
  /** REST API base, e.g. https://api.github.com (GITHUB_API_URL on a runner). */
  apiUrl: string;
  /** `owner/repo` of the calling workflow. */
  repository?: string;
}

/** A run's result as notifications and metrics see it: plain data, secrets already removed. */
export interface RunOutcome {
  ok: boolean;
  command: string;
  set: string;
  backupId?: string;
  /** The error line and its fix line, as the run reported it. */
  error?: string;
  errorKind: string;
  durationMs: number;
  finishedAt: Date;
  runUrl?: string;
  destinations: string[];
}

/** One notification sent (or not): the job summary's "who was notified". */
export interface NotificationResult {
  /** Who, safe to show: the kind and host, never the webhook's path. */
  target: string;
  ok: boolean;
  /** What happened: 'sent', 'opened issue #3', or why it failed. */
  detail: string;
}
