import type { Options } from '../options/parse.ts';
import { str } from '../options/parse.ts';
import type { BackupRow, RunReport } from '../report/report.ts';
import type { RunContext } from '../core/context.ts';
import {
  listBackups,
  withDestinations,
  type CatalogEntry,
  type DamagedEntry,
} from './destinations.ts';
import { backupTime } from './naming.ts';
import { allowedSignersFor, checkSignature } from './signing.ts';
import { readDrillRecord } from './drill-record.ts';

export function toRow(e: CatalogEntry): BackupRow {
  return {
    set: e.set,
    id: e.id,
    time: e.manifest.createdAt,
    size: e.manifest.archive.size,
    sources: e.manifest.sources.map((s) => `${s.name} (${s.kind})`).join(', '),
    encrypted: e.manifest.encrypted,
    ...(e.manifest.recipients ? { recipients: e.manifest.recipients } : {}),
    verified: Boolean(e.manifest.verifiedAt),
    tags: e.manifest.tags ?? [],
    location: `${e.destination.displayUrl} ${e.manifest.archive.key}`,
    kind: e.manifest.kind ?? 'full',
    ...(e.manifest.parent ? { parent: e.manifest.parent } : {}),
    ...(e.manifest.chainPosition !== undefined ? { chainPosition: e.manifest.chainPosition } : {}),
  };
}

function damagedRow(d: DamagedEntry): BackupRow {
  return {
    set: d.set,
    id: d.id,
    time: backupTime(d.id).toISOString(),
    size: 0,
    sources: '',
    encrypted: false,
    verified: false,
    tags: [],
    location: `${d.destination.displayUrl} ${d.key}`,
    damaged: d.reason,
  };
}

/** `list`: every backup it shows, so every manifest of the set (or of every set) is read. */
export async function listCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  const signers = allowedSignersFor(options, ctx);
  await withDestinations(options, ctx, async (destinations) => {
    for (const d of destinations) {
      const damaged: DamagedEntry[] = [];
      const entries = await listBackups(d, str(options, 'name'), ctx, damaged);
      const rows = entries.map(toRow);
      for (const [i, e] of entries.entries()) {
        const record = await readDrillRecord(e, ctx);
        if (record) {
          rows[i]!.drill = { ok: record.ok, finishedAt: record.finishedAt, rtoMs: record.rtoMs };
        }
      }
      if (signers) {
        for (const [i, e] of entries.entries()) {
          const check = await checkSignature(d, e, signers);
          rows[i]!.signature = check.state;
          if (check.reason) rows[i]!.signatureProblem = check.reason;
        }
      }
      report.backups.push(...rows, ...damaged.map(damagedRow));
      for (const x of damaged)
        ctx.log.warn(`${x.set}/${x.id} on ${d.displayUrl} is damaged: ${x.reason}`);
    }
    report.backups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });
  report.outputs['count'] = String(report.backups.length);
  report.outputs['backups'] = JSON.stringify(report.backups);
  const latest = report.backups.at(-1);
  if (latest) report.outputs['backup-id'] = latest.id;
}
