/**
 * The safe extract, a building block for every source that restores a folder: archives are
 * hostile, so member paths, links and the tree's shape are checked before anything is written.
 */
import { constants, createWriteStream } from 'node:fs';
import { chmod, lstat, lutimes, mkdir, open, symlink, utimes } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArchiveEntry, Inventory } from '../../archive/types.ts';
import { IntegrityError } from '../../core/errors.ts';
import type { SourceContext } from '../types.ts';
import { errno } from './path.ts';
import { escapesLexically } from './walk.ts';
import type { DirStats } from './walk.ts';

/** Checks a member path from an archive: relative, canonical, no '..'. Returns it without a trailing '/'. */
export function checkMemberPath(path: string): string {
  const p = path.replace(/\/+$/, '');
  const bad = (why: string) => new IntegrityError(`refusing archive member '${path}': ${why}`);
  if (!p || p.includes('\0')) throw bad('empty or invalid name');
  if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)) throw bad('absolute path');
  if (process.platform === 'win32' && p.includes('\\')) throw bad('backslash in a path');
  for (const s of p.split('/')) {
    if (s === '..') throw bad("'..' leads out of the restore folder");
    if (s === '' || s === '.') throw bad('not a canonical relative path');
  }
  return p;
}

/**
 * Follows a symlink target through the links of the restored tree (`links`: path → target),
 * segment by segment as the OS would. False when it ever climbs above the root, is absolute or
 * loops: lexical checks alone miss `a -> .` followed by `b -> a/x/../..`.
 */
export function staysInside(links: Map<string, string>, linkPath: string): boolean {
  let hops = 0;
  const walk = (from: string[], target: string): string[] | undefined => {
    if (target === '' || posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target))
      return undefined;
    let at = [...from];
    for (const s of target.split('/')) {
      if (s === '' || s === '.') continue;
      if (s === '..') {
        if (at.length === 0) return undefined;
        at.pop();
        continue;
      }
      at.push(s);
      const next = links.get(at.join('/'));
      if (next !== undefined) {
        if (++hops > 40) return undefined;
        const resolved = walk(at.slice(0, -1), next);
        if (!resolved) return undefined;
        at = resolved;
      }
    }
    return at;
  };
  const target = links.get(linkPath);
  if (target === undefined) return true;
  return walk(linkPath.split('/').slice(0, -1), target) !== undefined;
}

/**
 * The rules every member of a dir source must follow, shared by restore and verify: safe
 * paths, each once, nothing below a symlink or a file, links that stay inside.
 */
export class TreeRules {
  readonly links = new Map<string, string>();
  private readonly types = new Map<string, ArchiveEntry['type']>();
  /** Folders made only as parents of later members; a directory member may still name them. */
  private readonly implicit = new Set<string>();

  admit(m: ArchiveEntry): string {
    const rel = checkMemberPath(m.path);
    if (m.type !== 'file' && m.type !== 'directory' && m.type !== 'symlink') {
      throw new IntegrityError(
        `refusing archive member '${m.path}': unsupported type ${String(m.type)}`,
      );
    }
    if (this.types.has(rel) || (this.implicit.has(rel) && m.type !== 'directory')) {
      throw new IntegrityError(`refusing archive member '${m.path}': it appears twice`);
    }
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const a = parts.slice(0, i).join('/');
      const t = this.types.get(a);
      if (t === 'symlink') {
        throw new IntegrityError(
          `refusing archive member '${m.path}': it goes through the symlink '${a}'`,
        );
      }
      if (t === 'file') {
        throw new IntegrityError(`refusing archive member '${m.path}': '${a}' is a file`);
      }
      if (t === undefined) this.implicit.add(a);
    }
    if (m.type === 'file' && !m.body) {
      throw new IntegrityError(`archive member '${m.path}' is a file without content`);
    }
    if (m.type === 'symlink') {
      const target = m.linkTarget ?? '';
      if (!target || target.includes('\0') || escapesLexically(rel, target)) {
        throw new IntegrityError(
          `refusing symlink '${m.path}' -> '${target}': it points outside the restored folder`,
        );
      }
      this.links.set(rel, target);
      if (!staysInside(this.links, rel)) {
        throw new IntegrityError(
          `refusing symlink '${m.path}' -> '${target}': it leads outside the restored folder`,
        );
      }
    }
    this.types.set(rel, m.type);
    return rel;
  }

  /** Links added later can make an earlier one escape; checked once the tree is complete. */
  finish(): void {
    for (const [rel, target] of this.links) {
      if (!staysInside(this.links, rel)) {
        throw new IntegrityError(
          `refusing symlink '${rel}' -> '${target}': through other links it leads outside the restored folder`,
        );
      }
    }
  }
}

export function checkAgainstManifest(inventory: Inventory | undefined, counts: DirStats): void {
  if (typeof inventory?.files === 'number' && inventory.files !== counts.files) {
    throw new IntegrityError(
      `the archive holds ${counts.files} files, the manifest says ${inventory.files}`,
    );
  }
  if (typeof inventory?.totalBytes === 'number' && inventory.totalBytes !== counts.bytes) {
    throw new IntegrityError(
      `the archive holds ${counts.bytes} bytes of files, the manifest says ${inventory.totalBytes}`,
    );
  }
}

/**
 * Makes the folders above a member one by one, refusing any that is not a real folder. The
 * rules already refuse paths through links they know of; this also holds on case-insensitive
 * filesystems, where 'Link/x' would otherwise go through a link named 'link'.
 */
async function ensureParents(root: string, rel: string, made: Set<string>): Promise<void> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const a = parts.slice(0, i).join('/');
    if (made.has(a)) continue;
    const abs = join(root, ...parts.slice(0, i));
    try {
      await mkdir(abs, { mode: 0o700 });
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
      if (!(await lstat(abs)).isDirectory()) {
        throw new IntegrityError(`refusing archive member '${rel}': '${a}' is not a folder`);
      }
    }
    made.add(a);
  }
}

/** Writes the members under `root` (a fresh, private folder). Throws on the first bad member. */
export async function extractInto(
  root: string,
  members: AsyncIterable<ArchiveEntry>,
  ctx: SourceContext,
): Promise<DirStats> {
  const rules = new TreeRules();
  const counts: DirStats = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
  const dirs: Array<{ abs: string; depth: number; mode: number; mtime: Date }> = [];
  const made = new Set<string>();
  for await (const m of members) {
    ctx.signal?.throwIfAborted();
    const rel = rules.admit(m);
    const abs = join(root, ...rel.split('/'));
    await ensureParents(root, rel, made);
    if (m.type === 'directory') {
      if (!made.has(rel)) {
        try {
          await mkdir(abs, { mode: 0o700 });
        } catch (err) {
          // Already made as the parent of an earlier member: fine, as long as it is a folder.
          if (errno(err) !== 'EEXIST' || !(await lstat(abs)).isDirectory()) throw err;
        }
        made.add(rel);
      }
      dirs.push({ abs, depth: rel.split('/').length, mode: m.mode, mtime: m.mtime });
      counts.directories++;
    } else if (m.type === 'symlink') {
      await symlink(m.linkTarget!, abs);
      await lutimes(abs, m.mtime, m.mtime);
      counts.symlinks++;
    } else {
      const handle = await open(
        abs,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        const out = createWriteStream(abs, { fd: handle.fd, autoClose: false });
        await pipeline(m.body!, out);
        await handle.chmod(m.mode & 0o777);
        await handle.utimes(m.mtime, m.mtime);
        counts.files++;
        counts.bytes += out.bytesWritten;
      } finally {
        await handle.close();
      }
    }
  }
  rules.finish();
  // Folders last and deepest first: writing into a folder changes its mtime, and a read-only
  // folder would refuse its own content.
  dirs.sort((a, b) => b.depth - a.depth);
  for (const d of dirs) {
    await chmod(d.abs, d.mode & 0o1777);
    await utimes(d.abs, d.mtime, d.mtime);
  }
  return counts;
}
