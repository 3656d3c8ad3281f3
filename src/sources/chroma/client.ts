/**
 * A small client for Chroma's HTTP API (v2), just what backup and restore need. Node's own fetch:
 * the chromadb npm client would pull an embedding-function registry into the bundle for nothing.
 */
import { ConfigError, SourceError } from '../../core/errors.ts';
import { parseUrl } from '../../core/url.ts';
import type { SourceContext } from '../types.ts';

export const DEFAULT_TENANT = 'default_tenant';
export const DEFAULT_DATABASE = 'default_database';

/** Chroma's collection names: 3-512 of [a-zA-Z0-9._-], starting and ending with a letter or digit. */
const COLLECTION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{1,510})[A-Za-z0-9]$/;

export function isCollectionName(name: string): boolean {
  return COLLECTION_NAME.test(name) && !name.includes('..');
}

export interface ChromaTarget {
  /** `http://host:port` or `https://host:port`, no trailing slash. */
  base: string;
  tenant: string;
  database: string;
  /** Collection named in the URL path; undefined = every collection of the database. */
  collection: string | undefined;
  token: string | undefined;
  /** The URL as shown: credentials removed. */
  displayUrl: string;
}

export interface ChromaCollection {
  id: string;
  name: string;
  configuration_json: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  dimension: number | null;
  tenant: string;
  database: string;
}

export interface ChromaRecords {
  ids: string[];
  embeddings?: number[][] | null;
  documents?: Array<string | null> | null;
  metadatas?: Array<Record<string, unknown> | null> | null;
  uris?: Array<string | null> | null;
}

/**
 * `chroma://[token@]host[:port][/collection][?tenant=…&database=…]`, `chroma+https://…`. The
 * tenant and database come from the URL's query, else the `chroma-tenant` / `chroma-database`
 * options, else Chroma's defaults. The token (sent as `x-chroma-token`) from the URL's password
 * (or user), else CHROMA_API_KEY.
 */
export function parseChromaUrl(url: string, option: string, ctx: SourceContext): ChromaTarget {
  const u = parseUrl(option, url.trim());
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'chroma' && scheme !== 'chroma+https' && scheme !== 'chroma+http') {
    throw new ConfigError(option, `'${redactChroma(url)}' is not a chroma:// URL`, {
      hint: 'write chroma://host:8000[/collection] (chroma+https:// for TLS)',
    });
  }
  if (!u.hostname) {
    throw new ConfigError(option, `'${redactChroma(url)}' names no host`, {
      hint: 'write chroma://host:8000[/collection]',
    });
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  if (path && !isCollectionName(path)) {
    throw new ConfigError(option, `'${path}' is not a Chroma collection name`, {
      hint: 'collection names are 3-512 letters, digits, dots, dashes and underscores, starting and ending with a letter or digit',
    });
  }
  for (const key of u.searchParams.keys()) {
    if (key !== 'tenant' && key !== 'database') {
      throw new ConfigError(option, `unknown parameter '${key}' in a chroma URL`, {
        hint: 'chroma URLs take ?tenant=…&database=… (or the chroma-tenant and chroma-database options)',
      });
    }
  }
  const optionText = (name: 'chroma-tenant' | 'chroma-database'): string | undefined => {
    const v = ctx.options[name];
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const tenant = u.searchParams.get('tenant') || optionText('chroma-tenant') || DEFAULT_TENANT;
  const database =
    u.searchParams.get('database') || optionText('chroma-database') || DEFAULT_DATABASE;
  const rawToken = u.password || u.username;
  const token = rawToken ? decodeURIComponent(rawToken) : ctx.env['CHROMA_API_KEY'] || undefined;
  ctx.redactor.add(token);
  const port = u.port ? `:${u.port}` : scheme === 'chroma+https' ? '' : ':8000';
  const host = u.hostname;
  const base = `${scheme === 'chroma+https' ? 'https' : 'http'}://${host}${port}`;
  const display = new URL(url.trim());
  display.username = '';
  display.password = '';
  return {
    base,
    tenant,
    database,
    collection: path || undefined,
    token,
    displayUrl: display.toString().replace(/\/$/, ''),
  };
}

/** The URL with any credentials removed. */
export function redactChroma(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}

/** The error body Chroma sends: `{"error": "NotFoundError", "message": "…"}`. */
export class ChromaApiError extends SourceError {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, message: string, what: string) {
    super(`${what}: Chroma answered ${status} ${error}: ${message}`, {
      hint:
        status === 401 || status === 403
          ? 'check the token (the URL password or CHROMA_API_KEY)'
          : undefined,
    });
    this.status = status;
    this.error = error;
  }
}

export class ChromaClient {
  readonly target: ChromaTarget;
  private readonly option: string;
  private readonly signal: AbortSignal | undefined;

  constructor(target: ChromaTarget, option: string, signal?: AbortSignal) {
    this.target = target;
    this.option = option;
    this.signal = signal;
  }

  private dbPath(): string {
    const t = this.target;
    return `/api/v2/tenants/${encodeURIComponent(t.tenant)}/databases/${encodeURIComponent(t.database)}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.target.token) headers['x-chroma-token'] = this.target.token;
    const what = `${this.option}: ${method} ${this.target.displayUrl.replace(/^chroma(\+https?)?:\/\/([^/?]*).*$/, '$2')}${path}`;
    let res: Response;
    try {
      const init: RequestInit = { method, headers };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      if (this.signal) init.signal = this.signal;
      res = await fetch(this.target.base + path, init);
    } catch (err) {
      if ((err as { name?: unknown }).name === 'AbortError') throw err;
      const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
      const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
      throw new SourceError(
        `${this.option}: cannot reach Chroma at ${this.target.base}${code}: ${String(cause?.message ?? (err as Error).message)}`,
        {
          cause: err,
          hint: `check the host and port in the ${this.option} URL and that Chroma is running (chroma+https:// for TLS)`,
        },
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let error = 'Error';
      let message = text.slice(0, 300);
      try {
        const j = JSON.parse(text) as { error?: unknown; message?: unknown };
        if (typeof j.error === 'string') error = j.error;
        if (typeof j.message === 'string') message = j.message;
      } catch {
        // not JSON: keep the text
      }
      throw new ChromaApiError(res.status, error, message, what);
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new SourceError(`${what}: Chroma answered with something that is not JSON`, {
        cause: err,
      });
    }
  }

  async version(): Promise<string> {
    return String(await this.request<string>('GET', '/api/v2/version'));
  }

  async preflight(): Promise<{ max_batch_size: number; supports_base64_encoding?: boolean }> {
    return this.request('GET', '/api/v2/pre-flight-checks');
  }

  /** Fails with a clear message when the tenant or database does not exist. */
  async checkDatabase(): Promise<void> {
    try {
      await this.request('GET', this.dbPath());
    } catch (err) {
      if (err instanceof ChromaApiError && err.status === 404) {
        throw new ConfigError(
          this.option,
          `Chroma has no database '${this.target.database}' in tenant '${this.target.tenant}' at ${this.target.base}`,
          { hint: 'check ?tenant=…&database=… in the URL (or chroma-tenant / chroma-database)' },
        );
      }
      throw err;
    }
  }

  /**
   * Creates the tenant and database when they do not exist (restore targets); true when the
   * database was created here.
   */
  async ensureDatabase(): Promise<boolean> {
    const t = this.target;
    try {
      await this.request('GET', `/api/v2/tenants/${encodeURIComponent(t.tenant)}`);
    } catch (err) {
      if (!(err instanceof ChromaApiError && err.status === 404)) throw err;
      await this.request('POST', '/api/v2/tenants', { name: t.tenant }).catch((e: unknown) => {
        throw this.refusedName(e, 'tenant', t.tenant);
      });
    }
    try {
      await this.request('GET', this.dbPath());
      return false;
    } catch (err) {
      if (!(err instanceof ChromaApiError && err.status === 404)) throw err;
      await this.request('POST', `/api/v2/tenants/${encodeURIComponent(t.tenant)}/databases`, {
        name: t.database,
      }).catch((e: unknown) => {
        throw this.refusedName(e, 'database', t.database);
      });
      return true;
    }
  }

  /** A name Chroma refuses (400: too short, bad characters) is the option's fault: exit 2. */
  private refusedName(err: unknown, what: string, name: string): unknown {
    if (!(err instanceof ChromaApiError && err.status === 400)) return err;
    const words = err.message.replace(/^.*?Chroma answered 400 \S+: /, '');
    return new ConfigError(this.option, `Chroma refused the ${what} name '${name}': ${words}`, {
      hint: `choose another ${what} (names are at least 3 characters: letters, digits, dots, dashes, underscores)`,
    });
  }

  /** Deletes the database when it holds no collection (one a failed restore created). */
  async deleteDatabaseIfEmpty(): Promise<void> {
    if ((await this.listCollections()).length) return;
    await this.request('DELETE', this.dbPath());
  }

  async listCollections(): Promise<ChromaCollection[]> {
    const out: ChromaCollection[] = [];
    const page = 100;
    for (let offset = 0; ; offset += page) {
      const batch = await this.request<ChromaCollection[]>(
        'GET',
        `${this.dbPath()}/collections?limit=${page}&offset=${offset}`,
      );
      out.push(...batch);
      if (batch.length < page) break;
    }
    return out;
  }

  /** The collection by name, or undefined when there is none. */
  async getCollection(name: string): Promise<ChromaCollection | undefined> {
    try {
      return await this.request<ChromaCollection>(
        'GET',
        `${this.dbPath()}/collections/${encodeURIComponent(name)}`,
      );
    } catch (err) {
      if (err instanceof ChromaApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async createCollection(
    name: string,
    metadata: Record<string, unknown> | null,
    configuration: Record<string, unknown> | null,
  ): Promise<ChromaCollection> {
    const body: Record<string, unknown> = { name };
    if (metadata && Object.keys(metadata).length) body['metadata'] = metadata;
    if (configuration) body['configuration'] = configuration;
    return this.request('POST', `${this.dbPath()}/collections`, body);
  }

  async renameCollection(id: string, newName: string): Promise<void> {
    await this.request('PUT', `${this.dbPath()}/collections/${id}`, { new_name: newName });
  }

  /**
   * Deletes the collection called `name` (Chroma deletes by name), only when it is still the one
   * with id `id`: a collection someone else created under that name meanwhile is left alone.
   */
  async deleteCollection(name: string, id: string): Promise<void> {
    const c = await this.getCollection(name);
    if (!c || c.id !== id) return;
    await this.request('DELETE', `${this.dbPath()}/collections/${encodeURIComponent(name)}`);
  }

  async count(id: string): Promise<number> {
    return Number(await this.request<number>('GET', `${this.dbPath()}/collections/${id}/count`));
  }

  async get(id: string, offset: number, limit: number, include: string[]): Promise<ChromaRecords> {
    return this.request('POST', `${this.dbPath()}/collections/${id}/get`, {
      include,
      offset,
      limit,
    });
  }

  /** Every record id of a collection, page by page. */
  async *ids(id: string, page = 10_000): AsyncGenerator<string[]> {
    for (let offset = 0; ; offset += page) {
      const r = await this.get(id, offset, page, []);
      yield r.ids;
      if (r.ids.length < page) return;
    }
  }

  /** `body` is the JSON text of an AddCollectionRecordsPayload. */
  async add(id: string, body: string): Promise<void> {
    await this.request('POST', `${this.dbPath()}/collections/${id}/add`, body);
  }
}
