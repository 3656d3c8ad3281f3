/**
 * Qdrant's REST API for backups: `@qdrant/js-client-rest` for the JSON calls (collections,
 * creating and deleting snapshots), Node's fetch for what the client cannot stream: downloading a
 * snapshot and uploading one (multipart, from a file, never whole in memory).
 */
import { openAsBlob } from 'node:fs';
import { Readable } from 'node:stream';
import type { QdrantClient } from '@qdrant/js-client-rest';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { parseUrl } from '../../core/url.ts';
import type { SourceContext } from '../types.ts';

/** Qdrant's collection names: no '/', not empty, at most 255 bytes. */
export function isQdrantCollectionName(name: string): boolean {
  return (
    name.length > 0 &&
    Buffer.byteLength(name) <= 255 &&
    !/[/\\\0]/.test(name) &&
    name !== '.' &&
    name !== '..'
  );
}

export interface QdrantTarget {
  /** `http://host:6333` or `https://host:6333`. */
  base: string;
  collection: string | undefined;
  apiKey: string | undefined;
  displayUrl: string;
}

export interface SnapshotDescription {
  name: string;
  size: number;
  creation_time?: string | null;
  checksum?: string | null;
}

/**
 * `qdrant://[api-key@]host[:6333][/collection]`, `qdrant+https://…`. The API key from the URL's
 * password (or user), else QDRANT_API_KEY; masked wherever it could appear.
 */
export function parseQdrantUrl(url: string, option: string, ctx: SourceContext): QdrantTarget {
  const u = parseUrl(option, url.trim());
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'qdrant' && scheme !== 'qdrant+https' && scheme !== 'qdrant+http') {
    throw new ConfigError(option, `'${redactQdrant(url)}' is not a qdrant:// URL`, {
      hint: 'write qdrant://host:6333[/collection] (qdrant+https:// for TLS)',
    });
  }
  if (!u.hostname) {
    throw new ConfigError(option, `'${redactQdrant(url)}' names no host`, {
      hint: 'write qdrant://host:6333[/collection]',
    });
  }
  if ([...u.searchParams.keys()].length) {
    throw new ConfigError(option, 'qdrant URLs take no parameters', {
      hint: 'write qdrant://host:6333[/collection]; the API key goes in QDRANT_API_KEY',
    });
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  if (path && !isQdrantCollectionName(path)) {
    throw new ConfigError(option, `'${path}' is not a Qdrant collection name`, {
      hint: 'name one collection after the host: qdrant://host:6333/collection',
    });
  }
  const raw = u.password || u.username;
  const apiKey = raw ? decodeURIComponent(raw) : ctx.env['QDRANT_API_KEY'] || undefined;
  ctx.redactor.add(apiKey);
  const https = scheme === 'qdrant+https';
  const port = u.port ? `:${u.port}` : ':6333';
  const display = new URL(url.trim());
  display.username = '';
  display.password = '';
  return {
    base: `${https ? 'https' : 'http'}://${u.hostname}${port}`,
    collection: path || undefined,
    apiKey,
    displayUrl: display.toString().replace(/\/$/, ''),
  };
}

export function redactQdrant(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}

/**
 * The HTTP status of a failed call: the client's ApiError carries `status` (and the parsed body
 * in `data`); its "Unexpected Response: 404 (Not Found)" errors carry it in the message.
 */
function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status;
  const m = /Unexpected Response: (\d{3})/.exec(err instanceof Error ? err.message : '');
  return m ? Number(m[1]) : undefined;
}

/** Qdrant's own words from an error body `{"status": {"error": "…"}}`, when there is one. */
function qdrantError(err: unknown): string {
  const data = (err as { data?: { status?: { error?: unknown } } } | null)?.data;
  if (typeof data?.status?.error === 'string') return data.status.error;
  const text = err instanceof Error ? err.message : String(err);
  const m = /"error":\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  if (m) {
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return m[1]!;
    }
  }
  return text.split('\n')[0] ?? text;
}

export class QdrantApiError extends SourceError {
  readonly status: number | undefined;
  constructor(status: number | undefined, message: string, hint?: string) {
    super(message, hint === undefined ? undefined : { hint });
    this.status = status;
  }
}

export class Qdrant {
  readonly target: QdrantTarget;
  private readonly headerSet: Record<string, string>;
  private clientP: Promise<QdrantClient> | undefined;
  private readonly option: string;
  private readonly signal: AbortSignal | undefined;
  private readonly redact: (s: string) => string;

  constructor(target: QdrantTarget, option: string, ctx: SourceContext) {
    this.target = target;
    this.option = option;
    this.signal = ctx.signal;
    this.redact = (s) => ctx.redactor.redact(s);
    const headers: Record<string, string> = {};
    // As a header, not `apiKey`: the client warns on stdout about keys over plain http.
    if (target.apiKey) headers['api-key'] = target.apiKey;
    this.headerSet = headers;
  }

  /**
   * The REST client, loaded on first use: `@qdrant/js-client-rest` brings undici (~30 MB of
   * RSS), which a run that only parses a qdrant URL (consistency lines, drill planning) never
   * needs.
   */
  private client(): Promise<QdrantClient> {
    this.clientP ??= import('@qdrant/js-client-rest').then(
      ({ QdrantClient }) =>
        // Snapshots of large collections take long: an hour before the client gives up.
        new QdrantClient({
          url: this.target.base,
          headers: this.headerSet,
          checkCompatibility: false,
          timeout: 3_600_000,
        }),
    );
    return this.clientP;
  }

  private headers(): Record<string, string> {
    return this.target.apiKey ? { 'api-key': this.target.apiKey } : {};
  }

  /** Turns anything a call threw into a SourceError naming the call and Qdrant's words. */
  private failure(err: unknown, what: string): Error {
    if ((err as { name?: unknown }).name === 'AbortError') return err as Error;
    if (err instanceof QdrantApiError || err instanceof IntegrityError) return err;
    const status = statusOf(err);
    if (status === undefined) {
      const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
      const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
      return new QdrantApiError(
        undefined,
        `${this.option}: cannot reach Qdrant at ${this.target.base}${code}: ${this.redact(String(cause?.message ?? (err as Error).message))}`,
        `check the host and port in the ${this.option} URL and that Qdrant is running (qdrant+https:// for TLS)`,
      );
    }
    return new QdrantApiError(
      status,
      `${this.option}: ${what}: Qdrant answered ${status}: ${this.redact(qdrantError(err))}`,
      status === 401 || status === 403
        ? 'check the API key (QDRANT_API_KEY or the URL password)'
        : undefined,
    );
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.failure(err, what);
    }
  }

  async version(): Promise<string> {
    const v = await this.call('GET /', async () => (await this.client()).versionInfo());
    return String(v.version);
  }

  async collections(): Promise<string[]> {
    const r = await this.call('list collections', async () =>
      (await this.client()).getCollections(),
    );
    return r.collections.map((c) => c.name).sort();
  }

  /** The collection's info, or undefined when it does not exist. */
  async collection(name: string): Promise<Record<string, unknown> | undefined> {
    try {
      return (await (await this.client()).getCollection(name)) as unknown as Record<
        string,
        unknown
      >;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw this.failure(err, `collection ${name}`);
    }
  }

  /** Every point id of a collection, as text, page by page (`POST /points/scroll`). */
  async *pointIds(name: string): AsyncGenerator<string[]> {
    let offset: string | number | null | undefined;
    for (;;) {
      const page = await this.call(`read the point ids of ${name}`, async () =>
        (await this.client()).scroll(name, {
          limit: 10_000,
          with_payload: false,
          with_vector: false,
          ...(offset !== undefined && offset !== null ? { offset } : {}),
        }),
      );
      yield page.points.map((p) => String(p.id));
      offset = page.next_page_offset as string | number | null | undefined;
      if (offset === undefined || offset === null) return;
    }
  }

  async deleteCollection(name: string): Promise<void> {
    await this.call(`delete collection ${name}`, async () =>
      (await this.client()).deleteCollection(name),
    );
  }

  async createSnapshot(name: string): Promise<SnapshotDescription> {
    const d = await this.call(`create a snapshot of ${name}`, async () =>
      (await this.client()).createSnapshot(name, { wait: true }),
    );
    if (!d || typeof d.name !== 'string') {
      throw new QdrantApiError(
        undefined,
        `${this.option}: Qdrant accepted the snapshot of ${name} but did not describe it`,
      );
    }
    return d as SnapshotDescription;
  }

  async deleteSnapshot(collection: string, snapshot: string): Promise<void> {
    await this.call(`delete snapshot ${snapshot}`, async () =>
      (await this.client()).deleteSnapshot(collection, snapshot, { wait: true }),
    );
  }

  /** The snapshot file as a stream. */
  async download(collection: string, snapshot: string): Promise<Readable> {
    const what = `download snapshot ${snapshot}`;
    let res: Response;
    try {
      const init: RequestInit = { headers: this.headers() };
      if (this.signal) init.signal = this.signal;
      res = await fetch(
        `${this.target.base}/collections/${encodeURIComponent(collection)}/snapshots/${encodeURIComponent(snapshot)}`,
        init,
      );
    } catch (err) {
      throw this.failure(err, what);
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      throw this.failure(
        new Error(`Unexpected Response: ${res.status} (${res.statusText})\n${text}`),
        what,
      );
    }
    return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  }

  /**
   * `POST /collections/{name}/snapshots/upload?wait=true&priority=snapshot&checksum=…`: the
   * collection is created from (or replaced by) the snapshot file, streamed from disk.
   */
  async upload(name: string, file: string, sha256: string): Promise<void> {
    const what = `upload the snapshot into ${name}`;
    const form = new FormData();
    form.append('snapshot', await openAsBlob(file), `${name}.snapshot`);
    let res: Response;
    try {
      const init: RequestInit = { method: 'POST', headers: this.headers(), body: form };
      if (this.signal) init.signal = this.signal;
      res = await fetch(
        `${this.target.base}/collections/${encodeURIComponent(name)}/snapshots/upload?wait=true&priority=snapshot&checksum=${sha256}`,
        init,
      );
    } catch (err) {
      throw this.failure(err, what);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      throw this.failure(new Error(`Unexpected Response: ${res.status}\n${text}`), what);
    }
  }
}
