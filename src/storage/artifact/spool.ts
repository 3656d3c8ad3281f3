import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DefaultArtifactClient } from '@actions/artifact';
import { IntegrityError, LifeboatError, StorageError } from '../../core/errors.ts';
import type { PutOptions } from '../types.ts';
import { toStorageError } from './rest.ts';

/**
 * The upload side of artifacts: a group's members are spooled to the runner's disk as they are
 * put (an artifact cannot change once finalized), checked, and the upload's digest confirmed.
 */

export interface HeldMember {
  key: string;
  path: string;
  size: number;
  sha256: string;
  modified: Date;
}

export interface HeldGroup {
  name: string;
  root: string;
  members: Map<string, HeldMember>;
}

export async function spoolMember(
  group: HeldGroup,
  key: string,
  body: Readable,
  options: PutOptions,
): Promise<HeldMember> {
  const path = join(group.root, ...key.split('/'));
  // Written aside and renamed, so a failed overwrite of a held key keeps the previous bytes.
  const partial = `${path}.partial-${randomUUID()}`;
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      body,
      counter,
      createWriteStream(partial),
      options.signal ? { signal: options.signal } : {},
    );
  } catch (err) {
    await rm(partial, { force: true });
    if (err instanceof LifeboatError || (err as Error).name === 'AbortError') throw err;
    throw new StorageError(`could not spool ${key} for upload: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const sha256 = hash.digest('hex');
  if (
    (options.sha256 && options.sha256 !== sha256) ||
    (options.size !== undefined && options.size !== size)
  ) {
    await rm(partial, { force: true });
    throw new IntegrityError(
      `${key}: received ${size} bytes with sha256 ${sha256}, expected ${options.size ?? '?'} bytes with ${options.sha256 ?? 'any sha256'}`,
    );
  }
  await rename(partial, path);
  const member = { key, path, size, sha256, modified: new Date() };
  group.members.set(key, member);
  return member;
}

/** The digest the client computed while streaming must be what the service recorded at finalize. */
export async function confirmUpload(
  client: DefaultArtifactClient,
  name: string,
  result: { id: number; size?: number; digest: string },
): Promise<void> {
  let recorded: { id: number; size: number; digest?: string };
  try {
    recorded = (await client.getArtifact(name)).artifact;
  } catch (err) {
    throw toStorageError(err, `confirming ${name}`);
  }
  const digest = recorded.digest?.replace(/^sha256:/, '');
  if (
    recorded.id !== result.id ||
    digest !== result.digest ||
    (result.size !== undefined && recorded.size !== result.size)
  ) {
    try {
      await client.deleteArtifact(name);
    } catch {
      // Reported below; a half-confirmed artifact without a usable digest is refused on read anyway.
    }
    throw new IntegrityError(
      `artifact ${name}: uploaded ${result.size} bytes with sha256 ${result.digest}, but the service recorded ` +
        `${recorded.size} bytes with ${recorded.digest ?? 'no digest'} (artifact ${recorded.id})`,
    );
  }
}

export /** A spooled member must still be what was received when the group is uploaded. */
async function unchangedOnDisk(members: HeldMember[]): Promise<void> {
  for (const m of members) {
    const now = await stat(m.path);
    if (now.size !== m.size)
      throw new IntegrityError(`${m.key} changed on disk while waiting for upload`);
  }
}
