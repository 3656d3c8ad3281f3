/** Backup: an online copy of the database, checked before it goes into the archive; full or changed pages. */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MemberSink } from '../../archive/types.ts';
import { ConfigError, SourceError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import {
  PAGE_HASHES_MEMBER,
  PAGES_INDEX_MEMBER,
  PAGES_MEMBER,
  changedPages,
  pageIndex,
  pagesRecord,
  readPages,
  scanPages,
} from './incremental.ts';
import type {
  DumpResult,
  IncrementalDump,
  Source,
  SourceContext,
  SourceDetails,
} from '../types.ts';
import {
  isNotADatabase,
  message,
  onlineCopy,
  removeWithSidecars,
  sqliteVersion,
} from './database.ts';
import { SQLITE_MEMBER, sqlitePath, workingDir } from './path.ts';
import { detailsOf } from '../types.ts';

export class SqliteSource implements Source {
  readonly kind = 'sqlite';
  readonly displayUrl: string;
  private readonly path: string;

  constructor(url: string, ctx: SourceContext) {
    this.path = sqlitePath(url, 'source', workingDir(ctx));
    this.displayUrl = `sqlite:${this.path}`;
  }

  async dump(
    sink: MemberSink,
    ctx: SourceContext,
    incremental?: IncrementalDump,
  ): Promise<DumpResult> {
    const st = await stat(this.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
        throw new ConfigError('source', `SQLite database ${this.path} does not exist`, {
          hint: 'check the path (relative paths are relative to the working directory)',
        });
      }
      throw new SourceError(`cannot read ${this.path}: ${message(err)}`, { cause: err });
    });
    if (!st.isFile()) {
      throw new ConfigError('source', `${this.path} is not a file`, {
        hint: 'name the SQLite database file itself; use dir: for a folder',
      });
    }

    const copy = join(ctx.tmpDir, `sqlite-${randomBytes(6).toString('hex')}.sqlite`);
    try {
      const checked = await onlineCopy(this.path, copy, {
        opened: () =>
          ctx.log.info(`Copying SQLite database ${this.path} (${formatBytes(st.size)}) online…`),
        copyFailed: (err) =>
          isNotADatabase(err)
            ? new SourceError(`${this.path} is not a valid SQLite database: ${message(err)}`, {
                cause: err,
                hint: 'point source at a SQLite database file',
              })
            : new SourceError(`copying ${this.path} failed: ${message(err)}`, { cause: err }),
        corrupt: (reason) =>
          new SourceError(`SQLite database ${this.path} is corrupt: ${reason}`, {
            hint: 'repair the database (sqlite3 .recover) before backing it up',
          }),
      });
      const size = (await stat(copy)).size;

      let chain: DumpResult['incremental'];
      if (incremental) {
        // Chains need the page hashes first, so the next incremental reads only the start of
        // this archive to learn them.
        const scan = await scanPages(copy, checked.pageSize);
        await sink.addFile(PAGE_HASHES_MEMBER, scan.hashes, { mode: 0o600, mtime: st.mtime });
        const parent = incremental.parent;
        const before = parent ? await parent.readMember(PAGE_HASHES_MEMBER) : undefined;
        const parentPageSize =
          parent?.manifest.incremental?.pages?.pageSize ??
          (parent ? detailsOf(parent.manifest, 'sqlite').pageSize : undefined);
        if (parent && before && parentPageSize === scan.pageSize) {
          const pages = changedPages(scan.hashes, before);
          await sink.addFile(PAGES_INDEX_MEMBER, pageIndex(pages), {
            mode: 0o600,
            mtime: st.mtime,
          });
          await sink.addFile(PAGES_MEMBER, readPages(copy, scan.pageSize, pages), {
            mode: 0o600,
            mtime: st.mtime,
          });
          chain = { parent: parent.id, pages: pagesRecord(scan, pages.length) };
          ctx.log.info(
            `Incremental against ${parent.id}: ${pages.length} of ${scan.pageCount} pages changed (${formatBytes(pages.length * scan.pageSize)} stored)`,
          );
        } else {
          if (parent) {
            throw new SourceError(
              `the parent backup ${parent.id} has pages of ${parentPageSize} bytes, the database now ${scan.pageSize}`,
              { hint: 'take a full backup ({{option:mode=full}}) to start a new chain' },
            );
          }
          await sink.addFile(SQLITE_MEMBER, createReadStream(copy), {
            mode: 0o600,
            mtime: st.mtime,
          });
        }
      } else {
        await sink.addFile(SQLITE_MEMBER, createReadStream(copy), { mode: 0o600, mtime: st.mtime });
      }

      const version = sqliteVersion();
      ctx.log.info(
        `SQLite ${this.path}: ${checked.tables.length} tables, ${formatBytes(size)}, integrity ok`,
      );
      const result: DumpResult = {
        versions: { sqlite: version },
        inventory: { tables: checked.tables, totalBytes: size, files: 1 },
        details: {
          pageSize: checked.pageSize,
          journalMode: checked.sourceJournalMode,
          sqliteVersion: version,
        } satisfies SourceDetails<'sqlite'>,
      };
      if (chain) result.incremental = chain;
      return result;
    } finally {
      await removeWithSidecars(copy);
    }
  }
}
