import { rm } from 'node:fs/promises';
import type { Options } from '../options/parse.ts';
import { bool, lines, str } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import { driverForKind } from '../sources/registry.ts';
import { createBackup, rejectEncryption, sourceContext } from './backup.ts';
import { createRunTemp, runTempRoot } from '../core/temp.ts';
import type { RunContext } from './context.ts';
import {
  closeDestinations,
  findBackup,
  openDestinations,
  registerUrlSecrets,
} from './destinations.ts';
import { ConfigError } from './errors.ts';
import { formatDuration, redactUrl } from './log.ts';
import { parseNamedLines } from './url.ts';
import { checkStoredArchive, verifyStoredBackup } from './verify.ts';

/**
 * Restore: the stored archive is proven first (its `.sha256` sidecar agrees with the manifest,
 * and the stored bytes have the manifest's size and sha256), and only then read into the
 * target, every chunk checked on the way and the inner manifest compared at the end. Sources
 * write into a new place and swap it in, so the target is untouched until the data is proven.
 */
export async function restoreBackup(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  rejectEncryption(options);
  const destinations = await openDestinations(options, ctx);
  const tmpDir = await createRunTemp(runTempRoot(ctx));
  const sctx = sourceContext(ctx, options, tmpDir);
  try {
    const entry = await findBackup(
      destinations,
      str(options, 'name'),
      str(options, 'backup') ?? 'latest',
      ctx,
    );
    const { manifest, destination } = entry;
    report.name = entry.set;
    report.backupId = entry.id;
    report.sha256 = manifest.archive.sha256;
    report.size = manifest.archive.size;
    const targets = resolveTargets(
      lines(options, 'target'),
      manifest.sources.map((s) => s.name),
    );
    for (const url of targets.values()) registerUrlSecrets(url, ctx);
    ctx.log.info(`Restoring ${entry.set}/${entry.id} from ${destination.displayUrl}`);

    ctx.log.info('Checking the archive before touching any target…');
    await checkStoredArchive(destination, manifest, {
      checkSha256Sidecar: true,
      signal: ctx.signal,
    });

    const overwrite = bool(options, 'overwrite');
    const t0 = Date.now();
    const locations: string[] = [];
    await verifyStoredBackup(destination, manifest, ctx, sctx, {
      structural: false,
      onSource: async (sm, members) => {
        const source = sm.name;
        const target = targets.get(source)!;
        const driver = await driverForKind(sm.kind);
        ctx.log.info(`Restoring ${source} (${sm.kind}) into ${redactUrl(target)}…`);
        const result = await driver.restore(
          members,
          {
            target,
            overwrite,
            manifest: sm,
            backupId: entry.id,
            safetyBackup: async (sourceUrl) => {
              ctx.log.info(
                `Taking a safety backup of ${redactUrl(sourceUrl)} before overwriting it…`,
              );
              const safetyOptions: Options = {
                command: 'backup',
                values: {
                  ...options.values,
                  source: [`${source}=${sourceUrl}`],
                  command: 'backup',
                },
              };
              const outcome = await createBackup(safetyOptions, ctx, report, {
                tags: ['safety'],
                set: `${entry.set}-safety`,
                destinations: [destination],
              });
              report.notes.push(
                `Safety backup of the previous ${source}: ${outcome.set}/${outcome.id}`,
              );
              report.name = entry.set;
              report.backupId = entry.id;
              return outcome.id;
            },
          },
          sctx,
        );
        locations.push(result.location);
        for (const note of result.notes ?? []) report.notes.push(note);
        report.sources.push({
          name: source,
          kind: sm.kind,
          url: result.location,
          inventory: result.inventory ?? sm.inventory,
        });
      },
    });
    report.outputs['location'] = locations.join('\n');
    ctx.log.info(
      `Restored ${entry.set}/${entry.id} in ${formatDuration(Date.now() - t0)} to ${locations.join(', ')}`,
    );
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
    await closeDestinations(destinations);
  }
}

/** Maps each archived source to a target URL. A single unnamed target fits a single source. */
export function resolveTargets(targetLines: string[], sourceNames: string[]): Map<string, string> {
  const parsed = parseNamedLines(targetLines);
  if (parsed.length === 0) {
    throw new ConfigError('target', 'is required for restore', {
      hint: 'name a new place to restore into, e.g. sqlite:./restored.db, dir:./restored or postgres://host/newdb',
    });
  }
  const map = new Map<string, string>();
  if (parsed.length === 1 && !parsed[0]!.name) {
    if (sourceNames.length !== 1) {
      throw new ConfigError(
        'target',
        `this backup holds ${sourceNames.length} sources (${sourceNames.join(', ')})`,
        {
          hint: 'give one target per source as name=URL lines',
        },
      );
    }
    map.set(sourceNames[0]!, parsed[0]!.url);
    return map;
  }
  for (const { name, url } of parsed) {
    if (!name)
      throw new ConfigError('target', `'${redactUrl(url)}' has no source name`, {
        hint: 'write name=URL',
      });
    if (!sourceNames.includes(name)) {
      throw new ConfigError('target', `the backup has no source named '${name}'`, {
        hint: `its sources are: ${sourceNames.join(', ')}`,
      });
    }
    map.set(name, url);
  }
  const missing = sourceNames.filter((n) => !map.has(n));
  if (missing.length) {
    throw new ConfigError('target', `no target for source(s) ${missing.join(', ')}`, {
      hint: 'add name=URL lines for them',
    });
  }
  return map;
}
