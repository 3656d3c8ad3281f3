import { messageText, type Message } from './message.ts';

const MAX_CONTENT = 2000;

/**
 * Discord webhook payload: `content` (at most 2000 characters) with mentions switched off, so
 * an error text holding "@everyone" pings nobody.
 */
export function discordPayload(m: Message): Record<string, unknown> {
  let content = messageText(
    { ...m, headline: `**${m.headline}**` },
    (url, label) => `[${label}](${url})`,
  );
  if (content.length > MAX_CONTENT) content = `${content.slice(0, MAX_CONTENT - 1)}…`;
  return { content, allowed_mentions: { parse: [] } };
}
