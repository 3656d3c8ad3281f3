import type { Message } from './message.ts';

/**
 * Microsoft Teams workflow webhook payload ("Post to a channel when a webhook request is
 * received"): a message with one Adaptive Card attachment.
 */
export function teamsPayload(m: Message): Record<string, unknown> {
  const body: unknown[] = [
    { type: 'TextBlock', text: m.headline, weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  if (m.error) body.push({ type: 'TextBlock', text: m.error, wrap: true, color: 'Attention' });
  if (m.fix) body.push({ type: 'TextBlock', text: `Fix: ${m.fix}`, wrap: true });
  body.push({ type: 'FactSet', facts: m.facts.map(([title, value]) => ({ title, value })) });
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
  };
  if (m.runUrl)
    card['actions'] = [{ type: 'Action.OpenUrl', title: 'Open the run', url: m.runUrl }];
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}
