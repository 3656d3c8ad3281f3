import type { NotifyContext } from './types.ts';

/** Notifications are small; a service that takes longer than this is treated as down. */
const TIMEOUT_MS = 15_000;
const RETRY_DELAY_MS = 2_000;

export class HttpFailure extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export interface HttpResponse {
  status: number;
  body: string;
}

/**
 * One request with a timeout and one retry on a network error, 429 or 5xx. Errors say what
 * went wrong without the URL (a webhook's URL is its secret).
 */
export async function request(
  ctx: NotifyContext,
  method: string,
  url: string,
  body: string | undefined,
  headers: Record<string, string>,
): Promise<HttpResponse> {
  let last: HttpFailure | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await (ctx.sleep ?? delay)(RETRY_DELAY_MS);
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(ctx.signal ? [ctx.signal] : [])];
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(body !== undefined && { body }),
        signal: AbortSignal.any(signals),
        redirect: 'error',
      });
    } catch (err) {
      last = new HttpFailure(networkProblem(err));
      if (ctx.signal?.aborted) throw last;
      continue;
    }
    const text = await res.text().catch(() => '');
    if (res.ok) return { status: res.status, body: text };
    last = new HttpFailure(`HTTP ${res.status}${summarise(text)}`, res.status);
    if (res.status !== 429 && res.status < 500) throw last;
  }
  throw last ?? new HttpFailure('no response');
}

function networkProblem(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  if (e?.name === 'AbortError') return 'cancelled';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/** The start of a refusal's body (services say why there), on one line. */
function summarise(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line ? `: ${line}` : '';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
