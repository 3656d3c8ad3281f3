/**
 * Directory source (`dir:<path>`, `dir:<glob>`, e.g. `dir:./uploads`, `dir:/var/data/*.csv`).
 *
 * Members are the tree itself: directories, regular files (streamed) and symlinks stored as
 * links, never followed, each with its mode and mtime, paths relative to the folder (for a glob:
 * to its static part). Restores extract into a staging folder beside the target and rename it
 * into place. Archives are hostile input: absolute paths, `..`, paths through a symlink and
 * symlinks leading out of the restored tree are refused before anything reaches the target.
 */
import { constants, createWriteStream } from 'node:fs';
import type { Stats } from 'node:fs';
import {
  chmod,
  glob,
  lstat,
  lutimes,
  mkdir,
  open,
  readdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  utimes,
} from 'node:fs/promises';
import { basename, dirname, join, matchesGlob, posix, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type {
  ArchiveEntry,
  Inventory,
  MemberRecord,
  MemberSink,
  SourceManifest,
} from '../archive/types.ts';
import { ConfigError, IntegrityError, LifeboatError, SourceError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { formatBytes } from '../core/log.ts';
import { localPath, type LocalPathKind } from '../core/url.ts';
import { dirIncremental, dirState, hashFile } from './dir-incremental.ts';
import { refuseIncremental } from './incremental.ts';
import type {
  DumpResult,
  IncrementalDump,
  RestoreRequest,
  RestoreResult,
  Source,
  SourceContext,
  SourceDriver,
  StagedRestore,
} from './types.ts';
import { removeAbandonedBeside, stagedPathName } from './staging.ts';

const GLOB_MAGIC = /[*?[\]{}]/;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** Relative paths are relative to the run's working directory, when the engine passes one. */
function workingDir(ctx: SourceContext): string {
  const cwd = ctx.cwd;
  return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}

/** The absolute path (or glob) a `dir:` URL, or for targets a plain path, names. */
export function dirPath(url: string, option: string, cwd = process.cwd()): string {
  return localPath(url, option, DIR_PATH, cwd);
}

const DIR_PATH: LocalPathKind = {
  scheme: 'dir',
  noun: 'folder',
  local: 'dir: is a local folder',
  relativeExample: './relative/folder',
  absoluteExample: '/absolute/folder',
  example: 'dir:./uploads or dir:/var/data/*.csv',
};

/** The leading segments of a glob that hold no pattern characters: what matches are relative to. */
export function staticBase(pattern: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const s of segments) {
    if (GLOB_MAGIC.test(s)) break;
    fixed.push(s);
  }
  return fixed.join('/') || '/';
}

/** Exclude patterns from the `exclude` option (string[] or newline-separated text). */
export function excludePatterns(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\r?\n/) : [];
  return list.map((p) => String(p).trim().replace(/^\.\//, '').replace(/\/+$/, '')).filter(Boolean);
}

/**
 * Whether a relative path is excluded: a pattern is matched against the whole relative path,
 * and a pattern without '/' also against the last name at any depth (as in .gitignore).
 */
export function isExcluded(rel: string, patterns: string[]): boolean {
  const name = posix.basename(rel);
  return patterns.some((p) => matchesGlob(rel, p) || (!p.includes('/') && matchesGlob(name, p)));
}

interface Found {
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
async function* walkSource(
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
function escapesLexically(rel: string, target: string): boolean {
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

class DirSource implements Source {
  readonly kind = 'dir';
  readonly displayUrl: string;
  private readonly path: string;

  constructor(url: string, ctx: SourceContext) {
    this.path = dirPath(url, 'source', workingDir(ctx));
    this.displayUrl = `dir:${this.path}`;
  }

  async dump(
    sink: MemberSink,
    ctx: SourceContext,
    incremental?: IncrementalDump,
  ): Promise<DumpResult> {
    const spec = await resolveSpec(this.path);
    const parent = incremental?.parent;
    const before = parent ? dirState(parent.id, parent.manifest) : undefined;
    const seen = new Set<string>();
    const unchanged: MemberRecord[] = [];
    let unchangedBytes = 0;
    const excludes = excludePatterns(ctx.options['exclude']);
    ctx.log.info(
      `Reading ${this.path}${excludes.length ? ` (excluding ${excludes.join(', ')})` : ''}…`,
    );
    const counts = await dumpTree(sink, spec, excludes, ctx, async (f) => {
      seen.add(f.rel);
      const was = before?.get(f.rel);
      if (!(f.st.isFile() && was?.type === 'file' && was.sha256 && was.storedIn)) return false;
      const same = await unchangedFile(f, was, incremental!.rehash);
      if (!same) return false;
      unchanged.push(same);
      unchangedBytes += same.size!;
      return same.size!;
    });
    ctx.log.info(
      `${this.path}: ${counts.files} files, ${counts.directories} folders, ${counts.symlinks} symlinks, ${formatBytes(counts.bytes)}`,
    );
    const result: DumpResult = {
      versions: {},
      inventory: {
        files: counts.files,
        totalBytes: counts.bytes,
        extra: { directories: counts.directories, symlinks: counts.symlinks },
      },
      details: spec.pattern ? { glob: true } : {},
    };
    if (parent && before) {
      const deleted = [...before.keys()].filter((p) => !seen.has(p)).sort();
      ctx.log.info(
        `Incremental against ${parent.id}: ${unchanged.length} unchanged files (${formatBytes(unchangedBytes)}) referenced, ${deleted.length} paths deleted`,
      );
      result.incremental = { parent: parent.id, unchanged, deleted };
    }
    return result;
  }
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
 * The record of a file that need not be stored again, or undefined when it changed: path,
 * size, mode and mtime as the parent recorded them (or, with rehash, the same sha256).
 */
async function unchangedFile(
  f: Found,
  was: MemberRecord,
  rehash: boolean,
): Promise<MemberRecord | undefined> {
  const mode = f.st.mode & 0o7777;
  const mtime = f.st.mtime.toISOString();
  const record = (sha256: string): MemberRecord => ({
    path: f.rel,
    type: 'file',
    mode,
    mtime,
    size: f.st.size,
    sha256,
    storedIn: was.storedIn!,
  });
  if (!rehash) {
    const same = was.size === f.st.size && was.mode === mode && was.mtime === mtime;
    return same ? record(was.sha256!) : undefined;
  }
  if (was.size !== f.st.size) return undefined;
  const now = await hashFile(f.abs).catch(() => undefined);
  if (!now || now.size !== was.size || now.sha256 !== was.sha256) return undefined;
  return record(now.sha256);
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
class TreeRules {
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

function checkAgainstManifest(inventory: Inventory | undefined, counts: DirStats): void {
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
async function extractInto(
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

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export async function stageDir(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = dirPath(request.target, 'target', workingDir(ctx));
  const location = `dir:${target}`;
  const existing = await lstat(target).catch((err) => {
    if (errno(err) === 'ENOENT') return undefined;
    throw new SourceError(`cannot read ${target}: ${message(err)}`, { cause: err });
  });
  let replace = false;
  if (existing) {
    if (!existing.isDirectory()) {
      throw new ConfigError('target', `${target} exists and is not a folder`, {
        hint: 'choose a new or empty folder',
      });
    }
    if ((await readdir(target)).length > 0) {
      if (!request.overwrite) {
        throw new ConfigError('target', `${target} is not empty`, {
          hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
        });
      }
      replace = true;
    }
  }

  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  for (const line of await removeAbandonedBeside(parent, basename(target))) ctx.log.info(line);
  const staging = join(parent, stagedPathName(basename(target), 'staging'));
  await mkdir(staging, { mode: 0o700 });
  let counts: DirStats;
  try {
    counts = await extractInto(staging, members, ctx);
    checkAgainstManifest(request.manifest.inventory, counts);
    await chmod(staging, existing ? existing.mode & 0o1777 : 0o755);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if (err instanceof LifeboatError) throw err;
    throw new SourceError(`restoring into ${target} failed: ${message(err)}`, { cause: err });
  }

  let placed = false;
  let previousKept: string | undefined;
  let wasEmptyFolder = false;
  const commit = async (): Promise<RestoreResult> => {
    // Looked at again: the target may have been filled while the archive was read.
    const now = await lstat(target).catch(() => undefined);
    wasEmptyFolder = !replace && now !== undefined;
    if (!replace && now && (!now.isDirectory() || (await readdir(target)).length > 0)) {
      throw new ConfigError(
        'target',
        `${target} was filled during the restore; nothing was changed`,
        {
          hint: 'pass {{option:overwrite=true}} or choose a new or empty folder',
        },
      );
    }
    if (!replace) {
      try {
        // rename() replaces an empty folder in one step.
        await rename(staging, target);
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw new SourceError(`cannot move the restored folder to ${target}: ${message(err)}`, {
          cause: err,
        });
      }
    } else {
      const previous = `${target}.lifeboat-previous-${timestamp()}`;
      try {
        await rename(target, previous);
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw new SourceError(`cannot move ${target} aside: ${message(err)}`, { cause: err });
      }
      try {
        await rename(staging, target);
      } catch (err) {
        await rename(previous, target).catch((e: unknown) => {
          throw new SourceError(
            `restore into ${target} failed (${message(err)}) and the previous folder could not be put back (${message(e)})`,
            { cause: err, hint: `move ${previous} back to ${target} by hand` },
          );
        });
        await rm(staging, { recursive: true, force: true });
        throw new SourceError(
          `cannot move the restored folder to ${target}: ${message(err)}; the previous folder is back`,
          {
            cause: err,
          },
        );
      }
      // Kept until the whole restore is over, so a later failure can put it back.
      previousKept = previous;
    }
    placed = true;
    ctx.log.info(
      `Restored ${counts.files} files (${formatBytes(counts.bytes)}) into ${target}${replace ? ', replacing its previous content' : ''}`,
    );
    const result: RestoreResult = {
      location,
      inventory: {
        files: counts.files,
        totalBytes: counts.bytes,
        extra: { directories: counts.directories, symlinks: counts.symlinks },
      },
    };
    if (replace) {
      result.notes = [`${target} was overwritten`];
      result.replaced = true;
    }
    return result;
  };
  const rollback = async () => {
    if (!placed) return;
    await rm(target, { recursive: true, force: true });
    if (previousKept) await rename(previousKept, target);
    else if (wasEmptyFolder) await mkdir(target);
    previousKept = undefined;
    placed = false;
  };
  const abort = async () => {
    await rm(staging, { recursive: true, force: true });
    if (!previousKept) return;
    try {
      await rm(previousKept, { recursive: true, force: true });
    } catch (err) {
      ctx.log.warn(`the previous content of ${target} is left in ${previousKept}: ${message(err)}`);
    }
  };
  return { location, commit, abort, rollback };
}

/** Structural check without writing anything: the same path and link rules as a restore. */
export async function verifyDir(
  members: AsyncIterable<ArchiveEntry>,
  manifest: SourceManifest,
  ctx: SourceContext,
): Promise<void> {
  const rules = new TreeRules();
  const counts: DirStats = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
  for await (const m of members) {
    ctx.signal?.throwIfAborted();
    rules.admit(m);
    if (m.type === 'file') {
      counts.files++;
      for await (const chunk of m.body!) counts.bytes += (chunk as Buffer).length;
    } else if (m.type === 'directory') counts.directories++;
    else counts.symlinks++;
  }
  rules.finish();
  checkAgainstManifest(manifest.inventory, counts);
}

async function inventoryDir(url: string, ctx: SourceContext): Promise<Inventory> {
  const path = dirPath(url, 'target', workingDir(ctx));
  const spec = await resolveSpec(path).catch((err: unknown) => {
    if (err instanceof ConfigError) throw new ConfigError('target', `${path} does not exist`);
    throw err;
  });
  const counts: DirStats = { files: 0, bytes: 0, directories: 0, symlinks: 0 };
  for await (const f of walkSource(spec, [], ctx.log)) {
    if (f.st.isFile()) {
      counts.files++;
      counts.bytes += f.st.size;
    } else if (f.st.isDirectory()) counts.directories++;
    else counts.symlinks++;
  }
  return {
    files: counts.files,
    totalBytes: counts.bytes,
    extra: { directories: counts.directories, symlinks: counts.symlinks },
  };
}

export const dirDriver: SourceDriver = {
  kind: 'dir',
  schemes: ['dir'],
  open: (url, ctx) => new DirSource(url, ctx),
  stage: async (members, request, ctx) => {
    refuseIncremental(request.manifest);
    return stageDir(members, request, ctx);
  },
  verify: async (members, manifest, ctx) => {
    refuseIncremental(manifest);
    return verifyDir(members, manifest, ctx);
  },
  inventory: inventoryDir,
  incremental: dirIncremental,
};
