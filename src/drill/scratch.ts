/**
 * A drill's scratch targets: one per source, planned by kind (one module per kind in scratch/),
 * and the check that a scratch target is not the backed-up source itself.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { schemeOf } from '../core/url.ts';
import type { Scratch, ScratchRequest } from './scratch/common.ts';
import { fileScratch } from './scratch/file.ts';
import { mysqlScratch } from './scratch/mysql.ts';
import { postgresScratch } from './scratch/postgres.ts';
import { redisScratch } from './scratch/redis.ts';
import { vectorScratch } from './scratch/vector.ts';

export function planScratch(r: ScratchRequest): Scratch {
  switch (r.manifest.kind) {
    case 'postgres':
      return postgresScratch(r);
    case 'mysql':
      return mysqlScratch(r);
    case 'redis':
      return redisScratch(r);
    case 'sqlite':
      return fileScratch(r, 'sqlite');
    case 'dir':
      return fileScratch(r, 'dir');
    case 'chroma':
    case 'qdrant':
      return vectorScratch(r, r.manifest.kind);
    default:
      throw new ConfigError(
        undefined,
        `drills do not support sources of kind '${r.manifest.kind}'`,
      );
  }
}

/** Scheme, host, port and path, so `postgresql://a@LOCALHOST/db` and `postgres://b@localhost:5432/db` are one place. */
export function samePlace(a: string, b: string, cwd: string): boolean {
  return placeOf(a, cwd) === placeOf(b, cwd);
}

const CANONICAL: Record<string, string> = {
  postgresql: 'postgres',
  mariadb: 'mysql',
  rediss: 'redis',
};

const DEFAULT_PORT: Record<string, string> = { postgres: '5432', mysql: '3306', redis: '6379' };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '']);

/**
 * A vector server's place: its host and port (and for Chroma its tenant and database), whatever
 * collection the URL names: a drill never writes beside the production collections.
 */
function vectorPlaceOf(scheme: string, url: string): string {
  try {
    const u = new URL(url);
    const https = scheme.endsWith('+https');
    const kind = scheme.split('+')[0]!;
    const host = LOOPBACK.has(u.hostname.toLowerCase()) ? 'loopback' : u.hostname.toLowerCase();
    const port = u.port || (https ? '443' : kind === 'chroma' ? '8000' : '6333');
    if (kind === 'qdrant') return `qdrant://${host}:${port}`;
    const tenant = u.searchParams.get('tenant') || 'default_tenant';
    const database = u.searchParams.get('database') || 'default_database';
    return `chroma://${host}:${port}/${tenant}/${database}`;
  } catch {
    return url;
  }
}

function placeOf(url: string, cwd: string): string {
  const raw = schemeOf(url) ?? '';
  const scheme = CANONICAL[raw] ?? raw;
  if (/^(chroma|qdrant)(\+https?)?$/.test(scheme)) return vectorPlaceOf(scheme, url);
  if (scheme in DEFAULT_PORT) {
    try {
      const u = new URL(url);
      const host = LOOPBACK.has(u.hostname.toLowerCase()) ? 'loopback' : u.hostname.toLowerCase();
      const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
      const db = u.searchParams.get('dbname') ?? path;
      return `${scheme}://${host}:${u.port || DEFAULT_PORT[scheme]}/${db}`;
    } catch {
      return url;
    }
  }
  const rest = url.slice(raw.length + 1).replace(/^file:/, '');
  return `${scheme}:${resolve(cwd, rest).replace(/\/+$/, '')}`;
}

export type { Scratch, ScratchRequest } from './scratch/common.ts';
