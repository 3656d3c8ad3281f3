import { messageText, type Message } from './message.ts';

/** Slack incoming webhook payload: `text` in Slack's mrkdwn (links as <url|text>). */
export function slackPayload(m: Message): Record<string, unknown> {
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const text = messageText(
    {
      ...m,
      headline: `*${escape(m.headline)}*`,
      error: m.error && escape(m.error),
      fix: m.fix && escape(m.fix),
      facts: m.facts.map(([k, v]) => [k, escape(v)]),
    },
    (url, label) => `<${url}|${label}>`,
  );
  return { text };
}
