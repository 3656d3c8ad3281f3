/** SQLite and dir: scratch: a path in the drill's private folder (or the target's). */
import { lstat, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConfigError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { schemeOf } from '../../core/url.ts';
import { compare } from '../assert.ts';
import { firstValue, queryFailed, scratchName, sqlDetail, wrongFamily } from './common.ts';
import type { Scratch, ScratchRequest } from './common.ts';

export function fileScratch(r: ScratchRequest, kind: 'sqlite' | 'dir'): Scratch {
  const cwd = r.sctx.cwd ?? process.cwd();
  let path: string;
  if (r.target) {
    const scheme = schemeOf(r.target);
    if (scheme !== kind) {
      throw new ConfigError(
        'target',
        `a drill of ${r.manifest.name} (${kind}) restores into ${kind}:<path>, not '${redactUrl(r.target)}'`,
        {
          hint: `leave {{option:target}} out to use a temporary ${kind === 'dir' ? 'folder' : 'file'}`,
        },
      );
    }
    path = resolve(cwd, r.target.slice(kind.length + 1));
  } else {
    path = join(
      r.folder,
      scratchName(r.manifest.name, r.backupId, 200) + (kind === 'sqlite' ? '.db' : ''),
    );
  }
  const url = `${kind}:${path}`;
  const siblings = kind === 'sqlite' ? ['', '-wal', '-shm', '-journal'] : [''];
  return {
    source: r.manifest.name,
    kind,
    url,
    displayUrl: url,
    tableName: (t) => t,
    async occupied() {
      const st = await lstat(path).catch(() => undefined);
      return st ? `${path} already exists` : undefined;
    },
    async remove() {
      for (const s of siblings) await rm(path + s, { recursive: true, force: true });
    },
    async check(a, inventory) {
      if (kind === 'sqlite') {
        if (a.family !== 'sql') throw wrongFamily(a, 'sqlite');
        const db = new DatabaseSync(path, { readOnly: true });
        try {
          let got: unknown;
          try {
            got = firstValue(db.prepare(a.query).get() as Record<string, unknown> | undefined);
          } catch (err) {
            throw queryFailed(a.query, err, r.sctx);
          }
          const ok = compare(got, a.op, a.expected);
          return { ok, detail: sqlDetail(a, got, ok) };
        } finally {
          db.close();
        }
      }
      if (a.family === 'files') {
        const files = inventory?.files ?? 0;
        const ok = compare(files, a.op, a.expected);
        return {
          ok,
          detail: `${files} files ${ok ? 'satisfies' : 'does not satisfy'} ${a.op} ${a.expected}`,
        };
      }
      if (a.family === 'file') {
        const st = await lstat(join(path, a.path)).catch(() => undefined);
        return {
          ok: st !== undefined,
          detail: st
            ? `${a.path} restored (${st.isDirectory() ? 'folder' : `${st.size} bytes`})`
            : `${a.path} is missing`,
        };
      }
      throw wrongFamily(a, 'dir');
    },
  };
}
