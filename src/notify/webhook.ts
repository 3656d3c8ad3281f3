import { createHmac } from 'node:crypto';
import type { Message } from './message.ts';
import type { RunOutcome } from './types.ts';

export const SIGNATURE_HEADER = 'X-Lifeboat-Signature';

/** The generic webhook's JSON body: the run's result as data, plus the readable text. */
export function webhookPayload(outcome: RunOutcome, m: Message): Record<string, unknown> {
  return {
    event: 'lifeboat.run',
    ok: outcome.ok,
    command: outcome.command,
    set: outcome.set,
    backupId: outcome.backupId ?? null,
    errorKind: outcome.errorKind,
    error: m.error ?? null,
    fix: m.fix ?? null,
    durationMs: outcome.durationMs,
    finishedAt: outcome.finishedAt.toISOString(),
    destinations: outcome.destinations,
    runUrl: outcome.runUrl ?? null,
    text: m.headline,
  };
}

/** `sha256=<hex>` of the exact body bytes, as GitHub signs its own webhooks. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
