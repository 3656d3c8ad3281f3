/**
 * Memory (peak RSS) of backup, verify and restore for PostgreSQL (from the shapes' runs) and
 * `dir:`, and the S3 (s3rver) and Azure (Azurite) destinations: a 200 MiB archive uploaded by
 * Lifeboat against the same bytes uploaded by the SDK alone, in interleaved rounds.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { startS3rver } from '../__tests__/helpers/s3rver.ts';
import { DEV_ACCOUNT, DEV_KEY, startAzurite } from '../__tests__/storage/azurite-server.ts';
import {
  check,
  lifeboat,
  logRun,
  medianRun,
  nodeScript,
  ratio,
  rssMiB,
  sec,
  type Run,
} from './lib.ts';
import type { ShapeResult } from './postgres.ts';

const MiB = 2 ** 20;
const SDK_UPLOAD = resolve(import.meta.dirname, 'sdk-upload.ts');

async function randomTree(dir: string, mib: number): Promise<string> {
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  const f = await open(join(src, 'random.bin'), 'w');
  const block = randomBytes(4 * MiB);
  for (let i = 0; i < mib / 4; i++) {
    block.writeUInt32LE(i, 0);
    await f.write(block);
  }
  await f.close();
  return src;
}

interface Upload {
  store: string;
  sdk: Run;
  lb: Run;
}

export async function benchMemoryAndClouds(
  quick: boolean,
  n: number,
  pgResults: ShapeResult[],
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-bench-memory-'));
  const size = 200;
  try {
    const src = await randomTree(work, size);
    const store = join(work, 'store');
    // dir: to file: (archive uncompressed, so the stored object is the 200 MiB the clouds get).
    const common = ['--source', `dir:${src}`, '--compression', 'none', '--name', 'bench'];
    const dirBackup = await lifeboat(['backup', ...common, '--destination', `file:${store}`], {});
    logRun('dir: backup to file:', dirBackup);
    const dirVerify = await lifeboat(
      ['verify', '--destination', `file:${store}`, '--name', 'bench'],
      {},
    );
    logRun('dir: verify', dirVerify);
    const dirRestore = await lifeboat(
      [
        'restore',
        '--destination',
        `file:${store}`,
        '--name',
        'bench',
        '--target',
        join(work, 'restored'),
      ],
      {},
    );
    logRun('dir: restore', dirRestore);
    await rm(join(work, 'restored'), { recursive: true, force: true });
    const archive = (await readdir(join(store, 'bench'))).find((x) => x.endsWith('.tar'))!;
    const archivePath = join(store, 'bench', archive);

    const uploads: Upload[] = [];
    const s3 = await startS3rver();
    if ('unavailable' in s3) throw new Error(s3.unavailable);
    try {
      const bucket = await s3.createBucket();
      const sdk: Run[] = [];
      const lb: Run[] = [];
      for (let r = 0; r < n; r++) {
        const a = await nodeScript(
          SDK_UPLOAD,
          ['s3', archivePath, s3.endpoint, bucket, `sdk/${r}.tar`],
          { ...process.env, ...s3.env },
          'SDK upload to s3rver',
        );
        logRun('S3 SDK alone', a);
        sdk.push(a);
        const b = await lifeboat(
          [
            'backup',
            ...common,
            '--destination',
            `s3://${bucket}/lb${r}`,
            '--s3-endpoint',
            s3.endpoint,
            '--s3-force-path-style',
            '--verify-after-backup',
            'false',
          ],
          s3.env,
        );
        logRun('S3 Lifeboat backup', b);
        lb.push(b);
      }
      uploads.push({ store: 'S3 (s3rver)', sdk: medianRun(sdk), lb: medianRun(lb) });
      await s3.deleteBucket(bucket).catch(() => undefined);
    } finally {
      await s3.close();
    }

    const azurite = await startAzurite();
    try {
      const container = `bench-${randomBytes(4).toString('hex')}`;
      await BlobServiceClient.fromConnectionString(azurite.connectionString).createContainer(
        container,
      );
      const azEnv = { AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT, AZURE_STORAGE_KEY: DEV_KEY };
      const sdk: Run[] = [];
      const lb: Run[] = [];
      for (let r = 0; r < n; r++) {
        const a = await nodeScript(
          SDK_UPLOAD,
          ['azblob', archivePath, azurite.endpoint, container, `sdk/${r}.tar`],
          { ...process.env, ...azEnv },
          'SDK upload to Azurite',
        );
        logRun('Azure SDK alone', a);
        sdk.push(a);
        const b = await lifeboat(
          [
            'backup',
            ...common,
            '--destination',
            `azblob://${container}/lb${r}`,
            '--azure-endpoint',
            azurite.endpoint,
            '--verify-after-backup',
            'false',
          ],
          azEnv,
        );
        logRun('Azure Lifeboat backup', b);
        lb.push(b);
      }
      uploads.push({ store: 'Azure Blob (Azurite)', sdk: medianRun(sdk), lb: medianRun(lb) });
    } finally {
      await azurite.stop();
    }

    const pgRows = pgResults.map(
      (s) =>
        `| PostgreSQL \`${s.shape.name}\` (${(s.rawDump / MiB).toFixed(0)} MiB dump), to \`file:\` | ${rssMiB(s.backup.selfRssKb)} | ${rssMiB(s.verify.selfRssKb)} | ${rssMiB(s.restore.selfRssKb)} |`,
    );
    const peakAll = Math.max(
      ...pgResults.flatMap((s) => [s.backup.selfRssKb!, s.verify.selfRssKb!, s.restore.selfRssKb!]),
      dirBackup.selfRssKb!,
      dirVerify.selfRssKb!,
      dirRestore.selfRssKb!,
      ...uploads.map((u) => u.lb.selfRssKb!),
    );
    return [
      `## Memory${quick ? ' (quick sizes)' : ''}`,
      '',
      "Peak RSS of the Lifeboat node process (getrusage maxRSS; children such as `pg_dump` and `zstd` are not included). The bundled CLI sets V8's `--semi-space-growth-factor=1` (src/faces.ts): the young generation stays at its starting size, which keeps short-lived stream buffers from inflating the heap.",
      '',
      '| run | backup | verify | restore |',
      '|---|---|---|---|',
      ...pgRows,
      `| \`dir:\`, one ${size} MiB random file, uncompressed archive, to \`file:\` | ${rssMiB(dirBackup.selfRssKb)} | ${rssMiB(dirVerify.selfRssKb)} | ${rssMiB(dirRestore.selfRssKb)} |`,
      '',
      `### Cloud destinations: a ${size} MiB archive`,
      '',
      `Lifeboat backs up the \`dir:\` above (\`compression: none\`, \`verify-after-backup: false\`) to the store; the baseline uploads the same ${size} MiB archive file with the SDK alone (bench/sdk-upload.ts: the same part size and concurrency). Medians of ${n} interleaved rounds; the servers run on the same 2 cores.`,
      '',
      '| destination | SDK alone: wall, CPU, peak RSS | Lifeboat: wall, CPU (own process), peak RSS | wall ratio |',
      '|---|---|---|---|',
      ...uploads.map(
        (u) =>
          `| ${u.store} | ${sec(u.sdk.ms)}, ${sec(u.sdk.selfCpuMs!)}, ${rssMiB(u.sdk.selfRssKb)} | ${sec(u.lb.ms)}, ${sec(u.lb.selfCpuMs!)}, ${rssMiB(u.lb.selfRssKb)} | ${ratio(u.lb.ms, u.sdk.ms)} |`,
      ),
      '',
      `| target | from | measured | |`,
      '|---|---|---|---|',
      `| peak RSS ≤ 200 MB (= 191 MiB) whatever the database size | DESIGN §6 | ${rssMiB(peakAll)} (largest above) | ${check(peakAll * 1024 <= 200e6)} |`,
      `| peak RSS ≤ 128 MiB for backup, restore and verify | issue #18 | ${rssMiB(peakAll)} (largest above) | ${check(peakAll <= 128 * 1024)} |`,
    ].join('\n');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
