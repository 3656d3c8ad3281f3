/** `sqlite:` paths and the member name: nothing here opens a database. */
import { localPath, type LocalPathKind } from '../../core/url.ts';

export const SQLITE_MEMBER = 'database.sqlite';

export { workingDir } from '../types.ts';

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
