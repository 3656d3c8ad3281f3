/** `sqlite:` paths and the member name: nothing here opens a database. */
import { localPath, type LocalPathKind } from '../../core/url.ts';
import type { SourceContext } from '../types.ts';

export const SQLITE_MEMBER = 'database.sqlite';

/** Relative paths are relative to the run's working directory, when the engine passes one. */
export function workingDir(ctx: SourceContext): string {
  const cwd = ctx.cwd;
  return typeof cwd === 'string' && cwd ? cwd : process.cwd();
}

/**
 * The file a `sqlite:` URL (or, for targets, a plain path) names, absolute. Relative paths are
 * relative to the working directory.
 */
export function sqlitePath(url: string, option: string, cwd = process.cwd()): string {
  return localPath(url, option, SQLITE_PATH, cwd);
}

const SQLITE_PATH: LocalPathKind = {
  scheme: 'sqlite',
  noun: 'file',
  local: 'SQLite databases are local files',
  relativeExample: './relative/path.db',
  absoluteExample: '/absolute/path.db',
  example: 'sqlite:./app.db',
};
