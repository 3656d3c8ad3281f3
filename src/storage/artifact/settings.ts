import { ConfigError } from '../../core/errors.ts';

export const PERMISSIONS_BLOCK = [
  'permissions:',
  '  actions: write   # read is enough for restore/list',
  '  contents: read',
].join('\n');
export const PERMISSION_HINT = `give the workflow's token access to artifacts; add to the job (or workflow):\n${PERMISSIONS_BLOCK}`;
export const INVALID_NAME_CHARS = /[":<>|*?\\/\r\n]/;
export function parseArtifactUrl(url: string): string {
  const m = /^artifact:(?:\/\/)?(.*)$/i.exec(url.trim());
  const prefix = decodeURIComponent(m?.[1] ?? '').replace(/\/+$/, '');
  if (!m || INVALID_NAME_CHARS.test(prefix)) {
    throw new ConfigError('destination', `'${url}' is not a valid artifact destination`, {
      hint: 'write artifact: or artifact:<name-prefix>, e.g. artifact:db-backup- (no / \\ : " < > | * ? in the prefix)',
    });
  }
  return prefix;
}

export function parseRepository(
  option: unknown,
  env: string | undefined,
): { owner: string; repo: string } | undefined {
  const fromOption = typeof option === 'string' && option.trim() !== '' ? option.trim() : undefined;
  const value = fromOption ?? env;
  if (!value) return undefined;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!m) {
    throw new ConfigError('artifact-repository', `'${value}' is not owner/repo`, {
      hint: 'write it as owner/repo, e.g. acme/app',
    });
  }
  return { owner: m[1]!, repo: m[2]! };
}

export function parseRetentionDays(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1 || n > 400) {
    throw new ConfigError('retention-days', `'${String(value)}' is not a number of days`, {
      hint: 'use a whole number from 1 to 90 (up to 400 for private repositories where the organization allows it)',
    });
  }
  return n;
}
