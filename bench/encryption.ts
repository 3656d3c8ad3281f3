/**
 * Encryption: the same PostgreSQL backup and restore with and without age encryption (one
 * X25519 recipient), interleaved in one run, medians compared. The target (issue #13): an
 * encrypted backup within 1.05 × the unencrypted one, and likewise the restore.
 */
import { spawn } from 'node:child_process';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { X25519Identity } from '../src/archive/age/index.ts';

export const ENCRYPTION_TARGET = 1.05;

export interface EncryptionFigures {
  runs: number;
  /** Fastest runs (least disturbed by other load), and CPU of the fastest. */
  fastest: {
    backupPlainMs: number;
    backupAgeMs: number;
    restorePlainMs: number;
    restoreAgeMs: number;
  };
  cpu: { backupPlainMs: number; backupAgeMs: number; restorePlainMs: number; restoreAgeMs: number };
  /** What was backed up, e.g. "lifeboat_bench_1000013 (277 MiB on disk)". */
  database: string;
  backupPlainMs: number;
  backupAgeMs: number;
  restorePlainMs: number;
  restoreAgeMs: number;
  archiveBytes: number;
  encryptedBytes: number;
}

interface Timing {
  ms: number;
  /** CPU seconds of the Lifeboat process and the children it reaped (zstd, pg_dump, …), as
   * last seen in /proc before it exited: less sensitive than wall time to a busy machine. */
  cpuMs: number;
}

const TICK_MS = 10;

function timeRun(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timing> {
  return new Promise((res, rej) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let cpuMs = 0;
    const poll = setInterval(() => {
      readFile(`/proc/${child.pid}/stat`, 'utf8')
        .then((stat) => {
          // Fields after the command name: utime stime cutime cstime are 14-17 (1-based).
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          cpuMs = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
        })
        .catch(() => {});
    }, 20);
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
    child.on('error', rej);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) res({ ms, cpuMs });
      else rej(new Error(`${args.slice(1, 3).join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function archiveSize(store: string): Promise<number> {
  const names = await readdir(join(store, 'bench'));
  const archive = names.find((n) => /\.tar(\.zst|\.gz)?(\.age)?$/.test(n));
  return archive ? (await stat(join(store, 'bench', archive))).size : 0;
}

/**
 * `baseUrl` is the server (postgres://user@host:port), `db` the database to back up, `cli` the
 * Lifeboat CLI to run (the bundle), `work` a scratch folder.
 */
export async function measureEncryption(options: {
  baseUrl: string;
  db: string;
  cli: string;
  work: string;
  env: NodeJS.ProcessEnv;
  runs?: number;
  /** How to describe the database in the report. */
  database?: string;
}): Promise<EncryptionFigures> {
  const runs = options.runs ?? 5;
  const identity = X25519Identity.generate();
  const recipient = identity.recipient().fingerprint;
  const env = { ...options.env, LIFEBOAT_LOG: 'warn' };
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    timeRun(process.execPath, ['--disable-warning=ExperimentalWarning', options.cli, ...args], {
      ...env,
      ...extra,
    });
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: `${options.baseUrl}/postgres` });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const plain = { backup: [] as Timing[], restore: [] as Timing[] };
  const aged = { backup: [] as Timing[], restore: [] as Timing[] };
  let archiveBytes = 0;
  let encryptedBytes = 0;
  const target = `${options.db}_rst_crypto`;
  try {
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so a noisy moment or a warm cache favours neither.
      const order = i % 2 ? (['age', 'plain'] as const) : (['plain', 'age'] as const);
      for (const kind of order) {
        const store = join(options.work, `crypto-${kind}`);
        await rm(store, { recursive: true, force: true });
        const extra = kind === 'age' ? ['--age-recipients', recipient] : [];
        await admin('CHECKPOINT');
        const b = await cli([
          'backup',
          '--source',
          `${options.baseUrl}/${options.db}`,
          '--destination',
          `file:${store}`,
          '--name',
          'bench',
          ...extra,
        ]);
        if (kind === 'age') encryptedBytes = await archiveSize(store);
        else archiveBytes = await archiveSize(store);
        await admin(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
        await admin('CHECKPOINT');
        const r = await cli(
          [
            'restore',
            '--destination',
            `file:${store}`,
            '--name',
            'bench',
            '--target',
            `${options.baseUrl}/${target}`,
          ],
          kind === 'age' ? { LIFEBOAT_AGE_IDENTITY: identity.encode() } : {},
        );
        const figures = kind === 'age' ? aged : plain;
        figures.backup.push(b);
        figures.restore.push(r);
        console.log(
          `  ${kind === 'age' ? 'encrypted' : 'plain    '} backup ${(b.ms / 1000).toFixed(2)} s (CPU ${(b.cpuMs / 1000).toFixed(2)} s), restore ${(r.ms / 1000).toFixed(2)} s (CPU ${(r.cpuMs / 1000).toFixed(2)} s)`,
        );
      }
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`).catch(() => {});
  }
  return {
    runs,
    database: options.database ?? options.db,
    backupPlainMs: median(plain.backup.map((x) => x.ms)),
    backupAgeMs: median(aged.backup.map((x) => x.ms)),
    restorePlainMs: median(plain.restore.map((x) => x.ms)),
    restoreAgeMs: median(aged.restore.map((x) => x.ms)),
    fastest: {
      backupPlainMs: Math.min(...plain.backup.map((x) => x.ms)),
      backupAgeMs: Math.min(...aged.backup.map((x) => x.ms)),
      restorePlainMs: Math.min(...plain.restore.map((x) => x.ms)),
      restoreAgeMs: Math.min(...aged.restore.map((x) => x.ms)),
    },
    cpu: {
      backupPlainMs: median(plain.backup.map((x) => x.cpuMs)),
      backupAgeMs: median(aged.backup.map((x) => x.cpuMs)),
      restorePlainMs: median(plain.restore.map((x) => x.cpuMs)),
      restoreAgeMs: median(aged.restore.map((x) => x.cpuMs)),
    },
    archiveBytes,
    encryptedBytes,
  };
}

export function encryptionSection(f: EncryptionFigures): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const r = (a: number, b: number) => a / b;
  const check = (x: number) => (x <= ENCRYPTION_TARGET ? 'met' : '**missed**');
  const backup = r(f.backupAgeMs, f.backupPlainMs);
  const restore = r(f.restoreAgeMs, f.restorePlainMs);
  return `## Encryption

The same Lifeboat backup (\`file:\` storage, read-back on) and restore (into a new database)
of PostgreSQL database ${f.database} without and with age encryption to one X25519 recipient
(\`age-recipients\`; the restore with \`age-identity\`), median of ${f.runs} interleaved runs
each. Encryption is Node's native
ChaCha20-Poly1305 in age's 64 KiB STREAM chunks; the encrypted archive is
${((f.encryptedBytes / Math.max(f.archiveBytes, 1) - 1) * 100).toFixed(2)} % larger (16 bytes per 64 KiB chunk and the header).

| run | unencrypted | encrypted | ratio | target ≤ ${ENCRYPTION_TARGET} × |
|---|---|---|---|---|
| backup, median | ${sec(f.backupPlainMs)} | ${sec(f.backupAgeMs)} | ${backup.toFixed(3)} × | ${check(backup)} |
| restore, median | ${sec(f.restorePlainMs)} | ${sec(f.restoreAgeMs)} | ${restore.toFixed(3)} × | ${check(restore)} |
| backup, fastest run | ${sec(f.fastest.backupPlainMs)} | ${sec(f.fastest.backupAgeMs)} | ${r(f.fastest.backupAgeMs, f.fastest.backupPlainMs).toFixed(3)} × | |
| restore, fastest run | ${sec(f.fastest.restorePlainMs)} | ${sec(f.fastest.restoreAgeMs)} | ${r(f.fastest.restoreAgeMs, f.fastest.restorePlainMs).toFixed(3)} × | |
| backup, CPU (Lifeboat + reaped children), median | ${sec(f.cpu.backupPlainMs)} | ${sec(f.cpu.backupAgeMs)} | ${r(f.cpu.backupAgeMs, f.cpu.backupPlainMs).toFixed(3)} × | |
| restore, CPU (Lifeboat + reaped children), median | ${sec(f.cpu.restorePlainMs)} | ${sec(f.cpu.restoreAgeMs)} | ${r(f.cpu.restoreAgeMs, f.cpu.restorePlainMs).toFixed(3)} × | |

On a busy machine the wall times swing by more than the cost measured here; the CPU rows show
what encryption itself adds.
`;
}

const START = '<!-- encryption:start -->';
const END = '<!-- encryption:end -->';

/** Puts the encryption section in a report, replacing an earlier one. */
export function withEncryptionSection(report: string, section: string): string {
  const block = `${START}\n${section}${END}\n`;
  const start = report.indexOf(START);
  const end = report.indexOf(END);
  if (start >= 0 && end > start)
    return report.slice(0, start) + block + report.slice(end + END.length + 1);
  return `${report.trimEnd()}\n\n${block}`;
}
