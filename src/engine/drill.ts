import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { Inventory, SidecarManifest, SourceManifest } from '../archive/types.ts';
import { chooseBackup, fullManifest, readKeysFor } from './choose-backup.ts';
import type { RunSession } from './session.ts';
import { FAMILY_KINDS, parseAssertions, type ParsedAssertion } from '../drill/assert.ts';
import { inventoryDifferences, inventoryFigures } from '../drill/inventory.ts';
import type { DrillCheck, DrillRecord } from '../drill/record.ts';
import { planScratch, samePlace, type Scratch } from '../drill/scratch.ts';
import type { Options } from '../options/parse.ts';
import { bool, lines, num, str } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import { renderDrillSection } from '../report/summary.ts';
import { parseDuration, type Duration } from '../retention/duration.ts';
import {
  describeConsistency,
  planConsistency,
  runConsistencyChecks,
  type ConsistencySpec,
} from '../sources/consistency.ts';
import { driverForKind } from '../sources/registry.ts';
import type { SourceContext } from '../sources/types.ts';
import type { RunContext } from '../core/context.ts';
import { registerUrlSecrets, useDestinations, type CatalogEntry } from './destinations.ts';
import {
  CancelledError,
  ConfigError,
  FreshnessError,
  IntegrityError,
  LifeboatError,
  StorageError,
  describeErrorTemplate,
} from '../core/errors.ts';
import { endPhase, formatDuration, startPhase } from '../core/log.ts';
import { drillKey } from '../storage/keys.ts';
import { restoreBackup } from './restore.ts';
import { parseNamedLines } from '../core/url.ts';

/** Test seams: what a test does to the scratch copy between the restore and the checks. */
export interface DrillHooks {
  afterRestore?: (scratches: readonly Scratch[]) => Promise<void>;
}

interface DrillPlan {
  assertions: ParsedAssertion[];
  maxRto: Duration | undefined;
  maxAge: Duration | undefined;
  keepScratch: boolean;
  consistency: string[];
  consistencyTolerance: number;
}

/** Every drill option, parsed before anything is listed, downloaded or restored. */
export function parseDrillOptions(options: Options): DrillPlan {
  const rto = str(options, 'max-rto');
  const age = str(options, 'max-age');
  return {
    assertions: parseAssertions(lines(options, 'assert')),
    maxRto: rto ? parseDuration('max-rto', rto) : undefined,
    maxAge: age ? parseDuration('max-age', age) : undefined,
    keepScratch: bool(options, 'keep-scratch'),
    consistency: lines(options, 'consistency'),
    consistencyTolerance: num(options, 'consistency-tolerance') ?? 0,
  };
}

/**
 * A restore drill: picks the backup, proves and restores it through the same staged restore as
 * `restore` (every chunk, the stored sha256 and the manifests checked before the scratch copy is
 * committed), then checks the scratch copy (inventory against the manifest, the user's
 * assertions, the time to recover and the backup's age), records the result beside the backup
 * as `<id>.drill.json`, and removes the scratch copy whatever happened (unless keep-scratch).
 * Failed data checks exit 3, a slow recovery or an old backup exit 1, bad input exit 2.
 */
export async function drillCommand(session: RunSession, hooks: DrillHooks = {}): Promise<void> {
  const { options, ctx, report } = session;
  const plan = parseDrillOptions(options);
  const keys = readKeysFor(session);
  const destinations = await useDestinations(session);
  const sctx = await session.sourceContext();
  const folder = sctx.tmpDir;
  const startedAt = ctx.now();
  const checks: DrillCheck[] = [];
  const created: Scratch[] = [];
  let entry: CatalogEntry | undefined;
  let restoreStarted = false;
  let rtoMs = 0;
  let failure: unknown;
  try {
    // As restore does: a required signature first, then the full manifest (sealed inside an
    // encrypted backup's index), which names the sources and holds their inventories.
    entry = (await chooseBackup(session, destinations, keys)).entry;
    const manifest = await fullManifest(entry, keys.identities);
    const scratches = planScratches(options, ctx, sctx, entry, manifest, folder);
    const bySource = assignAssertions(plan.assertions, manifest.sources);
    const consistency = planDrillConsistency(plan.consistency, manifest.sources, scratches, sctx);
    for (const s of scratches) {
      const taken = await s.occupied();
      if (taken) {
        throw new ConfigError(
          'target',
          `the scratch place for ${s.source} is taken: ${taken}; nothing was restored`,
          {
            hint: 'a drill never restores over anything: remove it (a scratch kept by {{option:keep-scratch}}?) or name another scratch {{option:target}}',
          },
        );
      }
    }

    startPhase(
      ctx.log,
      `Drill ${entry.set}/${entry.id}: restore into ${scratches.map((s) => `${s.source} → ${s.displayUrl}`).join(', ')}`,
    );
    restoreStarted = true;
    const t0 = performance.now();
    // Vector scratches share one suffix (the backup's short id): the restore's collection-suffix.
    const suffix = scratches.find((s) => s.collectionSuffix)?.collectionSuffix;
    const restoreOptions: Options = {
      command: 'restore',
      values: {
        ...options.values,
        target: scratches.map((s) => `${s.source}=${s.url}`),
        // A drill never restores over anything, whatever the caller's options say.
        overwrite: false,
        ...(suffix ? { 'collection-suffix': suffix } : {}),
      },
    };
    // From here each scratch is ours to remove, even if the restore fails halfway.
    created.push(...scratches);
    try {
      const chosen = { entry, manifest };
      await session.step((restore) => restoreBackup(restore, chosen), { options: restoreOptions });
      checks.push({
        name: 'restore',
        ok: true,
        detail: `archive proven (stored size and sha256, every chunk, manifests) and restored into ${scratches.map((s) => s.displayUrl).join(', ')}`,
      });
    } catch (err) {
      if (isDataFailure(err)) {
        checks.push({ name: 'restore', ok: false, detail: describeErrorTemplate(err) });
      }
      throw err;
    }
    endPhase(ctx.log);
    await hooks.afterRestore?.(scratches);
    ctx.signal?.throwIfAborted();

    startPhase(ctx.log, `Drill checks on ${entry.set}/${entry.id}`);
    for (const s of scratches) {
      const sm = manifest.sources.find((x) => x.name === s.source)!;
      const inventory = await inventoryCheck(s, sm, sctx, checks);
      // The summary's "Restored" table shows the scratch copy's own count beside the backup's.
      const restored = report.sources.find((x) => x.name === s.source);
      if (restored) restored.inventory = inventory;
      for (const a of bySource.get(s.source) ?? []) {
        ctx.signal?.throwIfAborted();
        const result = await s.check(a.assertion, inventory);
        checks.push({ name: `assert ${a.text}`, ok: result.ok, detail: result.detail });
        ctx.log.info(`${result.ok ? 'passed' : 'FAILED'}: ${a.text} (${result.detail})`);
      }
    }
    if (consistency.length) {
      await consistencyChecks(plan, manifest.sources, scratches, sctx, checks, report);
    }
    const rto = performance.now() - t0;
    rtoMs = Math.round(rto);
    checks.push(limitCheck('rto', rto, plan.maxRto, 'max-rto'));
    checks.push(
      limitCheck(
        'backup age',
        startedAt.getTime() - new Date(manifest.createdAt).getTime(),
        plan.maxAge,
        'max-age',
      ),
    );
    endPhase(ctx.log);
    failure = verdict(checks);
  } catch (err) {
    // Whatever the abort broke along the way, the run was cancelled.
    const reason: unknown = ctx.signal?.aborted ? ctx.signal.reason : undefined;
    failure = reason instanceof CancelledError ? reason : err;
  } finally {
    if (!plan.keepScratch) await removeScratches(created, ctx, report);
    else if (created.length) {
      report.notes.push(
        `keep-scratch: the scratch copy is left for inspection at ${created.map((s) => s.displayUrl).join(', ')}; remove it when done`,
      );
    }
    try {
      // A cancelled drill proved nothing either way, and bad input is not a drill result.
      const cancelled = ctx.signal?.aborted === true || failure instanceof CancelledError;
      if (entry && restoreStarted && !cancelled && !(failure instanceof ConfigError)) {
        if (failure !== undefined && !checks.some((c) => !c.ok)) {
          checks.push({ name: 'drill', ok: false, detail: describeErrorTemplate(failure) });
        }
        const record = await storeRecord(entry, startedAt, ctx, checks, rtoMs);
        report.drill = { ok: record.ok, rtoMs: record.rtoMs };
        report.outputs['drill-ok'] = String(record.ok);
        report.outputs['rto-ms'] = String(record.rtoMs);
        report.outputs['backup-age-ms'] = String(record.backupAgeMs);
        report.sections.push({
          title: `Drill: ${entry.set}/${entry.id}`,
          markdown: renderDrillSection(record),
        });
      }
    } catch (err) {
      if (failure === undefined) {
        // Every check passed, but nobody will see it: list, status and dashboards read the record.
        failure = new StorageError(
          `the drill passed, but its record could not be stored on ${entry?.destination.displayUrl}: ${err instanceof Error ? err.message : String(err)}`,
          {
            cause: err,
            hint: 'the destination must be writable for drills (the record is a small object beside the backup)',
          },
        );
      } else ctx.log.warn(`the drill record was not stored: ${describeErrorTemplate(err)}`);
    }
  }
  if (failure !== undefined) throw failure;
}

/** A failure that says the data cannot be trusted (exit 3), not that something was unreachable. */
function isDataFailure(err: unknown): boolean {
  return err instanceof IntegrityError;
}

/**
 * Targets per source: `name=URL` lines, or one unnamed line for every source that needs a
 * server. SQLite and dir: sources without a line get a temporary path.
 */
function planScratches(
  options: Options,
  ctx: RunContext,
  sctx: SourceContext,
  entry: CatalogEntry,
  manifest: SidecarManifest,
  folder: string,
): Scratch[] {
  const parsed = parseNamedLines(lines(options, 'target'));
  const names = manifest.sources.map((s) => s.name);
  const unnamed = parsed.filter((p) => !p.name);
  if (unnamed.length > 1) {
    throw new ConfigError('target', 'several targets without a source name', {
      hint: 'give one scratch target, or one name=URL line per source',
    });
  }
  for (const p of parsed) {
    if (p.name && !names.includes(p.name)) {
      throw new ConfigError('target', `the backup has no source named '${p.name}'`, {
        hint: `its sources are: ${names.join(', ')}`,
      });
    }
  }
  const sources = parseNamedLines(lines(options, 'source')).map((s) => s.url);
  const cwd = sctx.cwd ?? ctx.cwd;
  return manifest.sources.map((sm) => {
    const target = parsed.find((p) => p.name === sm.name)?.url ?? unnamed[0]?.url;
    if (target) {
      registerUrlSecrets(target, ctx);
      // Never the production database: a target that is the backed-up source is refused.
      for (const production of [sm.url, ...sources]) {
        if (samePlace(target, production, cwd)) {
          throw new ConfigError(
            'target',
            `the scratch target for ${sm.name} is the backed-up source itself (${sm.url}); a drill never restores into production`,
            {
              hint: 'name a spare server (a service container) or database index as {{option:target}}',
            },
          );
        }
      }
    }
    return planScratch({ manifest: sm, target, backupId: entry.id, folder, sctx });
  });
}

/** Which source each assertion runs against; a line for the wrong kind of source is bad input. */
function assignAssertions(
  assertions: ParsedAssertion[],
  sources: SourceManifest[],
): Map<string, ParsedAssertion[]> {
  const out = new Map<string, ParsedAssertion[]>();
  for (const a of assertions) {
    let sm: SourceManifest | undefined;
    if (a.source) {
      sm = sources.find((s) => s.name === a.source);
      if (!sm) {
        throw new ConfigError('assert', `'${a.text}': the backup has no source '${a.source}'`, {
          hint: `its sources are: ${sources.map((s) => s.name).join(', ')}`,
        });
      }
    } else {
      const fitting = sources.filter((s) => FAMILY_KINDS[a.assertion.family].includes(s.kind));
      if (sources.length === 1) sm = sources[0];
      else if (fitting.length === 1) sm = fitting[0];
      else {
        throw new ConfigError('assert', `'${a.text}': the backup has several sources`, {
          hint: `prefix the line with @<source> (${sources.map((s) => s.name).join(', ')})`,
        });
      }
    }
    if (!FAMILY_KINDS[a.assertion.family].includes(sm!.kind)) {
      throw new ConfigError(
        'assert',
        `'${a.text}' is a ${a.assertion.family} assertion, which cannot run against ${sm!.name} (${sm!.kind})`,
        {
          hint:
            sm!.kind === 'redis'
              ? 'Redis takes `keys >= N` and `exists <key>`'
              : sm!.kind === 'dir'
                ? 'dir: takes `files >= N` and `file <path>`'
                : 'SQL sources take `SELECT … >= N`',
        },
      );
    }
    out.set(sm!.name, [...(out.get(sm!.name) ?? []), a]);
  }
  return out;
}

/**
 * The `consistency` lines, read against the backup's sources (as the backup named them) before
 * anything is restored: a line naming a source or collection the backup lacks is bad input.
 */
function planDrillConsistency(
  linesGiven: readonly string[],
  sources: SourceManifest[],
  scratches: readonly Scratch[],
  sctx: SourceContext,
): ConsistencySpec[] {
  const specs = planConsistency(
    linesGiven,
    sources.map((s) => ({ name: s.name, kind: s.kind, url: s.url })),
    sctx,
  );
  for (const spec of specs) {
    const scratch = scratches.find((s) => s.source === spec.vector.name);
    if (!scratch?.collections?.has(spec.vector.collection)) {
      throw new ConfigError(
        'consistency',
        `'${spec.line}': the backup's ${spec.vector.name} holds no collection '${spec.vector.collection}'`,
        {
          hint: `its collections are: ${[...(scratch?.collections?.keys() ?? [])].join(', ') || 'none'}`,
        },
      );
    }
  }
  return specs;
}

/**
 * Cross-store checks on the restored copies: the SQL query on the scratch database, the ids of
 * the scratch collection. One drill check per line, with the counts and the first ids of each
 * kind of difference; beyond the tolerance it fails the drill (exit 3).
 */
async function consistencyChecks(
  plan: DrillPlan,
  sources: SourceManifest[],
  scratches: readonly Scratch[],
  sctx: SourceContext,
  checks: DrillCheck[],
  report: RunReport,
): Promise<void> {
  const scratchOf = (name: string) => scratches.find((s) => s.source === name);
  const results = await runConsistencyChecks(
    plan.consistency,
    sources.map((s) => ({
      name: s.name,
      kind: s.kind,
      url: s.url,
      restored: scratchOf(s.name)!.url,
    })),
    plan.consistencyTolerance,
    sctx,
    (source, collection) => scratchOf(source)?.collections?.get(collection) ?? collection,
  );
  for (const r of results) {
    const [head, ...rest] = describeConsistency(r);
    if (r.ok) sctx.log.info(`passed: ${head!}`);
    else sctx.log.warn(`FAILED: ${head!}`);
    for (const line of rest) sctx.log.info(line);
    const ids = (x: { count: number; first: string[] }) =>
      x.first.length ? ` (${x.first.join(', ')}${x.count > x.first.length ? ', …' : ''})` : '';
    checks.push({
      name: `consistency ${r.line}`,
      ok: r.ok,
      detail: `${r.sqlCount} SQL ids, ${r.vectorCount} vectors; ${r.missing.count} missing from the vector store${ids(r.missing)}, ${r.orphans.count} orphan vectors${ids(r.orphans)}, ${r.duplicates.count} duplicates${ids(r.duplicates)}; ${r.differences} difference${r.differences === 1 ? '' : 's'}, tolerance ${r.tolerance}`,
    });
  }
  report.notes.push(
    'consistency: checked on the restored copies, so it measures how far apart the two stores were in this backup',
  );
}

async function inventoryCheck(
  s: Scratch,
  sm: SourceManifest,
  sctx: SourceContext,
  checks: DrillCheck[],
): Promise<Inventory> {
  const driver = await driverForKind(sm.kind);
  if (!driver.inventory) throw new ConfigError(undefined, `${sm.kind} sources cannot be drilled`);
  const inventory = s.inventory ? await s.inventory() : await driver.inventory(s.url, sctx);
  const diffs = [
    ...inventoryDifferences(sm.inventory, inventory, (n) => s.tableName(n)),
    ...(s.differences ? await s.differences() : []),
  ];
  checks.push({
    name: `inventory ${s.source}`,
    ok: diffs.length === 0,
    detail: diffs.length
      ? `${diffs.length} difference${diffs.length === 1 ? '' : 's'} from the manifest: ${diffs.slice(0, 10).join('; ')}${diffs.length > 10 ? '; …' : ''}`
      : `${s.collections ? collectionFigures(s.kind, inventory) : inventoryFigures(inventory)}: matches the manifest`,
  });
  sctx.log.info(
    `${diffs.length ? 'FAILED' : 'passed'}: inventory of ${s.source} (${checks.at(-1)!.detail})`,
  );
  return inventory;
}

/** '2 collections, 1200 records' (Chroma's counts are exact, Qdrant's approximate). */
function collectionFigures(kind: string, inv: Inventory): string {
  const tables = inv.tables ?? [];
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(tables.length, 'collection')}, ${kind === 'qdrant' ? `${plural(rows, 'point')} (approximate)` : plural(rows, 'record')}`;
}

function limitCheck(
  name: 'rto' | 'backup age',
  ms: number,
  limit: Duration | undefined,
  option: string,
): DrillCheck {
  const shown = formatDuration(ms);
  if (!limit) return { name, ok: true, detail: `${shown} (no ${option} set)` };
  // Strictly under the limit, so `0s` always fails: a deterministic way to see a failing drill.
  const ok = ms < limit.ms;
  return { name, ok, detail: `${shown}, limit ${limit.text} (${option})` };
}

/** The run's error from the failed checks: data before time, so a mismatch always exits 3. */
function verdict(checks: DrillCheck[]): LifeboatError | undefined {
  const failed = checks.filter((c) => !c.ok);
  if (!failed.length) return undefined;
  const text = failed.map((c) => `${c.name}: ${c.detail}`).join('; ');
  const data = failed.filter((c) => c.name !== 'rto' && c.name !== 'backup age');
  if (data.length) {
    return new IntegrityError(`drill failed: ${text}`, {
      hint: 'the backup does not restore to the data expected: inspect it with {{option:keep-scratch=true}}, and check the source and the backup job',
    });
  }
  return new FreshnessError(`drill failed: ${text}`, {
    hint: failed.some((c) => c.name === 'rto')
      ? 'recovery takes longer than {{option:max-rto}} allows: make restores faster (closer storage, parallel jobs) or raise the limit'
      : 'the newest backup is older than {{option:max-age}} allows: check that the backup workflow runs',
  });
}

async function removeScratches(
  created: Scratch[],
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  for (const s of created) {
    try {
      await s.remove();
      ctx.log.info(`Removed the scratch copy ${s.displayUrl}`);
    } catch (err) {
      const text = `could not remove the scratch copy ${s.displayUrl}: ${describeErrorTemplate(err)}; remove it by hand`;
      ctx.log.warn(text);
      report.notes.push(text);
    }
  }
}

async function storeRecord(
  entry: CatalogEntry,
  startedAt: Date,
  ctx: RunContext,
  checks: DrillCheck[],
  rtoMs: number,
): Promise<DrillRecord> {
  const record: DrillRecord = {
    version: 1,
    backupId: entry.id,
    set: entry.set,
    startedAt: startedAt.toISOString(),
    finishedAt: ctx.now().toISOString(),
    ok: checks.length > 0 && checks.every((c) => c.ok),
    rtoMs,
    backupAgeMs: Math.max(0, startedAt.getTime() - new Date(entry.manifest.createdAt).getTime()),
    checks,
  };
  const key = drillKey(entry.set, entry.id);
  const body = Buffer.from(`${JSON.stringify(record, null, 2)}\n`);
  await entry.destination.storage.put(key, Readable.from([body]), {
    contentType: 'application/json',
    size: body.length,
  });
  ctx.log.info(
    `Drill result ${record.ok ? 'passed' : 'FAILED'}, stored as ${key} on ${entry.destination.displayUrl}`,
  );
  return record;
}
