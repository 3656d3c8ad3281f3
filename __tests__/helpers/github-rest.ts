/**
 * A stand-in for the two GitHub REST endpoints keep-alive uses, following GitHub's documented
 * API (docs.github.com/rest): GET /repos/{owner}/{repo} (the repository, with `pushed_at`,
 * `private`, `visibility`) and PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable
 * (204 No Content; `workflow_id` is the id or the file name; 403 "Resource not accessible by
 * integration" without `actions: write`; 404 for an unknown workflow). Binds port 0.
 */
import { createServer, type Server } from 'node:http';

export interface GitHubRestStandIn {
  url: string;
  requests: Array<{ method: string; path: string; authorization?: string }>;
  repository: { full_name: string; pushed_at: string; private: boolean; visibility: string };
  workflows: string[];
  /** Tokens allowed to enable workflows (actions: write). */
  writers: Set<string>;
  close(): Promise<void>;
}

export async function startGitHubRest(token: string, fullName: string): Promise<GitHubRestStandIn> {
  const state: Omit<GitHubRestStandIn, 'url' | 'close'> = {
    requests: [],
    repository: {
      full_name: fullName,
      pushed_at: new Date().toISOString(),
      private: false,
      visibility: 'public',
    },
    workflows: ['backup.yml'],
    writers: new Set([token]),
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    state.requests.push({
      method: req.method ?? '',
      path,
      authorization: req.headers.authorization,
    });
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const bearer = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== token && !state.writers.has(bearer ?? '')) {
      return json(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    }
    const repoPath = `/repos/${state.repository.full_name}`;
    if (req.method === 'GET' && path === repoPath) {
      return json(200, { id: 1, name: fullName.split('/')[1], ...state.repository });
    }
    const enable = new RegExp(`^${repoPath}/actions/workflows/([^/]+)/enable$`).exec(path);
    if (req.method === 'PUT' && enable) {
      if (!state.writers.has(bearer!)) {
        return json(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/actions/workflows#enable-a-workflow',
        });
      }
      if (!state.workflows.includes(decodeURIComponent(enable[1]!))) {
        return json(404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
        });
      }
      res.writeHead(204);
      return res.end();
    }
    json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
