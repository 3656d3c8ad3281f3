import { ConfigError } from '../core/errors.ts';
import { nearest } from './suggest.ts';

/**
 * Flags of the CLI-only toolkit commands (init, plan): they write files rather than run a
 * backup, so their flags are their own, declared here next to the command, not action inputs.
 */
export interface FlagSpec {
  name: string;
  type: 'string' | 'lines' | 'boolean';
  help: string;
}

export function parseToolkitFlags(
  command: string,
  argv: readonly string[],
  specs: readonly FlagSpec[],
): Record<string, string | string[] | boolean> {
  const out: Record<string, string | string[] | boolean> = {};
  const rest = [...argv];
  while (rest.length) {
    const arg = rest.shift()!;
    if (!arg.startsWith('--')) {
      throw new ConfigError(undefined, `unexpected argument '${arg}'`, {
        hint: `options are written --name value; 'lifeboat ${command} --help' lists them`,
      });
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const guess = nearest(
        name,
        specs.map((s) => s.name),
      );
      throw new ConfigError(undefined, `unknown option '--${name}' for ${command}`, {
        hint: guess ? `did you mean --${guess}?` : `'lifeboat ${command} --help' lists the options`,
      });
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (spec.type === 'boolean') value = 'true';
    else {
      if (!rest.length || rest[0]!.startsWith('--')) {
        throw new ConfigError(undefined, `--${name} needs a value`, {
          hint: `write --${name} <value>`,
        });
      }
      value = rest.shift()!;
    }
    if (spec.type === 'lines') out[name] = [...((out[name] as string[] | undefined) ?? []), value];
    else if (spec.type === 'boolean') out[name] = value !== 'false';
    else out[name] = value;
  }
  return out;
}

export function toolkitHelp(
  command: string,
  summary: string,
  usage: string,
  specs: readonly FlagSpec[],
): string {
  const width = Math.max(...specs.map((s) => s.name.length)) + 4;
  return [
    `lifeboat ${command}: ${summary}`,
    '',
    `usage: ${usage}`,
    '',
    'options:',
    ...specs.map((s) => `  --${s.name.padEnd(width)}${s.help}`),
  ].join('\n');
}
