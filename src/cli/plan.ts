import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, ExitCode, exitCodeFor } from '../core/errors.ts';
import { fleetMatrix, parseFleetConfig } from '../fleet/config.ts';
import { describeForCli } from './describe.ts';
import type { CliIo } from './main.ts';
import { parseToolkitFlags, toolkitHelp, type FlagSpec } from './toolkit-args.ts';

export const PLAN_SUMMARY =
  'print a lifeboat.yml fleet config as a JSON matrix for strategy.matrix';

const FLAGS: FlagSpec[] = [
  { name: 'config', type: 'string', help: 'the fleet config (default: lifeboat.yml)' },
  { name: 'set', type: 'lines', help: 'only this set (repeatable)' },
  {
    name: 'pretty',
    type: 'boolean',
    help: 'indent the JSON (default: one line, for $GITHUB_OUTPUT)',
  },
  { name: 'help', type: 'boolean', help: 'show this help' },
];

/**
 * `lifeboat plan`: one matrix entry per set, so one workflow backs up every set as parallel
 * jobs (`strategy.matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}`). Prints only the JSON
 * on stdout; errors name the config's line and key, exit 2.
 */
export async function runPlan(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const flags = parseToolkitFlags('plan', argv, FLAGS);
    if (flags['help']) {
      io.stdout(
        toolkitHelp(
          'plan',
          PLAN_SUMMARY,
          'lifeboat plan [--config lifeboat.yml] [--set name ...]',
          FLAGS,
        ) + '\n',
      );
      return ExitCode.ok;
    }
    const file = (flags['config'] as string | undefined) ?? 'lifeboat.yml';
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (err) {
      throw new ConfigError(undefined, `cannot read ${file}: ${(err as Error).message}`, {
        hint: 'write a fleet config (see the README, "Fleets") or pass --config <path>',
      });
    }
    const matrix = fleetMatrix(parseFleetConfig(text, file), flags['set'] as string[] | undefined);
    io.stdout(JSON.stringify(matrix, null, flags['pretty'] ? 2 : undefined) + '\n');
    return ExitCode.ok;
  } catch (err) {
    io.stderr(`error: ${describeForCli(err)}\n`);
    return exitCodeFor(err);
  }
}
