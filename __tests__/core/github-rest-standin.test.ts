/**
 * The GitHub REST stand-in the keep-alive, notification and artifact tests share
 * (__tests__/helpers/github-rest.ts) answers as GitHub documents: status codes, error bodies,
 * headers, pagination.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GitHubRest, startGitHubRest, type RestArtifact } from '../helpers/github-rest.ts';

const TOKEN = 'ghs_standin_token_0000000000000000000000';
const REPO = 'acme/shop';
let gh: GitHubRest;
before(async () => {
  gh = await startGitHubRest(TOKEN, REPO);
});
after(() => gh.close());

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gh.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${TOKEN}`,
      'x-github-api-version': '2022-11-28',
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

test('authentication: none is 401 "Requires authentication", a wrong token 401 "Bad credentials"; Bearer and token both work', async () => {
  const none = await fetch(`${gh.url}/repos/${REPO}`);
  assert.equal(none.status, 401);
  assert.deepEqual(await none.json(), {
    message: 'Requires authentication',
    documentation_url: 'https://docs.github.com/rest',
    status: '401',
  });
  const wrong = await call('GET', `/repos/${REPO}`, undefined, { authorization: 'Bearer nope' });
  assert.equal(wrong.status, 401);
  assert.equal(((await wrong.json()) as { message: string }).message, 'Bad credentials');
  const classic = await call('GET', `/repos/${REPO}`, undefined, {
    authorization: `token ${TOKEN}`,
  });
  assert.equal(classic.status, 200);
  const repo = (await classic.json()) as { full_name: string; private: boolean };
  assert.equal(repo.full_name, REPO);
  assert.equal(classic.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(classic.headers.get('x-github-media-type'), 'github.v3; format=json');
  assert.equal(classic.headers.get('x-ratelimit-resource'), 'core');
  assert.ok(classic.headers.get('x-github-request-id'));
});

test('an API version GitHub does not have is 400; none is accepted', async () => {
  const bad = await call('GET', `/repos/${REPO}`, undefined, {
    'x-github-api-version': '2020-01-01',
  });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { message: string }).message, /2020-01-01 is not supported/);
  const none = await fetch(`${gh.url}/repos/${REPO}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(none.status, 200);
  assert.equal(gh.requests.at(-1)!.apiVersion, undefined);
});

test('enabling a workflow: 204 with no body, 404 for an unknown one, 403 without actions: write', async () => {
  const ok = await call('PUT', `/repos/${REPO}/actions/workflows/backup.yml/enable`);
  assert.equal(ok.status, 204);
  assert.equal(await ok.text(), '');
  assert.equal(
    (await call('PUT', `/repos/${REPO}/actions/workflows/other.yml/enable`)).status,
    404,
  );
  gh.setActionsPermission(TOKEN, 'read');
  try {
    const denied = await call('PUT', `/repos/${REPO}/actions/workflows/backup.yml/enable`);
    assert.equal(denied.status, 403);
    assert.equal(
      ((await denied.json()) as { message: string }).message,
      'Resource not accessible by integration',
    );
  } finally {
    gh.setActionsPermission(TOKEN, 'write');
  }
  assert.equal((await call('GET', '/repos/acme/other')).status, 404);
});

test('issues: 201 with a Location, 422 without a title, newest first, paged with a Link header', async () => {
  const missing = await call('POST', `/repos/${REPO}/issues`, { body: 'no title' });
  assert.equal(missing.status, 422);
  assert.deepEqual(((await missing.json()) as { errors: unknown[] }).errors, [
    { resource: 'Issue', code: 'missing_field', field: 'title' },
  ]);
  for (const n of [1, 2, 3]) {
    const r = await call('POST', `/repos/${REPO}/issues`, { title: `t${n}`, labels: ['x'] });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), `${gh.url}/repos/${REPO}/issues/${n}`);
  }
  const first = await call('GET', `/repos/${REPO}/issues?labels=x&per_page=2`);
  assert.deepEqual(
    ((await first.json()) as Array<{ number: number }>).map((i) => i.number),
    [3, 2],
  );
  assert.match(first.headers.get('link') ?? '', /[?&]page=2>; rel="next"/);
  const second = await call('GET', `/repos/${REPO}/issues?labels=x&per_page=2&page=2`);
  assert.deepEqual(
    ((await second.json()) as Array<{ number: number }>).map((i) => i.number),
    [1],
  );
  assert.match(second.headers.get('link') ?? '', /rel="prev"/);
  assert.equal((await call('POST', `/repos/${REPO}/issues/1/comments`, { body: 'c' })).status, 201);
  assert.equal((await call('POST', `/repos/${REPO}/issues/9/comments`, { body: 'c' })).status, 404);
  const closed = await call('PATCH', `/repos/${REPO}/issues/1`, {
    state: 'closed',
    state_reason: 'completed',
  });
  assert.equal(((await closed.json()) as { state: string }).state, 'closed');
  assert.deepEqual(gh.issues[0]!.comments, ['c']);
});

test('artifacts: listed with total_count, 302 to the zip, 410 once expired, 204 on delete; 403 by permission', async () => {
  const day = 86_400_000;
  const store: RestArtifact[] = [1, 2].map((id) => ({
    id,
    name: `a${id}`,
    runId: 7,
    size: 10,
    digest: undefined,
    createdAt: new Date(0),
    expiresAt: new Date(day),
    expired: id === 2,
  }));
  gh.artifacts = {
    list: () => store,
    remove: async (id) =>
      void store.splice(
        store.findIndex((a) => a.id === id),
        1,
      ),
    downloadUrl: (id) => `https://blob.invalid/${id}.zip`,
  };
  try {
    const list = await call('GET', `/repos/${REPO}/actions/runs/7/artifacts?name=a1`);
    const body = (await list.json()) as { total_count: number; artifacts: Array<{ id: number }> };
    assert.equal(body.total_count, 1);
    assert.deepEqual(
      body.artifacts.map((a) => a.id),
      [1],
    );
    const zip = await call('GET', `/repos/${REPO}/actions/artifacts/1/zip`);
    assert.equal(zip.status, 302);
    assert.equal(zip.headers.get('location'), 'https://blob.invalid/1.zip');
    assert.equal((await call('GET', `/repos/${REPO}/actions/artifacts/2/zip`)).status, 410);
    gh.setActionsPermission(TOKEN, 'read');
    assert.equal((await call('DELETE', `/repos/${REPO}/actions/artifacts/1`)).status, 403);
    gh.setActionsPermission(TOKEN, 'none');
    assert.equal((await call('GET', `/repos/${REPO}/actions/artifacts`)).status, 403);
    gh.setActionsPermission(TOKEN, 'write');
    assert.equal((await call('DELETE', `/repos/${REPO}/actions/artifacts/1`)).status, 204);
    assert.deepEqual(
      store.map((a) => a.id),
      [2],
    );
    assert.equal((await call('GET', `/repos/${REPO}/actions/artifacts/1`)).status, 404);
  } finally {
    gh.setActionsPermission(TOKEN, 'write');
    gh.artifacts = undefined;
  }
});
