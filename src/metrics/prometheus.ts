/**
 * Prometheus text exposition format (version 0.0.4) for Lifeboat's series: what
 * node_exporter's textfile collector reads and what a Pushgateway accepts.
 */
export interface Sample {
  name: MetricName;
  labels: Record<string, string>;
  value: number;
}

export const METRICS = {
  lifeboat_last_success_timestamp_seconds: {
    type: 'gauge',
    help: 'Unix time the last successful run of this set and command finished.',
  },
  lifeboat_last_run_success: {
    type: 'gauge',
    help: '1 when the last run of this set and command succeeded, else 0.',
  },
  lifeboat_backup_duration_seconds: {
    type: 'gauge',
    help: 'Wall time of the last run of this set and command, in seconds.',
  },
  lifeboat_backup_size_bytes: {
    type: 'gauge',
    help: 'Size of the archive the last run made or read, in bytes.',
  },
  lifeboat_backup_age_seconds: {
    type: 'gauge',
    help: 'Age of the newest backup the last run made or read, in seconds, at the end of that run.',
  },
  lifeboat_drill_rto_seconds: {
    type: 'gauge',
    help: 'Time the last restore drill took to recover (download, restore and checks), in seconds.',
  },
  lifeboat_drill_success: {
    type: 'gauge',
    help: '1 when the last restore drill passed every check, else 0.',
  },
} as const;

export type MetricName = keyof typeof METRICS;

function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function unescapeLabel(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** One block per metric (HELP, TYPE, then its samples), as the format requires. */
export function renderMetrics(samples: Sample[]): string {
  const out: string[] = [];
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const mine = samples.filter((s) => s.name === name);
    if (mine.length === 0) continue;
    out.push(`# HELP ${name} ${METRICS[name].help}`, `# TYPE ${name} ${METRICS[name].type}`);
    for (const s of mine) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      out.push(`${name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** Reads back the samples of a file this module wrote (other lines are not ours: dropped). */
export function parseMetrics(textBody: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of textBody.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line.trim());
    if (!m || !isMetricName(m[1]!)) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = unescapeLabel(l[2]!);
    const raw = m[3]!;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (raw !== 'NaN' && Number.isNaN(value)) continue;
    samples.push({ name: m[1]!, labels, value });
  }
  return samples;
}
