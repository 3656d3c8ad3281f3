import { ConfigError, describeError } from '../core/errors.ts';
import { optionSpec } from '../options/schema.ts';
import { cliSyntax } from './args.ts';

/** The error as a person at this terminal reads it: options written as flags. */
export function describeForCli(err: unknown): string {
  const text = describeError(err, cliSyntax);
  if (err instanceof ConfigError && err.option && optionSpec(err.option)) {
    const prefix = `${err.option}: `;
    if (text.startsWith(prefix)) return `--${text}`;
  }
  return text;
}
