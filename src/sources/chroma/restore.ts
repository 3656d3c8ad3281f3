/** Restore: new collections staged under temporary names, renamed into place on commit. */
import { collectionTargets } from '../collection-targets.ts';
import { randomBytes } from 'node:crypto';
import type { ArchiveEntry } from '../../archive/types.ts';
import { ConfigError, IntegrityError } from '../../core/errors.ts';
import type { RestoreRequest, RestoreResult, SourceContext, StagedRestore } from '../types.ts';
import { ChromaClient, isCollectionName, parseChromaUrl, type ChromaTarget } from './client.ts';
import { IdDigest, decodeEmbedding } from './records.ts';
import {
  COLLECTION_MEMBER,
  chromaDetails,
  compareWithManifest,
  memberOf,
  message,
  parseCollectionFile,
  readRecords,
  readSmall,
  where,
} from './members.ts';
import type { ChromaCollectionDetails, ChromaDetails } from './members.ts';

/** Id digest and count of a live collection, read in pages of ids only. */
async function liveDigest(client: ChromaClient, id: string): Promise<IdDigest> {
  const digest = new IdDigest();
  const page = 5000;
  for (let offset = 0; ; offset += page) {
    const r = await client.get(id, offset, page, []);
    for (const i of r.ids) digest.add(i);
    if (r.ids.length < page) break;
  }
  return digest;
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .toLowerCase();
}

/** `<name>_lifeboat_<kind>_<time>_<hex>`, shortened to Chroma's 512 characters. */
function asideName(name: string, kind: 'new' | 'old'): string {
  const suffix = `_lifeboat_${kind}_${stamp()}_${randomBytes(3).toString('hex')}`;
  return name.slice(0, 512 - suffix.length) + suffix;
}

/** The target collection for each collection in the backup. */
function targetNames(
  details: ChromaDetails,
  target: ChromaTarget,
  suffix: string,
): Map<string, string> {
  return collectionTargets({
    store: 'Chroma',
    collections: details.collections,
    targetCollection: target.collection,
    suffix,
    isValid: isCollectionName,
    renameHint:
      'leave the collection out of the target URL; use {{option:collection-suffix}} or another ?database=… to restore beside the originals',
    invalidHint: 'choose a collection-suffix of letters, digits, dots, dashes and underscores',
  });
}

/** The target URL narrowed to one collection (for a safety backup of it). */
function collectionUrl(url: string, target: ChromaTarget, name: string): string {
  const u = new URL(url.trim());
  u.pathname = `/${name}`;
  u.search = '';
  u.searchParams.set('tenant', target.tenant);
  u.searchParams.set('database', target.database);
  return u.toString();
}

interface StagedCollection {
  source: string;
  target: string;
  stagedName: string;
  stagedId: string;
  expected: ChromaCollectionDetails;
  /** Set once records were read. */
  read?: boolean;
  /** After commit: the replaced collection, renamed aside. */
  asideId?: string;
  asideName?: string;
  committed?: boolean;
}

export async function stageChroma(
  members: AsyncIterable<ArchiveEntry>,
  request: RestoreRequest,
  ctx: SourceContext,
): Promise<StagedRestore> {
  const target = parseChromaUrl(request.target, 'target', ctx);
  const details = chromaDetails(request.manifest);
  const suffixOption = ctx.options['collection-suffix'];
  const suffix = typeof suffixOption === 'string' ? suffixOption.trim() : '';
  const names = targetNames(details, target, suffix);
  const client = new ChromaClient(target, 'target', ctx.signal);
  const preflight = await client.preflight();
  const location = `${target.displayUrl.replace(/\?.*$/, '')}?tenant=${target.tenant}&database=${target.database}`;

  const existing = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const name of names.values()) if (await client.getCollection(name)) out.push(name);
    return out;
  };
  const present = await existing().catch((err: unknown) => {
    // A tenant or database that does not exist yet holds no collection.
    if ((err as { status?: number }).status === 404) return [] as string[];
    throw err;
  });
  if (present.length && !request.overwrite) {
    throw new ConfigError(
      'target',
      `Chroma collection${present.length > 1 ? 's' : ''} ${present.map((n) => `'${n}'`).join(', ')} already exist${present.length > 1 ? '' : 's'} in ${where(target)}`,
      {
        hint: 'restore into new collections with {{option:collection-suffix=_restored}} or another ?database=… in the target URL, or set {{option:overwrite=true}} (a safety backup is taken first)',
      },
    );
  }
  const createdDatabase = await client.ensureDatabase();

  const staged = new Map<string, StagedCollection>();
  const dropStaged = async () => {
    await dropCollections();
    // A database this restore created goes again when nothing was put in it.
    if (createdDatabase) await client.deleteDatabaseIfEmpty().catch(() => {});
  };
  const dropCollections = async () => {
    for (const s of staged.values()) {
      if (s.committed) continue;
      await client.deleteCollection(s.stagedName, s.stagedId).catch((err: unknown) => {
        ctx.log.warn(
          `could not remove the staged Chroma collection '${s.stagedName}': ${message(err)}`,
        );
      });
    }
  };
  const batchSize = Math.max(1, Math.min(preflight.max_batch_size || 1000, 1000));
  const base64 = preflight.supports_base64_encoding === true;
  try {
    const wanted = new Map(details.collections.map((c) => [c.name, c]));
    for await (const m of members) {
      const parts = m.type === 'file' && m.body ? memberOf(m.path) : undefined;
      const expected = parts ? wanted.get(parts.collection) : undefined;
      if (!parts || !expected) {
        throw new IntegrityError(`unexpected member '${m.path}' (${m.type}) in a Chroma backup`);
      }
      const what = `${request.manifest.name}/${m.path}`;
      if (parts.member === COLLECTION_MEMBER) {
        if (staged.has(parts.collection)) throw new IntegrityError(`${what} appears twice`);
        const file = parseCollectionFile(await readSmall(m.body!, what), what);
        const targetName = names.get(parts.collection)!;
        const stagedName = asideName(targetName, 'new');
        const created = await client.createCollection(
          stagedName,
          file.metadata,
          file.configuration,
        );
        staged.set(parts.collection, {
          source: parts.collection,
          target: targetName,
          stagedName,
          stagedId: created.id,
          expected,
        });
        continue;
      }
      const s = staged.get(parts.collection);
      if (!s || s.read) throw new IntegrityError(`${what} is out of place`);
      const { digest } = await readRecords(
        m.body!,
        what,
        async (batch) => {
          const payload = {
            ids: batch.map((r) => r.id),
            embeddings: batch.map((r) => {
              if (r.embedding === null)
                throw new IntegrityError(`${what}: record '${r.id}' has no embedding`);
              return base64 ? r.embedding : decodeEmbedding(r.embedding)!;
            }),
            documents: batch.map((r) => r.document ?? null),
            metadatas: batch.map((r) =>
              r.metadata && Object.keys(r.metadata).length ? r.metadata : null,
            ),
            uris: batch.map((r) => r.uri ?? null),
          };
          await client.add(s.stagedId, JSON.stringify(payload));
        },
        batchSize,
      );
      compareWithManifest(what, expected, { count: digest.count, digest: digest.hex() });
      s.read = true;
    }
    for (const c of details.collections) {
      const s = staged.get(c.name);
      if (!s?.read)
        throw new IntegrityError(`the backup holds no records member for collection '${c.name}'`);
      const live = await liveDigest(client, s.stagedId);
      compareWithManifest(`the staged collection '${s.stagedName}'`, c, {
        count: live.count,
        digest: live.hex(),
      });
    }
  } catch (err) {
    await dropStaged();
    throw err;
  }

  const commit = async (): Promise<RestoreResult> => {
    const now = await existing();
    if (now.length && !request.overwrite) {
      throw new ConfigError(
        'target',
        `Chroma collection ${now.map((n) => `'${n}'`).join(', ')} appeared in ${where(target)} during the restore; nothing was changed`,
        {
          hint: 'pass {{option:overwrite=true}} or restore into new collections with {{option:collection-suffix}}',
        },
      );
    }
    const notes: string[] = [];
    if (now.length && request.safetyBackup) {
      for (const name of now) {
        const id = await request.safetyBackup(collectionUrl(request.target, target, name));
        notes.push(`safety backup of Chroma collection '${name}' taken first: ${id}`);
      }
    }
    try {
      for (const s of staged.values()) {
        const old = await client.getCollection(s.target);
        if (old) {
          s.asideName = asideName(s.target, 'old');
          await client.renameCollection(old.id, s.asideName);
          s.asideId = old.id;
        }
        await client.renameCollection(s.stagedId, s.target);
        s.committed = true;
      }
    } catch (err) {
      // Half done: put every replaced collection back before the error goes up.
      await undo().catch((e: unknown) => {
        ctx.log.error(`could not put the previous Chroma collections back: ${message(e)}`);
      });
      throw err;
    }
    const tables = details.collections.map((c) => ({ name: names.get(c.name)!, rows: c.records }));
    ctx.log.info(
      `Restored ${tables.length} Chroma collection${tables.length === 1 ? '' : 's'} into ${where(target)}: ${tables.map((t) => `${t.name} (${t.rows})`).join(', ')}`,
    );
    if (now.length) notes.push(`replaced: ${now.join(', ')}`);
    return { location, inventory: { tables }, notes, replaced: now.length > 0 };
  };
  /** Removes what the commit put in place and renames the replaced collections back. */
  const undo = async () => {
    for (const s of staged.values()) {
      if (s.committed) {
        await client.deleteCollection(s.target, s.stagedId);
        s.committed = false;
        s.stagedId = '';
      }
      if (s.asideId) {
        await client.renameCollection(s.asideId, s.target);
        s.asideId = undefined;
      }
    }
  };
  const rollback = undo;
  const abort = async () => {
    for (const s of staged.values()) {
      if (!s.committed && s.stagedId)
        await client.deleteCollection(s.stagedName, s.stagedId).catch((err: unknown) => {
          ctx.log.warn(
            `could not remove the staged Chroma collection '${s.stagedName}': ${message(err)}`,
          );
        });
      if (s.committed && s.asideId && s.asideName) {
        await client.deleteCollection(s.asideName, s.asideId).catch((err: unknown) => {
          ctx.log.warn(
            `could not remove the replaced Chroma collection '${s.asideName}': ${message(err)}`,
          );
        });
      }
      s.stagedId = '';
      s.asideId = undefined;
    }
    if (createdDatabase) await client.deleteDatabaseIfEmpty().catch(() => {});
  };
  return { location, commit, abort, rollback };
}
