import type { Sample } from './prometheus.ts';

/** One run's figures, as the engine hands them over. */
export interface RunFigures {
  set: string;
  command: string;
  ok: boolean;
  durationMs: number;
  finishedAt: Date;
  /** Each destination the run used; `ok` false when that one failed while the run went on. */
  destinations: Array<{ url: string; ok: boolean; size?: number }>;
  /** Archive size when the run made or read one. */
  size?: number;
  /** When the newest backup the run made or read was taken. */
  backupTime?: Date;
  /** The last successful run's end, this one or an earlier one (from the stored record). */
  lastSuccessAt?: Date;
  drill?: { ok: boolean; rtoMs: number };
}

/** The series of the issue, labelled by set, command and destination. */
export function runSamples(f: RunFigures): Sample[] {
  const samples: Sample[] = [];
  const destinations = f.destinations.length ? f.destinations : [{ url: '', ok: true }];
  for (const d of destinations) {
    const labels = { set: f.set, command: f.command, destination: d.url };
    const ok = f.ok && d.ok;
    const at = ok ? f.finishedAt : f.lastSuccessAt;
    samples.push({ name: 'lifeboat_last_run_success', labels, value: ok ? 1 : 0 });
    if (at)
      samples.push({
        name: 'lifeboat_last_success_timestamp_seconds',
        labels,
        value: seconds(at.getTime()),
      });
    samples.push({
      name: 'lifeboat_backup_duration_seconds',
      labels,
      value: seconds(f.durationMs),
    });
    const size = d.size ?? f.size;
    if (size !== undefined)
      samples.push({ name: 'lifeboat_backup_size_bytes', labels, value: size });
    if (f.backupTime && !Number.isNaN(f.backupTime.getTime())) {
      const age = Math.max(0, f.finishedAt.getTime() - f.backupTime.getTime());
      samples.push({ name: 'lifeboat_backup_age_seconds', labels, value: seconds(age) });
    }
    if (f.drill) {
      samples.push({ name: 'lifeboat_drill_rto_seconds', labels, value: seconds(f.drill.rtoMs) });
      samples.push({ name: 'lifeboat_drill_success', labels, value: f.drill.ok ? 1 : 0 });
    }
  }
  return samples;
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
