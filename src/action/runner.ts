/**
 * The runner's protocol, written directly: inputs from INPUT_<NAME>, workflow commands on
 * stdout (`::error::`, `::group::`, `::add-mask::`…) and file commands (GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY). @actions/core does the same but bundles an HTTP client for OIDC that
 * every run would load and compile; start-up is a third of a short run's time.
 * The formats follow @actions/core (command.ts, file-command.ts), which the runner parses.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/** The runner's name for an input: spaces become underscores, dashes stay. Trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

const escapeData = (s: string) =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export function issueCommand(command: string, message = ''): void {
  process.stdout.write(`::${command}::${escapeData(message)}${EOL}`);
}

export const info = (message: string): void => void process.stdout.write(message + EOL);
export const debug = (message: string): void => issueCommand('debug', message);
export const warning = (message: string): void => issueCommand('warning', message);
export const error = (message: string): void => issueCommand('error', message);
export const startGroup = (title: string): void => issueCommand('group', title);
export const endGroup = (): void => issueCommand('endgroup');
export const setSecret = (secret: string): void => issueCommand('add-mask', secret);

/** Fails the step: one error annotation and a non-zero exit code. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

function fileCommand(variable: string): string {
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is not set: not running on a GitHub Actions runner`);
  if (!existsSync(path)) throw new Error(`${variable} points to a missing file: ${path}`);
  return path;
}

/** `name<<DELIMITER` block with a delimiter that cannot occur in the value. */
export function setOutput(name: string, value: string): void {
  if (!process.env['GITHUB_OUTPUT']) {
    // An old runner without file commands (or a local run): the deprecated command still works.
    process.stdout.write(`${EOL}::set-output name=${name}::${escapeData(value)}${EOL}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`output ${name}: its value contains the delimiter`);
  appendFileSync(
    fileCommand('GITHUB_OUTPUT'),
    `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`,
    'utf8',
  );
}

/** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
export function appendSummary(markdown: string): void {
  appendFileSync(fileCommand('GITHUB_STEP_SUMMARY'), markdown + EOL, 'utf8');
}
