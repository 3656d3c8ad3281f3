import { ConfigError } from '../core/errors.ts';
import { schemeOf } from '../core/url.ts';
import type { SourceDriver } from './types.ts';

/** A source kind, its URL schemes, and how to load its driver (imported only when used). */
export interface SourceEntry {
  kind: string;
  schemes: string[];
  load: () => Promise<SourceDriver>;
}

/** Every source kind. Adding a source is one file in src/sources and one line here. */
export const sourceEntries: SourceEntry[] = [
  {
    kind: 'sqlite',
    schemes: ['sqlite'],
    load: () => import('./sqlite/index.ts').then((m) => m.sqliteDriver),
  },
  { kind: 'dir', schemes: ['dir'], load: () => import('./dir/index.ts').then((m) => m.dirDriver) },
  {
    kind: 'postgres',
    schemes: ['postgres', 'postgresql'],
    load: () => import('./postgres.ts').then((m) => m.pgDriver),
  },
  {
    kind: 'mysql',
    schemes: ['mysql', 'mariadb'],
    load: () => import('./mysql/index.ts').then((m) => m.mysqlDriver),
  },
  {
    kind: 'redis',
    schemes: ['redis', 'rediss'],
    load: () => import('./redis/index.ts').then((m) => m.redisDriver),
  },
  {
    kind: 'chroma',
    schemes: ['chroma', 'chroma+https', 'chroma+http'],
    load: () => import('./chroma/index.ts').then((m) => m.chromaDriver),
  },
  {
    kind: 'chroma-dir',
    schemes: ['chroma+dir'],
    load: () => import('./chroma/dir.ts').then((m) => m.chromaDirDriver),
  },
  {
    kind: 'qdrant',
    schemes: ['qdrant', 'qdrant+https', 'qdrant+http'],
    load: () => import('./qdrant/index.ts').then((m) => m.qdrantDriver),
  },
];

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
