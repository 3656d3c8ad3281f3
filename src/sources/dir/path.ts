/** `dir:` paths, globs and exclude patterns. */
import { matchesGlob, posix } from 'node:path';
import { localPath, type LocalPathKind } from '../../core/url.ts';

export const GLOB_MAGIC = /[*?[\]{}]/;

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

export { workingDir } from '../types.ts';

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
