import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { sha256sumLine } from '../../src/archive/hash.ts';
import type { Manifest, MemberRecord, SidecarManifest } from '../../src/archive/types.ts';
import { ArchiveWriter } from '../../src/archive/writer.ts';
import type { DrillRecord } from '../../src/drill/record.ts';
import type { RunContext } from '../../src/core/context.ts';
import { drillCommand, type DrillHooks } from '../../src/engine/drill.ts';
import { RunSession } from '../../src/engine/session.ts';
import { Redactor } from '../../src/core/log.ts';
import { parseOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import { readAll } from '../archive/archive-helpers.ts';
import { jsonOf, runCli, type CliResult } from '../helpers/cli.ts';

/** A folder for one test: backups, files, and the run's temporary root (to prove it is emptied). */
export async function drillSpace(): Promise<{
  dir: string;
  store: string;
  tmpRoot: string;
  cli: (args: string[]) => Promise<CliResult & { json: ReturnType<typeof jsonOf> }>;
  /** The CLI with extra environment (secrets go there, never in flags). */
  runCli: (args: string[], env: NodeJS.ProcessEnv) => Promise<CliResult>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'drill_test-'));
  const store = join(dir, 'backups');
  const tmpRoot = join(dir, 'runner-temp');
  await import('node:fs/promises').then((f) => f.mkdir(tmpRoot));
  return {
    dir,
    store,
    tmpRoot,
    cli: async (args) => {
      const r = await runCli([...args, '--json'], { RUNNER_TEMP: tmpRoot }, dir);
      return { ...r, json: jsonOf(r) };
    },
    runCli: (args, env) => runCli(args, { RUNNER_TEMP: tmpRoot, ...env }, dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The drill records stored under a set. */
export async function drillRecords(store: string, set: string): Promise<DrillRecord[]> {
  const files = (await readdir(join(store, set))).filter((f) => f.endsWith('.drill.json'));
  return Promise.all(
    files.map(async (f) => JSON.parse(await readFile(join(store, set, f), 'utf8')) as DrillRecord),
  );
}

/** The record's shape is a contract with the dashboard: exactly these keys, these types. */
export function assertRecordShape(r: DrillRecord): void {
  assert.deepEqual(Object.keys(r).sort(), [
    'backupAgeMs',
    'backupId',
    'checks',
    'finishedAt',
    'ok',
    'rtoMs',
    'set',
    'startedAt',
    'version',
  ]);
  assert.equal(r.version, 1);
  assert.equal(typeof r.backupId, 'string');
  assert.equal(typeof r.set, 'string');
  assert.equal(new Date(r.startedAt).toISOString(), r.startedAt);
  assert.equal(new Date(r.finishedAt).toISOString(), r.finishedAt);
  assert.equal(typeof r.ok, 'boolean');
  assert.ok(Number.isInteger(r.rtoMs) && r.rtoMs >= 0);
  assert.ok(Number.isInteger(r.backupAgeMs) && r.backupAgeMs >= 0);
  for (const c of r.checks) {
    assert.deepEqual(Object.keys(c).sort(), ['detail', 'name', 'ok']);
    assert.equal(typeof c.name, 'string');
    assert.equal(typeof c.ok, 'boolean');
    assert.equal(typeof c.detail, 'string');
  }
}

export function check(r: DrillRecord, name: string | RegExp): DrillRecord['checks'][number] {
  const found = r.checks.find((c) =>
    typeof name === 'string' ? c.name === name : name.test(c.name),
  );
  assert.ok(found, `no check ${name} in ${JSON.stringify(r.checks)}`);
  return found;
}

/**
 * Rewrites an uncompressed backup with its inventory edited in the inner manifest and the
 * sidecar alike, every checksum consistent: only restoring the data can tell it is wrong.
 */
export async function tamperInventory(
  store: string,
  set: string,
  edit: (m: Manifest) => void,
): Promise<void> {
  const dir = join(store, set);
  const name = (await readdir(dir)).find((f) => f.endsWith('.manifest.json'))!;
  const sidecar = JSON.parse(await readFile(join(dir, name), 'utf8')) as SidecarManifest;
  assert.equal(sidecar.compression, 'none', 'tamperInventory rewrites uncompressed archives');
  const read = await readAll(createReadStream(join(store, sidecar.archive.key)));
  const writer = new ArchiveWriter({ chunkSize: read.header!.chunkSize });
  const bytes = buffer(writer.stream);
  await writer.writeHeader(read.header!);
  const records: Record<string, MemberRecord[]> = {};
  for (const s of read.header!.sources) {
    const sink = writer.sourceSink(s.name);
    for (const m of read.members.filter((x) => x.source === s.name)) {
      const meta = { mode: m.mode, mtime: m.mtime };
      if (m.type === 'file') await sink.addFile(m.path, m.data!, meta);
      else if (m.type === 'directory') await sink.addDirectory(m.path, meta);
      else await sink.addSymlink(m.path, m.linkTarget!, meta);
    }
    records[s.name] = sink.records();
  }
  const inner: Manifest = structuredClone({
    ...read.manifest!,
    sources: read.manifest!.sources.map((s) => ({ ...s, members: records[s.name] ?? [] })),
  });
  edit(inner);
  await writer.finish(inner);
  const tar = await bytes;
  const sha256 = createHash('sha256').update(tar).digest('hex');
  const { archive: _a, ...rest } = sidecar;
  void _a;
  const edited: SidecarManifest = {
    ...rest,
    ...inner,
    archive: { ...sidecar.archive, size: tar.length, sha256 },
  };
  if (sidecar.verifiedAt) edited.verifiedAt = sidecar.verifiedAt;
  const key = sidecar.archive.key;
  await writeFile(join(store, key), tar);
  await writeFile(
    join(store, key.replace(/\.tar$/, '.sha256')),
    sha256sumLine(sha256, key.split('/').pop()!),
  );
  await writeFile(join(store, key.replace(/\.tar$/, '.manifest.json')), JSON.stringify(edited));
}

/** Lifeboat's temporary folders left under a root (none, after any run). */
export async function leftovers(root: string): Promise<string[]> {
  return (await readdir(root)).filter((n) => n.startsWith('lifeboat-'));
}

/** Runs a drill in-process with a seam between the restore and the checks. */
export async function drillWithHook(
  raw: Record<string, string | string[] | undefined>,
  cwd: string,
  tmpRoot: string,
  afterRestore: NonNullable<DrillHooks['afterRestore']>,
  signal?: AbortSignal,
) {
  const logs: string[] = [];
  const ctx: RunContext = {
    log: {
      info: (m) => logs.push(m),
      warn: (m) => logs.push(`warning: ${m}`),
      error: (m) => logs.push(`error: ${m}`),
      debug: () => undefined,
    },
    redactor: new Redactor(),
    env: { PATH: process.env['PATH'] },
    cwd,
    now: () => new Date(),
    version: 'test',
    tmpRoot,
    ...(signal ? { signal } : {}),
  };
  const options = parseOptions({ command: 'drill', ...raw });
  const report = new RunReport('drill');
  try {
    await RunSession.run(options, ctx, report, (s) => drillCommand(s, { afterRestore }));
    return { report, logs, error: undefined as unknown };
  } catch (error) {
    return { report, logs, error };
  }
}
