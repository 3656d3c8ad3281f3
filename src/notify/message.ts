import { formatDuration, formatTime } from '../core/log.ts';
import type { RunOutcome } from './types.ts';

/** A notification's content, before each service shapes it into its own payload. */
export interface Message {
  ok: boolean;
  /** One line: what happened to which set. */
  headline: string;
  /** The error without its fix line. */
  error?: string;
  fix?: string;
  /** Facts as label/value pairs, in order. */
  facts: Array<[string, string]>;
  runUrl?: string;
}

/** Splits the run's error into the error and its `fix:` line (describeError's layout). */
export function splitError(error: string): { error: string; fix?: string } {
  const at = error.indexOf('\n  fix: ');
  if (at < 0) return { error: error.trim() };
  return { error: error.slice(0, at).trim(), fix: error.slice(at + '\n  fix: '.length).trim() };
}

/** The error-kind output in words a person paged at night reads at a glance. */
const KIND_WORDS: Record<string, string> = {
  config: 'bad configuration',
  operational: 'operational failure',
  integrity: 'integrity failure: the backup cannot be trusted',
};

export function buildMessage(outcome: RunOutcome): Message {
  const what = `Lifeboat ${outcome.command} of set '${outcome.set}'`;
  const headline = outcome.ok
    ? `✅ ${what} succeeded`
    : `❌ ${what} failed (${KIND_WORDS[outcome.errorKind] ?? outcome.errorKind})`;

  const facts: Array<[string, string]> = [['set', outcome.set]];
  if (outcome.backupId) facts.push(['backup', outcome.backupId]);
  if (outcome.destinations.length) facts.push(['destination', outcome.destinations.join(', ')]);
  facts.push(['finished', formatTime(outcome.finishedAt)]);
  facts.push(['duration', formatDuration(outcome.durationMs)]);
  const message: Message = { ok: outcome.ok, headline, facts, runUrl: outcome.runUrl };
  if (outcome.error) Object.assign(message, splitError(outcome.error));
  return message;
}

/** Plain text with light markdown, for chat services and issue bodies. */
export function messageText(m: Message, link: (url: string, text: string) => string): string {
  const out = [m.headline];
  if (m.error) out.push(`Error: ${m.error}`);
  if (m.fix) out.push(`Fix: ${m.fix}`);
  for (const [k, v] of m.facts) out.push(`${k}: ${v}`);
  if (m.runUrl) out.push(link(m.runUrl, 'Open the run'));
  return out.join('\n');
}
