import { ConfigError } from '../core/errors.ts';

/**
 * The target collection for each collection in a vector store backup (Chroma, Qdrant): a
 * collection named in the target URL renames a backup of one; otherwise every collection keeps
 * its name, each with `suffix` appended. Every resulting name is checked with `isValid`.
 */
export function collectionTargets(o: {
  store: string;
  collections: readonly { name: string }[];
  targetCollection: string | undefined;
  suffix: string;
  isValid: (name: string) => boolean;
  renameHint: string;
  invalidHint?: string;
}): Map<string, string> {
  const out = new Map<string, string>();
  if (o.targetCollection) {
    if (o.collections.length !== 1) {
      throw new ConfigError(
        'target',
        `the backup holds ${o.collections.length} ${o.store} collections; a collection in the target URL renames a backup of one`,
        { hint: o.renameHint },
      );
    }
    out.set(o.collections[0]!.name, o.targetCollection + o.suffix);
  } else {
    for (const c of o.collections) out.set(c.name, c.name + o.suffix);
  }
  for (const name of out.values()) {
    if (!o.isValid(name)) {
      throw new ConfigError(
        'target',
        `'${name}' is not a valid ${o.store} collection name`,
        o.invalidHint ? { hint: o.invalidHint } : undefined,
      );
    }
  }
  return out;
}
