import { ConfigError } from '../core/errors.ts';
import type { OptionSyntax } from '../core/option-ref.ts';
import type { RawOptions } from '../options/parse.ts';
import { COMMANDS, OPTIONS, optionSpec, type Command, type OptionSpec } from '../options/schema.ts';
import { CLI_COMMANDS, optionsOf, type CliCommand } from './help.ts';
import { nearest } from './suggest.ts';

export interface ParsedArgs {
  raw: RawOptions;
  json: boolean;
  help: boolean;
  version: boolean;
  /** Secret options given as flags (they show in `ps`; we warn). */
  secretFlags: string[];
  /** A CLI-only command such as 'demo'. */
  extraCommand?: CliCommand;
  /** The command whose help was asked for (`lifeboat restore --help`, `lifeboat help restore`). */
  helpFor?: Command | CliCommand;
}

const GLOBAL_FLAGS = ['json', 'help', 'version'];
const ALL_COMMANDS: readonly string[] = [...COMMANDS, ...Object.keys(CLI_COMMANDS)];

/**
 * Options named the way a person types them on this face: `--overwrite`, `--name <set>`, and
 * secrets as their environment variable, since a command line is visible to every user.
 */
export const cliSyntax: OptionSyntax = (name, value) => {
  const spec = optionSpec(name);
  if (spec?.secret) return value === undefined ? envName(spec) : `${envName(spec)}=${value}`;
  if (value === undefined) return `--${name}`;
  if (value === 'true' && spec?.type === 'boolean') return `--${name}`;
  return `--${name} ${value}`;
};

/**
 * `lifeboat <command> [--option value|--option=value|--flag] [--json] [--help]`.
 * Every option can also come from the environment as LIFEBOAT_<NAME> (e.g. LIFEBOAT_SFTP_PASSWORD),
 * which is how secrets should be passed: a command line is visible to every user of the machine.
 * A flag the command does not read is an error, not silently ignored.
 */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const raw: RawOptions = {};
  const out: ParsedArgs = { raw, json: false, help: false, version: false, secretFlags: [] };
  const rest = [...argv];
  let command: Command | undefined;
  if (rest[0] && !rest[0].startsWith('-')) {
    const word = rest.shift()!;
    if (word === 'help') {
      out.help = true;
      if (rest[0] && !rest[0].startsWith('-')) out.helpFor = knownCommand(rest.shift()!);
    } else {
      const known = knownCommand(word);
      if (known in CLI_COMMANDS) out.extraCommand = known as CliCommand;
      else command = known as Command;
      if (command) raw['command'] = command;
    }
  }
  out.help ||= rest.includes('--help') || rest.includes('-h');
  if (out.help) {
    out.helpFor ??= command ?? out.extraCommand;
    return out;
  }
  // Flags are checked against the command that will run: the action's default is backup.
  const effective: Command = command ?? 'backup';
  const collected = new Map<string, string[]>();
  while (rest.length) {
    const arg = rest.shift()!;
    if (arg === '--json') out.json = true;
    else if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
      const spec = flagSpec(name, arg, effective, out.extraCommand);
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (spec.type === 'boolean') {
        value = rest[0] === 'true' || rest[0] === 'false' ? rest.shift()! : 'true';
      } else {
        if (rest.length === 0 || rest[0]!.startsWith('--')) {
          throw new ConfigError(name, 'needs a value', { hint: `write --${name} <value>` });
        }
        value = rest.shift()!;
      }
      if (spec.secret) out.secretFlags.push(name);
      collected.set(name, [...(collected.get(name) ?? []), value]);
    } else {
      throw new ConfigError(undefined, `unexpected argument '${arg}'`, {
        hint: 'the command is the first word and options are written --name value',
      });
    }
  }
  for (const [name, values] of collected) {
    const spec = optionSpec(name)!;
    raw[name] = spec.type === 'lines' ? values : values.length === 1 ? values[0] : values;
  }
  for (const spec of OPTIONS) {
    if (raw[spec.name] !== undefined || spec.name === 'command') continue;
    const v = env[envName(spec)];
    if (v !== undefined && v !== '') raw[spec.name] = v;
  }
  return out;
}

function knownCommand(word: string): Command | CliCommand {
  if (ALL_COMMANDS.includes(word)) return word as Command | CliCommand;
  const guess = nearest(word, ALL_COMMANDS);
  throw new ConfigError(undefined, `unknown command '${word}'`, {
    hint: guess
      ? `did you mean 'lifeboat ${guess}'? (lifeboat --help lists the commands)`
      : `use one of: ${ALL_COMMANDS.join(', ')}`,
  });
}

/** The option a flag names, if the command reads it; otherwise a ConfigError with the nearest one. */
function flagSpec(
  name: string,
  arg: string,
  command: Command,
  extraCommand: CliCommand | undefined,
): OptionSpec {
  const where = extraCommand ?? command;
  const own = extraCommand ? [] : optionsOf(command);
  const spec = own.find((o) => o.name === name);
  if (spec && arg.startsWith('--')) return spec;
  const other = optionSpec(name);
  if (other && other.name !== 'command' && arg.startsWith('--')) {
    const readers = other.commands === 'all' ? COMMANDS : other.commands;
    throw new ConfigError(undefined, `--${name} is not an option of ${where}`, {
      hint: `it is read by ${readers.join(', ')}; 'lifeboat ${where} --help' lists the options of ${where}`,
    });
  }
  if (name === 'command') {
    throw new ConfigError(undefined, `unknown option '${arg}'`, {
      hint: 'the command is the first word: lifeboat <command> [--option value ...]',
    });
  }
  const ownGuess = nearest(name, [...own.map((o) => o.name), ...GLOBAL_FLAGS]);
  const otherGuess = ownGuess
    ? undefined
    : nearest(
        name,
        OPTIONS.filter((o) => o.name !== 'command').map((o) => o.name),
      );
  const readers = otherGuess ? optionSpec(otherGuess)!.commands : 'all';
  throw new ConfigError(undefined, `unknown option '${arg}'`, {
    hint: ownGuess
      ? `did you mean --${ownGuess}?`
      : otherGuess
        ? `did you mean --${otherGuess}? (an option of ${readers === 'all' ? 'every command' : readers.join(', ')})`
        : `'lifeboat ${where} --help' lists the options of ${where}`,
  });
}

export function envName(spec: OptionSpec): string {
  return `LIFEBOAT_${spec.name.toUpperCase().replace(/-/g, '_')}`;
}
