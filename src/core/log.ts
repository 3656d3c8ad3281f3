/**
 * Logging and secret redaction. The engine logs through a Logger the face provides; every
 * line passes through the Redactor so a secret registered anywhere never reaches a log.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /**
   * Starts a folded section for one phase (the action's `::group::`). Sections do not nest: a
   * new one ends the open one, and the face ends any open one before reporting a failure, so a
   * phase that throws needs no try/finally. Faces without sections leave these out.
   */
  startGroup?(title: string): void;
  endGroup?(): void;
}

/** Marks the start of a phase: a folded section where the face has them, else a heading line. */
export function startPhase(log: Logger, title: string): void {
  if (log.startGroup) log.startGroup(title);
  else log.info(`== ${title}`);
}

export function endPhase(log: Logger): void {
  log.endGroup?.();
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly listeners: Array<(secret: string) => void> = [];

  /** Register a secret and its derived forms (URL-encoded, base64). Short values are ignored. */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 3) return;
    for (const form of derivedForms(secret)) {
      if (form.length < 3 || this.secrets.has(form)) continue;
      this.secrets.add(form);
      for (const listener of this.listeners) listener(form);
    }
  }

  /** Called for each form already registered and every future one (the action hooks core.setSecret). */
  onSecret(listener: (secret: string) => void): void {
    this.listeners.push(listener);
    for (const s of this.secrets) listener(s);
  }

  redact(text: string): string {
    let out = text;
    // Longest first so a secret containing another is replaced whole.
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const s of sorted) out = out.split(s).join('***');
    return out;
  }
}

export function derivedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  try {
    forms.add(encodeURI(secret));
  } catch {
    // lone surrogates cannot be URI-encoded; the raw form is still masked
  }
  forms.add(Buffer.from(secret, 'utf8').toString('base64'));
  forms.add(Buffer.from(secret, 'utf8').toString('base64url'));
  return [...forms];
}

/** Wraps a logger so every line is redacted. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  const log: Logger = {
    info: (m) => inner.info(redactor.redact(m)),
    warn: (m) => inner.warn(redactor.redact(m)),
    error: (m) => inner.error(redactor.redact(m)),
    debug: (m) => inner.debug(redactor.redact(m)),
  };
  if (inner.startGroup) {
    const start = inner.startGroup.bind(inner);
    log.startGroup = (title) => start(redactor.redact(title));
  }
  if (inner.endGroup) log.endGroup = inner.endGroup.bind(inner);
  return log;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Remove the password (and any token-ish query values) from a URL before showing it. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|token|key|sig|credential/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** Human units at every scale: '850 ms', '12.3 s', '5 min 3 s', '6 h 53 min', '1 d'. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  let rest = Math.round(ms / 1000);
  const parts: Array<[string, number]> = units.map(([unit, size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return [unit, n];
  });
  // The two most significant units; a zero second unit is left out ('1 d', not '1 d 0 h').
  const lead = parts.findIndex(([, n]) => n > 0);
  return parts
    .slice(lead, lead + 2)
    .filter(([, n], i) => i === 0 || n > 0)
    .map(([unit, n]) => `${n} ${unit}`)
    .join(' ');
}

/** The one time format of logs and summaries: UTC to the second, '2026-11-30T03:17:00Z'. */
export function formatTime(t: Date | string): string {
  const d = typeof t === 'string' ? new Date(t) : t;
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
