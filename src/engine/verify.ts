import { pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { text } from 'node:stream/consumers';
import { decompressStream } from '../archive/compression.ts';
import { HashingStream, parseSha256sum } from '../archive/hash.ts';
import { checkManifestConsistency, readArchive } from '../archive/reader.ts';
import type { ArchiveEntry, SidecarManifest } from '../archive/types.ts';
import { FORMAT_VERSION } from '../archive/types.ts';
import { driverForKind } from '../sources/registry.ts';
import type { SourceContext } from '../sources/types.ts';
import type { RunContext } from './context.ts';
import type { OpenDestination } from './destinations.ts';
import { IntegrityError, LifeboatError, SourceError, isNotFound } from './errors.ts';
import { formatBytes } from './log.ts';
import { walkArchive } from './members.ts';

export interface VerifyOptions {
  /** Also run each source's structural check (integrity_check, pg_restore --list, …). */
  structural: boolean;
  /** Check the `<id>.sha256` sidecar agrees with the manifest. */
  checkSha256Sidecar?: boolean;
  /** Called per source folder instead of verify/drain: the restore path. */
  onSource?: (source: string, members: AsyncIterable<ArchiveEntry>) => Promise<void>;
}

/**
 * Reads a stored archive end to end: the sha256 of the stored bytes against the sidecar, every
 * chunk's sha256, the header and the inner manifest against the sidecar manifest and against
 * what was actually read. Anything that does not match is an IntegrityError.
 */
export async function verifyStoredBackup(
  d: OpenDestination,
  sidecar: SidecarManifest,
  ctx: RunContext,
  sctx: SourceContext,
  options: VerifyOptions,
): Promise<void> {
  if (sidecar.format > FORMAT_VERSION) {
    throw new IntegrityError(
      `backup ${sidecar.id} uses archive format ${sidecar.format}; this release reads up to ${FORMAT_VERSION}`,
      { hint: 'use a newer Lifeboat release to restore it' },
    );
  }
  if (sidecar.encrypted) {
    throw new IntegrityError(
      `backup ${sidecar.id} is encrypted; this release cannot decrypt archives`,
    );
  }
  if (options.checkSha256Sidecar) await checkSha256Sidecar(d, sidecar);

  const stream = await d.storage.get(sidecar.archive.key);
  const hasher = new HashingStream();
  const decompressed = pipeline(
    stream,
    hasher,
    decompressStream(sidecar.compression),
    () => undefined,
  );
  const onSource =
    options.onSource ??
    (async (source: string, members: AsyncIterable<ArchiveEntry>) => {
      const sm = sidecar.sources.find((s) => s.name === source);
      if (!sm)
        throw new IntegrityError(`archive holds a source '${source}' its manifest does not list`);
      const driver = options.structural ? driverForKind(sm.kind) : undefined;
      if (driver?.verify) {
        ctx.log.info(`Checking the structure of ${source} (${sm.kind})…`);
        await driver.verify(members, sm, sctx);
      } else {
        for await (const m of members) {
          if (m.body) for await (const _ of m.body) void _;
        }
      }
    });
  let walk;
  try {
    walk = await walkArchive(readArchive(decompressed), onSource);
  } catch (err) {
    stream.destroy();
    throw asIntegrity(err, sidecar);
  }
  // The reader stops at the end blocks; read whatever padding follows so the hash covers every byte.
  if (!decompressed.readableEnded) {
    decompressed.resume();
    await finished(decompressed).catch((err: unknown) => {
      throw asIntegrity(err, sidecar);
    });
  }
  if (!hasher.writableFinished) await finished(hasher, { readable: false });
  if (hasher.bytes !== sidecar.archive.size || hasher.digest() !== sidecar.archive.sha256) {
    throw new IntegrityError(
      `stored archive ${sidecar.archive.key} does not match its manifest: ${hasher.bytes} bytes with sha256 ${hasher.digest()}, ` +
        `expected ${sidecar.archive.size} bytes with sha256 ${sidecar.archive.sha256}`,
      { hint: 'the stored copy is damaged: restore from another destination or another backup' },
    );
  }
  checkManifestConsistency(walk.manifest, walk.observed);
  compareManifests(walk.manifest, sidecar);
  if (walk.header.id !== sidecar.id) {
    throw new IntegrityError(
      `archive header says backup ${walk.header.id}, the manifest says ${sidecar.id}`,
    );
  }
  ctx.log.info(
    `Verified ${sidecar.archive.key}: ${formatBytes(hasher.bytes)}, sha256 ${hasher.digest()}`,
  );
}

async function checkSha256Sidecar(d: OpenDestination, sidecar: SidecarManifest): Promise<void> {
  const key = sidecar.archive.key.replace(/\.tar(\.zst|\.gz)?$/, '.sha256');
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

function asIntegrity(err: unknown, sidecar: SidecarManifest): unknown {
  if (err instanceof LifeboatError && !(err instanceof SourceError)) return err;
  if (err instanceof SourceError) return err;
  return new IntegrityError(
    `archive ${sidecar.archive.key} cannot be read: ${(err as Error)?.message ?? err}`,
    {
      cause: err,
    },
  );
}
