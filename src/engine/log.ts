/**
 * Logging and secret redaction. The engine logs through a Logger the face provides; every
 * line passes through the Redactor so a secret registered anywhere never reaches a log.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
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
  return {
    info: (m) => inner.info(redactor.redact(m)),
    warn: (m) => inner.warn(redactor.redact(m)),
    error: (m) => inner.error(redactor.redact(m)),
    debug: (m) => inner.debug(redactor.redact(m)),
  };
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

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
