/** Chroma and Qdrant scratch: `<collection>_drill_<id>` collections on the target server. */
import type { SourceManifest } from '../../archive/types.ts';
import { ConfigError, IntegrityError, SourceError } from '../../core/errors.ts';
import { redactUrl } from '../../core/log.ts';
import { schemeOf } from '../../core/url.ts';
import { ChromaClient, isCollectionName, parseChromaUrl } from '../../sources/chroma/client.ts';
import { Qdrant, isQdrantCollectionName, parseQdrantUrl } from '../../sources/qdrant/client.ts';
import { sortKeys } from '../../sources/inventory.ts';
import { needTarget, wrongFamily } from './common.ts';
import type { Scratch, ScratchRequest } from './common.ts';

/** A Qdrant collection's vector configs as the backup's inventory records them. */
function qdrantVectors(info: Record<string, unknown>): {
  vectors: Record<string, { size: number | null; distance: string | null }>;
  sparse: string[];
} {
  const params = ((info['config'] as Record<string, unknown> | undefined)?.['params'] ??
    {}) as Record<string, unknown>;
  const v = params['vectors'] as Record<string, unknown> | undefined;
  const one = (p: unknown) => {
    const o = (p ?? {}) as Record<string, unknown>;
    return {
      size: typeof o['size'] === 'number' ? o['size'] : null,
      distance: typeof o['distance'] === 'string' ? o['distance'] : null,
    };
  };
  const vectors: Record<string, { size: number | null; distance: string | null }> = {};
  if (v && typeof v['size'] === 'number') vectors[''] = one(v);
  else if (v) for (const [name, p] of Object.entries(v)) vectors[name] = one(p);
  const sparse = params['sparse_vectors'];
  return {
    vectors,
    sparse: sparse && typeof sparse === 'object' ? Object.keys(sparse).sort() : [],
  };
}

/** The backup's collections of a vector source, from its manifest details. */
function backupCollections(manifest: SourceManifest): string[] {
  const list = (manifest.details as { collections?: Array<{ name?: unknown }> } | undefined)
    ?.collections;
  const names = Array.isArray(list) ? list.map((c) => c?.name) : [];
  if (!names.every((n): n is string => typeof n === 'string')) {
    throw new IntegrityError(
      `${manifest.name}: the manifest lists no ${manifest.kind} collections`,
    );
  }
  return names;
}

/**
 * Chroma and Qdrant: the backup's collections restored as `<name>_drill_<short id>` on the
 * server (for Chroma: the tenant and database) named by `target`, never on the backed-up one
 * (planScratches refuses it), each refused if it exists, and deleted afterwards by name.
 */
export function vectorScratch(r: ScratchRequest, kind: 'chroma' | 'qdrant'): Scratch {
  const target = needTarget(
    r,
    kind === 'chroma' ? 'chroma://scratch-host:8000?database=drill' : 'qdrant://scratch-host:6333',
  );
  const scheme = schemeOf(target) ?? '';
  if (scheme !== kind && !scheme.startsWith(`${kind}+`)) {
    throw new ConfigError(
      'target',
      `a drill of ${r.manifest.name} (${kind}) restores into a ${kind}:// server, not '${redactUrl(target)}'`,
      {
        hint: `name a spare ${kind === 'chroma' ? 'Chroma' : 'Qdrant'} server as {{option:target}}`,
      },
    );
  }
  const parsed =
    kind === 'chroma'
      ? parseChromaUrl(target, 'target', r.sctx)
      : parseQdrantUrl(target, 'target', r.sctx);
  if (parsed.collection) {
    throw new ConfigError(
      'target',
      `a drill names its scratch collections itself; '${parsed.displayUrl}' names collection '${parsed.collection}'`,
      { hint: `leave the collection out of the target URL, e.g. ${kind}://host:port` },
    );
  }
  const suffix = `_drill_${r.backupId.slice(-6).replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const collections = new Map<string, string>();
  for (const name of backupCollections(r.manifest)) {
    const scratch = name + suffix;
    const valid = kind === 'chroma' ? isCollectionName(scratch) : isQdrantCollectionName(scratch);
    if (!valid) {
      throw new ConfigError(
        'target',
        `the scratch collection name '${scratch}' for ${r.manifest.name} is too long for ${kind}`,
        { hint: 'drill this backup by restoring it by hand with a shorter collection-suffix' },
      );
    }
    collections.set(name, scratch);
  }
  const where =
    kind === 'chroma'
      ? (() => {
          const t = parseChromaUrl(target, 'target', r.sctx);
          return `${t.base} (tenant '${t.tenant}', database '${t.database}')`;
        })()
      : parsed.displayUrl;
  const displayUrl = `${parsed.displayUrl} [${[...collections.values()].join(', ')}]`;
  /** Chroma: whether the scratch database existed before the drill (else remove() drops it). */
  let databaseExisted = true;

  const chroma = () => new ChromaClient(parseChromaUrl(target, 'target', r.sctx), 'target');
  // No abort signal: a cancelled drill still removes its scratch collections.
  const { signal: _signal, ...quiet } = r.sctx;
  void _signal;
  const qdrant = () => new Qdrant(parseQdrantUrl(target, 'target', quiet), 'target', quiet);
  /** The scratch collections that exist now, with their record or point counts. */
  const present = async (): Promise<Array<{ name: string; rows: number; estimated: boolean }>> => {
    const out: Array<{ name: string; rows: number; estimated: boolean }> = [];
    if (kind === 'chroma') {
      const c = chroma();
      for (const name of collections.values()) {
        const found = await c.getCollection(name);
        if (found) out.push({ name, rows: await c.count(found.id), estimated: false });
      }
    } else {
      const q = qdrant();
      for (const name of collections.values()) {
        const info = await q.collection(name);
        const n = info?.['points_count'];
        // Qdrant's points_count is approximate, as the backup's inventory records it.
        if (info) out.push({ name, rows: typeof n === 'number' ? n : 0, estimated: true });
      }
    }
    return out;
  };
  return {
    source: r.manifest.name,
    kind,
    url: target,
    displayUrl,
    collections,
    collectionSuffix: suffix,
    tableName: (t) => collections.get(t) ?? t,
    async occupied() {
      if (kind === 'chroma') {
        databaseExisted = await chroma()
          .checkDatabase()
          .then(
            () => true,
            (err: unknown) => {
              if (err instanceof ConfigError) return false;
              throw err;
            },
          );
        if (!databaseExisted) return undefined;
      }
      const taken = await present();
      return taken.length
        ? `${kind === 'chroma' ? 'Chroma' : 'Qdrant'} collection${taken.length > 1 ? 's' : ''} ${taken.map((t) => `'${t.name}'`).join(', ')} already exist${taken.length > 1 ? '' : 's'} at ${where}`
        : undefined;
    },
    async remove() {
      if (kind === 'chroma') {
        const c = chroma();
        for (const name of collections.values()) {
          const found = await c.getCollection(name).catch((err: unknown) => {
            // The database the drill would have created was never made: nothing to remove.
            if ((err as { status?: number }).status === 404) return undefined;
            throw err;
          });
          if (found) await c.deleteCollection(name, found.id);
        }
        // A restore cancelled while staging may leave `<scratch>_lifeboat_new_…` behind (its
        // clean-up ran on the aborted connection). Those names derive from this drill's scratch
        // names, so they can only be a drill's leftovers of this very backup.
        const staged = [...collections.values()].map((n) => `${n}_lifeboat_new_`);
        const all = await c.listCollections().catch(() => []);
        for (const x of all) {
          if (staged.some((p) => x.name.startsWith(p))) await c.deleteCollection(x.name, x.id);
        }
        if (!databaseExisted) await c.deleteDatabaseIfEmpty().catch(() => {});
      } else {
        const q = qdrant();
        for (const name of collections.values()) {
          if (await q.collection(name)) await q.deleteCollection(name);
        }
      }
      const left = await present().catch(() => []);
      if (left.length) {
        throw new SourceError(
          `could not delete the scratch collection${left.length > 1 ? 's' : ''} ${left.map((t) => `'${t.name}'`).join(', ')} at ${where}`,
        );
      }
    },
    async inventory() {
      const tables = await present();
      return { tables: tables.sort((a, b) => (a.name < b.name ? -1 : 1)) };
    },
    async differences() {
      const out: string[] = [];
      const expected = (r.manifest.details as { collections?: unknown[] } | undefined)
        ?.collections as Array<Record<string, unknown>> | undefined;
      if (kind === 'chroma') {
        const c = chroma();
        for (const e of expected ?? []) {
          const name = collections.get(String(e['name']));
          const got = name ? await c.getCollection(name) : undefined;
          const want = e['dimension'];
          if (got && typeof want === 'number' && typeof got.dimension === 'number') {
            if (got.dimension !== want)
              out.push(
                `collection ${String(e['name'])} has embeddings of ${got.dimension} dimensions, the backup ${want}`,
              );
          }
        }
        return out;
      }
      // Qdrant: the vector configurations (size and distance per named vector, sparse vectors).
      const wanted = (r.manifest.inventory.extra?.['collections'] ?? []) as Array<{
        name: string;
        vectors?: Record<string, { size: number | null; distance: string | null }>;
        sparseVectors?: string[];
      }>;
      const q = qdrant();
      for (const e of wanted) {
        const name = collections.get(e.name);
        const info = name ? await q.collection(name) : undefined;
        if (!info || !e.vectors) continue;
        const got = qdrantVectors(info);
        const want = { vectors: e.vectors, sparse: e.sparseVectors ?? [] };
        if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(want))) {
          out.push(
            `collection ${e.name} has vectors ${JSON.stringify(got)}, the backup ${JSON.stringify(want)}`,
          );
        }
      }
      return out;
    },
    check(a) {
      return Promise.reject(wrongFamily(a, kind));
    },
  };
}
