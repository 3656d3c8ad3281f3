import { renderMetrics, type Sample } from './prometheus.ts';

/**
 * PUTs the run's samples to a Pushgateway, grouped by set and command: a PUT replaces its
 * whole group, so a verify run must not wipe the series of the set's backups.
 */
export async function pushMetrics(
  gateway: string,
  samples: Sample[],
  group: { set: string; command: string },
  signal?: AbortSignal,
): Promise<void> {
  const url = new URL(gateway);
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    'User-Agent': 'lifeboat',
  };
  // fetch refuses URLs with credentials: they travel as a Basic header instead.
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers['Authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const base = url.href.replace(/\/+$/, '');
  const path = `/metrics/job/lifeboat/${groupLabel('set', group.set)}/${groupLabel('command', group.command)}`;

  const signals = [AbortSignal.timeout(15_000), ...(signal ? [signal] : [])];
  let res: Response;
  try {
    res = await fetch(base + path, {
      method: 'PUT',
      headers,
      body: renderMetrics(samples),
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    throw new Error(
      e.name === 'TimeoutError'
        ? 'no answer within 15 s'
        : (e.cause?.code ?? e.message ?? String(err)),
      { cause: err },
    );
  }
  const text = await res.text().catch(() => '');
  if (!res.ok)
    throw new Error(`HTTP ${res.status}: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`);
}

/** A grouping-key segment; an empty value must be written in base64 (`set@base64/=`). */
function groupLabel(name: string, value: string): string {
  return value === '' ? `${name}@base64/=` : `${name}/${encodeURIComponent(value)}`;
}
