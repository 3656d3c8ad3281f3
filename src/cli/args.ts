import { ConfigError } from '../engine/errors.ts';
import { COMMANDS, OPTIONS, type OptionSpec } from '../options/schema.ts';
import type { RawOptions } from '../options/parse.ts';

export interface ParsedArgs {
  raw: RawOptions;
  json: boolean;
  help: boolean;
  version: boolean;
  /** Secret options given as flags (they show in `ps`; we warn). */
  secretFlags: string[];
  /** A CLI-only command such as 'demo'. */
  extraCommand?: string;
}

export const CLI_ONLY_COMMANDS = ['demo'] as const;

/**
 * `lifeboat <command> [--option value|--option=value|--flag] [--json] [--help]`.
 * Every option can also come from the environment as LIFEBOAT_<NAME> (e.g. LIFEBOAT_SFTP_PASSWORD),
 * which is how secrets should be passed: a command line is visible to every user of the machine.
 */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const raw: RawOptions = {};
  const out: ParsedArgs = { raw, json: false, help: false, version: false, secretFlags: [] };
  const rest = [...argv];
  if (rest[0] && !rest[0].startsWith('-')) {
    const command = rest.shift()!;
    if ((CLI_ONLY_COMMANDS as readonly string[]).includes(command)) out.extraCommand = command;
    else if (command === 'help') out.help = true;
    else if (!(COMMANDS as readonly string[]).includes(command)) {
      throw new ConfigError('command', `unknown command '${command}'`, {
        hint: `use one of: ${[...COMMANDS, ...CLI_ONLY_COMMANDS].join(', ')}`,
      });
    } else raw['command'] = command;
  }
  const collected = new Map<string, string[]>();
  while (rest.length) {
    const arg = rest.shift()!;
    if (arg === '--json') out.json = true;
    else if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const spec = OPTIONS.find((o) => o.name === name);
      if (!spec)
        throw new ConfigError(`--${name}`, 'unknown option', {
          hint: 'run `lifeboat --help` for the options',
        });
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
        hint: 'options are written --name value',
      });
    }
  }
  for (const [name, values] of collected) {
    const spec = OPTIONS.find((o) => o.name === name)!;
    raw[name] = spec.type === 'lines' ? values : values.length === 1 ? values[0] : values;
  }
  for (const spec of OPTIONS) {
    if (raw[spec.name] !== undefined || spec.name === 'command') continue;
    const v = env[envName(spec)];
    if (v !== undefined && v !== '') raw[spec.name] = v;
  }
  return out;
}

export function envName(spec: OptionSpec): string {
  return `LIFEBOAT_${spec.name.toUpperCase().replace(/-/g, '_')}`;
}

export function helpText(version: string): string {
  const lines = [
    `lifeboat ${version}: back up and restore databases and files`,
    '',
    'usage: lifeboat <command> [--option value ...] [--json]',
    '',
    'commands:',
    '  backup    dump the sources into a checksummed archive at every destination',
    '  restore   prove a backup intact, then restore it into a new target (--overwrite to replace)',
    '  verify    read a stored backup end to end: checksums, every chunk, structure',
    '  list      the backups at the destination',
    '  prune     apply the keep-* retention policy',
    '  status    fail when the newest backup is older than the schedule allows',
    '  demo      back up, verify and restore a demo SQLite database into ./backups',
    '',
    'options (each also read from the environment as LIFEBOAT_<NAME>; pass secrets that way):',
  ];
  for (const o of OPTIONS) {
    if (o.name === 'command') continue;
    const def = o.default !== undefined ? ` [default: ${o.default}]` : '';
    const kind =
      o.type === 'boolean' ? '' : o.type === 'lines' ? ' <value> (repeatable)' : ' <value>';
    lines.push(`  --${o.name}${kind}${def}`);
    lines.push(`      ${o.description.replace(/`/g, '')}`);
  }
  lines.push(
    '',
    'exit codes: 0 success, 1 failure, 2 bad usage or configuration, 3 integrity failure',
  );
  return lines.join('\n');
}
