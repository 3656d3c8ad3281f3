/**
 * The tree walk, a building block for every source that holds a folder (dir:, chroma+dir:): what
 * a path or glob names, parents before children, written into an archive as members.
 */
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { glob, lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import type { MemberSink } from '../../archive/types.ts';
import { ConfigError, SourceError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { formatBytes } from '../../core/log.ts';
import type { SourceContext } from '../types.ts';
import { GLOB_MAGIC, errno, isExcluded, message, staticBase } from './path.ts';

export interface Found {
  abs: string;
  rel: string;
  st: Stats;
}

export interface SourceSpec {
  /** Folder member paths are relative to. */
  base: string;
  /** Absolute glob, when the URL is one. */
  pattern?: string;
  /** The URL names a single file: only it, relative to its folder. */
  single?: string;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return undefined;
    throw new SourceError(`cannot read ${path}: ${message(err)}`, { cause: err });
  }
}

export async function resolveSpec(path: string): Promise<SourceSpec> {
  const missing = (what: string) =>
    new ConfigError('source', `${what} does not exist`, {
      hint: 'check the path (relative paths are relative to the working directory)',
    });
  // A literal name that happens to contain [ or { is still a literal name.
  const literal = await stat(path).catch(() => undefined);
  if (literal || !GLOB_MAGIC.test(path)) {
    if (!literal) throw missing(path);
    if (literal.isDirectory()) return { base: path };
    return { base: dirname(path), single: basename(path) };
  }
  const base = staticBase(path);
  const st = await stat(base).catch(() => undefined);
  if (!st?.isDirectory()) throw missing(`${base} (the folder of ${path})`);
  return { base, pattern: path };
}

/**
 * Everything a source names, parents before children, as lstat sees it (symlinks are never
 * followed; the base folder itself is). Excluded paths and their subtrees are left out;
 * sockets, FIFOs and devices and paths that vanish are skipped with a warning.
 */
export async function* walkSource(
  spec: SourceSpec,
  excludes: string[],
  log: Logger,
): AsyncGenerator<Found> {
  const seen = new Set<string>();

  async function* visit(abs: string, rel: string): AsyncGenerator<Found> {
    if (seen.has(rel)) return;
    seen.add(rel);
    if (isExcluded(rel, excludes)) return;
    const st = await lstatOrUndefined(abs);
    if (!st) {
      log.warn(`${abs} vanished while being backed up; skipped`);
      return;
    }
    if (!st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) {
      log.warn(`${abs} is not a regular file, folder or symlink (socket, FIFO or device); skipped`);
      return;
    }
    yield { abs, rel, st };
    if (st.isDirectory()) yield* children(abs, rel);
  }

  async function* children(abs: string, rel: string): AsyncGenerator<Found> {
    let names: string[];
    try {
      names = await readdir(abs);
    } catch (err) {
      if (errno(err) === 'ENOENT') {
        log.warn(`${abs} vanished while being backed up; skipped`);
        return;
      }
      throw new SourceError(`cannot list ${abs}: ${message(err)}`, { cause: err });
    }
    names.sort();
    for (const name of names) yield* visit(join(abs, name), rel ? `${rel}/${name}` : name);
  }

  if (spec.single !== undefined) {
    yield* visit(join(spec.base, spec.single), spec.single);
    return;
  }
  if (spec.pattern === undefined) {
    yield* children(spec.base, '');
    return;
  }

  const matches: string[] = [];
  for await (const m of glob(spec.pattern)) matches.push(m);
  if (matches.length === 0) {
    throw new ConfigError('source', `${spec.pattern} matches nothing`, {
      hint: 'check the pattern; it is matched with fs.glob (hidden names need an explicit dot)',
    });
  }
  matches.sort();
  for (const m of matches) {
    const rel = relative(spec.base, m).split(sep).join('/');
    if (rel.startsWith('..')) continue;
    if (rel === '') {
      yield* children(spec.base, '');
      continue;
    }
    // The folders between the base and a match come first, so they keep their modes; a match
    // below a symlink or an excluded folder is left out.
    const parts = rel.split('/');
    let usable = true;
    for (let i = 1; i < parts.length && usable; i++) {
      const a = parts.slice(0, i).join('/');
      if (isExcluded(a, excludes)) usable = false;
      else if (!seen.has(a)) {
        const abs = join(spec.base, ...parts.slice(0, i));
        const st = await lstatOrUndefined(abs);
        if (!st?.isDirectory()) usable = false;
        else {
          seen.add(a);
          yield { abs, rel: a, st };
        }
      }
    }
    if (!usable) {
      log.warn(`${m} is below a symlink or an excluded folder; skipped`);
      continue;
    }
    yield* visit(m, rel);
  }
}

/** Whether a symlink at `rel` is absolute or, read lexically, climbs above the root. */
export function escapesLexically(rel: string, target: string): boolean {
  if (posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target)) return true;
  const joined = posix.normalize(posix.join(posix.dirname(rel), target));
  return joined === '..' || joined.startsWith('../');
}

export interface DirStats {
  files: number;
  bytes: number;
  directories: number;
  symlinks: number;
}

/**
 * Writes what a source spec names into the sink, as a `dir:` backup does: folders, files
 * (streamed) and symlinks (never followed), excluded paths left out. Other sources that hold a
 * folder (chroma+dir:) use it too.
 */
export async function dumpTree(
  sink: MemberSink,
  spec: SourceSpec,
  excludes: string[],
  ctx: SourceContext,
  /**
   * Incremental dumps: called for every path found; a number means the file is unchanged since
   * the parent and is referenced, not stored (the number is its size).
   */
  reference?: (f: Found) => Promise<number | false>,
): Promise<DirStats> {
  const counts: DirStats = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
  let lastLog = Date.now();
  for await (const f of walkSource(spec, excludes, ctx.log)) {
    ctx.signal?.throwIfAborted();
    const meta = { mode: f.st.mode & 0o7777, mtime: f.st.mtime };
    const referenced = reference ? await reference(f) : false;
    if (referenced !== false) {
      counts.files++;
      counts.bytes += referenced;
      continue;
    }
    if (f.st.isDirectory()) {
      await sink.addDirectory(f.rel, meta);
      counts.directories++;
    } else if (f.st.isSymbolicLink()) {
      let target: string;
      try {
        target = await readlink(f.abs);
      } catch (err) {
        if (errno(err) === 'ENOENT' || errno(err) === 'EINVAL') {
          ctx.log.warn(`${f.abs} changed while being backed up; skipped`);
          continue;
        }
        throw new SourceError(`cannot read the link ${f.abs}: ${message(err)}`, { cause: err });
      }
      if (escapesLexically(f.rel, target)) {
        ctx.log.warn(
          `${f.abs} links outside the folder (-> ${target}); it is stored, but restores refuse such links`,
        );
      }
      await sink.addSymlink(f.rel, target, meta);
      counts.symlinks++;
    } else {
      const size = await addFile(sink, f, ctx.log);
      if (size !== undefined) {
        counts.files++;
        counts.bytes += size;
      }
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      ctx.log.info(`  ${counts.files} files, ${formatBytes(counts.bytes)} so far…`);
    }
  }
  return counts;
}

/**
 * Streams one regular file into the sink. It is opened without following links (what was
 * listed as a file might be something else by now) and read up to the size it had when opened,
 * so a file that keeps growing still ends. Returns the bytes stored, or undefined if skipped.
 */
async function addFile(sink: MemberSink, f: Found, log: Logger): Promise<number | undefined> {
  let handle;
  try {
    handle = await open(f.abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ELOOP' || errno(err) === 'ENXIO') {
      log.warn(`${f.abs} vanished or changed type while being backed up; skipped`);
      return undefined;
    }
    throw new SourceError(`cannot open ${f.abs}: ${message(err)}`, { cause: err });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      log.warn(`${f.abs} is no longer a regular file; skipped`);
      return undefined;
    }
    const body =
      st.size === 0
        ? Buffer.alloc(0)
        : handle.createReadStream({ start: 0, end: st.size - 1, autoClose: false });
    const record = await sink.addFile(f.rel, body, { mode: st.mode & 0o7777, mtime: st.mtime });
    const after = await handle.stat();
    if (after.mtimeMs !== st.mtimeMs || after.size !== st.size || record.size !== st.size) {
      log.warn(`${f.abs} changed while being read; the backup holds the bytes read`);
    }
    return record.size ?? st.size;
  } finally {
    await handle.close();
  }
}
