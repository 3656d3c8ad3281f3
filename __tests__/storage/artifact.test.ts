import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ConfigError, IntegrityError, StorageError } from '../../src/core/errors.ts';
import { Redactor, silentLogger, type Logger } from '../../src/core/log.ts';
import { artifactStorage, PERMISSIONS_BLOCK } from '../../src/storage/artifact/index.ts';
import type { Storage } from '../../src/storage/types.ts';
import { ArtifactServiceStandIn, type SimulatedRun } from '../helpers/artifact-service.ts';
import { readAll, storageConformanceSuite } from './conformance.ts';
import { unavailable } from '../helpers/services.ts';

/**
 * The real @actions/artifact client against a local stand-in of the Actions results service
 * and the artifacts REST API, with Azurite as the blob store (see helpers/artifact-service.ts).
 */
// @actions/core prints workflow commands (::debug::, progress) as strings on stdout; the test
// runner's own protocol is binary, so only the strings are dropped to keep the report readable.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: unknown, ...rest: never[]) =>
  typeof chunk === 'string'
    ? true
    : writeStdout(chunk as Uint8Array, ...rest)) as typeof process.stdout.write;

const started = await ArtifactServiceStandIn.start();
const service = typeof started === 'string' ? undefined : started;
const skipReason = typeof started === 'string' ? started : undefined;
if (skipReason) unavailable(`Azurite for the artifact service stand-in (${skipReason})`);
after(async () => service?.stop());

const RUN_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_API_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_RUN_ID',
  'GITHUB_TOKEN',
  'GITHUB_RETENTION_DAYS',
];

/** Puts the process in a (simulated) workflow run: the artifact client reads process.env. */
function enterRun(run: SimulatedRun | undefined = service?.newRun()): SimulatedRun {
  for (const v of RUN_VARIABLES) delete process.env[v];
  Object.assign(process.env, run!.env);
  return run!;
}

interface Captured extends Logger {
  warnings: string[];
}

function capture(): Captured {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (m) => warnings.push(m) };
}

async function open(
  url: string,
  options: Record<string, unknown> = {},
  log: Logger = silentLogger,
) {
  return artifactStorage.create(url, { log, redactor: new Redactor(), env: process.env, options });
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
let counter = 0;
const uniquePrefix = () => `t${process.pid}x${++counter}-`;

/** Writes one backup the way the engine does: archive, then .sha256, then the manifest. */
async function putBackup(s: Storage, set: string, archive: Buffer) {
  const id = `20261122T0300${String(10 + (counter % 50)).padStart(2, '0')}Z-abcdef`;
  const keys = {
    archive: `${set}/${id}.tar.zst`,
    sha256: `${set}/${id}.sha256`,
    manifest: `${set}/${id}.manifest.json`,
  };
  s.beginGroup?.({
    name: `${set}/${id}`,
    members: [keys.archive, keys.sha256],
    commit: keys.manifest,
  });
  const manifest = JSON.stringify({
    id,
    archive: { key: keys.archive, size: archive.length, sha256: sha256(archive) },
  });
  const put = await s.put(
    keys.archive,
    Readable.from([archive.subarray(0, 1000), archive.subarray(1000)]),
  );
  assert.equal(put.sha256, sha256(archive));
  await s.put(keys.sha256, Readable.from([`${sha256(archive)}  ${id}.tar.zst\n`]));
  await s.put(keys.manifest, Readable.from([manifest]), { contentType: 'application/json' });
  return { id, keys, manifest };
}

describe('artifact: storage', { skip: skipReason }, () => {
  before(() => enterRun());

  storageConformanceSuite(
    'artifact: conformance (stand-in results service + Azurite)',
    async () => {
      enterRun();
      const prefix = uniquePrefix();
      return {
        storage: await open(`artifact:${prefix}`),
        cleanup: async () => service!.removeArtifacts(prefix),
      };
    },
  );

  test('a backup becomes ONE artifact when its manifest is written, and another run lists and restores it', async () => {
    const prefix = uniquePrefix();
    const runA = enterRun();
    const a = await open(`artifact:${prefix}`);
    const archive = randomBytes(3 * 1024 * 1024 + 17);
    const id = `20261122T030000Z-abcdef`;
    a.beginGroup?.({
      name: `db/${id}`,
      members: [`db/${id}.tar.zst`, `db/${id}.sha256`],
      commit: `db/${id}.manifest.json`,
    });
    await a.put(`db/${id}.tar.zst`, Readable.from([archive]));
    await a.put(`db/${id}.sha256`, Readable.from([`${sha256(archive)}  ${id}.tar.zst\n`]));
    assert.equal(
      service!.live().filter((x) => x.name.startsWith(prefix)).length,
      0,
      'nothing is uploaded before the manifest',
    );
    // The engine reads the archive back before writing the sidecars: served from the spool.
    assert.ok((await readAll(await a.get(`db/${id}.tar.zst`))).equals(archive));
    const manifest = JSON.stringify({ id, note: 'sidecar' });
    await a.put(`db/${id}.manifest.json`, Readable.from([manifest]));
    const uploaded = service!.live().filter((x) => x.name.startsWith(prefix));
    assert.deepEqual(
      uploaded.map((x) => [x.name, x.runId]),
      [[`${prefix}db-${id}`, runA.runId]],
    );
    assert.match(uploaded[0]!.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    await a.close?.();

    enterRun();
    const b = await open(`artifact:${prefix}`);
    const listed = await b.list('db/');
    assert.deepEqual(listed.map((o) => [o.key, o.size]).sort(), [
      [`db/${id}.manifest.json`, manifest.length],
      [`db/${id}.sha256`, 64 + 2 + id.length + 9],
      [`db/${id}.tar.zst`, archive.length],
    ]);
    assert.equal((await readAll(await b.get(`db/${id}.manifest.json`))).toString(), manifest);
    assert.ok((await readAll(await b.get(`db/${id}.tar.zst`))).equals(archive));
    assert.equal((await b.stat(`db/${id}.tar.zst`))?.size, archive.length);
    assert.deepEqual(await b.list('other/'), []);
    await b.close?.();
  });

  test('a damaged artifact (blob changed after upload) fails the digest check with IntegrityError', async () => {
    const prefix = uniquePrefix();
    enterRun();
    const a = await open(`artifact:${prefix}`);
    const { keys } = await putBackup(a, 'db', randomBytes(256 * 1024));
    await a.close?.();
    const [artifact] = service!.live().filter((x) => x.name.startsWith(prefix));
    await service!.corrupt(artifact!.id);

    enterRun();
    const b = await open(`artifact:${prefix}`);
    await assert.rejects(
      async () => readAll(await b.get(keys.archive)),
      (err: unknown) => err instanceof IntegrityError && /digest/.test(err.message),
    );
    await b.close?.();
  });

  test('an expired artifact is reported as gone, not as an error', async () => {
    const prefix = uniquePrefix();
    enterRun();
    const a = await open(`artifact:${prefix}`);
    const kept = await putBackup(a, 'db', randomBytes(1000));
    counter++;
    const old = await putBackup(a, 'db', randomBytes(1000));
    await a.close?.();
    const expiring = service!.live().find((x) => x.name === `${prefix}db-${old.id}`)!;
    await service!.expire(expiring.id);

    enterRun();
    const b = await open(`artifact:${prefix}`);
    const keys = (await b.list('db/')).map((o) => o.key);
    assert.ok(keys.includes(kept.keys.manifest));
    assert.ok(
      !keys.some((k) => k.includes(old.id)),
      `expired backup still listed: ${keys.join(', ')}`,
    );
    await assert.rejects(
      b.get(old.keys.manifest),
      (err: unknown) => err instanceof StorageError && err.notFound,
    );
    assert.equal(await b.stat(old.keys.archive), undefined);
    await b.delete(old.keys.manifest);
    await b.close?.();
  });

  test('deleting a backup deletes its artifact through the REST API; its other keys are then gone', async () => {
    const prefix = uniquePrefix();
    enterRun();
    const a = await open(`artifact:${prefix}`);
    const first = await putBackup(a, 'db', randomBytes(5000));
    counter++;
    const second = await putBackup(a, 'db', randomBytes(5000));
    await a.close?.();

    enterRun();
    const b = await open(`artifact:${prefix}`);
    // Retention removes the manifest first, then the sidecar and the archive.
    for (const key of [first.keys.manifest, first.keys.sha256, first.keys.archive])
      await b.delete(key);
    assert.deepEqual(
      service!
        .live()
        .filter((x) => x.name.startsWith(prefix))
        .map((x) => x.name),
      [`${prefix}db-${second.id}`],
    );
    assert.deepEqual(
      (await b.list('')).map((o) => o.key).sort(),
      [second.keys.manifest, second.keys.sha256, second.keys.archive].sort(),
    );
    await b.close?.();
  });

  test('a token without permission gets a permanent StorageError quoting the permissions block', async () => {
    const prefix = uniquePrefix();
    enterRun();
    const a = await open(`artifact:${prefix}`);
    const { keys } = await putBackup(a, 'db', randomBytes(1000));
    await a.close?.();
    try {
      service!.restPermissions = 'deny';
      const b = await open(`artifact:${prefix}`);
      const err = await b.list('db/').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof StorageError, String(err));
      assert.equal(err.transient, false);
      assert.match(err.message, /Resource not accessible by integration/);
      assert.ok(err.hint?.includes(PERMISSIONS_BLOCK), err.hint);
      assert.match(PERMISSIONS_BLOCK, /actions: write/);
      assert.match(PERMISSIONS_BLOCK, /contents: read/);

      service!.restPermissions = 'read-only';
      assert.equal((await b.list('db/')).length, 3);
      await assert.rejects(
        b.delete(keys.manifest),
        (e: unknown) => e instanceof StorageError && e.hint!.includes('actions: write'),
      );
    } finally {
      service!.restPermissions = 'ok';
    }
  });

  test('outside GitHub Actions: a ConfigError naming destination; with only a token, reads work but uploads do not', async () => {
    enterRun();
    const saved = { ...process.env };
    try {
      delete process.env['ACTIONS_RUNTIME_TOKEN'];
      delete process.env['ACTIONS_RESULTS_URL'];
      delete process.env['GITHUB_TOKEN'];
      await assert.rejects(
        async () => open('artifact:x-'),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.option === 'destination' &&
          /GitHub Actions/.test(e.message),
      );
      const s = await open('artifact:x-', { 'github-token': service!.token });
      assert.deepEqual(await s.list('nothing-here/'), []);
      await assert.rejects(
        s.put('db/20261122T030000Z-abcdef.manifest.json', Readable.from(['{}'])),
        (e: unknown) => e instanceof ConfigError && e.option === 'destination',
      );
    } finally {
      Object.assign(process.env, saved);
    }
    await assert.rejects(async () => open('artifact:a/b'), ConfigError);
    await assert.rejects(async () => open('artifact:x-', { 'retention-days': 0 }), ConfigError);
    await assert.rejects(
      async () => open('artifact:x-', { 'artifact-repository': 'not a repo' }),
      ConfigError,
    );
  });

  test('retention-days above the repository limit is capped, with a warning', async () => {
    const prefix = uniquePrefix();
    const run = enterRun();
    const limited = capture();
    process.env['GITHUB_RETENTION_DAYS'] = '30';
    const a = await open(`artifact:${prefix}`, { 'retention-days': 60 }, limited);
    await putBackup(a, 'db', randomBytes(100));
    assert.ok(
      limited.warnings.some((w) => /retention-days 60/.test(w) && /30 days/.test(w)),
      limited.warnings.join('\n'),
    );
    const [artifact] = service!.live().filter((x) => x.name.startsWith(prefix));
    const days = (artifact!.expiresAt.getTime() - artifact!.createdAt.getTime()) / 86_400_000;
    assert.ok(days > 29 && days <= 30, `kept ${days} days`);

    // The service caps it even when the runner does not say so: the expiry date tells.
    const quiet = capture();
    enterRun(run);
    delete process.env['GITHUB_RETENTION_DAYS'];
    service!.maxRetentionDays = 10;
    try {
      const b = await open(`artifact:${prefix}b-`, { 'retention-days': 45 }, quiet);
      await putBackup(b, 'db', randomBytes(100));
    } finally {
      service!.maxRetentionDays = 90;
    }
    assert.ok(
      quiet.warnings.some((w) => /not after the 45 retention-days/.test(w)),
      quiet.warnings.join('\n'),
    );
  });

  test('tokens are registered as secrets', async () => {
    const run = enterRun();
    const redactor = new Redactor();
    await artifactStorage.create('artifact:', {
      log: silentLogger,
      redactor,
      env: process.env,
      options: {},
    });
    assert.equal(redactor.redact(`a ${service!.token} b`), 'a *** b');
    assert.equal(redactor.redact(run.env['ACTIONS_RUNTIME_TOKEN']!), '***');
  });
});

describe('artifact: through the CLI and the engine', { skip: skipReason }, () => {
  test('backup in one run; list, verify, restore and prune from later runs', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runCli, jsonOf } = await import('../helpers/cli.ts');
    const work = await mkdtemp(join(tmpdir(), 'lifeboat-artifact-e2e-'));
    const prefix = uniquePrefix();
    const destination = `artifact:${prefix}`;
    try {
      // SQLite is the source every machine has (node:sqlite); a blob column makes the archive non-trivial.
      const { DatabaseSync } = await import('node:sqlite');
      const dbPath = join(work, 'app.db');
      const db = new DatabaseSync(dbPath);
      db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, data BLOB)');
      const insert = db.prepare('INSERT INTO notes (body, data) VALUES (?, ?)');
      for (let i = 0; i < 200; i++) insert.run(`note ${i}`, randomBytes(4096));
      const rowsOf = (path: string) => {
        const d = new DatabaseSync(path);
        try {
          return d.prepare('SELECT id, body, hex(data) AS data FROM notes ORDER BY id').all();
        } finally {
          d.close();
        }
      };
      db.close();
      const original = rowsOf(dbPath);
      const src = `sqlite:${dbPath}`;

      const backupIn = async (run: SimulatedRun) => {
        enterRun(run);
        const b = await runCli(
          [
            'backup',
            '--source',
            src,
            '--destination',
            destination,
            '--name',
            'files',
            '--retention-days',
            '7',
            '--json',
          ],
          run.env,
        );
        assert.equal(b.code, 0, b.stderr);
        return jsonOf(b).outputs;
      };
      const first = await backupIn(service!.newRun());
      assert.equal(first['verified'], 'true');
      assert.deepEqual(
        service!
          .live()
          .filter((a) => a.name.startsWith(prefix))
          .map((a) => a.name),
        [`${prefix}files-${first['backup-id']}`],
      );

      const later = enterRun();
      const l = await runCli(['list', '--destination', destination, '--json'], later.env);
      assert.equal(l.code, 0, l.stderr);
      assert.deepEqual(
        (jsonOf(l)['backups'] as Array<{ id: string }>).map((x) => x.id),
        [first['backup-id']],
      );
      const v = await runCli(
        ['verify', '--destination', destination, '--name', 'files'],
        later.env,
      );
      assert.equal(v.code, 0, v.stderr);
      const target = join(work, 'restored.db');
      const r = await runCli(
        [
          'restore',
          '--destination',
          destination,
          '--name',
          'files',
          '--target',
          `sqlite:${target}`,
        ],
        later.env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(rowsOf(target), original);

      const second = await backupIn(service!.newRun());
      const pruneRun = enterRun();
      const p = await runCli(
        ['prune', '--destination', destination, '--name', 'files', '--keep-last', '1'],
        pruneRun.env,
      );
      assert.equal(p.code, 0, p.stderr);
      assert.deepEqual(
        service!
          .live()
          .filter((a) => a.name.startsWith(prefix))
          .map((a) => a.name),
        [`${prefix}files-${second['backup-id']}`],
      );
    } finally {
      await rm(work, { recursive: true, force: true });
      await service!.removeArtifacts(prefix);
    }
  });
});
