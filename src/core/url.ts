import { resolve } from 'node:path';
import { ConfigError } from './errors.ts';

/** The scheme of a source/target/destination URL ('sqlite' for 'sqlite:./x.db'), lower-cased. */
export function schemeOf(url: string): string | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url.trim());
  return m?.[1]?.toLowerCase();
}

/** Split `name=URL` lines; a bare URL gets no name. Blank lines and `#` comments are skipped. */
export function parseNamedLines(
  value: string | string[] | undefined,
): Array<{ name?: string; url: string }> {
  const lines = Array.isArray(value) ? value : (value ?? '').split(/\r?\n/);
  const out: Array<{ name?: string; url: string }> = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)=(.+)$/.exec(line);
    if (m && !schemeOf(line)?.startsWith(m[1]!.toLowerCase()))
      out.push({ name: m[1], url: m[2]!.trim() });
    else out.push({ url: line });
  }
  return out;
}

/** Parse a `scheme://…` URL, or fail with a ConfigError naming the option. */
export function parseUrl(option: string, url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new ConfigError(option, `malformed URL '${url}'`, {
      hint: 'write it as scheme://[user[:password]@]host[:port]/path; percent-encode special characters in the password',
    });
  }
}

/** How a local-path scheme names what it points at, for messages. */
export interface LocalPathKind {
  scheme: string;
  /** 'file' or 'folder'. */
  noun: string;
  /** Shown when the URL names a host: e.g. 'SQLite databases are local files'. */
  local: string;
  /** Examples for hints. */
  relativeExample: string;
  absoluteExample: string;
  example: string;
}

/**
 * The absolute path a local-path URL (`sqlite:`, `dir:`) or, for targets, a plain path names.
 * `scheme:///abs` and `scheme://./rel` are accepted; a host is not. Relative to `cwd`.
 */
export function localPath(url: string, option: string, kind: LocalPathKind, cwd: string): string {
  const raw = url.trim();
  const scheme = schemeOf(raw);
  let path: string;
  if (scheme === kind.scheme) {
    path = raw.slice(kind.scheme.length + 1);
    if (path.startsWith('//')) {
      path = path.slice(2);
      if (!path.startsWith('/') && !path.startsWith('.')) {
        throw new ConfigError(option, `'${raw}' names a host; ${kind.local}`, {
          hint: `write ${kind.scheme}:${kind.relativeExample} or ${kind.scheme}://${kind.absoluteExample}`,
        });
      }
    }
  } else if (scheme && scheme.length > 1) {
    throw new ConfigError(option, `'${raw}' is not a ${kind.scheme}: URL`, {
      hint: `write ${kind.scheme}:<${kind.noun}>, e.g. ${kind.scheme}:${kind.relativeExample}`,
    });
  } else {
    path = raw;
  }
  if (!path) {
    throw new ConfigError(option, `'${raw}' names no ${kind.noun}`, {
      hint: `write ${kind.scheme}:<${kind.noun}>, e.g. ${kind.example}`,
    });
  }
  return resolve(cwd, path);
}
