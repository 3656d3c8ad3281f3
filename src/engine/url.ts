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
