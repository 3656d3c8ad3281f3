import { ConfigError } from '../engine/errors.ts';
import { schemeOf } from '../engine/url.ts';
import { dirDriver } from './dir.ts';
import { sqliteDriver } from './sqlite.ts';
import { pgDriver } from './postgres.ts';
import { mysqlDriver } from './mysql.ts';
import { redisDriver } from './redis.ts';
import type { SourceDriver } from './types.ts';

/** Every source kind. Adding a source is one file in src/sources and one line here. */
export const sourceDrivers: SourceDriver[] = [sqliteDriver, dirDriver, pgDriver, mysqlDriver, redisDriver];

export function acceptedSourceSchemes(): string[] {
  return sourceDrivers.flatMap((d) => d.schemes.map((s) => `${s}:`));
}

export function driverForUrl(url: string, option = 'source'): SourceDriver {
  const scheme = schemeOf(url);
  const driver = scheme ? sourceDrivers.find((d) => d.schemes.includes(scheme)) : undefined;
  if (!driver) {
    throw new ConfigError(
      option,
      scheme ? `unknown scheme '${scheme}:' in '${url.split('@').pop()}'` : `'${url.split('@').pop()}' has no scheme`,
      { hint: `use one of ${acceptedSourceSchemes().join(' ')}` },
    );
  }
  return driver;
}

export function driverForKind(kind: string): SourceDriver {
  const driver = sourceDrivers.find((d) => d.kind === kind);
  if (!driver) throw new ConfigError(undefined, `this release cannot restore sources of kind '${kind}'`);
  return driver;
}
