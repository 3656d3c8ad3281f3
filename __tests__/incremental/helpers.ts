import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** A tree as a comparable map: path → type, mode, content sha256 or link target. */
export async function snapshotTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function visit(abs: string, rel: string): Promise<void> {
    for (const name of (await readdir(abs)).sort()) {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(a);
      if (st.isSymbolicLink()) out.set(r, `link ${await readlink(a)}`);
      else if (st.isDirectory()) {
        out.set(r, `dir ${(st.mode & 0o777).toString(8)}`);
        await visit(a, r);
      } else {
        const sha = createHash('sha256')
          .update(await readFile(a))
          .digest('hex');
        out.set(
          r,
          `file ${(st.mode & 0o777).toString(8)} ${st.size} ${sha} ${Math.round(st.mtimeMs)}`,
        );
      }
    }
  }
  await visit(root, '');
  return out;
}

export function assertSameTree(
  got: Map<string, string>,
  want: Map<string, string>,
  what: string,
): void {
  assert.deepEqual([...got.entries()], [...want.entries()], what);
}

/** Deterministic-enough random mutations of a folder: change, add, delete, chmod, new folders, links. */
export class TreeMutator {
  private n = 0;
  readonly root: string;
  private readonly clock: () => Date;
  constructor(root: string, clock: () => Date) {
    this.root = root;
    this.clock = clock;
  }

  async seed(files: number): Promise<void> {
    await mkdir(join(this.root, 'sub', 'deeper'), { recursive: true });
    for (let i = 0; i < files; i++) {
      const dir = i % 3 === 0 ? 'sub' : i % 3 === 1 ? 'sub/deeper' : '';
      await this.write(join(dir, `f${i}.bin`), 100 + (i % 7) * 1000);
    }
    await symlink('sub/f0.bin', join(this.root, 'link-to-f0'));
  }

  async files(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string) => {
      for (const name of await readdir(join(this.root, rel))) {
        const r = rel ? `${rel}/${name}` : name;
        const st = await lstat(join(this.root, r));
        if (st.isDirectory()) await walk(r);
        else if (st.isFile()) out.push(r);
      }
    };
    await walk('');
    return out.sort();
  }

  private async write(rel: string, size: number): Promise<void> {
    const p = join(this.root, rel);
    await writeFile(p, randomBytes(size));
    const t = this.clock();
    await utimes(p, t, t);
  }

  /** One round of changes between backups. */
  async mutate(round: number): Promise<void> {
    const files = await this.files();
    // changed in place (same size: only the mtime tells)
    const a = files[(round * 7) % files.length]!;
    await this.write(a, (await lstat(join(this.root, a))).size);
    // changed size
    const b = files[(round * 11 + 3) % files.length]!;
    if (b !== a) await this.write(b, 50 + round * 13);
    // added
    await this.write(`new-${round}-${this.n++}.bin`, 200 + round);
    if (round % 4 === 0) {
      await mkdir(join(this.root, `dir-${round}`), { recursive: true });
      await this.write(`dir-${round}/inside.txt`, 10);
    }
    // deleted (never the link's target)
    const c = files[(round * 5 + 1) % files.length]!;
    if (c !== a && c !== b && c !== 'sub/f0.bin') await rm(join(this.root, c));
    // mode change only
    if (round % 3 === 0) {
      const d = files[(round * 3 + 2) % files.length]!;
      if (d !== c) await chmod(join(this.root, d), 0o600);
    }
  }
}

/** A SQLite database with rows that change, grow and shrink between backups. */
export function seedDatabase(path: string, rows: number): void {
  const db = new DatabaseSync(path);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT, n INTEGER)');
  db.exec('CREATE INDEX items_n ON items (n)');
  const ins = db.prepare('INSERT INTO items (body, n) VALUES (?, ?)');
  db.exec('BEGIN');
  for (let i = 0; i < rows; i++) ins.run(randomBytes(60).toString('hex'), i);
  db.exec('COMMIT');
  db.close();
}

export function mutateDatabase(path: string, round: number): void {
  const db = new DatabaseSync(path);
  db.exec('BEGIN');
  db.prepare('UPDATE items SET body = ? WHERE id % 97 = ?').run(
    randomBytes(30).toString('hex'),
    round % 97,
  );
  const ins = db.prepare('INSERT INTO items (body, n) VALUES (?, ?)');
  for (let i = 0; i < 50; i++) ins.run(randomBytes(80).toString('hex'), round * 1000 + i);
  if (round % 3 === 0) db.prepare('DELETE FROM items WHERE id % 50 = ?').run(round % 50);
  if (round % 5 === 0)
    db.exec(
      `CREATE TABLE extra_${round} (v TEXT); INSERT INTO extra_${round} VALUES ('r${round}')`,
    );
  db.exec('COMMIT');
  if (round % 7 === 0) db.exec('VACUUM'); // the file shrinks: fewer pages than the parent
  db.close();
}

/** A logical dump of a database: every table's rows, in order. */
export function dumpDatabase(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => String((r as { name: unknown }).name));
    const parts: string[] = [];
    for (const t of tables)
      parts.push(t, JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()));
    return createHash('sha256').update(parts.join('\n')).digest('hex');
  } finally {
    db.close();
  }
}

export function integrityOk(path: string): boolean {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare('PRAGMA integrity_check').get() as Record<string, unknown>;
    return Object.values(row)[0] === 'ok';
  } finally {
    db.close();
  }
}
