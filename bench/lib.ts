/**
 * Shared measuring for the bench: every run is timed (wall), its process tree's CPU is read
 * from /usr/bin/time (user + sys of the command and every child it waited for), and a Lifeboat
 * CLI run also reports its own process's CPU and peak RSS (bench/usage-hook.mjs).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(process.env.BENCH_CLI ?? 'dist/cli.js');
const HOOK = resolve(import.meta.dirname, 'usage-hook.mjs');

export interface Run {
  ms: number;
  /** user + sys CPU of the whole process tree (the command and its reaped children). */
  treeCpuMs: number;
  /** Node runs only (Lifeboat, a baseline script): that process's own CPU and peak RSS. */
  selfCpuMs?: number;
  selfRssKb?: number;
  /** Runs with `privateTmp`: the peak total bytes in the run's own TMPDIR. */
  peakTmpBytes?: number;
}

/** Total bytes of the files under a folder (0 when it is gone). */
export async function dirBytes(path: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(path, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (e.isFile())
      total += await stat(join(e.parentPath, e.name)).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

/**
 * Samples a folder's total bytes every `everyMs` (one sample at a time: a slow walk skips ticks
 * instead of piling up) until `stop()`, which takes one last sample (what a run left behind
 * counts too) and resolves to the largest total seen. A sampler sees what is there at each
 * tick: a file that lives shorter than a tick can be missed.
 */
export function watchDirPeak(dir: string, everyMs = 50): { stop(): Promise<number> } {
  let peak = 0;
  let inFlight: Promise<void> | undefined;
  const timer = setInterval(() => {
    inFlight ??= dirBytes(dir)
      .then((b) => {
        peak = Math.max(peak, b);
      })
      .finally(() => {
        inFlight = undefined;
      });
  }, everyMs);
  return {
    async stop(): Promise<number> {
      clearInterval(timer);
      await inFlight;
      return Math.max(peak, await dirBytes(dir));
    },
  };
}

/**
 * Runs a command under /usr/bin/time; rejects (with the stderr tail) unless it exits 0.
 * `privateTmp`: the command gets a fresh private TMPDIR of its own (RUNNER_TEMP unset, so
 * Lifeboat's temp root is that folder), whose total size is sampled while it runs.
 */
export async function timed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { lifeboat?: boolean; script?: string; label?: string; privateTmp?: boolean } = {},
): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-bench-run-'));
  const timeFile = join(dir, 'time');
  const usageFile = join(dir, 'usage.json');
  const node = opts.lifeboat || opts.script !== undefined;
  const argv = node
    ? ['--import', HOOK, '--disable-warning=ExperimentalWarning', opts.script ?? CLI, ...args]
    : args;
  const command = node ? process.execPath : cmd;
  const childEnv: NodeJS.ProcessEnv = node
    ? { LIFEBOAT_LOG: 'warn', ...env, LIFEBOAT_BENCH_USAGE: usageFile }
    : { ...env };
  const label = opts.label ?? [cmd, ...args].join(' ').slice(0, 80);
  let tmp: string | undefined;
  let sampler: { stop(): Promise<number> } | undefined;
  try {
    if (opts.privateTmp) {
      tmp = await mkdtemp(join(tmpdir(), 'lifeboat-bench-tmpdir-'));
      childEnv.TMPDIR = tmp;
      delete childEnv.RUNNER_TEMP;
    }
    if (tmp !== undefined) sampler = watchDirPeak(tmp);
    const started = process.hrtime.bigint();
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((res, rej) => {
      const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, command, ...argv], {
        env: childEnv,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-8000)));
      child.on('error', rej);
      child.on('close', (c) => res({ code: c ?? -1, stderr: err }));
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const peakTmp = await sampler?.stop();
    if (code !== 0) throw new Error(`${label} failed (exit ${code}):\n${stderr}`);
    const times = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ');
    const run: Run = { ms, treeCpuMs: (Number(times[0]) + Number(times[1])) * 1000 };
    if (tmp !== undefined) {
      run.peakTmpBytes = peakTmp!;
      const left = await readdir(tmp);
      if (left.length)
        console.log(`  note: ${label} left ${left.join(', ')} in its TMPDIR after exiting`);
    }
    if (node) {
      const u = JSON.parse(await readFile(usageFile, 'utf8')) as {
        cpuMs: number;
        maxRssKb: number;
      };
      run.selfCpuMs = u.cpuMs;
      run.selfRssKb = u.maxRssKb;
    }
    return run;
  } finally {
    await sampler?.stop(); // a spawn that failed to start leaves it running
    await rm(dir, { recursive: true, force: true });
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  }
}

/** A Node script (a baseline such as an SDK-only upload), timed, with its CPU and peak RSS. */
export function nodeScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  label: string,
): Promise<Run> {
  return timed('', args, env, { script, label });
}

/**
 * `bash -o pipefail -c script`, timed: a baseline pipeline whose first program fails (pg_dump
 * in `pg_dump | gzip`) fails the run instead of timing a broken dump (Debian's sh has no
 * pipefail).
 */
export function sh(script: string, env: NodeJS.ProcessEnv, label?: string): Promise<Run> {
  return timed('bash', ['-o', 'pipefail', '-c', script], env, { label: label ?? script });
}

/**
 * A Lifeboat CLI run, timed, with its own CPU and peak RSS (and, with `privateTmp`, the peak
 * size of its own TMPDIR).
 */
export function lifeboat(
  args: string[],
  env: NodeJS.ProcessEnv,
  label?: string,
  opts: { privateTmp?: boolean } = {},
): Promise<Run> {
  return timed('', args, env, { ...opts, lifeboat: true, label: label ?? `lifeboat ${args[0]}` });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Medians of a list of runs, field by field. */
export function medianRun(runs: Run[]): Run {
  const m: Run = {
    ms: median(runs.map((r) => r.ms)),
    treeCpuMs: median(runs.map((r) => r.treeCpuMs)),
  };
  if (runs.every((r) => r.selfCpuMs !== undefined)) {
    m.selfCpuMs = median(runs.map((r) => r.selfCpuMs!));
    m.selfRssKb = Math.max(...runs.map((r) => r.selfRssKb!));
  }
  if (runs.length && runs.every((r) => r.peakTmpBytes !== undefined))
    m.peakTmpBytes = Math.max(...runs.map((r) => r.peakTmpBytes!));
  return m;
}

export const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
export const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)} ×`;
export const check = (ok: boolean): string => (ok ? 'met' : '**missed**');
export const rssMiB = (kb: number | undefined): string =>
  kb === undefined ? '—' : `${(kb / 1024).toFixed(0)} MiB`;

export function logRun(label: string, r: Run): void {
  console.log(
    `  ${label}: ${sec(r.ms)} wall, ${sec(r.treeCpuMs)} CPU (tree)` +
      (r.selfCpuMs !== undefined
        ? `, Lifeboat ${sec(r.selfCpuMs)} CPU, peak RSS ${rssMiB(r.selfRssKb)}`
        : '') +
      (r.peakTmpBytes !== undefined ? `, peak temp disk ${mib(r.peakTmpBytes)}` : ''),
  );
}

/**
 * Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` (markers included),
 * or, when the document has none yet, inserts it after section `after` (or after the title).
 */
export function withSection(doc: string, name: string, body: string, after?: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + block + doc.slice(j + end.length);
  const afterEnd = after === undefined ? -1 : doc.indexOf(`<!-- ${after}:end -->`);
  if (afterEnd >= 0) {
    const at = afterEnd + `<!-- ${after}:end -->`.length;
    return `${doc.slice(0, at)}\n\n${block}${doc.slice(at)}`;
  }
  const nl = doc.indexOf('\n');
  if (nl < 0) return `${doc}\n\n${block}\n`;
  return `${doc.slice(0, nl + 1)}\n${block}\n${doc.slice(nl + 1)}`;
}
