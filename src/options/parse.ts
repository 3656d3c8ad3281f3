import { ConfigError } from '../core/errors.ts';
import { parseNamedLines, schemeOf } from '../core/url.ts';
import {
  COMMANDS,
  DRIVER_SCHEMES,
  OPTIONS,
  optionOwner,
  type OptionOwner,
  type Command,
  type OptionName,
  type OptionSpec,
  type OptionValues,
} from './schema.ts';

/** Raw values as a face collected them: strings from inputs/flags, string[] for repeated flags. */
export type RawOptions = Record<string, string | string[] | boolean | undefined>;

export type OptionValue = string | string[] | number | boolean | undefined;

/** Parsed options, keyed by option name. `command` is always set. */
export interface Options {
  command: Command;
  values: OptionValues;
  /** Options the user set (not merely defaulted) that this command does not read. */
  unread?: readonly OptionName[];
  /**
   * Driver options the user set although no source (or restore target) or destination of this
   * run is of a kind that reads them: `jobs` (PostgreSQL) with only a sqlite source.
   */
  misplaced?: readonly MisplacedOption[];
}

export interface MisplacedOption {
  name: OptionName;
  owner: OptionOwner;
  /** What the run names instead: 'sources', 'restore targets' or 'destinations'. */
  among: 'sources' | 'restore targets' | 'destinations';
}

export function parseOptions(raw: RawOptions): Options {
  for (const key of Object.keys(raw)) {
    if (!OPTIONS.some((o) => o.name === key)) {
      throw new ConfigError(key, `unknown option '${key}'`, {
        hint: `see the option table in the README`,
      });
    }
  }
  const values: Record<string, OptionValue> = {};
  for (const spec of OPTIONS) {
    const value = parseValue(spec, raw[spec.name]);
    if (value !== undefined) values[spec.name] = value;
  }
  const command = values['command'] as Command;
  // The action receives every input, defaults included: a default is not a choice.
  const chosen = OPTIONS.filter(
    (spec) => !isBlank(raw[spec.name]) && String(raw[spec.name]).trim() !== (spec.default ?? ''),
  );
  const unread = chosen
    .filter((spec) => spec.commands !== 'all' && !spec.commands.includes(command))
    .map((spec) => spec.name as OptionName);
  const misplaced = misplacedOptions(
    chosen.filter((spec) => !unread.includes(spec.name as OptionName)),
    command,
    values,
  );
  return { command, values: values as OptionValues, unread, misplaced };
}

/**
 * The chosen driver options that no driver of this run reads. Judged only when every URL that
 * decides it has a scheme a registry knows: a bare path or a bad scheme is left to the command
 * (its own error), and the kinds of a verify's or drill's sources are in the backup, not here.
 */
function misplacedOptions(
  chosen: readonly OptionSpec[],
  command: Command,
  values: Record<string, OptionValue>,
): MisplacedOption[] {
  const known = (urls: OptionValue, role: OptionOwner['role']): string[] | undefined => {
    const schemes = parseNamedLines(Array.isArray(urls) ? urls : undefined).map((l) =>
      schemeOf(l.url),
    );
    if (schemes.length === 0) return undefined;
    const all = new Set(DRIVER_SCHEMES[role]);
    return schemes.every((s) => s !== undefined && all.has(s)) ? (schemes as string[]) : undefined;
  };
  const among: Record<OptionOwner['role'], [MisplacedOption['among'], string[] | undefined]> = {
    source:
      command === 'backup'
        ? ['sources', known(values['source'], 'source')]
        : command === 'restore'
          ? ['restore targets', known(values['target'], 'source')]
          : ['sources', undefined],
    destination: ['destinations', known(values['destination'], 'destination')],
  };
  const out: MisplacedOption[] = [];
  for (const spec of chosen) {
    const owner = optionOwner(spec.name);
    if (!owner) continue;
    const [where, schemes] = among[owner.role];
    if (schemes && !schemes.some((s) => owner.schemes.includes(s))) {
      out.push({ name: spec.name as OptionName, owner, among: where });
    }
  }
  return out;
}

function isBlank(v: string | string[] | boolean | undefined): boolean {
  if (v === undefined) return true;
  if (typeof v === 'boolean') return false;
  if (Array.isArray(v)) return v.every((s) => s.trim() === '');
  return v.trim() === '';
}

function parseValue(spec: OptionSpec, raw: string | string[] | boolean | undefined): OptionValue {
  const input = isBlank(raw) ? spec.default : raw;
  if (input === undefined) return undefined;
  switch (spec.type) {
    case 'lines': {
      const list = Array.isArray(input) ? input : String(input).split(/\r?\n/);
      const lines = list
        .flatMap((s) => s.split(/\r?\n/))
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('#'));
      return lines.length ? lines : undefined;
    }
    case 'boolean': {
      if (typeof input === 'boolean') return input;
      const v = String(input).trim().toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(v)) return true;
      if (['false', 'no', '0', 'off'].includes(v)) return false;
      throw new ConfigError(spec.name, `'${v}' is not a boolean`, { hint: 'use true or false' });
    }
    case 'number': {
      const v = single(spec, input);
      if (!/^\d+$/.test(v)) {
        throw new ConfigError(spec.name, `'${v}' is not a whole number`, {
          hint: 'use a whole number such as 7',
        });
      }
      return Number(v);
    }
    case 'enum': {
      const v = single(spec, input);
      const allowed = spec.values ?? [];
      if (!allowed.includes(v)) {
        const shown = allowed.filter((a) => a !== '');
        throw new ConfigError(spec.name, `unknown value '${v}'`, {
          hint: `use one of: ${shown.join(', ')}`,
        });
      }
      return v === '' ? undefined : v;
    }
    case 'string':
      return single(spec, input);
  }
}

function single(spec: OptionSpec, input: string | string[] | boolean): string {
  if (Array.isArray(input)) {
    if (input.length > 1)
      throw new ConfigError(spec.name, 'given more than once', { hint: 'give it once' });
    return (input[0] ?? '').trim();
  }
  return String(input).trim();
}

export function isCommand(v: string): v is Command {
  return (COMMANDS as readonly string[]).includes(v);
}

/** Accessors by option name; a name the schema does not declare does not compile. */
export function str(o: Options, name: OptionName): string | undefined {
  const v: unknown = o.values[name];
  return typeof v === 'string' ? v : undefined;
}
export function lines(o: Options, name: OptionName): string[] {
  const v: unknown = o.values[name];
  return Array.isArray(v) ? (v as string[]) : [];
}
export function num(o: Options, name: OptionName): number | undefined {
  const v: unknown = o.values[name];
  return typeof v === 'number' ? v : undefined;
}
export function bool(o: Options, name: OptionName): boolean {
  return o.values[name] === true;
}
