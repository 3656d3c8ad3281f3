import { ConfigError } from '../core/errors.ts';
import { schemeOf } from '../core/url.ts';
import type { OptionSpec } from '../core/option-spec.ts';
import { chromaOptions, collectionSuffixOption } from './chroma/options.ts';
import { dirOptions } from './dir/options.ts';
import { mysqlOptions } from './mysql/options.ts';
import { postgresOptions } from './postgres/options.ts';
import { qdrantOptions } from './qdrant/options.ts';
import { redisOptions } from './redis/options.ts';
import { sqliteOptions } from './sqlite/options.ts';
import type { SourceDriver } from './types.ts';

/**
 * A source kind, its URL schemes, the options it reads (declared in its own `options.ts`,
 * which imports nothing heavy: the schema collects them at start-up) and how to load its
 * driver (imported only when a URL names it).
 */
export interface SourceEntry {
  kind: string;
  schemes: string[];
  options: readonly OptionSpec[];
  load: () => Promise<SourceDriver>;
}

/**
 * Every source kind. Adding a source is one folder in src/sources (its driver and its
 * `options.ts`) and one line here. Not annotated as SourceEntry[], only checked against it, so
 * each line's option names and types reach the schema's typed OptionValues.
 */
export const sourceEntries = [
  {
    kind: 'sqlite',
    schemes: ['sqlite'],
    options: sqliteOptions,
    load: () => import('./sqlite/index.ts').then((m) => m.sqliteDriver),
  },
  {
    kind: 'dir',
    schemes: ['dir'],
    options: dirOptions,
    load: () => import('./dir/index.ts').then((m) => m.dirDriver),
  },
  {
    kind: 'postgres',
    schemes: ['postgres', 'postgresql'],
    options: postgresOptions,
    load: () => import('./postgres/index.ts').then((m) => m.pgDriver),
  },
  {
    kind: 'mysql',
    schemes: ['mysql', 'mariadb'],
    options: mysqlOptions,
    load: () => import('./mysql/index.ts').then((m) => m.mysqlDriver),
  },
  {
    kind: 'redis',
    schemes: ['redis', 'rediss'],
    options: redisOptions,
    load: () => import('./redis/index.ts').then((m) => m.redisDriver),
  },
  {
    kind: 'chroma',
    schemes: ['chroma', 'chroma+https', 'chroma+http'],
    options: chromaOptions,
    load: () => import('./chroma/index.ts').then((m) => m.chromaDriver),
  },
  {
    kind: 'chroma-dir',
    schemes: ['chroma+dir'],
    options: [collectionSuffixOption],
    load: () => import('./chroma/dir.ts').then((m) => m.chromaDirDriver),
  },
  {
    kind: 'qdrant',
    schemes: ['qdrant', 'qdrant+https', 'qdrant+http'],
    options: qdrantOptions,
    load: () => import('./qdrant/index.ts').then((m) => m.qdrantDriver),
  },
] satisfies SourceEntry[];

export function acceptedSourceSchemes(): string[] {
  return sourceEntries.flatMap((d) => d.schemes.map((s) => `${s}:`));
}

export async function driverForUrl(url: string, option = 'source'): Promise<SourceDriver> {
  const scheme = schemeOf(url);
  const entry = scheme ? sourceEntries.find((d) => d.schemes.includes(scheme)) : undefined;
  if (!entry) {
    throw new ConfigError(
      option,
      scheme
        ? `unknown scheme '${scheme}:' in '${url.split('@').pop()}'`
        : `'${url.split('@').pop()}' has no scheme`,
      { hint: `use one of ${acceptedSourceSchemes().join(' ')}` },
    );
  }
  return entry.load();
}

export async function driverForKind(kind: string): Promise<SourceDriver> {
  const entry = sourceEntries.find((d) => d.kind === kind);
  if (!entry)
    throw new ConfigError(undefined, `this release cannot restore sources of kind '${kind}'`);
  return entry.load();
}
