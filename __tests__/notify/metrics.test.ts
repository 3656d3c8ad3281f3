import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics, renderMetrics } from '../../src/metrics/prometheus.ts';
import { runSamples } from '../../src/metrics/samples.ts';
import { closedPort, fixture, runWith, type Fixture } from './helpers.ts';
import { hasTool, PUSHGATEWAY, startPushgateway, type Pushgateway } from './pushgateway-server.ts';
import { underCi as ci } from '../helpers/services.ts';

const DAY = 86_400_000;

function promtoolCheck(text: string): { ok: boolean; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** The value of one series, by name and labels (undefined when absent). */
function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  return parseMetrics(text).find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

describe('metrics: the text format', () => {
  test('label values are escaped and read back; every series the issue names is rendered', () => {
    const samples = runSamples({
      set: 'odd "set"\\name',
      command: 'drill',
      ok: true,
      durationMs: 1500,
      finishedAt: new Date(Date.UTC(2026, 10, 30, 3, 0, 10)),
      destinations: [{ url: 's3://bucket/with\nnewline', ok: true, size: 2048 }],
      backupTime: new Date(Date.UTC(2026, 10, 30, 3)),
      drill: { ok: true, rtoMs: 12_345 },
    });
    const text = renderMetrics(samples);
    assert.deepEqual([...new Set(samples.map((s) => s.name))].sort(), [
      'lifeboat_backup_age_seconds',
      'lifeboat_backup_duration_seconds',
      'lifeboat_backup_size_bytes',
      'lifeboat_drill_rto_seconds',
      'lifeboat_drill_success',
      'lifeboat_last_run_success',
      'lifeboat_last_success_timestamp_seconds',
    ]);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    assert.deepEqual(parseMetrics(text).sort(byName), [...samples].sort(byName));
    assert.equal(valueOf(text, 'lifeboat_backup_age_seconds', {}), 10);
    assert.equal(valueOf(text, 'lifeboat_drill_rto_seconds', {}), 12.345);
    if (hasTool('promtool')) {
      const check = promtoolCheck(text);
      assert.ok(check.ok, check.output);
    }
  });
});

if (!hasTool('promtool') && ci) {
  test('promtool is installed', () => {
    assert.fail(
      'promtool is missing but CI=true: .ci/install-system-packages.sh installs prometheus',
    );
  });
}
if (!hasTool(PUSHGATEWAY) && ci) {
  test('prometheus-pushgateway is installed', () => {
    assert.fail(
      `${PUSHGATEWAY} is missing but CI=true: .ci/install-system-packages.sh installs it`,
    );
  });
}

test(
  "the README's alerting expression is a rule promtool accepts",
  { skip: hasTool('promtool') ? false : 'promtool is missing (apt-get install -y prometheus)' },
  async () => {
    const readme = await readFile('README.md', 'utf8');
    const exprs = [...readme.matchAll(/```promql\n([\s\S]*?)\n```/g)].map((m) => m[1]!.trim());
    assert.ok(exprs.length > 0, 'the README shows an alerting expression');
    const dir = await mkdtemp(join(tmpdir(), 'notify_rules_'));
    try {
      const rules = {
        groups: [
          {
            name: 'lifeboat',
            rules: exprs.map((expr, i) => ({ alert: `LifeboatExample${i}`, expr })),
          },
        ],
      };
      await writeFile(join(dir, 'rules.yml'), JSON.stringify(rules));
      const r = spawnSync('promtool', ['check', 'rules', join(dir, 'rules.yml')], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);

describe(
  'metrics-file: node_exporter textfile output',
  { skip: hasTool('promtool') ? false : 'promtool is missing (apt-get install -y prometheus)' },
  () => {
    let f: Fixture;
    before(async () => {
      f = await fixture();
    });
    after(async () => {
      await f.cleanup();
    });

    test('a dry run writes metrics but leaves nothing at the destination, not even the run record', async () => {
      const file = join(f.dir, 'dry.prom');
      const store = `file:${join(f.dir, 'dry-store')}`;
      const backup = await runWith({ source: `sqlite:${f.db}`, destination: store, name: 'dry' });
      assert.equal(backup.error, undefined, String(backup.error));
      const before = (await readdir(join(f.dir, 'dry-store', 'dry'))).sort();
      const dry = await runWith({
        command: 'prune',
        destination: store,
        name: 'dry',
        'keep-last': '1',
        'dry-run': 'true',
        'metrics-file': file,
      });
      assert.equal(dry.error, undefined, String(dry.error));
      assert.ok(promtoolCheck(await readFile(file, 'utf8')).ok);
      assert.deepEqual((await readdir(join(f.dir, 'dry-store', 'dry'))).sort(), before);
    });

    test('a backup writes series promtool accepts; a failed one keeps the last success; other sets are kept', async () => {
      const file = join(f.dir, 'lifeboat.prom');
      const t0 = new Date(Date.UTC(2026, 10, 30, 3));
      const good = await runWith(
        { source: `sqlite:${f.db}`, destination: f.store, name: 'shop', 'metrics-file': file },
        {},
        t0,
      );
      assert.equal(good.error, undefined, String(good.error));
      let text = await readFile(file, 'utf8');
      let check = promtoolCheck(text);
      assert.ok(check.ok, `${check.output}\n${text}`);
      const labels = { set: 'shop', command: 'backup', destination: f.store };
      assert.equal(valueOf(text, 'lifeboat_last_run_success', labels), 1);
      assert.equal(
        valueOf(text, 'lifeboat_last_success_timestamp_seconds', labels),
        t0.getTime() / 1000,
      );
      assert.equal(valueOf(text, 'lifeboat_backup_size_bytes', labels), good.report.size);
      assert.equal(valueOf(text, 'lifeboat_backup_age_seconds', labels), 0);
      assert.ok(valueOf(text, 'lifeboat_backup_duration_seconds', labels)! >= 0);
      assert.equal(valueOf(text, 'lifeboat_drill_success', labels), undefined);
      assert.ok(good.logs.includes(`metrics written to ${file}`));

      // Another set backed up from the same machine: both sets' series stay in the file.
      const other = await runWith(
        { source: `sqlite:${f.db}`, destination: f.store, name: 'crm', 'metrics-file': file },
        {},
        t0,
      );
      assert.equal(other.error, undefined, String(other.error));

      // A day later the backup fails: success 0, the last success and the backup's age still told.
      const t1 = new Date(t0.getTime() + DAY);
      const bad = await runWith(
        {
          source: `sqlite:${join(f.dir, 'gone.sqlite')}`,
          destination: f.store,
          name: 'shop',
          'metrics-file': file,
        },
        {},
        t1,
      );
      assert.ok(bad.error);
      text = await readFile(file, 'utf8');
      check = promtoolCheck(text);
      assert.ok(check.ok, `${check.output}\n${text}`);
      assert.equal(valueOf(text, 'lifeboat_last_run_success', labels), 0);
      assert.equal(
        valueOf(text, 'lifeboat_last_success_timestamp_seconds', labels),
        t0.getTime() / 1000,
      );
      assert.equal(valueOf(text, 'lifeboat_backup_age_seconds', labels), DAY / 1000);
      assert.equal(
        valueOf(text, 'lifeboat_last_run_success', { set: 'crm', command: 'backup' }),
        1,
      );
      // One HELP/TYPE block per metric even with two sets, and no temp file left behind.
      assert.equal(text.match(/^# TYPE lifeboat_last_run_success gauge$/gm)?.length, 1);
      assert.deepEqual(
        (await readdir(f.dir)).filter((n) => n.includes('lifeboat.prom')),
        ['lifeboat.prom'],
      );
    });

    test('a metrics file that cannot be written is a warning, not a failed backup', async () => {
      // A folder where the file should be: unwritable whoever runs the test (root included).
      const file = join(f.dir, 'taken.prom');
      await mkdir(file);
      const r = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        'metrics-file': file,
      });
      assert.equal(r.error, undefined, String(r.error));
      assert.equal(r.report.outputs['error-kind'], 'none');
      const warning = r.logs.find((l) =>
        l.startsWith(`warning: could not write the metrics file ${file}`),
      );
      assert.ok(warning, r.logs.join('\n'));
      assert.match(warning, /EISDIR/);
      assert.deepEqual(
        (await readdir(f.dir)).filter((n) => n.includes('taken.prom')),
        ['taken.prom'],
      );
    });

    test('a file that is not ours keeps none of its lines', async () => {
      const file = join(f.dir, 'foreign.prom');
      await writeFile(file, 'garbage line\nother_metric 1\n');
      const r = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        'metrics-file': file,
      });
      assert.equal(r.error, undefined, String(r.error));
      const text = await readFile(file, 'utf8');
      assert.doesNotMatch(text, /garbage|other_metric/);
      assert.ok(promtoolCheck(text).ok);
    });
  },
);

describe(
  'pushgateway: a real Pushgateway receives and exposes the series',
  {
    skip: hasTool(PUSHGATEWAY)
      ? false
      : `${PUSHGATEWAY} is missing (apt-get install -y prometheus-pushgateway)`,
  },
  () => {
    let gw: Pushgateway;
    let f: Fixture;
    before(async () => {
      gw = await startPushgateway();
      f = await fixture();
    });
    after(async () => {
      await gw?.stop();
      await f?.cleanup();
    });

    test('backup and verify of a set each keep their series; failures show as 0', async () => {
      const backup = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        name: 'shop',
        pushgateway: gw.url,
      });
      assert.equal(backup.error, undefined, String(backup.error));
      assert.ok(backup.logs.includes(`metrics pushed to ${gw.url}/`), backup.logs.join('\n'));
      const verify = await runWith({
        command: 'verify',
        destination: f.store,
        name: 'shop',
        pushgateway: gw.url,
      });
      assert.equal(verify.error, undefined, String(verify.error));
      const scraped = await gw.scrape();
      const base = { job: 'lifeboat', set: 'shop', destination: f.store };
      assert.equal(
        valueOf(scraped, 'lifeboat_last_run_success', { ...base, command: 'backup' }),
        1,
      );
      assert.equal(
        valueOf(scraped, 'lifeboat_last_run_success', { ...base, command: 'verify' }),
        1,
      );
      assert.equal(
        valueOf(scraped, 'lifeboat_backup_size_bytes', { ...base, command: 'backup' }),
        backup.report.size,
      );
      assert.ok(
        valueOf(scraped, 'lifeboat_last_success_timestamp_seconds', {
          ...base,
          command: 'verify',
        })! > 0,
      );
      // The Pushgateway's own record of the push: one group per set and command.
      assert.match(
        scraped,
        /push_time_seconds\{command="verify",instance="",job="lifeboat",set="shop"\}/,
      );

      const failed = await runWith({
        source: `sqlite:${join(f.dir, 'gone.sqlite')}`,
        destination: f.store,
        name: 'shop',
        pushgateway: gw.url,
      });
      assert.ok(failed.error);
      const after = await gw.scrape();
      assert.equal(valueOf(after, 'lifeboat_last_run_success', { ...base, command: 'backup' }), 0);
      assert.equal(valueOf(after, 'lifeboat_last_run_success', { ...base, command: 'verify' }), 1);
    });

    test('a status over every set (no set name) is pushed under an empty set label', async () => {
      const r = await runWith({
        command: 'status',
        destination: f.store,
        schedule: '0 3 * * *',
        grace: '400d',
        pushgateway: gw.url,
      });
      assert.ok(
        r.logs.includes(`metrics pushed to ${gw.url}/`),
        `${String(r.error)}\n${r.logs.join('\n')}`,
      );
      const scraped = await gw.scrape();
      assert.equal(r.report.name, undefined, 'status over every set names none');
      const set = '';
      assert.equal(
        valueOf(scraped, 'lifeboat_last_run_success', { job: 'lifeboat', set, command: 'status' }),
        r.error ? 0 : 1,
      );
    });

    test('an unreachable Pushgateway is a warning, not a failed backup; its password is masked', async () => {
      const port = await closedPort();
      const r = await runWith({
        source: `sqlite:${f.db}`,
        destination: f.store,
        pushgateway: `http://pusher:notify_pgw_password@127.0.0.1:${port}`,
      });
      assert.equal(r.error, undefined, String(r.error));
      const warning = r.logs.find((l) => l.startsWith('warning: could not push metrics'));
      assert.ok(warning, r.logs.join('\n'));
      assert.match(warning, /ECONNREFUSED/);
      assert.ok(!r.logs.join('\n').includes('notify_pgw_password'));
    });
  },
);
