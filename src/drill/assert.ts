import { ConfigError } from '../core/errors.ts';

/**
 * The drill's `assert` lines. The grammar is small on purpose, and every line is parsed before
 * anything is downloaded or restored, so a typo is a config error (exit 2), never a failed drill:
 *
 *   line       := [ '@' source-name ' ' ] assertion
 *   assertion  := sql | redis | dir
 *   sql        := ( SELECT | WITH ) … op literal    the first column of the first row, compared
 *   redis      := 'keys' op integer | 'exists' key
 *   dir        := 'files' op integer | 'file' path
 *   op         := '>=' | '>' | '<=' | '<' | '=' | '==' | '!='
 *   literal    := number | 'text'
 *
 * In SQL the last operator of the line is the assertion's: `… WHERE a > 1 >= 5` compares the
 * count with 5.
 */
export type CompareOp = '>=' | '>' | '<=' | '<' | '=' | '!=';

export type Literal = { number: number } | { text: string };

export type Assertion =
  | { family: 'sql'; query: string; op: CompareOp; expected: Literal }
  | { family: 'keys'; op: CompareOp; expected: number }
  | { family: 'exists'; key: string }
  | { family: 'files'; op: CompareOp; expected: number }
  | { family: 'file'; path: string };

export interface ParsedAssertion {
  /** The line as written, for reports. */
  text: string;
  /** `@name` prefix: the source it applies to (required when the backup has several). */
  source?: string;
  assertion: Assertion;
}

/** Which source kinds each family of assertion can run against. */
export const FAMILY_KINDS: Record<Assertion['family'], readonly string[]> = {
  sql: ['postgres', 'mysql', 'sqlite'],
  keys: ['redis'],
  exists: ['redis'],
  files: ['dir'],
  file: ['dir'],
};

const HINT =
  'write `SELECT count(*) FROM orders >= 1` (SQL), `keys >= 100` or `exists user:1` (Redis), `files >= 10` or `file uploads/logo.png` (dir:); prefix `@<source> ` when the backup has several sources';

const OP = '(>=|<=|==|!=|=|>|<)';

export function parseAssertions(lines: readonly string[]): ParsedAssertion[] {
  return lines.map(parseAssertion);
}

export function parseAssertion(line: string): ParsedAssertion {
  const text = line.trim();
  let rest = text;
  let source: string | undefined;
  const prefix = /^@([A-Za-z0-9._-]+)\s+/.exec(rest);
  if (prefix) {
    source = prefix[1]!;
    rest = rest.slice(prefix[0].length);
  } else if (rest.startsWith('@')) {
    throw bad(text, "'@' must be followed by a source name and a space");
  }
  const parsed: ParsedAssertion = { text, assertion: parseBody(rest, text) };
  if (source) parsed.source = source;
  return parsed;
}

function parseBody(rest: string, text: string): Assertion {
  const word = /^(\w+)\b/.exec(rest)?.[1]?.toLowerCase();
  if (word === 'select' || word === 'with') {
    const m = new RegExp(
      `^(.*[^<>=!\\s])\\s*${OP}\\s*(-?\\d+(?:\\.\\d+)?|'(?:[^']|'')*')\\s*$`,
      's',
    ).exec(rest);
    if (!m) throw bad(text, 'a SQL assertion ends with an operator and a number or a quoted text');
    const query = m[1]!.trim();
    if (/;/.test(query.replace(/'(?:[^']|'')*'/g, ''))) {
      throw bad(text, 'a SQL assertion is one query, without ";"');
    }
    return { family: 'sql', query, op: normalOp(m[2]!), expected: literal(m[3]!) };
  }
  if (word === 'keys' || word === 'files') {
    const m = new RegExp(`^\\w+\\s*${OP}\\s*(\\d+)\\s*$`).exec(rest);
    if (!m) throw bad(text, `'${word}' is followed by an operator and a whole number`);
    return { family: word, op: normalOp(m[1]!), expected: Number(m[2]!) };
  }
  if (word === 'exists' || word === 'file') {
    const arg = rest.slice(word.length).trim();
    if (!arg) throw bad(text, `'${word}' needs a ${word === 'file' ? 'path' : 'key'}`);
    if (word === 'exists') return { family: 'exists', key: arg };
    const path = arg.replace(/^\.\/+/, '');
    if (path.startsWith('/') || path.split('/').includes('..')) {
      throw bad(text, 'a file path is relative to the restored folder, without ".."');
    }
    return { family: 'file', path };
  }
  throw bad(text, 'not an assertion this release understands');
}

function normalOp(op: string): CompareOp {
  return op === '==' ? '=' : (op as CompareOp);
}

function literal(s: string): Literal {
  if (s.startsWith("'")) return { text: s.slice(1, -1).replace(/''/g, "'") };
  return { number: Number(s) };
}

function bad(line: string, why: string): ConfigError {
  return new ConfigError('assert', `'${line}': ${why}`, { hint: HINT });
}

/** Applies `op`; numbers compare as numbers, anything else as text. */
export function compare(actual: unknown, op: CompareOp, expected: Literal | number): boolean {
  const want = typeof expected === 'number' ? { number: expected } : expected;
  if ('number' in want) {
    const got = typeof actual === 'bigint' ? Number(actual) : Number(actual);
    if (actual === null || actual === undefined || actual === '' || Number.isNaN(got)) return false;
    return applyOp(got, op, want.number);
  }
  if (actual === null || actual === undefined) return false;
  return applyOp(String(actual), op, want.text);
}

function applyOp<T extends number | string>(a: T, op: CompareOp, b: T): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

export function describeLiteral(l: Literal | number): string {
  if (typeof l === 'number') return String(l);
  return 'number' in l ? String(l.number) : `'${l.text}'`;
}
