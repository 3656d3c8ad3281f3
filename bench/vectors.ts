/**
 * Vector store benchmarks (`npm run bench -- vectors`, and part of `npm run bench`):
 *
 * - Chroma: BENCH_CHROMA_RECORDS records (default 100,000) of 384-dim embeddings with a short
 *   document and metadata, in a real `chroma run` server. Lifeboat's backup and restore (CLI
 *   processes: wall time, MiB/s of records, peak RSS) beside the same-run baselines: reading
 *   every record through the API in pages (the floor of any API backup) and adding them all back
 *   (the floor of any API restore).
 * - Qdrant: the stand-in's snapshot (Qdrant's server cannot run here) of BENCH_QDRANT_POINTS
 *   points (default 20,000 × 384 dims): Lifeboat's snapshot backup against a plain download of
 *   the same snapshot (`curl` to /dev/null, snapshot created and deleted the same way).
 *
 * Every figure is a ratio to its baseline from the same run; machines are noisy. Lifeboat is
 * the CLI the rest of the bench runs (bench/lib.ts CLI: dist/cli.js unless BENCH_CLI is set).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ChromaApi, startChroma } from '../__tests__/helpers/chroma-server.ts';
import { qdrantCall, startQdrantStandin } from '../__tests__/helpers/qdrant-standin.ts';
import { CLI } from './lib.ts';

const RECORDS = Number(process.env.BENCH_CHROMA_RECORDS ?? 100_000);
const POINTS = Number(process.env.BENCH_QDRANT_POINTS ?? 20_000);
const DIM = 384;
export const VECTORS_START = '<!-- bench:vectors -->';
export const VECTORS_END = '<!-- /bench:vectors -->';

interface Measure {
  ms: number;
  peakRssKb: number;
  code: number;
  stderr: string;
}

/** Runs a command; polls /proc/<pid>/status for its peak RSS (VmHWM). */
function measure(cmd: string, args: string[]): Promise<Measure> {
  return new Promise((ok, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
    let peak = 0;
    const poll = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8')
        .then((s) => {
          const m = /VmHWM:\s+(\d+) kB/.exec(s);
          if (m) peak = Math.max(peak, Number(m[1]));
        })
        .catch(() => {});
    }, 25);
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(poll);
      ok({
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
        peakRssKb: peak,
        code: code ?? -1,
        stderr,
      });
    });
  });
}

async function must(label: string, p: Promise<Measure>): Promise<Measure> {
  const m = await p;
  if (m.code !== 0) throw new Error(`${label} failed (exit ${m.code}):\n${m.stderr}`);
  console.log(
    `  ${label}: ${(m.ms / 1000).toFixed(2)} s, peak RSS ${(m.peakRssKb / 1024).toFixed(0)} MiB`,
  );
  return m;
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`  ${label}: ${(ms / 1000).toFixed(2)} s`);
  return ms;
}

/** Deterministic embeddings as base64 float32, generated a batch at a time. */
function batch(
  from: number,
  n: number,
): {
  ids: string[];
  embeddings: string[];
  documents: string[];
  metadatas: Array<Record<string, unknown>>;
} {
  const ids: string[] = [];
  const embeddings: string[] = [];
  const documents: string[] = [];
  const metadatas: Array<Record<string, unknown>> = [];
  let x = (from * 2654435761) >>> 0 || 1;
  for (let i = from; i < from + n; i++) {
    const f = new Float32Array(DIM);
    for (let d = 0; d < DIM; d++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      f[d] = x / 2 ** 32 - 0.5;
    }
    ids.push(`doc-${i}`);
    embeddings.push(Buffer.from(f.buffer).toString('base64'));
    documents.push(`Document ${i}: a short paragraph of text that the embedding stands for.`);
    metadatas.push({ source: `file-${i % 97}.md`, chunk: i % 13 });
  }
  return { ids, embeddings, documents, metadatas };
}

function decode(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

const mib = (bytes: number, ms: number) => (bytes / 1024 / 1024 / (ms / 1000)).toFixed(1);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)} ×`;

/** Size of the records members of the newest backup in a file: store. */
async function recordsBytes(store: string): Promise<number> {
  const set = (await readdir(store)).find((f) => !f.startsWith('.'))!;
  const sidecar = (await readdir(join(store, set))).find((f) => f.endsWith('.manifest.json'))!;
  const m = JSON.parse(await readFile(join(store, set, sidecar), 'utf8')) as {
    sources: Array<{ members: Array<{ path: string; size?: number }> }>;
  };
  return m.sources[0]!.members.reduce((n, x) => n + (x.size ?? 0), 0);
}

export async function benchVectors(): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-bench-vectors-'));
  const lines: string[] = [];
  try {
    // ---- Chroma ----
    console.log(`chroma: ${RECORDS} records × ${DIM} dims`);
    const server = await startChroma();
    if (!server) throw new Error('chromadb is not installed (npm ci)');
    try {
      const api = new ChromaApi(server.http);
      const id = await api.createCollection('bench');
      await timed('load (not measured against anything)', async () => {
        for (let i = 0; i < RECORDS; i += 5000)
          await api.add(id, batch(i, Math.min(5000, RECORDS - i)));
      });
      const readAll = await timed('baseline: read every record through the API', async () => {
        const db = api.db();
        for (let offset = 0; ; offset += 1000) {
          const r = await api.call<{ ids: string[] }>('POST', `${db}/collections/${id}/get`, {
            include: ['embeddings', 'documents', 'metadatas', 'uris'],
            offset,
            limit: 1000,
          });
          if (r.ids.length < 1000) break;
        }
      });
      const store = join(work, 'chroma-store');
      const backup = await must(
        'lifeboat backup',
        measure(process.execPath, [
          CLI,
          'backup',
          '--source',
          `${server.url}/bench`,
          '--destination',
          `file:${store}`,
          '--name',
          'bench',
        ]),
      );
      const bytes = await recordsBytes(store);
      await api.createDatabase('default_tenant', 'bench_plain');
      const plainDb = api.db('default_tenant', 'bench_plain');
      const plainId = await api.createCollection('bench', undefined, plainDb);
      const addAll = await timed('baseline: add every record through the API', async () => {
        for (let i = 0; i < RECORDS; i += 1000)
          await api.add(plainId, batch(i, Math.min(1000, RECORDS - i)), plainDb);
      });
      const restore = await must(
        'lifeboat restore',
        measure(process.execPath, [
          CLI,
          'restore',
          '--destination',
          `file:${store}`,
          '--name',
          'bench',
          '--target',
          `${server.url}/?database=bench_restored`,
        ]),
      );
      lines.push(
        `### Chroma: ${RECORDS.toLocaleString('en')} records × ${DIM} dims (real \`chroma run\`)`,
        '',
        '| | time | MiB/s of records | peak RSS | vs baseline |',
        '|---|---|---|---|---|',
        `| baseline: read every record (API pages of 1,000) | ${(readAll / 1000).toFixed(2)} s | ${mib(bytes, readAll)} | | |`,
        `| Lifeboat backup (zstd, file:) | ${(backup.ms / 1000).toFixed(2)} s | ${mib(bytes, backup.ms)} | ${(backup.peakRssKb / 1024).toFixed(0)} MiB | ${ratio(backup.ms, readAll)} |`,
        `| baseline: add every record (batches of 1,000) | ${(addAll / 1000).toFixed(2)} s | ${mib(bytes, addAll)} | | |`,
        `| Lifeboat restore (new database, count and id digest checked) | ${(restore.ms / 1000).toFixed(2)} s | ${mib(bytes, restore.ms)} | ${(restore.peakRssKb / 1024).toFixed(0)} MiB | ${ratio(restore.ms, addAll)} |`,
        '',
        `Records as archived: ${(bytes / 1024 / 1024).toFixed(1)} MiB of JSON Lines (embeddings as base64 float32). The Lifeboat figures include starting the CLI (the bundle, \`${relative(process.cwd(), CLI)}\`). Chroma reads pages by offset, so pages are kept large (1,000 records): smaller pages lowered the backup's peak RSS but made it several times slower.`,
        '',
      );
    } finally {
      await server.stop();
    }

    // ---- Qdrant stand-in ----
    console.log(`qdrant stand-in: ${POINTS} points × ${DIM} dims`);
    const q = await startQdrantStandin();
    try {
      await qdrantCall(q, 'PUT', '/collections/bench', {
        vectors: { size: DIM, distance: 'Cosine' },
      });
      for (let i = 0; i < POINTS; i += 2000) {
        const b = batch(i, Math.min(2000, POINTS - i));
        await qdrantCall(q, 'PUT', '/collections/bench/points?wait=true', {
          points: b.ids.map((_, k) => ({
            id: i + k,
            vector: Array.from(decode(b.embeddings[k]!)),
            payload: b.metadatas[k],
          })),
        });
      }
      const plain = await timed(
        'baseline: create, download (curl), delete the snapshot',
        async () => {
          const s = (await qdrantCall(q, 'POST', '/collections/bench/snapshots?wait=true')) as {
            name: string;
            size: number;
          };
          const m = await measure('curl', [
            '-sSf',
            '-o',
            '/dev/null',
            `${q.http}/collections/bench/snapshots/${s.name}`,
          ]);
          if (m.code !== 0) throw new Error(`curl failed: ${m.stderr}`);
          await qdrantCall(q, 'DELETE', `/collections/bench/snapshots/${s.name}?wait=true`);
        },
      );
      const snapSize = (await qdrantCall(q, 'POST', '/collections/bench/snapshots?wait=true')) as {
        name: string;
        size: number;
      };
      await qdrantCall(q, 'DELETE', `/collections/bench/snapshots/${snapSize.name}?wait=true`);
      const store = join(work, 'qdrant-store');
      const lb = await must(
        'lifeboat backup',
        measure(process.execPath, [
          CLI,
          'backup',
          '--source',
          `${q.url}/bench`,
          '--destination',
          `file:${store}`,
          '--name',
          'bench',
        ]),
      );
      lines.push(
        `### Qdrant stand-in: snapshot of ${POINTS.toLocaleString('en')} points × ${DIM} dims (${(snapSize.size / 1024 / 1024).toFixed(1)} MiB)`,
        '',
        '| | time | MiB/s | peak RSS | vs baseline |',
        '|---|---|---|---|---|',
        `| baseline: create, \`curl\` to /dev/null, delete | ${(plain / 1000).toFixed(2)} s | ${mib(snapSize.size, plain)} | | |`,
        `| Lifeboat backup (streamed into a zstd archive, sha256 checked, file:) | ${(lb.ms / 1000).toFixed(2)} s | ${mib(snapSize.size, lb.ms)} | ${(lb.peakRssKb / 1024).toFixed(0)} MiB | ${ratio(lb.ms, plain)} |`,
        '',
        "The stand-in serves real tar files but is not Qdrant: these figures measure Lifeboat's streaming, not Qdrant's snapshotting.",
        '',
      );
    } finally {
      await q.stop();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return `## Vector stores\n\n${lines.join('\n')}`;
}

export function withVectorsSection(report: string, section: string): string {
  const block = `${VECTORS_START}\n${section}${VECTORS_END}\n`;
  const start = report.indexOf(VECTORS_START);
  const end = report.indexOf(VECTORS_END);
  if (start >= 0 && end > start)
    return report.slice(0, start) + block + report.slice(end + VECTORS_END.length + 1);
  return `${report.trimEnd()}\n\n${block}`;
}
