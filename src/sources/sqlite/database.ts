/**
 * SQLite building blocks shared by every source that holds a SQLite file (sqlite:, chroma+dir:):
 * opening an existing database, its checks (integrity_check, row counts) and its sidecar files.
 */
import { lstat, open, rm } from 'node:fs/promises';
import { backup, DatabaseSync } from 'node:sqlite';
import { LifeboatError } from '../../core/errors.ts';

/** Files SQLite keeps beside a database; they belong to it and move with it. */
export const SIDECARS = ['-wal', '-shm', '-journal'];

/**
 * Pages per backup() step. Node 24 rejects SQLite's "-1 = all pages" and anything beyond an
 * int32, so the largest int32: one step for any database under 2^31 pages (8 TiB at 4 KiB).
 */
export const ALL_PAGES_IN_ONE_STEP = 2 ** 31 - 1;

/** A SQLite error code (SQLITE_NOTADB = 26, SQLITE_CORRUPT = 11) from a node:sqlite error. */
function sqliteErrcode(err: unknown): number | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

export function isNotADatabase(err: unknown): boolean {
  const code = sqliteErrcode(err);
  return code === 26 || code === 11;
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `PRAGMA integrity_check`: undefined when 'ok', else the first problems it reports. */
function integrityProblem(db: DatabaseSync): string | undefined {
  const rows = db.prepare('PRAGMA integrity_check(20)').all() as Array<Record<string, unknown>>;
  const lines = rows.map((r) => String(Object.values(r)[0]));
  if (lines.length === 1 && lines[0] === 'ok') return undefined;
  return lines.slice(0, 5).join('; ') || 'no result';
}

/** User tables with exact row counts (SQLite's own sqlite_* tables left out), sorted by name. */
export function tableCounts(db: DatabaseSync): Array<{ name: string; rows: number }> {
  const names = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all()
    .map((r) => String((r as { name: unknown }).name));
  return names.map((name) => {
    const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(name)}`).get() as { n: number };
    return { name, rows: Number(row.n) };
  });
}

export function pragmaValue(db: DatabaseSync, pragma: string): string {
  const row = db.prepare(`PRAGMA ${pragma}`).get() as Record<string, unknown> | undefined;
  return row ? String(Object.values(row)[0]) : '';
}

export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export async function removeWithSidecars(path: string): Promise<void> {
  for (const p of [path, ...SIDECARS.map((s) => path + s)]) await rm(p, { force: true });
}

export async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Not every filesystem lets a directory be fsynced; the renames are still atomic.
  }
}

/**
 * Opens a database file that must already exist (node:sqlite would otherwise create it) and
 * checks it really is SQLite by reading its schema.
 */
export function openExisting(path: string, readOnly: boolean): DatabaseSync {
  const db = new DatabaseSync(path, { readOnly, timeout: 30_000 });
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export interface CheckedCopy {
  tables: Array<{ name: string; rows: number }>;
  pageSize: number;
  journalMode: string;
}

/**
 * Opens a copy we own, runs integrity_check and counts rows. Throws `fail(reason)` on anything
 * wrong, including a file that is not a database at all. Leaves no -wal/-shm behind.
 */
export function checkCopy(path: string, fail: (reason: string) => Error): CheckedCopy {
  let db: DatabaseSync | undefined;
  try {
    db = openExisting(path, false);
    const problem = integrityProblem(db);
    if (problem) throw fail(`integrity_check failed: ${problem}`);
    return {
      tables: tableCounts(db),
      pageSize: Number(pragmaValue(db, 'page_size')),
      journalMode: pragmaValue(db, 'journal_mode'),
    };
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    if (isNotADatabase(err)) throw fail(`not a valid SQLite database (${message(err)})`);
    throw fail(message(err));
  } finally {
    db?.close();
  }
}

/** What an online copy found: the copy's checks, and the journal mode of the source. */
export interface OnlineCopy extends CheckedCopy {
  sourceJournalMode: string;
}

/**
 * Copies a live database to `copy` (a path of ours) with SQLite's online backup API, so the copy
 * is a consistent snapshot even while other processes write, then checks it (`checkCopy`) and
 * removes its sidecars. `copyFailed` turns a failure to open or copy the source into the
 * caller's error, `corrupt` a failed check; `opened` runs once the source is open. The caller
 * removes `copy` (with `removeWithSidecars`) when done, also after a failure.
 */
export async function onlineCopy(
  path: string,
  copy: string,
  how: {
    copyFailed: (err: unknown) => Error;
    corrupt: (reason: string) => Error;
    opened?: () => void;
  },
): Promise<OnlineCopy> {
  let source: DatabaseSync | undefined;
  let sourceJournalMode: string;
  try {
    source = openExisting(path, true);
    sourceJournalMode = pragmaValue(source, 'journal_mode');
    how.opened?.();
    // All pages in one step: SQLite restarts a stepped backup whenever another process
    // writes, which under steady writes may never finish. One step reads one snapshot
    // (in WAL mode writers carry on meanwhile).
    await backup(source, copy, { rate: ALL_PAGES_IN_ONE_STEP });
  } catch (err) {
    throw how.copyFailed(err);
  } finally {
    source?.close();
  }
  const checked = checkCopy(copy, how.corrupt);
  for (const s of SIDECARS) await rm(copy + s, { force: true });
  return { ...checked, sourceJournalMode };
}

/** The version of the SQLite library node:sqlite links (what copies and checks). */
export function sqliteVersion(): string {
  const db = new DatabaseSync(':memory:');
  try {
    return String((db.prepare('SELECT sqlite_version() AS v').get() as { v: unknown }).v);
  } finally {
    db.close();
  }
}
