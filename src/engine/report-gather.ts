/** The report's reading side: every destination's sidecars, drill records and usage → one catalog. */
import { text } from 'node:stream/consumers';
import type { SidecarManifest } from '../archive/types.ts';
import {
  CATALOG_VERSION,
  type Catalog,
  type CatalogBackup,
  type DrillRecord,
  type RetentionPreview,
} from '../report/html/catalog.ts';
import {
  describePolicy,
  isEmptyPolicy,
  planRetention,
  type RetentionPolicy,
} from '../retention/policy.ts';
import { isConfirmedBackup } from './catalog.ts';
import type { RunContext } from '../core/context.ts';
import { readSidecarManifest, type OpenDestination } from './destinations.ts';
import { IntegrityError, isNotFound } from '../core/errors.ts';
import { endPhase, startPhase } from '../core/log.ts';
import { isBackupId } from './naming.ts';
import { assessSet } from './report-state.ts';
import { eachLimited, STORE_READ_CONCURRENCY } from '../core/limit.ts';

/** Newest backups per set whose drill record is asked for even when the listing shows none. */
const DRILL_PROBES = 3;

/** The report's options, parsed and checked (see reportSettings). */
export interface ReportSettings {
  html?: string;
  /** Cron lines for every set. */
  schedule: string[];
  /** `set=cron` lines. */
  perSet: Map<string, string[]>;
  graceMs?: number;
  policy: RetentionPolicy;
  links: { runBackup?: string; restore?: string };
}

interface Gathered {
  set: string;
  id: string;
  destination: string;
  manifest?: SidecarManifest;
  key: string;
  damaged?: string;
}

/** Reads every destination (unreadable ones are recorded, not fatal) into one catalog. */
export async function gatherCatalog(
  destinations: OpenDestination[],
  only: string | undefined,
  settings: ReportSettings,
  ctx: RunContext,
): Promise<Catalog> {
  const now = ctx.now();
  const catalog: Catalog = {
    version: CATALOG_VERSION,
    generatedAt: now.toISOString(),
    tool: `lifeboat ${ctx.version}`,
    destinations: [],
    sets: [],
  };
  const found: Gathered[] = [];
  const drills = new Map<string, DrillRecord>();
  const signed = new Set<string>();
  const storage = new Map<string, Map<string, { bytes: number; objects: number }>>();
  const lifeboatSets = new Set<string>();
  for (const d of destinations) {
    startPhase(ctx.log, `Read ${d.displayUrl}`);
    try {
      // Everything read from this destination joins the catalog only once all of it was read:
      // an unreadable destination is reported as such, never half-counted.
      const here = await readDestination(d, only, drills, ctx);
      found.push(...here.found);
      for (const [key, record] of here.drills) drills.set(key, record);
      for (const key of here.signed) signed.add(key);
      for (const set of here.sets) lifeboatSets.add(set);
      for (const [set, used] of here.used) {
        const perSet = storage.get(set) ?? new Map<string, { bytes: number; objects: number }>();
        perSet.set(d.displayUrl, used);
        storage.set(set, perSet);
      }
      catalog.destinations.push({ url: d.displayUrl });
    } catch (err) {
      // A cancel is the run's end, not one unreadable destination.
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      catalog.destinations.push({ url: d.displayUrl, error: (err as Error).message });
    }
    endPhase(ctx.log);
  }

  const bySet = groupBy(found, (g) => g.set);
  const names = [...new Set([...bySet.keys(), ...lifeboatSets, ...(only ? [only] : [])])].sort();
  for (const name of names) {
    const backups = mergeCopies(bySet.get(name) ?? [], drills, signed);
    const isSafety = name.endsWith('-safety');
    const cron = settings.perSet.get(name) ?? (isSafety ? [] : settings.schedule);
    const set = assessSet({ name, backups, cron, now, graceMs: settings.graceMs, isSafety });
    set.storage = [
      ...(storage.get(name) ?? new Map<string, { bytes: number; objects: number }>()),
    ].map(([destination, used]) => ({ destination, ...used }));
    const objects = set.storage.reduce((n, u) => n + u.objects, 0);
    if (backups.length === 0 && objects > 0) {
      set.reason = `no backup manifest found, though ${objects} object${objects === 1 ? ' is' : 's are'} stored: archives without their sidecar manifests are not restorable backups`;
    }
    set.retention = retentionPreview(bySet.get(name) ?? [], settings.policy);
    set.links = { ...settings.links };
    catalog.sets.push(set);
  }
  return catalog;
}

interface DestinationRead {
  found: Gathered[];
  drills: Map<string, DrillRecord>;
  signed: Set<string>;
  /** Folders holding objects named by backup ids. */
  sets: Set<string>;
  used: Map<string, { bytes: number; objects: number }>;
}

/** One destination's listing, sidecar manifests and drill records. */
async function readDestination(
  d: OpenDestination,
  only: string | undefined,
  known: ReadonlyMap<string, DrillRecord>,
  ctx: RunContext,
): Promise<DestinationRead> {
  const out: DestinationRead = {
    found: [],
    drills: new Map(),
    signed: new Set(),
    sets: new Set(),
    used: new Map(),
  };
  const objects = await d.storage.list(only ? `${only}/` : '');
  const manifests: Array<{ set: string; id: string; key: string }> = [];
  const drillKeys: string[] = [];
  for (const obj of objects) {
    const set = obj.key.split('/')[0]!;
    if (!obj.key.includes('/') || (only && set !== only)) continue;
    const used = out.used.get(set) ?? { bytes: 0, objects: 0 };
    used.bytes += obj.size;
    used.objects++;
    out.used.set(set, used);
    // A folder with any object named by a backup id is a set, even with no readable
    // manifest left (archives whose sidecars are gone must not vanish from the page).
    if (isBackupId(obj.key.slice(set.length + 1).split('.')[0]!)) out.sets.add(set);
    const m = /^([^/]+)\/([^/]+?)\.(manifest\.json|drill\.json|sig)$/.exec(obj.key);
    if (!m || !isBackupId(m[2]!)) continue;
    if (m[3] === 'manifest.json') manifests.push({ set: m[1]!, id: m[2]!, key: obj.key });
    else if (m[3] === 'sig') out.signed.add(`${m[1]}/${m[2]}`);
    else drillKeys.push(obj.key);
  }
  await eachLimited(manifests, STORE_READ_CONCURRENCY, ctx.signal, async (m) => {
    try {
      out.found.push({
        ...m,
        destination: d.displayUrl,
        manifest: await readSidecarManifest(d, m.key),
      });
    } catch (err) {
      if (isNotFound(err)) return;
      // A manifest that is not one is a damaged backup; a store that will not serve it is an
      // unreadable destination (the caller reports it).
      if (!(err instanceof IntegrityError)) throw err;
      out.found.push({ ...m, destination: d.displayUrl, damaged: err.message });
    }
  });
  // Drill records the listing shows, and a probe of each set's newest backups for stores
  // whose listing may not show them; one found on an earlier destination is not read again.
  const newest = new Map<string, string[]>();
  for (const m of [...manifests].sort((a, b) => (a.id < b.id ? 1 : -1))) {
    const ids = newest.get(m.set) ?? [];
    if (ids.length < DRILL_PROBES) newest.set(m.set, [...ids, m.id]);
  }
  const probes = [...newest].flatMap(([set, ids]) => ids.map((id) => `${set}/${id}.drill.json`));
  const keys = [...new Set([...drillKeys, ...probes])].filter(
    (k) => !known.has(k.replace(/\.drill\.json$/, '')),
  );
  await eachLimited(keys, STORE_READ_CONCURRENCY, ctx.signal, async (key) => {
    const record = await readDrill(d, key, ctx);
    if (record) out.drills.set(key.replace(/\.drill\.json$/, ''), record);
  });
  return out;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

async function readDrill(
  d: OpenDestination,
  key: string,
  ctx: RunContext,
): Promise<DrillRecord | undefined> {
  let body: string;
  try {
    body = await text(await d.storage.get(key, { signal: ctx.signal }));
  } catch (err) {
    if (isNotFound(err) || ctx.signal?.aborted) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      return undefined;
    }
    // A drill record only adds to a set's picture: one that cannot be read is said, not fatal.
    ctx.log.warn(
      `could not read ${key} on ${d.displayUrl}: ${(err as Error).message}; shown as never drilled`,
    );
    return undefined;
  }
  try {
    const r = JSON.parse(body) as DrillRecord;
    if (
      typeof r === 'object' &&
      r !== null &&
      typeof r.ok === 'boolean' &&
      typeof r.backupId === 'string' &&
      typeof r.finishedAt === 'string' &&
      typeof r.rtoMs === 'number' &&
      Array.isArray(r.checks)
    ) {
      return r;
    }
  } catch {
    // reported below
  }
  ctx.log.warn(`${key} on ${d.displayUrl} is not a drill record; shown as never drilled`);
  return undefined;
}

/** One backup per id, with a copy per destination; the first readable manifest describes it. */
function mergeCopies(
  gathered: Gathered[],
  drills: Map<string, DrillRecord>,
  signed: Set<string>,
): CatalogBackup[] {
  const byId = groupBy(gathered, (g) => g.id);
  const out: CatalogBackup[] = [];
  for (const [id, copies] of byId) {
    const good = copies.find((c) => c.manifest)?.manifest;
    const set = copies[0]!.set;
    const backup: CatalogBackup = good
      ? describeBackup(good, signed.has(`${set}/${id}`))
      : {
          id,
          createdAt: idTime(id),
          size: 0,
          sha256: '',
          encrypted: false,
          signed: signed.has(`${set}/${id}`),
          confirmed: false,
          tags: [],
          sources: [],
          copies: [],
          damaged: copies.map((c) => c.damaged).join('; '),
        };
    backup.copies = copies.map((c) => ({
      destination: c.destination,
      key: c.manifest?.archive.key ?? c.key,
      size: c.manifest?.archive.size ?? 0,
      ...(c.damaged ? { damaged: c.damaged } : {}),
    }));
    const drill = drills.get(`${set}/${id}`);
    if (drill) backup.drill = drill;
    out.push(backup);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function idTime(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id)!;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}

function describeBackup(m: SidecarManifest, hasSig: boolean): CatalogBackup {
  // Encryption and signing land in the manifest in later formats; read whichever is there.
  const extra = m as SidecarManifest & {
    encryption?: unknown;
    signed?: boolean;
    signature?: unknown;
  };
  const finished = m.finishedAt ? Date.parse(m.finishedAt) : NaN;
  const b: CatalogBackup = {
    id: m.id,
    createdAt: m.createdAt,
    size: m.archive.size,
    sha256: m.archive.sha256,
    compression: m.compression,
    encrypted: m.encrypted === true || Boolean(extra.encryption),
    signed: hasSig || extra.signed === true || Boolean(extra.signature),
    confirmed: isConfirmedBackup(m),
    ...(m.kind ? { kind: m.kind } : {}),
    ...(m.parent ? { parent: m.parent } : {}),
    ...(m.chainPosition !== undefined ? { chainPosition: m.chainPosition } : {}),
    tags: m.tags ?? [],
    sources: (m.sources ?? []).map((s) => {
      const inv = s.inventory ?? {};
      const src: CatalogBackup['sources'][number] = {
        name: s.name,
        kind: s.kind,
        url: s.url,
        versions: s.versions ?? {},
      };
      if (inv.tables) {
        src.tables = inv.tables.length;
        src.rows = inv.tables.reduce((n, t) => n + t.rows, 0);
      }
      if (inv.files !== undefined) src.files = inv.files;
      if (inv.totalBytes !== undefined) src.totalBytes = inv.totalBytes;
      return src;
    }),
    copies: [],
  };
  if (m.tool) b.tool = `${m.tool.name} ${m.tool.version}`;
  if (m.finishedAt) b.finishedAt = m.finishedAt;
  if (!Number.isNaN(finished)) b.durationMs = Math.max(0, finished - Date.parse(m.createdAt));
  if (m.verifiedAt) b.verifiedAt = m.verifiedAt;
  return b;
}

function retentionPreview(gathered: Gathered[], policy: RetentionPolicy): RetentionPreview[] {
  if (isEmptyPolicy(policy)) return [];
  const byDestination = groupBy(
    gathered.filter((g) => g.manifest),
    (g) => g.destination,
  );
  return [...byDestination].map(([destination, entries]) => {
    const plan = planRetention(
      entries.map((e) => ({
        id: e.id,
        time: new Date(e.manifest!.createdAt),
        verified: isConfirmedBackup(e.manifest!),
      })),
      policy,
    );
    const pick = (d: { id: string; reasons: string[] }) => ({ id: d.id, reasons: d.reasons });
    return {
      destination,
      policy: describePolicy(policy),
      keep: plan.keep.map(pick),
      remove: plan.remove.map(pick),
    };
  });
}
