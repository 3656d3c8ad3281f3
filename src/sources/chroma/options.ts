import type { OptionSpec } from '../../core/option-spec.ts';

/** Read by Chroma and Qdrant restores alike: both registry lines list this one declaration. */
export const collectionSuffixOption = {
  name: 'collection-suffix',
  type: 'string',
  commands: ['restore', 'drill'],
  group: 'sources',
  description:
    'Chroma and Qdrant restores: appended to every restored collection name (e.g. `_restored`), so the copies sit beside the originals. A drill always uses `_drill_<short id>`.',
} as const satisfies OptionSpec;

/** The Chroma source's options (`chroma://`; `chroma+dir:` reads only collection-suffix). */
export const chromaOptions = [
  {
    name: 'chroma-tenant',
    type: 'string',
    commands: ['backup', 'restore', 'verify', 'drill'],
    group: 'sources',
    description:
      'Chroma: tenant of `chroma://` sources and targets (default `default_tenant`); `?tenant=` in a URL wins.',
  },
  {
    name: 'chroma-database',
    type: 'string',
    commands: ['backup', 'restore', 'verify', 'drill'],
    group: 'sources',
    description:
      'Chroma: database of `chroma://` sources and targets (default `default_database`); `?database=` in a URL wins.',
  },
  collectionSuffixOption,
] as const satisfies readonly OptionSpec[];
