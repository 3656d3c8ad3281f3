import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { runCommand } from '../../src/engine/run.ts';
import { Redactor, type Logger } from '../../src/core/log.ts';
import { parseOptions, type RawOptions } from '../../src/options/parse.ts';
import { RunReport } from '../../src/report/report.ts';
import type { RunContext } from '../../src/core/context.ts';
import { refusedPort } from '../helpers/ports.ts';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  url: string;
  requests: Recorded[];
  /** Status (and body) to answer per request path; 200 otherwise (Slack answers "ok"). */
  answer: Map<string, { status: number; body?: string }>;
  close(): Promise<void>;
}

/** A local HTTP server that records every request, as webhook services would receive them. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: Recorded[] = [];
  const answer = new Map<string, { status: number; body?: string }>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const a = answer.get(req.url ?? '') ?? { status: 200, body: 'ok' };
      res.writeHead(a.status, { 'Content-Type': 'text/plain' });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on, held so that nothing can (see helpers/ports.ts). */
export const closedPort = refusedPort;

export interface Run {
  report: RunReport;
  error?: unknown;
  logs: string[];
}

/** Runs one command in-process, as the faces do, with the context fields notifications read. */
export async function runWith(
  raw: RawOptions,
  extra: Partial<RunContext> = {},
  now: Date = new Date(),
): Promise<Run> {
  const logs: string[] = [];
  const redactor = new Redactor();
  const log: Logger = {
    info: (m) => logs.push(redactor.redact(m)),
    warn: (m) => logs.push(`warning: ${redactor.redact(m)}`),
    error: (m) => logs.push(`error: ${redactor.redact(m)}`),
    debug: () => undefined,
  };
  // As both faces do: every secret input is masked before the command runs.
  for (const name of ['notify-secret', 'github-token'] as const) {
    const v = raw[name];
    if (typeof v === 'string') redactor.add(v);
  }
  const ctx: RunContext = {
    log,
    redactor,
    env: { PATH: process.env['PATH'] },
    cwd: process.cwd(),
    now: () => now,
    version: 'test',
    sleep: async () => undefined,
    ...extra,
  };
  const options = parseOptions(raw);
  const report = new RunReport(options.command);
  try {
    await runCommand(options, ctx, report);
    return { report, logs };
  } catch (error) {
    return { report, error, logs };
  }
}

export interface Fixture {
  dir: string;
  db: string;
  store: string;
  cleanup(): Promise<void>;
}

/** A small SQLite database and an empty file: store. */
export async function fixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'notify_'));
  const db = join(dir, 'app.sqlite');
  const d = new DatabaseSync(db);
  d.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('x'), ('y');");
  d.close();
  return {
    dir,
    db,
    store: `file:${join(dir, 'store')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
