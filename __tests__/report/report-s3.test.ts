import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Catalog } from '../../src/report/html/catalog.ts';
import { runEngine } from '../helpers/engine.ts';
import { startFaultProxy, startS3rver, type S3rverHandle } from '../helpers/s3rver.ts';
import { StorageError } from '../../src/core/errors.ts';
import { NOW, SCHEDULE, drillRecord } from './dashboard-fixture.ts';
import { unavailable } from '../helpers/services.ts';

const started = await startS3rver();
if ('unavailable' in started) unavailable(started.unavailable);

describe(
  'report from S3 (s3rver)',
  { skip: 'unavailable' in started ? started.unavailable : false },
  () => {
    const s3 = started as S3rverHandle;
    let dir: string;
    let bucket: string;
    let ids: string[] = [];
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lifeboat-dashboard-s3-'));
      bucket = await s3.createBucket();
    });
    after(async () => {
      await s3.deleteBucket(bucket).catch(() => undefined);
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('states, drills and storage used come through the storage interface', async () => {
      const db = join(dir, 'ledger.sqlite');
      const d = new DatabaseSync(db);
      d.exec("CREATE TABLE entries (v TEXT); INSERT INTO entries VALUES ('x');");
      d.close();
      const destination = `s3://${bucket}/lifeboat`;
      const s3Options = { 's3-endpoint': s3.endpoint, 's3-force-path-style': 'true' };
      ids = [];
      for (const day of [28, 29, 30]) {
        const r = await runEngine(
          { source: `sqlite:${db}`, destination, name: 'ledger', ...s3Options },
          new Date(Date.UTC(2026, 10, day, 3, 5)),
          s3.env,
        );
        assert.equal(r.error, undefined, String(r.error));
        ids.push(r.report.backupId!);
      }
      await s3.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `lifeboat/ledger/${ids.at(-1)}.drill.json`,
          Body: JSON.stringify(drillRecord('ledger', ids.at(-1)!, true, 2500)),
        }),
      );
      const site = join(dir, 'site');
      const r = await runEngine(
        {
          command: 'report',
          destination,
          schedule: SCHEDULE,
          html: site,
          'keep-last': '1',
          ...s3Options,
        },
        NOW,
        s3.env,
      );
      assert.equal(r.error, undefined, String(r.error));
      const catalog = JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as Catalog;
      const [ledger] = catalog.sets;
      assert.equal(catalog.sets.length, 1);
      assert.equal(ledger!.state, 'fresh', ledger!.reason);
      assert.equal(ledger!.lastDrill?.rtoMs, 2500);
      assert.equal(ledger!.backups.at(-1)!.drill?.backupId, ids.at(-1));
      assert.deepEqual(
        ledger!.backups.map((b) => b.id),
        ids,
      );
      const listed = await s3.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'lifeboat/ledger/' }),
      );
      assert.deepEqual(ledger!.storage, [
        {
          destination,
          bytes: (listed.Contents ?? []).reduce((n, o) => n + (o.Size ?? 0), 0),
          objects: listed.Contents?.length ?? 0,
        },
      ]);
      assert.deepEqual(
        ledger!.retention[0]!.remove.map((x) => x.id),
        ids.slice(0, 2).reverse(),
      );
      // Nothing was deleted: the preview is a preview.
      assert.equal(
        (listed.Contents ?? []).filter((o) => o.Key!.endsWith('.manifest.json')).length,
        3,
      );
      assert.deepEqual(
        ledger!.backups.at(-1)!.copies.map((c) => [c.destination, c.key]),
        [[destination, `ledger/${ids.at(-1)}.tar.zst`]],
      );
    });

    test('a manifest the store refuses makes the destination unreadable; a refused drill record only warns', async () => {
      const refuse = (what: RegExp) =>
        startFaultProxy(s3.port, ({ method, url }) =>
          method === 'GET' && what.test(url)
            ? { status: 403, code: 'AccessDenied', message: 'Access Denied' }
            : 'pass',
        );
      const report = async (endpoint: string, site: string) =>
        runEngine(
          {
            command: 'report',
            destination: `s3://${bucket}/lifeboat`,
            schedule: SCHEDULE,
            html: site,
            's3-endpoint': endpoint,
            's3-force-path-style': 'true',
          },
          NOW,
          s3.env,
        );
      const manifests = await refuse(new RegExp(`${ids.at(-1)}\\.manifest\\.json`));
      try {
        const site = join(dir, 'site-refused');
        const r = await report(manifests.endpoint, site);
        assert.ok(r.error instanceof StorageError, String(r.error));
        assert.match(String((r.error as Error).message), /could not list backups: .*Access Denied/);
        assert.equal(r.report.outputs['error-kind'], 'operational');
        await assert.rejects(readdir(site), { code: 'ENOENT' });
      } finally {
        await manifests.close();
      }
      const drills = await refuse(/\.drill\.json/);
      try {
        const site = join(dir, 'site-drill-refused');
        const r = await report(drills.endpoint, site);
        assert.equal(r.error, undefined, String(r.error));
        const catalog = JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as Catalog;
        assert.equal(catalog.sets[0]!.lastDrill, undefined);
        assert.equal(catalog.sets[0]!.state, 'never-drilled');
        assert.ok(
          r.logs.some((l) =>
            /^warning: could not read ledger\/.*\.drill\.json .*shown as never drilled/.test(l),
          ),
          r.logs.join('\n'),
        );
      } finally {
        await drills.close();
      }
    });
  },
);
