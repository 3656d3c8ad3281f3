import { Readable } from 'node:stream';
import { ConfigError, LifeboatError, StorageError } from '../../core/errors.ts';
import { type ByteSource } from './zip.ts';
import { type StorageContext } from '../types.ts';
import { PERMISSIONS_BLOCK, PERMISSION_HINT } from './settings.ts';

/** An artifact as the REST API lists it. */
export interface RemoteArtifact {
  id: number;
  name: string;
  size: number;
  createdAt: Date;
  expiresAt: Date | undefined;
  digest: string | undefined;
  runId: number | undefined;
}

interface RestArtifact {
  id: number;
  name: string;
  size_in_bytes: number;
  expired: boolean;
  created_at?: string | null;
  expires_at?: string | null;
  digest?: string | null;
  workflow_run?: { id?: number | null } | null;
}

/** The REST API side of artifacts: listing, locating (range reads of a zip), deleting. */
export class ArtifactApi {
  readonly token: string | undefined;
  readonly repository: { owner: string; repo: string } | undefined;
  private readonly apiUrl: string;
  private readonly ctx: StorageContext;

  constructor(
    token: string | undefined,
    repository: { owner: string; repo: string } | undefined,
    apiUrl: string,
    ctx: StorageContext,
  ) {
    this.token = token;
    this.repository = repository;
    this.apiUrl = apiUrl;
    this.ctx = ctx;
  }

  /** Live (not expired) artifacts of the repository, newest first; `name` filters exactly. */
  async listArtifacts(name?: string): Promise<RemoteArtifact[]> {
    const { owner, repo } = this.requireReadAccess();
    const out: RemoteArtifact[] = [];
    const now = Date.now();
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ per_page: '100', page: String(page) });
      if (name !== undefined) q.set('name', name);
      const res = await this.rest(
        'GET',
        `/repos/${owner}/${repo}/actions/artifacts?${q}`,
        'listing artifacts',
      );
      const body = (await res.json()) as { total_count: number; artifacts: RestArtifact[] };
      for (const a of body.artifacts) {
        const expiresAt = a.expires_at ? new Date(a.expires_at) : undefined;
        // Expired artifacts are gone for good (their content is deleted); never an error.
        if (a.expired || (expiresAt && expiresAt.getTime() <= now)) continue;
        out.push({
          id: a.id,
          name: a.name,
          size: a.size_in_bytes,
          createdAt: a.created_at ? new Date(a.created_at) : new Date(0),
          expiresAt,
          digest: a.digest ?? undefined,
          runId: a.workflow_run?.id ?? undefined,
        });
      }
      if (body.artifacts.length < 100 || page * 100 >= body.total_count) break;
    }
    return out.sort((x, y) => y.id - x.id);
  }

  /** Range reads of the artifact's zip through the signed URL the REST API redirects to. */
  async remoteSource(a: RemoteArtifact): Promise<ByteSource> {
    const { owner, repo } = this.requireReadAccess();
    const res = await this.rest(
      'GET',
      `/repos/${owner}/${repo}/actions/artifacts/${a.id}/zip`,
      `locating artifact ${a.name}`,
      true,
    );
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (!location)
      throw new StorageError(`locating artifact ${a.name}: the API gave no download URL`, {
        transient: true,
      });
    const sig = new URL(location).searchParams.get('sig');
    if (sig) this.ctx.redactor.add(sig);
    const label = `artifact ${a.name}`;
    const fetchRange = async (offset: number, length: number): Promise<Response> => {
      let r: Response;
      try {
        r = await fetch(location, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
      } catch (err) {
        throw new StorageError(`reading ${label}: ${(err as Error).message}`, {
          cause: err,
          transient: true,
        });
      }
      if (r.status === 404 || r.status === 410) {
        throw new StorageError(`${label} is gone`, { notFound: true });
      }
      if (r.status !== 206 && r.status !== 200) {
        await r.body?.cancel();
        throw new StorageError(`reading ${label}: HTTP ${r.status}`, {
          transient: r.status >= 500 || r.status === 403,
        });
      }
      return r;
    };
    let size = a.size;
    const head = await fetchRange(0, 1);
    const total = /\/(\d+)$/.exec(head.headers.get('content-range') ?? '')?.[1];
    await head.body?.cancel();
    if (total) size = Number(total);
    return {
      size,
      async read(offset, length) {
        if (length === 0) return Buffer.alloc(0);
        const r = await fetchRange(offset, length);
        const buf = Buffer.from(await r.arrayBuffer());
        return r.status === 200 ? buf.subarray(offset, offset + length) : buf;
      },
      async stream(offset, length) {
        if (length === 0) return Readable.from([]);
        const r = await fetchRange(offset, length);
        if (r.status === 200)
          throw new StorageError(`reading ${label}: the server ignored the range request`);
        return Readable.fromWeb(r.body! as import('node:stream/web').ReadableStream);
      },
    };
  }

  requireReadAccess(): { owner: string; repo: string } {
    if (!this.token) {
      throw new ConfigError(
        'github-token',
        'listing, restoring or deleting GitHub artifacts needs a token',
        {
          hint: `pass a token in {{option:github-token}} (in a workflow the default, \${{ github.token }}, works) and grant it:\n${PERMISSIONS_BLOCK}`,
        },
      );
    }
    if (!this.repository) {
      throw new ConfigError(
        'artifact-repository',
        'no repository to read artifacts from (GITHUB_REPOSITORY is not set)',
        {
          hint: 'set {{option:artifact-repository=owner/repo}}',
        },
      );
    }
    return this.repository;
  }

  async rest(method: string, path: string, what: string, redirect = false): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.apiUrl + path, {
        method,
        redirect: redirect ? 'manual' : 'follow',
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${this.token}`,
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'lifeboat',
        },
      });
    } catch (err) {
      throw new StorageError(`${what}: ${(err as Error).message}`, { cause: err, transient: true });
    }
    if (res.ok || (redirect && res.status >= 300 && res.status < 400)) return res;
    const text = await res.text().catch(() => '');
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    const detail = `${what}: HTTP ${res.status}${message ? ` ${message}` : ''}`;
    if (res.status === 404 || res.status === 410)
      throw new StorageError(detail, { notFound: true });
    const rateLimited = res.headers.get('x-ratelimit-remaining') === '0' || res.status === 429;
    if (rateLimited)
      throw new StorageError(detail, {
        transient: true,
        hint: 'GitHub API rate limit; wait and retry',
      });
    if (res.status === 401) {
      throw new StorageError(detail, {
        hint: '{{option:github-token}} is invalid or expired; pass a current one (in a workflow: ${{ github.token }})',
      });
    }
    if (res.status === 403) throw new StorageError(detail, { hint: PERMISSION_HINT });
    throw new StorageError(detail, { transient: res.status >= 500 });
  }

  /** Deletes an artifact; one already gone is not an error. */
  async deleteArtifact(a: RemoteArtifact): Promise<void> {
    const { owner, repo } = this.requireReadAccess();
    try {
      await this.rest(
        'DELETE',
        `/repos/${owner}/${repo}/actions/artifacts/${a.id}`,
        `deleting artifact ${a.name}`,
      );
    } catch (err) {
      if (!(err instanceof StorageError && err.notFound)) throw err;
    }
    this.ctx.log.debug(`deleted artifact ${a.name} (id ${a.id})`);
  }
}

export function toStorageError(err: unknown, what: string): LifeboatError {
  if (err instanceof LifeboatError) return err;
  const e = err as Error & { code?: string };
  const message = String(e?.message ?? err);
  if (e?.name === 'UsageError') {
    return new StorageError(`${what}: ${message}`, {
      cause: err,
      hint: "the account's artifact storage quota is full: lower {{option:retention-days}}, set {{option:keep-last}} or another keep-* option so old backups are pruned, and delete old artifacts",
    });
  }
  if (/Unable to get the ACTIONS_(RUNTIME_TOKEN|RESULTS_URL)/.test(message)) {
    return new ConfigError('destination', `${what}: ${message}`, {
      hint: 'run Lifeboat as an action step inside GitHub Actions',
    });
  }
  if (e?.name === 'ArtifactNotFoundError')
    return new StorageError(`${what}: ${message}`, { cause: err, notFound: true });
  if (/\((401|403)\)|Resource not accessible by integration/i.test(message)) {
    return new StorageError(`${what}: ${message}`, { cause: err, hint: PERMISSION_HINT });
  }
  const transient =
    e?.name === 'NetworkError' ||
    /after \d+ attempts|after \d+ retries|stalled|timed? ?out|ECONNRESET|ETIMEDOUT/i.test(message);
  return new StorageError(`${what}: ${message}`, { cause: err, transient });
}
