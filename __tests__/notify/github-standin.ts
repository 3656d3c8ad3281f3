import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface GitHubStandIn {
  apiUrl: string;
  issues: StandInIssue[];
  calls: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the GitHub REST endpoints the github-issue target uses, as documented
 * (docs.github.com/rest/issues): list repository issues (state, labels filters; pull requests
 * are issues too and carry `pull_request`), create an issue, create a comment, update an issue.
 * Requests without the expected bearer token get 401 like the real API.
 */
export async function startGitHubStandIn(
  repository: string,
  token: string,
): Promise<GitHubStandIn> {
  const issues: StandInIssue[] = [];
  const calls: string[] = [];
  const base = `/repos/${repository}`;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://localhost');
      calls.push(`${req.method} ${url.pathname}`);
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(401, {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
        });
      if (req.headers['x-github-api-version'] !== '2022-11-28')
        return send(400, { message: 'unsupported API version' });
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
      const view = (i: StandInIssue) => ({
        number: i.number,
        title: i.title,
        body: i.body,
        state: i.state,
        state_reason: i.state_reason,
        labels: i.labels,
        comments: i.comments.length,
        html_url: `https://github.com/${repository}/issues/${i.number}`,
        ...(i.pull_request && { pull_request: i.pull_request }),
      });
      if (req.method === 'GET' && url.pathname === `${base}/issues`) {
        const state = url.searchParams.get('state') ?? 'open';
        const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
        const found = issues
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => labels.every((l) => i.labels.some((x) => x.name === l)))
          .sort((a, b) => b.number - a.number);
        return send(200, found.map(view));
      }
      if (req.method === 'POST' && url.pathname === `${base}/issues`) {
        if (typeof body['title'] !== 'string') return send(422, { message: 'Validation Failed' });
        const issue: StandInIssue = {
          number: issues.length + 1,
          title: body['title'],
          body: String(body['body'] ?? ''),
          state: 'open',
          state_reason: null,
          labels: ((body['labels'] as string[] | undefined) ?? []).map((name) => ({ name })),
          comments: [],
        };
        issues.push(issue);
        return send(201, view(issue));
      }
      const one = new RegExp(`^${base}/issues/(\\d+)(/comments)?$`).exec(url.pathname);
      const issue = one ? issues.find((i) => i.number === Number(one[1])) : undefined;
      if (one && !issue) return send(404, { message: 'Not Found' });
      if (issue && req.method === 'POST' && one?.[2]) {
        issue.comments.push(String(body['body'] ?? ''));
        return send(201, { id: issue.comments.length, body: body['body'] });
      }
      if (issue && req.method === 'PATCH' && !one?.[2]) {
        if (body['state'] === 'closed' || body['state'] === 'open') issue.state = body['state'];
        if (typeof body['state_reason'] === 'string') issue.state_reason = body['state_reason'];
        return send(200, view(issue));
      }
      send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    issues,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
