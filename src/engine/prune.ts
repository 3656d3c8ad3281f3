import type { Options } from '../options/parse.ts';
import { bool } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import {
  formatPlan,
  isEmptyPolicy,
  keepChains,
  parseRetentionPolicy,
  planRetention,
  type ChainLink,
} from '../retention/policy.ts';
import { unlessAborted } from '../core/cancel.ts';
import type { RunContext } from '../core/context.ts';
import { withDestinations, type CatalogEntry, type OpenDestination } from './destinations.ts';
import { endPhase, startPhase } from '../core/log.ts';
import { lockSet, lockSettings, whileLocked, type LockSettings } from './lock.ts';
import { indexBackups, readEntries, type IndexedBackup } from './backup-index.ts';
import { goodBackupCheck, resolveSet } from './good-backups.ts';

/**
 * Applies the retention policy to one set on every destination. Nothing is removed when the
 * policy is empty; the newest verified backup is never removed; the plan is logged first.
 */
export async function pruneSet(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  destinations: OpenDestination[],
  set?: string,
  /** Backups this run made: never removed by its own retention. */
  protect: readonly string[] = [],
  /** Take the set's lock on each destination first (prune); a backup already holds it. */
  lock?: LockSettings,
): Promise<void> {
  const policy = parseRetentionPolicy(options.values as Parameters<typeof parseRetentionPolicy>[0]);
  if (isEmptyPolicy(policy)) {
    ctx.log.info('No keep-* option set: nothing to prune.');
    return;
  }
  const dryRun = bool(options, 'dry-run');
  let removed = 0;
  let kept = 0;
  for (const d of destinations) {
    startPhase(ctx.log, `Retention on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`);
    const name = await resolveSet(options, d, set);
    const locks = lock && !dryRun ? await lockSet([d], name, lock, ctx, 'prune') : undefined;
    try {
      if (locks?.failed[0]) throw locks.failed[0].error;
      const counts = await pruneOne(
        options,
        locks ? whileLocked(ctx, locks) : ctx,
        report,
        d,
        name,
        policy,
        protect,
      );
      removed += counts.removed;
      kept += counts.kept;
    } catch (err) {
      if (locks?.lost.aborted) throw locks.lost.reason;
      throw err;
    } finally {
      await locks?.release();
    }
    endPhase(ctx.log);
  }
  report.outputs['removed'] = String(removed);
  report.outputs['kept'] = String(kept);
}

/**
 * One set on one destination. The plan is made from key names (ids sort by time; drill records
 * are keys of their own), and only the manifests it needs are read: newest first until the
 * newest good backup (which is never removed), then those of the backups it keeps (a kept
 * incremental keeps its chain). A set with incremental chains has every manifest read, so
 * each decision is labelled with its chain. A removed backup's objects are its listed keys,
 * the manifest first so a half-removed backup is never listed.
 */
async function pruneOne(
  options: Options,
  ctx: RunContext,
  report: RunReport,
  d: OpenDestination,
  name: string,
  policy: ReturnType<typeof parseRetentionPolicy>,
  protect: readonly string[],
): Promise<{ removed: number; kept: number }> {
  const dryRun = bool(options, 'dry-run');
  let removed = 0;
  const indexed = (await indexBackups(d, name)).filter((b) => b.set === name);
  const good = goodBackupCheck(options, ctx, d);
  const entries = new Map<string, CatalogEntry>();
  const byId = new Map(indexed.map((b) => [b.id, b]));
  const readMore = async (backups: IndexedBackup[]) => {
    for (const e of await readEntries(
      backups.filter((b) => !entries.has(b.id)),
      ctx,
    ))
      entries.set(e.id, e);
  };
  // Ids tell the time to the second: backups made within one second are ordered by their
  // manifests' times, as a full read would.
  const perSecond = new Map<number, IndexedBackup[]>();
  for (const b of indexed)
    perSecond.set(b.time.getTime(), [...(perSecond.get(b.time.getTime()) ?? []), b]);
  await readMore([...perSecond.values()].filter((g) => g.length > 1).flat());
  // The id's second is the backup's time; its manifest's createdAt (the same moment, to the
  // millisecond) only orders backups within that second.
  const timeOf = (b: IndexedBackup): Date => {
    const created = Date.parse(entries.get(b.id)?.manifest.createdAt ?? '');
    const second = b.time.getTime();
    return created >= second && created < second + 1000 ? new Date(created) : b.time;
  };
  const newestFirst = [...indexed].sort(
    (a, b) => timeOf(b).getTime() - timeOf(a).getTime() || (a.id < b.id ? 1 : -1),
  );
  // The newest good backup is never removed: read newest first until one is good.
  let newestGood: string | undefined;
  for (const b of newestFirst) {
    ctx.signal?.throwIfAborted();
    await readMore([b]);
    const e = entries.get(b.id);
    if (e && (await good(e))) {
      newestGood = b.id;
      break;
    }
  }
  const refs = indexed.map((b) => ({
    id: b.id,
    time: timeOf(b),
    verified: b.id === newestGood,
    drilled: b.drilled,
  }));
  let plan = planRetention(refs, policy, protect);
  await readMore(plan.keep.flatMap((k) => byId.get(k.id) ?? []));
  if ([...entries.values()].some((e) => e.manifest.kind === 'incremental')) {
    // Chains: every link's manifest says where it belongs.
    await readMore(indexed);
  }
  const links = new Map<string, ChainLink>(
    [...entries.values()].map((e) => [
      e.id,
      { kind: e.manifest.kind, parent: e.manifest.parent, chainPosition: e.manifest.chainPosition },
    ]),
  );
  plan = keepChains(plan, links);
  const text = formatPlan(plan, 'text');
  ctx.log.info(
    `Retention plan for ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}:\n${text}`,
  );
  report.sections.push({
    title: `Retention: ${name} on ${d.displayUrl}${dryRun ? ' (dry run)' : ''}`,
    markdown: formatPlan(plan, 'markdown'),
  });
  const kept = plan.keep.length;
  if (dryRun) return { removed: 0, kept };
  for (const r of plan.remove) {
    // A cancel, or a lost lock, stops between backups, never halfway through one.
    ctx.signal?.throwIfAborted();
    const b = byId.get(r.id)!;
    // The manifest goes first so a half-removed backup is never listed. A cancel stops the
    // deleting at once, even mid-request: whatever is left is kept or unlisted, never lost.
    // The drill record goes with the backup it describes.
    const rest = b.keys.filter((k) => k !== b.manifestKey).sort(deleteOrder);
    for (const key of [b.manifestKey, ...rest])
      await unlessAborted(d.storage.delete(key, { signal: ctx.signal }), ctx.signal);
    removed++;
    ctx.log.info(`Removed ${name}/${r.id} from ${d.displayUrl}`);
  }
  return { removed, kept };
}

/** After the manifest: the signature and sidecars, then the archive, then the drill record. */
function deleteOrder(a: string, b: string): number {
  const rank = (k: string) =>
    k.endsWith('.sig') ? 0 : k.endsWith('.sha256') ? 1 : k.endsWith('.drill.json') ? 3 : 2;
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export async function pruneCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  // Checked before anything is listed or locked.
  parseRetentionPolicy(options.values as Parameters<typeof parseRetentionPolicy>[0]);
  const lock = lockSettings(options);
  await withDestinations(options, ctx, (destinations) =>
    pruneSet(options, ctx, report, destinations, undefined, [], lock),
  );
}
