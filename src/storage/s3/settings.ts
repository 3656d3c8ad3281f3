import { type ServerSideEncryption, type StorageClass } from '@aws-sdk/client-s3';
import { ConfigError } from '../../core/errors.ts';
import type { OptionName } from '../../options/schema.ts';
import { redactUrl } from '../../core/log.ts';
import { parseUrl } from '../../core/url.ts';
import { checkPrefix } from '../keys.ts';
import type { StorageContext } from '../types.ts';

export const MiB = 1024 * 1024;
/** S3's limit on the parts of one multipart upload. */
export const MAX_PARTS = 10_000;
export const SHA256_METADATA = 'lifeboat-sha256';
export const GCS_ENDPOINT = 'https://storage.googleapis.com';

export interface S3Settings {
  scheme: 's3' | 'gs';
  bucket: string;
  /** '' or 'some/prefix/'. */
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** Real AWS S3 (no endpoint, or *.amazonaws.com): full checksum support, region redirects. */
  isAws: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  sse: ServerSideEncryption | undefined;
  sseKmsKeyId: string | undefined;
  storageClass: StorageClass | undefined;
  /** Size hint for choosing the part size of uploads (option `expected-size`). */
  expectedSize: number | undefined;
  /** URL safe to show: no credentials. */
  displayUrl: string;
}

/**
 * Multipart plan for lib-storage's Upload, which holds about (queueSize + 1) parts in memory.
 * Unknown size: 8 MiB parts, 2 in flight (~24 MiB of buffers, so a whole backup stays within
 * the 200 MB RSS budget), which caps one archive at 10,000 × 8 MiB ≈ 78 GiB. With an expected size the part grows
 * (25% headroom) so even 5 TiB fits in 10,000 parts, at the cost of memory for huge archives.
 */
export function multipartPlan(expectedSize: number | undefined): {
  partSize: number;
  queueSize: number;
} {
  if (expectedSize === undefined || !Number.isFinite(expectedSize) || expectedSize < 0) {
    return { partSize: 8 * MiB, queueSize: 2 };
  }
  const needed = Math.ceil((expectedSize * 1.25) / MAX_PARTS);
  const partSize = Math.max(8 * MiB, Math.ceil(needed / MiB) * MiB);
  return { partSize, queueSize: 2 };
}

/**
 * `s3://bucket/prefix` on AWS S3 or any S3-compatible store (MinIO, R2, B2, Spaces), and
 * `gs://bucket/prefix` on Google Cloud Storage through its S3-compatible XML API (HMAC keys).
 * Uploads stream through lib-storage's multipart Upload: the object appears only when the
 * upload completes, and a failed upload is aborted so no parts linger.
 */
export const QUERY_KEYS = new Set(['endpoint', 'region', 'path-style']);

/** Reads the URL, then the options, then the environment. The URL's query wins: it is per destination. */
export function s3Settings(url: string, ctx: StorageContext): S3Settings {
  const u = parseUrl('destination', url);
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 's3' && scheme !== 'gs') {
    throw new ConfigError('destination', `'${redactUrl(url)}' is not an s3:// or gs:// URL`);
  }
  const bucket = decodeURIComponent(u.hostname);
  if (!bucket) {
    throw new ConfigError('destination', `'${redactUrl(url)}' names no bucket`, {
      hint: `write it as ${scheme}://bucket/optional/prefix`,
    });
  }
  for (const k of u.searchParams.keys()) {
    if (!QUERY_KEYS.has(k)) {
      throw new ConfigError(
        'destination',
        `unknown query parameter '${k}' in '${redactUrl(url)}'`,
        {
          hint: 'accepted: ?endpoint=…&region=…&path-style=true',
        },
      );
    }
  }
  const path = decodeURIComponent(u.pathname).replace(/^\/+/, '');
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  if (prefix) {
    try {
      checkPrefix(prefix, url);
    } catch (err) {
      throw new ConfigError('destination', `bad prefix '${path}' in '${redactUrl(url)}'`, {
        cause: err,
        hint: "use a plain path like s3://bucket/backups/prod (no '.' or '..' segments, no '//')",
      });
    }
  }

  const option = (name: OptionName): unknown => ctx.options[name];
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  const env = ctx.env;

  let endpoint = str(u.searchParams.get('endpoint')) ?? str(option('s3-endpoint'));
  if (!endpoint && scheme === 'gs') endpoint = GCS_ENDPOINT;
  if (endpoint) {
    if (!/^https?:\/\//i.test(endpoint)) endpoint = `https://${endpoint}`;
    try {
      new URL(endpoint);
    } catch {
      throw new ConfigError('s3-endpoint', `'${endpoint}' is not a URL`, {
        hint: 'e.g. https://minio.example.com:9000',
      });
    }
    endpoint = endpoint.replace(/\/+$/, '');
  }
  const endpointHost = endpoint ? new URL(endpoint).hostname : undefined;
  const isAws = !endpointHost || /(^|\.)amazonaws\.com(\.cn)?$/i.test(endpointHost);

  const region =
    str(u.searchParams.get('region')) ??
    str(option('s3-region')) ??
    (scheme === 'gs' ? 'auto' : undefined) ??
    str(env['AWS_REGION']) ??
    str(env['AWS_DEFAULT_REGION']) ??
    'us-east-1';

  const pathStyleValue = u.searchParams.get('path-style') ?? option('s3-force-path-style');
  let forcePathStyle: boolean;
  if (pathStyleValue === undefined || pathStyleValue === null || pathStyleValue === '') {
    // Virtual-host addressing cannot work with an IP address or localhost.
    forcePathStyle =
      scheme === 'gs' ||
      (!!endpointHost && (/^[\d.]+$|^\[|:/.test(endpointHost) || endpointHost === 'localhost'));
  } else if (pathStyleValue === true || /^(true|1|yes)$/i.test(String(pathStyleValue))) {
    forcePathStyle = true;
  } else if (pathStyleValue === false || /^(false|0|no)$/i.test(String(pathStyleValue))) {
    forcePathStyle = false;
  } else {
    throw new ConfigError(
      's3-force-path-style',
      `'${String(pathStyleValue)}' is not true or false`,
    );
  }

  let credentials: S3Settings['credentials'];
  if (u.username) {
    if (!u.password) {
      throw new ConfigError('destination', `'${redactUrl(url)}' has an access key but no secret`, {
        hint: `write ${scheme}://ACCESS_KEY:SECRET@bucket/prefix, or better, use environment variables`,
      });
    }
    credentials = {
      accessKeyId: decodeURIComponent(u.username),
      secretAccessKey: decodeURIComponent(u.password),
    };
  } else if (
    scheme === 'gs' &&
    str(env['GOOGLE_HMAC_ACCESS_KEY_ID']) &&
    str(env['GOOGLE_HMAC_SECRET'])
  ) {
    credentials = {
      accessKeyId: env['GOOGLE_HMAC_ACCESS_KEY_ID']!,
      secretAccessKey: env['GOOGLE_HMAC_SECRET']!,
    };
  } else if (str(env['AWS_ACCESS_KEY_ID']) && str(env['AWS_SECRET_ACCESS_KEY'])) {
    // Same as the chain's first link, but honours the environment the engine was given.
    credentials = {
      accessKeyId: env['AWS_ACCESS_KEY_ID']!,
      secretAccessKey: env['AWS_SECRET_ACCESS_KEY']!,
    };
    if (str(env['AWS_SESSION_TOKEN'])) credentials.sessionToken = env['AWS_SESSION_TOKEN']!;
  }
  // Otherwise the SDK's default chain: profiles, SSO, web identity (OIDC), ECS, EC2 metadata.
  if (credentials) {
    ctx.redactor.add(credentials.secretAccessKey);
    ctx.redactor.add(credentials.sessionToken);
  }

  const sseValue = str(option('s3-sse'));
  const sseKmsKeyId = str(option('s3-sse-kms-key-id'));
  if (sseValue && sseValue !== 'AES256' && sseValue !== 'aws:kms') {
    throw new ConfigError('s3-sse', `'${sseValue}' is not a server-side encryption mode`, {
      hint: 'use AES256 or aws:kms',
    });
  }
  if (sseKmsKeyId && sseValue === 'AES256') {
    throw new ConfigError('s3-sse-kms-key-id', 'is set but s3-sse is AES256', {
      hint: 'set {{option:s3-sse=aws:kms}}',
    });
  }
  const sse = (sseValue ?? (sseKmsKeyId ? 'aws:kms' : undefined)) as
    ServerSideEncryption | undefined;

  // No credentials and no query: `s3://bucket/prefix` plus a key is a URL the aws CLI accepts.
  const displayUrl = `${scheme}://${bucket}${prefix ? `/${prefix.slice(0, -1)}` : ''}`;
  return {
    scheme,
    bucket,
    prefix,
    endpoint,
    region,
    forcePathStyle,
    isAws,
    credentials,
    sse,
    sseKmsKeyId,
    storageClass: str(option('s3-storage-class')) as StorageClass | undefined,
    expectedSize: parseSize(option('expected-size')),
    displayUrl,
  };
}

/** `expected-size`: bytes as a number, or '500GiB', '2 TB', '750M'. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?\s*$/i.exec(value);
  if (!m) {
    throw new ConfigError('expected-size', `'${value}' is not a size`, {
      hint: 'write bytes or e.g. 500GiB, 2TB',
    });
  }
  // Binary units either way: for sizing upload parts, overestimating is the safe side.
  const power = ' kmgtp'.indexOf((m[2] || ' ').toLowerCase());
  return Math.ceil(Number(m[1]) * 1024 ** Math.max(power, 0));
}
