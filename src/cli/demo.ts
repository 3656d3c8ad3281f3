import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunContext } from '../core/context.ts';
import { ExitCode, exitCodeFor } from '../core/errors.ts';
import { runCommand } from '../engine/run.ts';
import { parseOptions } from '../options/parse.ts';
import { RunReport } from '../report/report.ts';
import { renderSummary } from '../report/summary.ts';
import { describeForCli } from './describe.ts';
import type { CliIo } from './main.ts';

/**
 * The embedded default: a demo SQLite database is created, backed up to ./backups, verified,
 * restored into a new file, and each step's summary printed. Everything a real run does.
 */
export async function runDemo(ctx: RunContext, io: CliIo): Promise<number> {
  const dir = join(ctx.cwd, '.lifeboat-demo');
  await mkdir(dir, { recursive: true });
  const dbPath = join(dir, 'shop.sqlite');
  await rm(dbPath, { force: true });
  createDemoDatabase(dbPath);
  const rel = (p: string) => relative(ctx.cwd, p) || '.';
  ctx.log.info(`Created the demo database ${rel(dbPath)} (customers, orders)`);

  const destination = `file:${join(ctx.cwd, 'backups')}`;
  const steps: Array<{ title: string; raw: Record<string, string> }> = [
    {
      title: 'backup',
      raw: { command: 'backup', source: `sqlite:${dbPath}`, destination, 'keep-last': '5' },
    },
    { title: 'verify', raw: { command: 'verify', destination, name: 'shop' } },
  ];
  try {
    let backupId = '';
    for (const step of steps) {
      const report = new RunReport(step.title);
      await runCommand(parseOptions(step.raw), ctx, report);
      backupId ||= report.backupId ?? '';
      io.stdout(renderSummary(report) + '\n');
    }
    const target = join(dir, `restored-${backupId}.sqlite`);
    const report = new RunReport('restore');
    await runCommand(
      parseOptions({
        command: 'restore',
        destination,
        name: 'shop',
        backup: backupId,
        target: `sqlite:${target}`,
      }),
      ctx,
      report,
    );
    io.stdout(renderSummary(report) + '\n');
    const check = new DatabaseSync(target, { readOnly: true });
    const row = check.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
    check.close();
    io.stdout(
      `Demo done: backups are in ${rel(join(ctx.cwd, 'backups'))}/shop/, the restored copy ${rel(target)} has ${row.n} orders.\n` +
        `Try: npm run lifeboat -- list --destination file:./backups\n`,
    );
    return ExitCode.ok;
  } catch (err) {
    ctx.log.error(describeForCli(err));
    return exitCodeFor(err);
  }
}

function createDemoDatabase(path: string): void {
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, created_at TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL, note TEXT);
    CREATE INDEX orders_customer ON orders(customer_id);
  `);
  const names = [
    'Ada',
    'Grace',
    'Linus',
    'Margaret',
    'Dennis',
    'Barbara',
    'Ken',
    'Frances',
    'Émilie',
    '李雷',
  ];
  const insertCustomer = db.prepare(
    'INSERT INTO customers (name, email, created_at) VALUES (?, ?, ?)',
  );
  const insertOrder = db.prepare('INSERT INTO orders (customer_id, total, note) VALUES (?, ?, ?)');
  db.exec('BEGIN');
  names.forEach((n, i) =>
    insertCustomer.run(n, `${i}@example.com`, new Date(Date.UTC(2026, 0, i + 1)).toISOString()),
  );
  for (let i = 0; i < 5000; i++)
    insertOrder.run((i % names.length) + 1, Math.round(i * 137.5) / 100, `order #${i}`);
  db.exec('COMMIT');
  db.close();
}
