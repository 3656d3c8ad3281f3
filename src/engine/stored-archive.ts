import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { text } from 'node:stream/consumers';
import { decompressStream } from '../archive/compression.ts';
import { HashingStream, parseSha256sum } from '../archive/hash.ts';
import { checkManifestConsistency, readArchive } from '../archive/reader.ts';
import type { ArchiveEntry, SidecarManifest, SourceManifest } from '../archive/types.ts';
import { FORMAT_VERSION, INDEX_FORMAT } from '../archive/types.ts';
import { AgeDecryptStream, type Identity } from '../archive/age/index.ts';
import { asKeyError, keyErrors } from './encryption.ts';
import type { SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import type { OpenDestination } from './destinations.ts';
import { ConfigError, IntegrityError, LifeboatError, isNotFound } from '../core/errors.ts';
import { formatBytes } from '../core/log.ts';
import { walkArchive, type ArchiveWalk } from './members.ts';
import { backupKeys } from './naming.ts';

export interface ReadOptions {
  /** Check the `<id>.sha256` sidecar agrees with the manifest first. */
  checkSha256Sidecar?: boolean;
  /** Keys for an encrypted archive (its sidecar then is the opened full manifest). */
  identities?: Identity[];
}

/**
 * What a command does with one source folder of the archive as it streams past: verify drains
 * it or runs the driver's structural check, restore stages it beside its target, a chain link
 * absorbs it. The members must be consumed in order; what is left is drained.
 */
export type SourceReader = (
  source: SourceManifest,
  members: AsyncIterable<ArchiveEntry>,
) => Promise<void>;

/**
 * Reads a stored archive once, end to end, handing each source folder to `read`: the one walk
 * verify, restore, drill and incremental chains share. Proven on the way: the sha256 and size of
 * the stored bytes against the sidecar, every chunk's sha256, the header and the inner manifest
 * against the sidecar manifest and against what was actually read. Anything that does not match
 * is an IntegrityError; when `read` fails, a damaged archive still wins over the reader's error.
 */
export async function readStoredArchive(
  d: OpenDestination,
  sidecar: SidecarManifest,
  ctx: RunContext,
  sctx: SourceContext,
  read: SourceReader,
  options: ReadOptions = {},
): Promise<void> {
  checkReadable(sidecar);
  const ref = `${sidecar.name}/${sidecar.id}`;
  if (sidecar.encrypted && !options.identities) {
    throw new ConfigError('age-identity', `backup ${ref} is encrypted and no key was given`, {
      hint: 'give {{option:age-identity}} or {{option:passphrase}}',
    });
  }
  if (options.checkSha256Sidecar) await checkSha256Sidecar(d, sidecar);

  const stream = await d.storage.get(sidecar.archive.key, { signal: ctx.signal });
  const hasher = new HashingStream();
  const decryptor =
    sidecar.encrypted && options.identities
      ? new AgeDecryptStream(options.identities, keyErrors(ref, options.identities))
      : undefined;
  const decompressor = decompressStream(sidecar.compression);
  const readStages = [stream, hasher, decryptor, decompressor].filter(
    (s): s is NonNullable<typeof s> => s !== undefined,
  );
  const decompressed = (pipeline as (...s: unknown[]) => typeof decompressor)(
    ...readStages,
    () => undefined,
  );
  // Failures surface through the reader; this only keeps a late 'error' from crashing the process.
  for (const s of readStages) s.on('error', () => undefined);
  // A driver's own failure is rethrown as it is; a failure reading the archive (a damaged
  // chunk the driver was reading, say) wins over whatever the driver made of it.
  let driverFailure: { err: unknown } | undefined;
  let readFailure: { err: unknown } | undefined;
  async function* watched(members: AsyncIterable<ArchiveEntry>): AsyncGenerator<ArchiveEntry> {
    try {
      for await (const m of members) {
        m.body?.once('error', (err: unknown) => (readFailure ??= { err }));
        yield m;
      }
    } catch (err) {
      readFailure ??= { err };
      throw err;
    }
  }
  const guarded = async (source: string, members: AsyncIterable<ArchiveEntry>): Promise<void> => {
    const sm = sidecar.sources.find((s) => s.name === source);
    if (!sm)
      throw new IntegrityError(`archive holds a source '${source}' its manifest does not list`);
    // After a driver failed, the rest is only read to learn whether the archive is to blame.
    if (driverFailure) return;
    try {
      await read(sm, watched(members));
    } catch (err) {
      driverFailure ??= { err };
      // A refused target or a cancelled run needs no proof; a tool that failed on the data
      // might have been fed a tampered archive, which then is the error to report.
      if (err instanceof IntegrityError || err instanceof ConfigError || sctx.signal?.aborted)
        throw err;
    }
  };
  const items = readArchive(decompressed);
  let walk;
  try {
    walk = await walkArchive(items, guarded);
  } catch (err) {
    const failedRead = readFailure;
    // Tear the whole read side down (storage stream, hasher, decompressor child, reader) so
    // nothing is left running or waiting, whoever failed.
    const gone = new Error('the archive read was abandoned');
    for (const s of readStages) if (!s.destroyed) s.destroy(gone);
    await items.return(undefined).catch(() => undefined);
    // A driver that failed mid-member destroyed that member's body: the archive cannot be
    // read further, so the driver's own error is the one to report.
    const ownAbort = (e: unknown) => driverFailure !== undefined && isAbortError(e);
    if (failedRead && !ownAbort(failedRead.err)) throw asIntegrity(failedRead.err, sidecar);
    if (driverFailure && (driverFailure.err === err || ownAbort(err))) throw driverFailure.err;
    throw asIntegrity(err, sidecar);
  }
  const failed = driverFailure as { err: unknown } | undefined;
  if (failed) {
    try {
      await proveRead(decompressed, hasher, walk, sidecar);
    } catch (err) {
      throw new IntegrityError(
        `${(err as Error).message} (the restore had failed: ${(failed.err as Error)?.message ?? String(failed.err)})`,
        { cause: err, hint: err instanceof LifeboatError ? err.hint : undefined },
      );
    }
    throw failed.err;
  }
  await proveRead(decompressed, hasher, walk, sidecar);
  ctx.log.info(
    `Verified ${sidecar.archive.key}: ${formatBytes(hasher.bytes)}, sha256 ${hasher.digest()}`,
  );
}

/**
 * The checks once every member was read: the stored bytes' size and sha256, the inner manifest
 * against what was read and against the sidecar, and the header's id.
 */
async function proveRead(
  decompressed: NodeJS.ReadableStream & { readableEnded: boolean; resume(): unknown },
  hasher: HashingStream,
  walk: ArchiveWalk,
  sidecar: SidecarManifest,
): Promise<void> {
  // The reader stops at the end blocks; read whatever padding follows so the hash covers every byte.
  if (!decompressed.readableEnded) {
    decompressed.resume();
    await finished(decompressed).catch((err: unknown) => {
      throw asIntegrity(err, sidecar);
    });
  }
  if (!hasher.writableFinished) await finished(hasher, { readable: false });
  if (hasher.bytes !== sidecar.archive.size || hasher.digest() !== sidecar.archive.sha256) {
    throw mismatch(sidecar.archive.key, hasher.bytes, hasher.digest(), sidecar);
  }
  checkManifestConsistency(walk.manifest, walk.observed);
  compareManifests(walk.manifest, sidecar);
  if (walk.header.id !== sidecar.id) {
    throw new IntegrityError(
      `archive header says backup ${walk.header.id}, the manifest says ${sidecar.id}`,
    );
  }
}

/**
 * The quick proof (the read-back after a backup): the `.sha256`
 * sidecar agrees with the manifest (when asked) and the stored object has the manifest's size
 * and sha256, hashed as it streams, without decompressing. The chunk walk is verify's job.
 */
export async function checkStoredArchive(
  d: OpenDestination,
  sidecar: SidecarManifest,
  options: { checkSha256Sidecar?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<void> {
  checkReadable(sidecar);
  if (options.checkSha256Sidecar) await checkSha256Sidecar(d, sidecar);
  const { key, size, sha256 } = sidecar.archive;
  const stream = await d.storage.get(key, { signal: options.signal });
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      bytes += b.length;
      // Longer than the manifest says: no need to read the rest.
      if (bytes > size) break;
      hash.update(b);
    }
  } catch (err) {
    stream.destroy();
    throw asIntegrity(err, sidecar);
  }
  if (bytes > size) throw mismatch(key, bytes, 'not computed (too long)', sidecar, true);
  const actual = hash.digest('hex');
  if (bytes !== size || actual !== sha256) throw mismatch(key, bytes, actual, sidecar);
}

function checkReadable(sidecar: SidecarManifest): void {
  // An encrypted backup's public index is format 2; the manifest it seals is format 1.
  const readable = sidecar.encrypted ? INDEX_FORMAT : FORMAT_VERSION;
  if (sidecar.format > readable) {
    throw new IntegrityError(
      `backup ${sidecar.id} uses archive format ${sidecar.format}; this release reads up to ${readable}`,
      { hint: 'use a newer Lifeboat release to restore it' },
    );
  }
}

function mismatch(
  key: string,
  bytes: number,
  sha256: string,
  sidecar: SidecarManifest,
  atLeast = false,
): IntegrityError {
  return new IntegrityError(
    `stored archive ${key} does not match its manifest: ${atLeast ? 'more than ' : ''}${bytes} bytes with sha256 ${sha256}, ` +
      `expected ${sidecar.archive.size} bytes with sha256 ${sidecar.archive.sha256}`,
    { hint: 'the stored copy is damaged: restore from another destination or another backup' },
  );
}

async function checkSha256Sidecar(d: OpenDestination, sidecar: SidecarManifest): Promise<void> {
  const key = backupKeys(sidecar.name, sidecar.id, sidecar.compression, sidecar.encrypted).sha256;
  let content: string;
  try {
    content = await text(await d.storage.get(key));
  } catch (err) {
    if (isNotFound(err)) throw new IntegrityError(`${key} is missing on ${d.displayUrl}`);
    throw err;
  }
  const line = parseSha256sum(content);
  if (
    line.sha256 !== sidecar.archive.sha256 ||
    line.fileName !== sidecar.archive.key.split('/').pop()
  ) {
    throw new IntegrityError(
      `${key} (${line.sha256} ${line.fileName}) disagrees with the manifest (${sidecar.archive.sha256})`,
    );
  }
}

/** The inner manifest and the sidecar must describe the same backup. */
function compareManifests(
  inner: SidecarManifest | Omit<SidecarManifest, 'archive'>,
  sidecar: SidecarManifest,
): void {
  const strip = (m: object) => {
    const { archive: _a, verifiedAt: _v, ...rest } = m as SidecarManifest;
    return JSON.stringify(rest);
  };
  if (strip(inner) !== strip(sidecar)) {
    throw new IntegrityError(
      `the manifest inside archive ${sidecar.id} differs from its sidecar manifest`,
      {
        hint: 'the sidecar was altered or belongs to another archive: do not trust this backup',
      },
    );
  }
}

function isAbortError(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | null;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

/** Typed errors keep their meaning; anything else while reading the archive is an integrity failure. */
function asIntegrity(err: unknown, sidecar: SidecarManifest): unknown {
  const keyed = asKeyError(err, `${sidecar.name}/${sidecar.id}`);
  if (keyed !== err) return keyed;
  if (err instanceof LifeboatError) return err;
  return new IntegrityError(
    `archive ${sidecar.archive.key} cannot be read: ${(err as Error)?.message ?? err}`,
    {
      cause: err,
    },
  );
}
