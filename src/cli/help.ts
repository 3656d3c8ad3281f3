import {
  COMMAND_SUMMARIES,
  COMMANDS,
  OPTIONS,
  type Command,
  type OptionSpec,
} from '../options/schema.ts';

/** Commands only the CLI has, with their one-line summaries. */
export const CLI_COMMANDS = {
  demo: 'back up, verify and restore a demo SQLite database into ./backups',
  init: 'write caller workflows (scheduled backup, guarded restore, weekly drill)',
  plan: 'print a lifeboat.yml fleet config as a JSON matrix for strategy.matrix',
} as const;
export type CliCommand = keyof typeof CLI_COMMANDS;

const GROUP_HEADINGS: Record<OptionSpec['group'], string> = {
  main: 'options',
  sources: 'source options',
  retention: 'retention and freshness',
  encryption: 'encryption',
  storage: 'storage options',
  monitoring: 'notifications and metrics',
};

const FOOTER = [
  'flags for every command:',
  '  --json         print the result (or the error) as JSON on stdout',
  '  -h, --help     show help',
  '  -V, --version  print the version',
  '',
  'Every option can also be set in the environment as LIFEBOAT_<NAME>, e.g. LIFEBOAT_SFTP_PASSWORD',
  'for --sftp-password. Pass secrets that way: a command line is visible to every user of the machine.',
  '',
  'exit codes: 0 success, 1 failure, 2 bad usage or configuration, 3 integrity failure',
];

/** `lifeboat --help`: the commands, one line each. */
export function generalHelp(version: string): string {
  const summaries: Array<[string, string]> = [
    ...COMMANDS.map((c): [string, string] => [c, COMMAND_SUMMARIES[c]]),
    ...Object.entries(CLI_COMMANDS),
  ];
  const width = Math.max(...summaries.map(([c]) => c.length)) + 2;
  return [
    `lifeboat ${version}: back up and restore databases and files`,
    '',
    'usage: lifeboat <command> [--option value ...] [--json]',
    '',
    'commands:',
    ...summaries.map(([c, s]) => `  ${c.padEnd(width)}${s}`),
    '',
    "Run 'lifeboat <command> --help' for the options of one command.",
    '',
    ...FOOTER,
  ].join('\n');
}

/** The options a command reads, as `lifeboat <command> --help` lists them. */
export function optionsOf(command: Command): OptionSpec[] {
  return OPTIONS.filter(
    (o) => o.name !== 'command' && (o.commands === 'all' || o.commands.includes(command)),
  );
}

/** `lifeboat <command> --help`: that command's options only, grouped, with values and defaults. */
export function commandHelp(command: Command | CliCommand): string {
  if (command in CLI_COMMANDS) {
    const c = command as CliCommand;
    return [`lifeboat ${c}: ${CLI_COMMANDS[c]}`, '', `usage: lifeboat ${c}`, '', ...FOOTER].join(
      '\n',
    );
  }
  const c = command as Command;
  const out = [
    `lifeboat ${c}: ${COMMAND_SUMMARIES[c]}`,
    '',
    `usage: lifeboat ${c} [--option value ...] [--json]`,
  ];
  const options = optionsOf(c);
  for (const group of Object.keys(GROUP_HEADINGS) as OptionSpec['group'][]) {
    const inGroup = options.filter((o) => o.group === group);
    if (inGroup.length === 0) continue;
    out.push('', `${GROUP_HEADINGS[group]}:`);
    for (const o of inGroup) out.push(...describeOption(o));
  }
  out.push('', ...FOOTER);
  return out.join('\n');
}

function describeOption(o: OptionSpec): string[] {
  const values = o.values?.filter((v) => v !== '');
  const arg = o.type === 'boolean' ? '' : values?.length ? ` <${values.join('|')}>` : ' <value>';
  const notes: string[] = [];
  if (o.type === 'lines') notes.push('repeatable');
  if (o.default !== undefined && o.default !== '') notes.push(`default: ${o.default}`);
  if (o.secret) notes.push(`secret: prefer LIFEBOAT_${o.name.toUpperCase().replace(/-/g, '_')}`);
  const head = `  --${o.name}${arg}${notes.length ? `  (${notes.join('; ')})` : ''}`;
  return [head, ...wrap(o.description.replace(/`/g, ''), 74).map((l) => `      ${l}`)];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
