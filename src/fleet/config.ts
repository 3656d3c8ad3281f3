/**
 * `lifeboat.yml`: many backup sets with shared defaults, fanned out by `lifeboat plan` into a
 * GitHub Actions `strategy.matrix` (one parallel job per set; GitHub is the scheduler).
 *
 *   version: 1
 *   defaults:
 *     destination: s3://backups/prod
 *     keep-daily: 7
 *   sets:
 *     app:
 *       source: postgres://app@db.example.com/app
 *       password-secret: APP_PGPASSWORD
 *
 * Every error names the file, the line and the key, and says what would be right.
 */
import { LineCounter, parseDocument, isMap, type Node } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { checkSchedule } from '../retention/freshness.ts';
import { parseRetentionPolicy } from '../retention/policy.ts';
import { refuseInlinePassword, sourceKind, storageScheme } from './secrets.ts';

/** Keys a set (and `defaults`) may have, and what they hold. */
const SET_KEYS = {
  source: 'lines',
  destination: 'lines',
  compression: 'string',
  schedule: 'lines',
  'keep-last': 'count',
  'keep-hourly': 'count',
  'keep-daily': 'count',
  'keep-weekly': 'count',
  'keep-monthly': 'count',
  'keep-yearly': 'count',
  'keep-within': 'string',
  'runs-on': 'string',
  'password-secret': 'string',
  notify: 'lines',
  'notify-on': 'string',
  'notify-secret': 'string',
} as const;
type SetKey = keyof typeof SET_KEYS;

export interface FleetSet {
  set: string;
  source: string[];
  destination: string[];
  compression?: string;
  schedule: string[];
  retention: Partial<Record<SetKey, string>>;
  runsOn: string;
  /** Name of the repository secret holding this set's database password. */
  passwordSecret?: string;
  /** Public notify targets (github-issue); webhook URLs are secrets, named by notifySecret. */
  notify: string[];
  notifyOn?: string;
  /** Name of the repository secret holding the set's webhook URLs. */
  notifySecret?: string;
}

export interface FleetConfig {
  sets: FleetSet[];
}

const RETENTION_KEYS: SetKey[] = [
  'keep-last',
  'keep-hourly',
  'keep-daily',
  'keep-weekly',
  'keep-monthly',
  'keep-yearly',
  'keep-within',
];

/** Parses and validates a fleet config; `file` names it in errors. */
export function parseFleetConfig(text: string, file = 'lifeboat.yml'): FleetConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (node: Node | null | undefined) =>
    node?.range ? `${file}:${lineCounter.linePos(node.range[0]).line}` : file;
  const fail = (
    node: Node | null | undefined,
    key: string,
    message: string,
    hint?: string,
  ): never => {
    throw new ConfigError(
      undefined,
      `${at(node)}: ${key}: ${message}`,
      hint ? { hint } : undefined,
    );
  };
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError(
      undefined,
      `${file}${line ? `:${line}` : ''}: not valid YAML: ${first.message.split('\n')[0]}`,
    );
  }
  const root = doc.contents;
  if (!isMap(root))
    fail(root as Node, '(top level)', 'must be a mapping with `version: 1` and `sets:`');
  const rootMap = root as import('yaml').YAMLMap;
  for (const pair of rootMap.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (!['version', 'defaults', 'sets'].includes(key)) {
      fail(
        pair.key as Node,
        key,
        'unknown top-level key',
        'the top level holds version, defaults and sets',
      );
    }
  }
  const version = rootMap.get('version', true) as Node | undefined;
  if (!version || (version as { value?: unknown }).value !== 1) {
    fail(version ?? rootMap, 'version', 'must be 1', 'start the file with `version: 1`');
  }
  const defaultsNode = rootMap.get('defaults', true) as Node | undefined;
  const defaults = defaultsNode ? readSetFields(defaultsNode, 'defaults') : {};
  const setsNode = rootMap.get('sets', true) as Node | undefined;
  if (!setsNode || !isMap(setsNode) || setsNode.items.length === 0) {
    fail(
      setsNode ?? rootMap,
      'sets',
      'must map each set name to its settings',
      'e.g. `sets:\\n  app:\\n    source: postgres://app@db/app`',
    );
  }
  const sets: FleetSet[] = [];
  for (const pair of (setsNode as import('yaml').YAMLMap).items) {
    const name = String((pair.key as { value?: unknown }).value);
    const key = `sets.${name}`;
    if (!/^[A-Za-z0-9][\w.-]{0,99}$/.test(name)) {
      fail(pair.key as Node, key, 'a set name is letters, digits, `.`, `_` and `-`');
    }
    const own = pair.value ? readSetFields(pair.value as Node, key) : {};
    const merged = { ...defaults, ...own };
    const where = (field: SetKey) =>
      (own[field] ? own[field]!.node : defaults[field]?.node) ?? (pair.key as Node);
    const keyOf = (field: SetKey) => (own[field] ? `${key}.${field}` : `defaults.${field}`);
    const lines = (field: SetKey) => merged[field]?.lines ?? [];
    const check = (field: SetKey, fn: () => void) => {
      try {
        fn();
      } catch (err) {
        if (err instanceof ConfigError)
          fail(where(field), keyOf(field), err.message.replace(/^[\w-]+: /, ''), err.hint);
        throw err;
      }
    };
    if (!lines('source').length)
      fail(pair.key as Node, `${key}.source`, 'missing: every set needs a source URL');
    if (!lines('destination').length) {
      fail(
        pair.key as Node,
        `${key}.destination`,
        'missing',
        'give the set a destination, or put one in defaults',
      );
    }
    for (const s of lines('source')) {
      check('source', () => {
        sourceKind(s);
        refuseInlinePassword(s, 'source');
      });
    }
    for (const d of lines('destination')) {
      check('destination', () => {
        storageScheme(d);
        refuseInlinePassword(d, 'destination');
      });
    }
    const compression = merged.compression?.lines[0];
    if (compression && !['zstd', 'gzip', 'none'].includes(compression)) {
      fail(
        where('compression'),
        keyOf('compression'),
        `'${compression}' is not zstd, gzip or none`,
      );
    }
    check('schedule', () => checkSchedule(lines('schedule'), new Date()));
    const retention: Partial<Record<SetKey, string>> = {};
    for (const k of RETENTION_KEYS) if (merged[k]) retention[k] = merged[k].lines[0]!;
    for (const k of RETENTION_KEYS) {
      if (!merged[k]) continue;
      check(k, () =>
        parseRetentionPolicy({
          [k]: k === 'keep-within' ? retention[k] : Number(retention[k]),
        } as never),
      );
    }
    const secretName = (field: 'password-secret' | 'notify-secret') => {
      const name = merged[field]?.lines[0];
      if (name && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        fail(
          where(field),
          keyOf(field),
          `'${name}' is not a secret name`,
          'secret names are letters, digits and _',
        );
      }
      return name;
    };
    const secret = secretName('password-secret');
    const notifySecret = secretName('notify-secret');
    // lifeboat.yml is committed: only targets that are not secrets may be written in it.
    for (const target of lines('notify')) {
      if (!/^github-issue(=[\w.-]+\/[\w.-]+)?$/.test(target)) {
        fail(
          where('notify'),
          keyOf('notify'),
          /^(\w+=)?https?:\/\//i.test(target)
            ? 'a webhook URL is a secret and this file is committed'
            : `'${target}' is not github-issue or github-issue=owner/repo`,
          'put webhook URLs (one per line) in a repository secret and name it in notify-secret',
        );
      }
    }
    const notifyOn = merged['notify-on']?.lines[0];
    if (notifyOn && !['failure', 'always', 'change'].includes(notifyOn)) {
      fail(
        where('notify-on'),
        keyOf('notify-on'),
        `'${notifyOn}' is not failure, always or change`,
      );
    }
    sets.push({
      set: name,
      source: lines('source'),
      destination: lines('destination'),
      ...(compression ? { compression } : {}),
      schedule: lines('schedule'),
      retention,
      runsOn: merged['runs-on']?.lines[0] ?? 'ubuntu-latest',
      ...(secret ? { passwordSecret: secret } : {}),
      notify: lines('notify'),
      ...(notifyOn ? { notifyOn } : {}),
      ...(notifySecret ? { notifySecret } : {}),
    });
  }
  return { sets };

  function readSetFields(
    node: Node,
    key: string,
  ): Partial<Record<SetKey, { lines: string[]; node: Node }>> {
    if (!isMap(node))
      return fail(node, key, 'must be a mapping of settings', `e.g. ${key}:\\n  source: …`);
    const out: Partial<Record<SetKey, { lines: string[]; node: Node }>> = {};
    for (const pair of node.items) {
      const field = String((pair.key as { value?: unknown }).value);
      const value = pair.value as Node | null;
      if (!(field in SET_KEYS)) {
        const near = nearestKey(field);
        fail(
          pair.key as Node,
          `${key}.${field}`,
          'unknown key',
          near ? `did you mean ${near}?` : `a set takes ${Object.keys(SET_KEYS).join(', ')}`,
        );
      }
      const kind = SET_KEYS[field as SetKey];
      const js: unknown =
        value && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value;
      let lines: string[];
      if (Array.isArray(js) && kind === 'lines') lines = js.map(String);
      else if (typeof js === 'string' || typeof js === 'number') lines = String(js).split('\n');
      else {
        return fail(
          value ?? (pair.key as Node),
          `${key}.${field}`,
          kind === 'lines' ? 'must be a string or a list of strings' : 'must be a single value',
        );
      }
      lines = lines.map((l) => l.trim()).filter((l) => l !== '');
      if (kind === 'count' && !(lines.length === 1 && /^\d+$/.test(lines[0]!))) {
        fail(
          value ?? (pair.key as Node),
          `${key}.${field}`,
          `'${String(js)}' is not a whole number`,
        );
      }
      out[field as SetKey] = { lines, node: value ?? (pair.key as Node) };
    }
    return out;
  }
}

function nearestKey(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const key of Object.keys(SET_KEYS)) {
    const d = distance(word, key);
    if (d < bestDistance) [best, bestDistance] = [key, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** One matrix entry per set: the keys the fleet workflow reads as `matrix.<key>`. */
export function fleetMatrix(
  config: FleetConfig,
  only?: readonly string[],
): { include: Array<Record<string, string>> } {
  const chosen = only?.length ? config.sets.filter((s) => only.includes(s.set)) : config.sets;
  if (only?.length) {
    const missing = only.filter((n) => !config.sets.some((s) => s.set === n));
    if (missing.length) {
      throw new ConfigError(undefined, `no set named ${missing.join(', ')} in the config`, {
        hint: `the sets are ${config.sets.map((s) => s.set).join(', ')}`,
      });
    }
  }
  return {
    include: chosen.map((s) => ({
      set: s.set,
      source: s.source.join('\n'),
      destination: s.destination.join('\n'),
      compression: s.compression ?? 'zstd',
      schedule: s.schedule.join('\n'),
      'keep-last': s.retention['keep-last'] ?? '',
      'keep-hourly': s.retention['keep-hourly'] ?? '',
      'keep-daily': s.retention['keep-daily'] ?? '',
      'keep-weekly': s.retention['keep-weekly'] ?? '',
      'keep-monthly': s.retention['keep-monthly'] ?? '',
      'keep-yearly': s.retention['keep-yearly'] ?? '',
      'keep-within': s.retention['keep-within'] ?? '',
      'runs-on': s.runsOn,
      'password-secret': s.passwordSecret ?? '',
      notify: s.notify.join('\n'),
      'notify-on': s.notifyOn ?? 'failure',
      'notify-secret': s.notifySecret ?? '',
    })),
  };
}
