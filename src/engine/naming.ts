import { randomBytes } from 'node:crypto';
import { basename, extname } from 'node:path';
import { archiveExtension } from '../archive/compression.ts';
import type { Compression } from '../archive/types.ts';
import { ConfigError } from '../core/errors.ts';
import { DRILL_SUFFIX } from '../storage/keys.ts';
import type { ObjectGroup } from '../storage/types.ts';
import { schemeOf } from '../core/url.ts';

const ID_PATTERN = /^\d{8}T\d{6}Z-[a-z2-7]{6}$/;
const SET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Backup ids sort by time: 20261122T030000Z-abcdef (UTC, then 30 random bits). */
export function newBackupId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(6);
  let suffix = '';
  for (const b of bytes) suffix += alphabet[b % 32];
  return `${stamp}-${suffix}`;
}

export function isBackupId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function backupTime(id: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
  if (!m) return new Date(NaN);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

export function validateSetName(name: string, option = 'name'): string {
  if (!SET_PATTERN.test(name)) {
    throw new ConfigError(option, `'${name}' is not a valid backup set name`, {
      hint: 'use letters, digits, dot, dash and underscore (up to 100 characters), starting with a letter or digit',
    });
  }
  return name;
}

/** A set name from a source URL: the database or file name, else the host. */
export function deriveSetName(url: string): string {
  const scheme = schemeOf(url) ?? '';
  let rest = url.slice(scheme.length + 1);
  let candidate: string;
  if (rest.startsWith('//')) {
    try {
      const u = new URL(url);
      const segments = u.pathname.split('/').filter(Boolean);
      candidate = decodeURIComponent(segments.at(-1) ?? '') || u.hostname;
      if (/^\d+$/.test(candidate)) candidate = `${u.hostname}-${candidate}`;
    } catch {
      candidate = '';
    }
  } else {
    rest = rest.replace(/[*?[\]{}].*$/, '').replace(/\/+$/, '');
    candidate = basename(rest, extname(rest)) || basename(rest);
  }
  const cleaned = candidate
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return cleaned || scheme || 'backup';
}

export interface BackupKeys {
  archive: string;
  manifest: string;
  sha256: string;
  /** SSHSIG signature of the manifest (index) object. */
  sig: string;
}

export function backupKeys(
  set: string,
  id: string,
  compression: Compression,
  encrypted = false,
): BackupKeys {
  return {
    archive: `${set}/${id}${archiveExtension(compression)}${encrypted ? '.age' : ''}`,
    manifest: `${set}/${id}.manifest.json`,
    sha256: `${set}/${id}.sha256`,
    sig: `${set}/${id}.sig`,
  };
}

/**
 * A backup as the storage contract's ObjectGroup: the archive and its sidecars, committed by
 * the manifest (the index), which is put last and makes the backup visible to listing.
 */
export function backupGroup(set: string, id: string, keys: BackupKeys): ObjectGroup {
  return {
    name: `${set}/${id}`,
    members: [keys.archive, keys.sha256, keys.sig],
    commit: keys.manifest,
  };
}

/** The set and backup id a drill record's key (storage/keys.ts `drillKey`) names, else undefined. */
export function parseDrillKey(key: string): { set: string; id: string } | undefined {
  if (!key.endsWith(DRILL_SUFFIX)) return undefined;
  const m = /^([^/]+)\/([^/]+)$/.exec(key.slice(0, -DRILL_SUFFIX.length));
  return m && isBackupId(m[2]!) ? { set: m[1]!, id: m[2]! } : undefined;
}
