/**
 * The one stand-in for GitHub's REST API the tests use (keep-alive, the github-issue
 * notification, the artifact storage's listing/download/delete), following the published API
 * (docs.github.com/rest) in routes, status codes, bodies and headers:
 *
 * - GET /repos/{owner}/{repo}: the repository (`pushed_at`, `private`, `visibility`).
 * - PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable: 204 No Content;
 *   `workflow_id` is the id or the file name; 403 "Resource not accessible by integration"
 *   without `actions: write`; 404 for an unknown workflow.
 * - GET|POST /repos/{owner}/{repo}/issues (list: `state`, `labels`, `per_page` ≤ 100, `page`,
 *   newest first, pull requests included and marked by `pull_request`, a `Link` header when
 *   there are more pages; create: 201, 422 without a title), POST …/issues/{n}/comments (201),
 *   PATCH …/issues/{n} (200); an unknown issue is 404.
 * - With an artifact store plugged in (the Actions results stand-in does): GET
 *   …/actions/artifacts and …/actions/runs/{run_id}/artifacts (`name`, `per_page`, `page`),
 *   GET …/actions/artifacts/{id}, GET …/artifacts/{id}/zip (302 to a signed URL; 410 once
 *   expired), DELETE …/artifacts/{id} (204; 403 without `actions: write`).
 *
 * Every answer carries GitHub's headers (`content-type: application/json; charset=utf-8`,
 * `x-github-api-version-selected`, `x-github-media-type`, `x-github-request-id`, the
 * `x-ratelimit-*` set). No token is 401 "Requires authentication", a wrong one 401 "Bad
 * credentials" (`Authorization: Bearer …` and `token …` both work, as on GitHub); an API
 * version GitHub does not have is 400; none means 2022-11-28, as on GitHub. Errors are
 * `{ message, documentation_url, status }`. Binds port 0.
 */
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

const DOCS = 'https://docs.github.com/rest';
/** The REST API versions GitHub serves (docs.github.com/rest/about-the-rest-api/api-versions). */
const API_VERSIONS = ['2022-11-28'];

export interface RestRequest {
  method: string;
  path: string;
  authorization?: string;
  /** The X-GitHub-Api-Version header sent, if any. */
  apiVersion?: string;
}

export interface StandInIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: Array<{ name: string }>;
  comments: string[];
  pull_request?: { url: string };
}

/** What the artifact routes read and change: the Actions results stand-in's store. */
export interface ArtifactStore {
  /** Finalized artifacts (expired ones too), any order. */
  list(): RestArtifact[];
  /** Deletes the artifact and its content. */
  remove(id: number): Promise<void>;
  /** A signed URL of the artifact's zip. */
  downloadUrl(id: number): string;
}

export interface RestArtifact {
  id: number;
  name: string;
  runId: number;
  size: number;
  digest: string | undefined;
  createdAt: Date;
  expiresAt: Date;
  expired: boolean;
}

/** A token's `actions` permission: 'write' (the default), 'read', or 'none'. */
export type ActionsPermission = 'write' | 'read' | 'none';

export class GitHubRest {
  /** The API base (GITHUB_API_URL). */
  url = '';
  readonly requests: RestRequest[] = [];
  readonly repository: {
    full_name: string;
    pushed_at: string;
    private: boolean;
    visibility: string;
  };
  /** Workflow file names (or ids) the repository has. */
  readonly workflows: string[] = ['backup.yml'];
  readonly issues: StandInIssue[] = [];
  /** Tokens the API accepts; the first is the one given to start(). */
  readonly tokens: Set<string>;
  /** Tokens allowed to enable workflows and delete artifacts (`actions: write`). */
  readonly writers: Set<string>;
  /** Tokens that may not read artifacts either (`actions: none`). */
  readonly noActions = new Set<string>();
  artifacts: ArtifactStore | undefined;
  private server: Server | undefined;

  constructor(token: string, fullName: string) {
    this.tokens = new Set([token]);
    this.writers = new Set([token]);
    this.repository = {
      full_name: fullName,
      pushed_at: new Date().toISOString(),
      private: false,
      visibility: 'public',
    };
  }

  /** `METHOD /path` of every request, in order. */
  get calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  /** The API base, as the notify tests call it. */
  get apiUrl(): string {
    return this.url;
  }

  /** Sets what a token may do with Actions (workflows, artifacts). */
  setActionsPermission(token: string, permission: ActionsPermission): void {
    this.tokens.add(token);
    if (permission === 'write') this.writers.add(token);
    else this.writers.delete(token);
    if (permission === 'none') this.noActions.add(token);
    else this.noActions.delete(token);
  }

  /** Serves on its own port (0: the OS picks). */
  async listen(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res, req.url ?? '/'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers one request; `path` is the URL below the API base (another server may mount it). */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      await this.route(req, res, new URL(path, 'http://api.github.invalid'));
    } catch (err) {
      if (!res.headersSent) this.send(res, 500, { message: String(err) });
      else res.destroy();
    }
  }

  private headers(extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
    return {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID().toUpperCase().slice(0, 23),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
      ...extra,
    };
  }

  private send(
    res: ServerResponse,
    status: number,
    body?: unknown,
    extra: OutgoingHttpHeaders = {},
  ): void {
    if (body === undefined) {
      const { 'content-type': _, ...rest } = this.headers(extra);
      res.writeHead(status, rest).end();
      return;
    }
    const text = JSON.stringify(body);
    res
      .writeHead(status, this.headers({ 'content-length': Buffer.byteLength(text), ...extra }))
      .end(text);
  }

  private error(res: ServerResponse, status: number, message: string, docs = DOCS): void {
    this.send(res, status, { message, documentation_url: docs, status: String(status) });
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? '';
    const apiVersion = req.headers['x-github-api-version'] as string | undefined;
    const authorization = req.headers.authorization;
    this.requests.push({
      method,
      path: url.pathname,
      ...(authorization !== undefined && { authorization }),
      ...(apiVersion !== undefined && { apiVersion }),
    });
    const raw = await readBody(req);
    if (apiVersion !== undefined && !API_VERSIONS.includes(apiVersion))
      return this.error(
        res,
        400,
        `API version ${apiVersion} is not supported.`,
        `${DOCS}/about-the-rest-api/api-versions`,
      );
    if (authorization === undefined) return this.error(res, 401, 'Requires authentication');
    const token = /^(?:Bearer|token) (.+)$/i.exec(authorization)?.[1];
    if (token === undefined || !this.tokens.has(token))
      return this.error(res, 401, 'Bad credentials');
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return this.error(res, 400, 'Problems parsing JSON');
      }
    }

    const repo = `/repos/${this.repository.full_name}`;
    const p = url.pathname;
    if (p === repo && method === 'GET') {
      return this.send(res, 200, {
        id: 1,
        name: this.repository.full_name.split('/')[1],
        ...this.repository,
      });
    }
    if (!p.startsWith(`${repo}/`)) return this.error(res, 404, 'Not Found');
    const rest = p.slice(repo.length + 1);

    const enable = /^actions\/workflows\/([^/]+)\/enable$/.exec(rest);
    if (enable && method === 'PUT') {
      if (!this.writers.has(token))
        return this.error(
          res,
          403,
          'Resource not accessible by integration',
          `${DOCS}/actions/workflows#enable-a-workflow`,
        );
      if (!this.workflows.includes(decodeURIComponent(enable[1]!)))
        return this.error(res, 404, 'Not Found');
      return this.send(res, 204);
    }

    if (rest === 'issues' || rest.startsWith('issues/'))
      return this.issuesRoute(res, method, rest, url, body);
    if (rest.startsWith('actions/') && this.artifacts)
      return this.artifactsRoute(res, method, rest.slice('actions/'.length), url, token);
    return this.error(res, 404, 'Not Found');
  }

  private issueView(i: StandInIssue): Record<string, unknown> {
    const full = this.repository.full_name;
    return {
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.state_reason,
      labels: i.labels,
      comments: i.comments.length,
      url: `${this.url}/repos/${full}/issues/${i.number}`,
      html_url: `https://github.com/${full}/issues/${i.number}`,
      ...(i.pull_request && { pull_request: i.pull_request }),
    };
  }

  private issuesRoute(
    res: ServerResponse,
    method: string,
    rest: string,
    url: URL,
    body: Record<string, unknown>,
  ): void {
    const docs = `${DOCS}/issues/issues`;
    if (rest === 'issues' && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const found = this.issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => i.labels.some((x) => x.name === l)))
        .sort((a, b) => b.number - a.number);
      return this.page(
        res,
        url,
        found.map((i) => this.issueView(i)),
      );
    }
    if (rest === 'issues' && method === 'POST') {
      if (typeof body['title'] !== 'string' || body['title'] === '')
        return this.send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
          documentation_url: `${docs}#create-an-issue`,
          status: '422',
        });
      const issue: StandInIssue = {
        number: this.issues.length + 1,
        title: body['title'],
        body: String(body['body'] ?? ''),
        state: 'open',
        state_reason: null,
        labels: ((body['labels'] as string[] | undefined) ?? []).map((name) => ({ name })),
        comments: [],
      };
      this.issues.push(issue);
      return this.send(res, 201, this.issueView(issue), {
        location: `${this.url}/repos/${this.repository.full_name}/issues/${issue.number}`,
      });
    }
    const one = /^issues\/(\d+)(\/comments)?$/.exec(rest);
    const issue = one ? this.issues.find((i) => i.number === Number(one[1])) : undefined;
    if (!one || !issue) return this.error(res, 404, 'Not Found');
    if (one[2] && method === 'POST') {
      if (typeof body['body'] !== 'string')
        return this.send(res, 422, {
          message: 'Invalid request.\n\n"body" wasn\'t supplied.',
          documentation_url: `${DOCS}/issues/comments#create-an-issue-comment`,
          status: '422',
        });
      issue.comments.push(body['body']);
      return this.send(res, 201, { id: issue.comments.length, body: body['body'] });
    }
    if (!one[2] && method === 'PATCH') {
      if (body['state'] === 'closed' || body['state'] === 'open') issue.state = body['state'];
      if (typeof body['state_reason'] === 'string') issue.state_reason = body['state_reason'];
      if (typeof body['title'] === 'string') issue.title = body['title'];
      if (typeof body['body'] === 'string') issue.body = body['body'];
      return this.send(res, 200, this.issueView(issue));
    }
    if (!one[2] && method === 'GET') return this.send(res, 200, this.issueView(issue));
    return this.error(res, 404, 'Not Found');
  }

  /** One page of a list (`per_page` ≤ 100, default 30), with GitHub's Link header. */
  private page(
    res: ServerResponse,
    url: URL,
    all: unknown[],
    wrap?: (items: unknown[]) => unknown,
  ): void {
    const perPage = Math.min(
      Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1),
      100,
    );
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const items = all.slice((page - 1) * perPage, page * perPage);
    const link = (n: number, rel: string) => {
      const u = new URL(`${this.url}${url.pathname}${url.search}`);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(n));
      return `<${u.href}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    this.send(res, 200, wrap ? wrap(items) : items, links.length ? { link: links.join(', ') } : {});
  }

  private restArtifact(a: RestArtifact): Record<string, unknown> {
    const base = `${this.url}/repos/${this.repository.full_name}/actions/artifacts/${a.id}`;
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.size,
      url: base,
      archive_download_url: `${base}/zip`,
      expired: a.expired,
      digest: a.digest ?? null,
      created_at: a.createdAt.toISOString(),
      updated_at: a.createdAt.toISOString(),
      expires_at: a.expiresAt.toISOString(),
      workflow_run: {
        id: a.runId,
        repository_id: 1,
        head_repository_id: 1,
        head_branch: 'main',
        head_sha: '0'.repeat(40),
      },
    };
  }

  private async artifactsRoute(
    res: ServerResponse,
    method: string,
    rest: string,
    url: URL,
    token: string,
  ): Promise<void> {
    const store = this.artifacts!;
    const docs = `${DOCS}/actions/artifacts`;
    if (this.noActions.has(token) || (method === 'DELETE' && !this.writers.has(token)))
      return this.error(res, 403, 'Resource not accessible by integration', docs);
    const runList = /^runs\/(\d+)\/artifacts$/.exec(rest);
    if (method === 'GET' && (rest === 'artifacts' || runList)) {
      const runId = runList ? Number(runList[1]) : undefined;
      const name = url.searchParams.get('name');
      const all = store
        .list()
        .filter(
          (a) => (name === null || a.name === name) && (runId === undefined || a.runId === runId),
        )
        .sort((a, b) => b.id - a.id);
      return this.page(
        res,
        url,
        all.map((a) => this.restArtifact(a)),
        (artifacts) => ({ total_count: all.length, artifacts }),
      );
    }
    const r = /^artifacts\/(\d+)(?:\/(zip))?$/.exec(rest);
    const a = r ? store.list().find((x) => x.id === Number(r[1])) : undefined;
    if (!r || !a) return this.error(res, 404, 'Not Found');
    if (method === 'DELETE' && !r[2]) {
      await store.remove(a.id);
      return this.send(res, 204);
    }
    if (method === 'GET' && !r[2]) return this.send(res, 200, this.restArtifact(a));
    if (method === 'GET' && r[2]) {
      if (a.expired) return this.error(res, 410, 'Artifact has expired', docs);
      return this.send(res, 302, undefined, { location: store.downloadUrl(a.id) });
    }
    return this.error(res, 404, 'Not Found');
  }
}

/** Starts the stand-in on its own port for `fullName` (owner/repo), accepting `token`. */
export async function startGitHubRest(token: string, fullName: string): Promise<GitHubRest> {
  return new GitHubRest(token, fullName).listen();
}

/** The stand-in's type under the name the keep-alive tests use. */
export type GitHubRestStandIn = GitHubRest;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
