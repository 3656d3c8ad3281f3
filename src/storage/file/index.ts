import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import {
  link,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ConfigError, StorageError } from '../../core/errors.ts';
import { BodyDigest, checkAnnounced, chunksOf, expectLength } from '../body.ts';
import { checkKey, checkPrefix } from '../keys.ts';
import { toStorageError } from '../retry.ts';
import type {
  GetOptions,
  ObjectInfo,
  PutOptions,
  PutResult,
  Storage,
  StorageCapabilities,
  StorageContext,
  StorageFactory,
} from '../types.ts';

/** `.<name>.lifeboat-tmp-<hex>`: where a put writes before the rename that publishes it. */
const TEMP_NAME = /^\..+\.lifeboat-tmp-[0-9a-f]+$/;

/**
 * `file:<path>`: a folder on a local or mounted file system. A put writes a temporary file in
 * the target's folder, hashes and counts the bytes as they pass, fsyncs file and folder and
 * then renames it over the key, so readers see the old object or the whole new one, never a
 * part. Files are created 0600: backups hold whole databases. Symbolic links inside the folder
 * are not followed by list.
 */
export class FileStorage implements Storage {
  readonly displayUrl: string;
  /** Temp file + rename; creates by link() (EEXIST when taken); positioned reads. */
  readonly capabilities: StorageCapabilities = {
    atomicPut: true,
    conditionalCreate: true,
    rangeReads: true,
    listing: 'strong',
    maxConnections: 16,
    groupCommit: 'in-order',
  };
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    this.displayUrl = `file:${root}`;
  }

  async put(key: string, body: Readable, options?: PutOptions): Promise<PutResult> {
    const target = this.pathOf(key);
    const folder = dirname(target);
    const temp = tempPathBeside(target);
    let handle: FileHandle | undefined;
    let created: string | undefined;
    try {
      options?.signal?.throwIfAborted();
      ({ created, handle } = await openTemp(folder, temp));
      const digest = new BodyDigest();
      for await (const chunk of chunksOf(body, options?.signal)) {
        digest.update(chunk);
        await writeAll(handle, chunk);
      }
      await handle.sync();
      await handle.close();
      handle = undefined;
      const result = digest.result();
      checkAnnounced(key, this.displayUrl, options, result);
      await rename(temp, target);
      await syncFolder(folder);
      return result;
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      // A failed put leaves no folder it made, so a failed backup leaves no empty set folder.
      if (created !== undefined) await this.removeEmptyFolders(folder);
      if (options?.signal?.aborted) {
        throw new StorageError(`put ${key} to ${this.displayUrl} was aborted`, {
          cause: options.signal.reason,
        });
      }
      throw toStorageError(
        err,
        `could not write ${key} to ${this.displayUrl}`,
        hintFor(err, this.root),
      );
    }
  }

  async createExclusive(key: string, body: Buffer): Promise<boolean> {
    const target = this.pathOf(key);
    const folder = dirname(target);
    const temp = tempPathBeside(target);
    let handle: FileHandle | undefined;
    try {
      ({ handle } = await openTemp(folder, temp));
      await writeAll(handle, body);
      await handle.sync();
      await handle.close();
      handle = undefined;
      // link() fails with EEXIST when the key exists, atomically (on NFS too, unlike O_EXCL),
      // and publishes the whole content at once.
      try {
        await link(temp, target);
      } catch (err) {
        if (codeOf(err) === 'EEXIST') return false;
        throw err;
      }
      await syncFolder(folder);
      return true;
    } catch (err) {
      throw toStorageError(
        err,
        `could not write ${key} to ${this.displayUrl}`,
        hintFor(err, this.root),
      );
    } finally {
      await handle?.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  async get(key: string, options?: GetOptions): Promise<Readable> {
    const path = this.pathOf(key);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      if (isMissing(err)) throw notFound(key, this.displayUrl);
      throw toStorageError(
        err,
        `could not read ${key} from ${this.displayUrl}`,
        hintFor(err, this.root),
      );
    }
    let size: number;
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw notFound(key, this.displayUrl);
      size = st.size;
    } catch (err) {
      await handle.close();
      throw toStorageError(err, `could not read ${key} from ${this.displayUrl}`);
    }
    const offset = options?.offset ?? 0;
    const stream = expectLength(
      handle.createReadStream(offset ? { start: offset } : {}),
      Math.max(0, size - offset),
      `${this.displayUrl} ${key}`,
      (err) => toStorageError(err, `could not read ${key} from ${this.displayUrl}`),
      offset,
    );
    return options?.signal ? addAbortSignal(options.signal, stream) : stream;
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const path = this.pathOf(key);
    try {
      const s = await stat(path);
      return s.isFile() ? { key, size: s.size, modified: s.mtime } : undefined;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw toStorageError(
        err,
        `could not stat ${key} on ${this.displayUrl}`,
        hintFor(err, this.root),
      );
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkPrefix(prefix, this.displayUrl);
    // Walk from the deepest folder the prefix names completely; filter by the rest.
    const folderKey = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const out: ObjectInfo[] = [];
    try {
      await this.walk(folderKey, prefix, out);
    } catch (err) {
      throw toStorageError(
        err,
        `could not list ${prefix || '(all)'} on ${this.displayUrl}`,
        hintFor(err, this.root),
      );
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
      await this.removeEmptyFolders(dirname(path));
    } catch (err) {
      // Nothing to delete: missing, or a folder that no object key names.
      if (
        isMissing(err) ||
        codeOf(err) === 'EISDIR' ||
        (codeOf(err) === 'EPERM' && (await isFolder(path)))
      )
        return;
      throw toStorageError(
        err,
        `could not delete ${key} from ${this.displayUrl}`,
        hintFor(err, this.root),
      );
    }
  }

  /** Removes `folder` and its parents up to (not including) the root while they are empty. */
  private async removeEmptyFolders(folder: string): Promise<void> {
    const root = this.root.endsWith(sep) ? this.root : this.root + sep;
    for (let f = folder; f.startsWith(root); f = dirname(f)) {
      try {
        await rmdir(f);
      } catch {
        return; // not empty (or already gone): a concurrent put keeps its folder
      }
    }
  }

  private async walk(folderKey: string, prefix: string, out: ObjectInfo[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folderKey ? join(this.root, ...folderKey.split('/')) : this.root, {
        withFileTypes: true,
      });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      const key = folderKey ? `${folderKey}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix))
          await this.walk(key, prefix, out);
      } else if (entry.isFile() && key.startsWith(prefix) && !TEMP_NAME.test(entry.name)) {
        try {
          const s = await stat(join(this.root, ...key.split('/')));
          out.push({ key, size: s.size, modified: s.mtime });
        } catch (err) {
          if (!isMissing(err)) throw err; // deleted while listing
        }
      }
    }
  }

  /** The file for a key; checkKey makes an escape impossible, the prefix test proves it. */
  private pathOf(key: string): string {
    checkKey(key, this.displayUrl);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep)) {
      throw new StorageError(`object key ${JSON.stringify(key)} points outside ${this.displayUrl}`);
    }
    if (TEMP_NAME.test(basename(path))) {
      throw new StorageError(`object key ${JSON.stringify(key)} uses the name of a temporary file`);
    }
    return path;
  }
}

/** Creates the folder and the temporary file, again if a delete removed the empty folder between. */
async function openTemp(
  folder: string,
  temp: string,
): Promise<{ created: string | undefined; handle: FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    const created = await mkdir(folder, { recursive: true }).catch(realMkdirError(folder));
    try {
      return { created, handle: await open(temp, 'wx', 0o600) };
    } catch (err) {
      if (codeOf(err) !== 'ENOENT' || attempt >= 3) throw err;
    }
  }
}

/**
 * Node's recursive mkdir reports ENOENT where the file system is read-only or not writable:
 * creating the first missing folder alone gives the real reason (EROFS, EACCES).
 */
function realMkdirError(folder: string): (err: unknown) => Promise<never> {
  return async (err) => {
    if (codeOf(err) !== 'ENOENT') throw err;
    let missing = folder;
    while (dirname(missing) !== missing && !(await isFolder(dirname(missing))))
      missing = dirname(missing);
    // Throws the real reason; if the folder can be made after all, the first error stands.
    await mkdir(missing);
    await rmdir(missing);
    throw err;
  };
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename durable. Some file systems cannot fsync a folder; they do not need to. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (err) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'ENOTSUP'].includes(codeOf(err) ?? '')) throw err;
  } finally {
    await handle?.close();
  }
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isMissing(err: unknown): boolean {
  return codeOf(err) === 'ENOENT' || codeOf(err) === 'ENOTDIR';
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function notFound(key: string, where: string): StorageError {
  return new StorageError(`${key} not found on ${where}`, { notFound: true });
}

function hintFor(err: unknown, root: string): string | undefined {
  switch (codeOf(err)) {
    case 'EACCES':
    case 'EPERM':
      return `check that this user may write to ${root}, or point the destination option elsewhere`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `free some space on the disk holding ${root}`;
    case 'EROFS':
      return `${root} is on a read-only file system: point the destination option at a writable folder (or remount it read-write)`;
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR':
      return `a file stands where ${root} needs a folder (or the other way round)`;
    default:
      return undefined;
  }
}

/** `file:./backups`, `file:/abs`, `file:///abs` and `file:~/backups` → an absolute folder. */
export function fileRoot(url: string, cwd = process.cwd()): string {
  let path: string;
  if (/^file:\/\//i.test(url)) {
    try {
      path = fileURLToPath(url);
    } catch (err) {
      throw new ConfigError('destination', `'${url}' is not a local file URL`, {
        cause: err,
        hint: 'write file:///absolute/path, file:/absolute/path or file:relative/path',
      });
    }
  } else {
    path = url.replace(/^file:/i, '');
    if (path === '~' || path.startsWith('~/')) path = join(homedir(), path.slice(1));
  }
  if (!path) {
    throw new ConfigError('destination', `'${url}' names no folder`, {
      hint: 'write it as file:<path>, e.g. file:./backups',
    });
  }
  const root = resolve(cwd, path);
  return root.length > 1 && root.endsWith(sep) ? root.slice(0, -1) : root;
}

export const fileStorage: StorageFactory = {
  schemes: ['file'],
  create(url: string, _ctx: StorageContext): Storage {
    return new FileStorage(fileRoot(url));
  },
};

/** Where a write goes before it is renamed into place: a hidden file beside the target. */
function tempPathBeside(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.lifeboat-tmp-${randomBytes(8).toString('hex')}`,
  );
}
