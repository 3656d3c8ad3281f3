/**
 * Incremental chains (`mode: incremental`, `full-every`): choosing a backup's parent, reading
 * what a source needs from the parent's archive, and walking a chain back to its full backup
 * for restore and verify. A chain is one full backup (position 0) and the incrementals that
 * follow it; each incremental names its parent. Every link a restore uses is proven (stored
 * sha256, every chunk, inner manifest) before anything is staged; a missing or damaged link is
 * an IntegrityError (exit 3) naming it.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { decompressStream } from '../archive/compression.ts';
import { readArchive } from '../archive/reader.ts';
import type { ArchiveEntry, SidecarManifest, SourceManifest } from '../archive/types.ts';
import type { Options } from '../options/parse.ts';
import { bool, str } from '../options/parse.ts';
import { parseDuration, subtractDuration } from '../retention/duration.ts';
import type { Duration } from '../retention/duration.ts';
import { driverForKind } from '../sources/registry.ts';
import type { IncrementalDump, SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import { listBackups, type CatalogEntry, type OpenDestination } from './destinations.ts';
import { ConfigError, IntegrityError, LifeboatError, isNotFound } from '../core/errors.ts';
import { readStoredArchive } from './stored-archive.ts';
import { AgeDecryptStream, type Identity } from '../archive/age/index.ts';
import type { AllowedSigner } from '../archive/sshsig.ts';
import { decryptionFor, encryptionFor, keyErrors, openManifest } from './encryption.ts';
import { allowedSignersFor, checkSignature, ownSigner, requireSignature } from './signing.ts';

/** What opens a chain's links: the run's age keys, and the signers every link must be signed by. */
export interface ChainKeys {
  identities?: Identity[] | undefined;
  signers?: AllowedSigner[] | undefined;
}

/**
 * A listed link made readable: its signature checked when signers are required (the index used
 * is exactly the one signed), then an encrypted link's sealed manifest opened with the run's
 * key (ConfigError naming the option without one).
 */
export async function openLink(
  link: CatalogEntry,
  keys: ChainKeys,
  ctx: RunContext,
): Promise<CatalogEntry> {
  let index = link.manifest;
  if (keys.signers) index = await requireSignature(link.destination, link, keys.signers, ctx);
  const manifest = await openManifest(index, keys.identities, `${link.set}/${link.id}`);
  return { ...link, manifest };
}

export type FullEvery = { count: number } | { duration: Duration };

/** `full-every`: a count of backups (`24`) or a duration (`1d`, `7d`). ConfigError otherwise. */
export function parseFullEvery(text: string | undefined): FullEvery {
  const t = (text ?? '24').trim();
  if (/^\d+$/.test(t)) {
    const count = Number(t);
    if (count < 1) {
      throw new ConfigError('full-every', `'${t}' is not a positive count`, {
        hint: 'use a count such as 24 (a full backup every 24 backups) or a duration such as 1d',
      });
    }
    return { count };
  }
  try {
    const duration = parseDuration('full-every', t);
    if (duration.ms <= 0) throw new Error('zero');
    return { duration };
  } catch {
    throw new ConfigError('full-every', `'${t}' is neither a count nor a duration`, {
      hint: 'use a count such as 24, or a duration such as 12h, 1d or 7d',
    });
  }
}

export interface ChainPlan {
  kind: 'full' | 'incremental';
  position: number;
  parent?: CatalogEntry;
  /** Per source name: what its dump needs. */
  dumps: Map<string, IncrementalDump>;
}

/** Mode incremental's options, checked before any work starts. Undefined for mode full. */
export function incrementalMode(
  options: Options,
): { fullEvery: FullEvery; rehash: boolean } | undefined {
  const fullEvery = parseFullEvery(str(options, 'full-every'));
  if ((str(options, 'mode') ?? 'full') !== 'incremental') return undefined;
  return { fullEvery, rehash: bool(options, 'incremental-rehash') };
}

/** Read back after the upload, or its sha256 and size confirmed by the store (see catalog.ts). */
function isConfirmed(m: SidecarManifest): boolean {
  if (m.verifiedAt) return true;
  return /^[0-9a-f]{64}$/.test(m.archive.sha256) && m.archive.size > 0;
}

/** A backup's chain, full backup first, from a listing (undefined when a link is missing). */
export function chainOf(entry: CatalogEntry, entries: CatalogEntry[]): CatalogEntry[] | undefined {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const chain = [entry];
  let cur = entry;
  while (cur.manifest.kind === 'incremental') {
    const parent = cur.manifest.parent ? byId.get(cur.manifest.parent) : undefined;
    if (!parent || chain.length > 100_000) return undefined;
    chain.unshift(parent);
    cur = parent;
  }
  return chain;
}

/**
 * Whether this backup is a full one or an incremental, and of which parent: the newest backup
 * of the set on the first destination, when it has the same sources, every destination holds
 * its whole chain, each source can follow it, and `full-every` does not call for a full one.
 */
export async function planChain(
  options: Options,
  ctx: RunContext,
  destinations: OpenDestination[],
  set: string,
  planned: Array<{ name: string; url: string; source: { kind: string; displayUrl: string } }>,
): Promise<ChainPlan | undefined> {
  const mode = incrementalMode(options);
  if (!mode) return undefined;
  for (const p of planned) {
    const driver = await driverForKind(p.source.kind);
    if (!driver.incremental) {
      throw new ConfigError(
        'mode',
        `incremental backups work for dir: and sqlite: sources, not ${p.source.kind} (${p.name})`,
        {
          hint: 'back this source up in its own set with {{option:mode=full}}, or remove {{option:mode}}',
        },
      );
    }
  }
  const full = (why: string): ChainPlan => {
    ctx.log.info(`Full backup (starts a new chain): ${why}`);
    const dumps = new Map<string, IncrementalDump>();
    for (const p of planned) dumps.set(p.name, { rehash: mode.rehash });
    return { kind: 'full', position: 0, dumps };
  };
  const first = destinations[0]!;
  const entries = (await listBackups(first, set, ctx)).filter(
    (e) => e.set === set && !e.manifest.tags?.includes('safety'),
  );
  // The newest good backup: stored and confirmed (as retention and freshness count them).
  const parent = entries.filter((e) => isConfirmed(e.manifest)).at(-1);
  if (!parent) return full(`no earlier backup of ${set} on ${first.displayUrl}`);
  const chain = chainOf(parent, entries);
  if (!chain) return full(`the chain of ${parent.id} is incomplete on ${first.displayUrl}`);
  const position = chain.length;
  const fe = mode.fullEvery;
  if ('count' in fe && position >= fe.count)
    return full(`full-every ${fe.count}: the chain has ${position} backups`);
  if ('duration' in fe) {
    const start = new Date(chain[0]!.manifest.createdAt);
    if (start.getTime() <= subtractDuration(ctx.now(), fe.duration).getTime())
      return full(
        `full-every ${fe.duration.text}: the chain's full backup ${chain[0]!.id} is older`,
      );
  }
  // An encrypted parent is read with the run's key (passphrase, or age-identity); a chain does
  // not change between encrypted and not, and with signatures it follows only a good one.
  const encrypting = encryptionFor(options, ctx) !== undefined;
  if (Boolean(parent.manifest.encrypted) !== encrypting)
    return full(
      encrypting
        ? `this backup is encrypted and the newest backup ${parent.id} is not`
        : `the newest backup ${parent.id} is encrypted and this one is not`,
    );
  const identities = decryptionFor(options, ctx);
  if (parent.manifest.encrypted && !identities)
    return full(
      `the newest backup ${parent.id} is encrypted and this run has no key to read it (give age-identity or the passphrase to chain onto it)`,
    );
  const signers = allowedSignersFor(options, ctx) ?? ownSigner(options, ctx);
  if (signers) {
    const check = await checkSignature(first, parent, signers);
    if (check.state !== 'signed')
      return full(
        `the newest backup ${parent.id} is ${check.state === 'unsigned' ? 'not signed' : 'badly signed'} by an allowed key`,
      );
  }
  let sealed: SidecarManifest;
  try {
    sealed = await openManifest(parent.manifest, identities, `${set}/${parent.id}`);
  } catch (err) {
    if (err instanceof ConfigError)
      return full(`the key given does not open the newest backup ${parent.id}`);
    // A damaged index must not stop tonight's backup: it starts a chain of its own.
    if (err instanceof IntegrityError)
      return full(`the newest backup ${parent.id} cannot be read: ${err.message}`);
    throw err;
  }
  const same =
    sealed.sources.length === planned.length &&
    planned.every((p, i) => {
      const s = sealed.sources[i]!;
      return s.name === p.name && s.kind === p.source.kind && s.url === p.source.displayUrl;
    });
  if (!same) return full(`the newest backup ${parent.id} has other sources`);
  if (sealed.sources.some((s) => !Array.isArray(s.members)))
    return full(`the newest backup ${parent.id} does not list its members in its manifest`);
  for (const s of sealed.sources) {
    const driver = await driverForKind(s.kind);
    if (!driver.incremental?.canFollow(s))
      return full(`${s.name} in ${parent.id} does not record what an incremental needs`);
  }
  for (const d of destinations.slice(1)) {
    const there = new Set((await listBackups(d, set, ctx)).map((e) => e.id));
    const gone = chain.find((e) => !there.has(e.id));
    if (gone) return full(`${d.displayUrl} does not hold ${gone.id} of the chain`);
  }
  const dumps = new Map<string, IncrementalDump>();
  for (const s of sealed.sources) {
    dumps.set(s.name, {
      rehash: mode.rehash,
      parent: {
        id: parent.id,
        manifest: s,
        readMember: (path) => readParentMember(first, sealed, s.name, path, ctx, identities),
      },
    });
  }
  ctx.log.info(
    `Incremental backup ${position} of the chain of ${chain[0]!.id}, parent ${parent.id}`,
  );
  return { kind: 'incremental', position, parent: { ...parent, manifest: sealed }, dumps };
}

/**
 * Reads one member of one source from a stored archive, up to that member only (a chain's
 * page hashes come first), and checks its sha256 against the archive's manifest.
 */
export async function readParentMember(
  d: OpenDestination,
  sidecar: SidecarManifest,
  source: string,
  path: string,
  ctx: RunContext,
  /** For an encrypted parent (its sidecar then is the opened full manifest). */
  identities?: Identity[],
): Promise<Buffer> {
  const record = sidecar.sources
    .find((s) => s.name === source)
    ?.members.find((m) => m.path === path);
  if (!record?.sha256) {
    throw new IntegrityError(`backup ${sidecar.id} lists no ${source}/${path}`);
  }
  const ref = `${sidecar.name}/${sidecar.id}`;
  if (sidecar.encrypted && !identities) {
    throw new ConfigError('age-identity', `backup ${ref} is encrypted and no key was given`, {
      hint: 'give {{option:age-identity}} or {{option:passphrase}}',
    });
  }
  const stream = await d.storage.get(sidecar.archive.key, { signal: ctx.signal });
  const decryptor =
    sidecar.encrypted && identities
      ? new AgeDecryptStream(identities, keyErrors(ref, identities))
      : undefined;
  const decompressor = decompressStream(sidecar.compression);
  const stages = [stream, decryptor, decompressor].filter(
    (s): s is NonNullable<typeof s> => s !== undefined,
  );
  const tar = (pipeline as (...s: unknown[]) => typeof decompressor)(...stages, () => undefined);
  for (const s of stages) s.on('error', () => undefined);
  const items = readArchive(tar);
  try {
    for await (const item of items) {
      if (item.kind !== 'member') continue;
      const body = item.entry.body;
      if (item.source !== source || item.entry.path !== path || !body) continue;
      const parts: Buffer[] = [];
      const hash = createHash('sha256');
      for await (const c of body) {
        parts.push(c as Buffer);
        hash.update(c as Buffer);
      }
      if (hash.digest('hex') !== record.sha256) {
        throw new IntegrityError(
          `${source}/${path} in backup ${sidecar.id} does not match its manifest`,
        );
      }
      return Buffer.concat(parts);
    }
    throw new IntegrityError(`backup ${sidecar.id} holds no ${source}/${path}`);
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    throw new IntegrityError(
      `cannot read ${source}/${path} from the parent backup ${sidecar.id}: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await items.return(undefined).catch(() => undefined);
    for (const s of stages) if (!s.destroyed) s.destroy();
  }
}

/**
 * The chain a backup needs, full backup first, from the destination that holds it. A missing
 * link is an IntegrityError naming it.
 */
export async function resolveChain(
  entry: CatalogEntry,
  ctx: RunContext,
  keys: ChainKeys = {},
): Promise<CatalogEntry[]> {
  if (entry.manifest.kind !== 'incremental') return [entry];
  const d = entry.destination;
  const entries = (await listBackups(d, entry.set, ctx)).filter((e) => e.set === entry.set);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const chain = [entry];
  let cur = entry;
  while (cur.manifest.kind === 'incremental') {
    const id = cur.manifest.parent;
    const listed = id ? byId.get(id) : undefined;
    if (!listed) {
      throw new IntegrityError(
        `backup ${entry.set}/${entry.id} is incremental and its chain is broken: ${cur.id} needs its parent ${id ?? '(none recorded)'}, which is missing on ${d.displayUrl}`,
        {
          hint: "restore an older backup whose chain is whole (`lifeboat list` shows each backup's parent), or restore the missing backup's objects",
        },
      );
    }
    // Each link signed (with allowed-signers) and opened (when encrypted) before it is used.
    const parent = await openLink(listed, keys, ctx);
    const want = (cur.manifest.chainPosition ?? 1) - 1;
    if ((parent.manifest.chainPosition ?? 0) !== want || chain.length > 100_000) {
      throw new IntegrityError(
        `backup ${cur.id} says it is link ${want + 1} of its chain, but its parent ${parent.id} is link ${parent.manifest.chainPosition ?? 0}`,
      );
    }
    chain.unshift(parent);
    cur = parent;
  }
  return chain;
}

export interface ProvenSource {
  /** The final state as a full backup's members and manifest section. */
  members: AsyncIterable<ArchiveEntry>;
  manifest: SourceManifest;
}

/**
 * Proves every link of a chain (the `.sha256` sidecar, the stored object's size and sha256,
 * every chunk, the inner manifest) while each source keeps what the final state needs in a
 * scratch folder, then assembles the final state. Nothing outside `sctx.tmpDir` is written.
 */
export async function proveChain(
  chain: CatalogEntry[],
  ctx: RunContext,
  sctx: SourceContext,
  keys: ChainKeys = {},
): Promise<Map<string, ProvenSource>> {
  const last = chain.at(-1)!;
  const scratchOf = new Map<string, string>();
  for (const sm of last.manifest.sources) {
    const dir = join(sctx.tmpDir, `chain-${sm.name}`);
    // Fresh for every attempt: nothing from another destination's copy is mixed in.
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    scratchOf.set(sm.name, dir);
  }
  for (const [i, link] of chain.entries()) {
    ctx.log.info(
      `Proving chain link ${i + 1} of ${chain.length}: ${link.id} (${i === 0 ? 'full' : 'incremental'})`,
    );
    try {
      await readStoredArchive(
        link.destination,
        link.manifest,
        ctx,
        sctx,
        async (sm, members) => {
          const lastSm = last.manifest.sources.find((s) => s.name === sm.name);
          if (!lastSm || lastSm.kind !== sm.kind) {
            throw new IntegrityError(
              `chain link ${link.id} holds a source ${sm.name} the backup ${last.id} does not have`,
            );
          }
          const driver = await driverForKind(sm.kind);
          await driver.incremental!.absorb(
            members,
            { id: link.id, manifest: sm },
            lastSm,
            scratchOf.get(sm.name)!,
            sctx,
          );
        },
        {
          checkSha256Sidecar: true,
          ...(keys.identities ? { identities: keys.identities } : {}),
        },
      );
    } catch (err) {
      // A listed link whose archive is gone is as broken as a damaged one.
      const gone = isNotFound(err);
      if (!(err instanceof IntegrityError) && !gone) throw err;
      const why = gone
        ? `its archive ${link.manifest.archive.key} is missing on ${link.destination.displayUrl}`
        : `it is damaged: ${(err as Error).message}`;
      throw new IntegrityError(
        `chain link ${i + 1} of ${chain.length} (${link.set}/${link.id}) of backup ${last.id} cannot be used: ${why}`,
        {
          cause: err,
          hint: "restore an older backup whose chain is whole, or another destination's copy",
        },
      );
    }
  }
  const proven = new Map<string, ProvenSource>();
  for (const sm of last.manifest.sources) {
    const driver = await driverForKind(sm.kind);
    proven.set(sm.name, await driver.incremental!.assemble(sm, scratchOf.get(sm.name)!, sctx));
  }
  return proven;
}

/**
 * The chain of `entry`, proven, from the first destination whose copy of the whole chain is
 * intact: when a link is missing or damaged on one destination, the next one that holds the
 * backup is tried. Fails with the first destination's error (naming its link) when none works.
 */
export async function proveChainAnywhere(
  entry: CatalogEntry,
  destinations: OpenDestination[],
  ctx: RunContext,
  sctx: SourceContext,
  keys: ChainKeys = {},
): Promise<{ chain: CatalogEntry[]; proven: Map<string, ProvenSource> }> {
  const candidates: CatalogEntry[] = [entry];
  let first: unknown;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    try {
      // Another destination's copy is opened (signature, sealed manifest) as the first was.
      const opened = i === 0 ? candidate : await openLink(candidate, keys, ctx);
      const chain = await resolveChain(opened, ctx, keys);
      return { chain, proven: await proveChain(chain, ctx, sctx, keys) };
    } catch (err) {
      if (!(err instanceof IntegrityError) || sctx.signal?.aborted) throw err;
      first ??= err;
      if (i === 0) {
        // Only now look elsewhere: other destinations' copies of the same backup.
        for (const d of destinations) {
          if (d === entry.destination) continue;
          const other = await listBackups(d, entry.set, ctx).catch(() => []);
          const same = other.find((e) => e.id === entry.id && e.set === entry.set);
          if (same) candidates.push(same);
        }
      }
      const next = candidates[i + 1];
      if (next) {
        ctx.log.warn(`${err.message}; trying the copy on ${next.destination.displayUrl}`);
      }
    }
  }
  throw first;
}
