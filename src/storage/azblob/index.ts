import { createHash, randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import {
  AnonymousCredential,
  BlobServiceClient,
  RestError,
  StorageSharedKeyCredential,
  newPipeline,
  type ContainerClient,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import { ConfigError, IntegrityError, StorageError } from '../../core/errors.ts';
import type { OptionName } from '../../options/schema.ts';
import { redactUrl } from '../../core/log.ts';
import { parseUrl } from '../../core/url.ts';
import { checkAnnounced, chunksOf } from '../body.ts';
import { checkKey, checkPrefix } from '../keys.ts';
import { classifyNodeError } from '../retry.ts';
import type {
  GetOptions,
  ObjectInfo,
  PutOptions,
  PutResult,
  Storage,
  StorageCapabilities,
  StorageContext,
  StorageFactory,
} from '../types.ts';

/** Metadata key holding the sha256 (hex) of the blob's bytes, computed while uploading. */
export const SHA256_METADATA = 'lifeboat_sha256';

/** Block size for staged uploads: memory use is about blockBytes × (concurrency + 1). */
const DEFAULT_BLOCK_BYTES = 4 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 2;
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Azure's limit of committed blocks per blob. */
const MAX_BLOCKS = 50_000;

export interface AzureBlobTuning {
  /** Bytes per staged block (default 4 MiB; Azure allows up to 4000 MiB and 50,000 blocks). */
  blockBytes?: number;
  /** Blocks staged at once (default 4). */
  concurrency?: number;
}

/**
 * `azblob://container/prefix`. Uploads stage blocks of bounded size and commit the block list
 * only when the whole body has arrived, so a failed or interrupted put leaves only uncommitted
 * blocks, which listings never show and Azure discards after a week.
 *
 * Retries: per-block staging retries inside the SDK (the block is in memory, so resending is
 * safe); every other call makes one attempt and reports `transient`, leaving retries to
 * withRetry so they are not multiplied by two layers.
 */
export const azblobStorage: StorageFactory = {
  schemes: ['azblob'],
  create(url, ctx) {
    return openAzureBlob(url, ctx);
  },
};

export function openAzureBlob(
  url: string,
  ctx: StorageContext,
  tuning: AzureBlobTuning = {},
): Storage {
  const { container, prefix } = parseAzblobUrl(url);
  const displayUrl = redactUrl(url);
  const service = (pipelineOptions: StoragePipelineOptions) => serviceClient(ctx, pipelineOptions);
  const once = service({ retryOptions: { maxTries: 1 } }).getContainerClient(container);
  const staging = service({
    retryOptions: {
      maxTries: 4,
      retryDelayInMs: 500,
      maxRetryDelayInMs: 8000,
      tryTimeoutInMs: 5 * 60_000,
    },
  }).getContainerClient(container);
  return new AzureBlobStorage(
    displayUrl,
    container,
    prefix,
    once,
    staging,
    tuning,
    credentialName(ctx),
  );
}

/** Which variable the credentials came from, so an auth failure can name it. */
function credentialName(ctx: StorageContext): string {
  if (envString(ctx, 'AZURE_STORAGE_CONNECTION_STRING')) return 'AZURE_STORAGE_CONNECTION_STRING';
  if (envString(ctx, 'AZURE_STORAGE_KEY')) return 'AZURE_STORAGE_KEY';
  return 'AZURE_STORAGE_SAS_TOKEN';
}

export function parseAzblobUrl(url: string): { container: string; prefix: string } {
  const u = parseUrl('destination', url);
  const container = u.hostname;
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
    throw new ConfigError(
      'destination',
      `'${redactUrl(url)}' does not name a valid Azure container`,
      {
        hint: 'write azblob://<container>/<prefix>; container names are 3-63 lower-case letters, digits and single hyphens',
      },
    );
  }
  if (u.username || u.password) {
    throw new ConfigError('destination', `'${redactUrl(url)}' carries credentials in the URL`, {
      hint: 'give Azure credentials through AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN',
    });
  }
  const prefix = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '');
  return { container, prefix };
}

function optionString(ctx: StorageContext, name: OptionName): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function envString(ctx: StorageContext, name: string): string | undefined {
  const v = ctx.env[name];
  return v && v.trim() !== '' ? v.trim() : undefined;
}

/** Connection string first, then account key, then SAS; all secrets are registered for redaction. */
function serviceClient(
  ctx: StorageContext,
  pipelineOptions: StoragePipelineOptions,
): BlobServiceClient {
  const connectionString = envString(ctx, 'AZURE_STORAGE_CONNECTION_STRING');
  const account = optionString(ctx, 'azure-account') ?? envString(ctx, 'AZURE_STORAGE_ACCOUNT');
  const key = envString(ctx, 'AZURE_STORAGE_KEY');
  const sas = envString(ctx, 'AZURE_STORAGE_SAS_TOKEN')?.replace(/^\?/, '');
  const endpointOption = optionString(ctx, 'azure-endpoint');

  if (connectionString) {
    ctx.redactor.add(connectionString);
    for (const m of connectionString.matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi))
      ctx.redactor.add(m[1]);
    try {
      return BlobServiceClient.fromConnectionString(connectionString, pipelineOptions);
    } catch (err) {
      throw new ConfigError(
        'AZURE_STORAGE_CONNECTION_STRING',
        'is not a valid Azure Storage connection string',
        {
          cause: err,
          hint: 'copy it from the storage account\'s "Access keys" page (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…)',
        },
      );
    }
  }
  if (!account && !endpointOption) {
    throw new ConfigError('azure-account', 'no Azure Storage account or credentials were given', {
      hint: 'set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT (or {{option:azure-account}}) with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN',
    });
  }
  const endpoint = (endpointOption ?? `https://${account}.blob.core.windows.net`).replace(
    /\/+$/,
    '',
  );
  try {
    new URL(endpoint);
  } catch {
    throw new ConfigError('azure-endpoint', `'${endpoint}' is not a URL`, {
      hint: 'write the blob service endpoint, e.g. https://<account>.blob.core.usgovcloudapi.net or http://127.0.0.1:10000/devstoreaccount1',
    });
  }
  if (key) {
    ctx.redactor.add(key);
    if (!account) {
      throw new ConfigError('azure-account', 'AZURE_STORAGE_KEY is set but no account name', {
        hint: 'set AZURE_STORAGE_ACCOUNT or {{option:azure-account}}',
      });
    }
    let credential: StorageSharedKeyCredential;
    try {
      credential = new StorageSharedKeyCredential(account, key);
    } catch (err) {
      throw new ConfigError('AZURE_STORAGE_KEY', 'is not a valid base64 account key', {
        cause: err,
      });
    }
    return new BlobServiceClient(endpoint, newPipeline(credential, pipelineOptions));
  }
  if (sas) {
    ctx.redactor.add(sas);
    const sig = /(?:^|&)sig=([^&]+)/.exec(sas)?.[1];
    if (sig) {
      ctx.redactor.add(sig);
      ctx.redactor.add(decodeURIComponent(sig));
    }
    return new BlobServiceClient(
      `${endpoint}?${sas}`,
      newPipeline(new AnonymousCredential(), pipelineOptions),
    );
  }
  throw new ConfigError(
    'AZURE_STORAGE_KEY',
    `no credentials for Azure Storage account '${account ?? endpoint}'`,
    {
      hint: 'set AZURE_STORAGE_KEY (account key), AZURE_STORAGE_SAS_TOKEN or AZURE_STORAGE_CONNECTION_STRING from a secret',
    },
  );
}

class AzureBlobStorage implements Storage {
  readonly displayUrl: string;
  /** Blocks committed whole; If-None-Match creates; ranged downloads. */
  readonly capabilities: StorageCapabilities = {
    atomicPut: true,
    conditionalCreate: true,
    rangeReads: true,
    listing: 'strong',
    maxConnections: 8,
    groupCommit: 'in-order',
  };
  private readonly container: string;
  private readonly prefix: string;
  private readonly client: ContainerClient;
  private readonly staging: ContainerClient;
  private readonly blockBytes: number;
  private readonly concurrency: number;
  private readonly credential: string;

  constructor(
    displayUrl: string,
    container: string,
    prefix: string,
    client: ContainerClient,
    staging: ContainerClient,
    tuning: AzureBlobTuning,
    credential: string,
  ) {
    this.credential = credential;
    this.displayUrl = displayUrl;
    this.container = container;
    this.prefix = prefix;
    this.client = client;
    this.staging = staging;
    this.blockBytes = tuning.blockBytes ?? DEFAULT_BLOCK_BYTES;
    this.concurrency = tuning.concurrency ?? DEFAULT_CONCURRENCY;
  }

  private blobName(key: string): string {
    checkKey(key, this.displayUrl);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private keyOf(blobName: string): string {
    return this.prefix ? blobName.slice(this.prefix.length + 1) : blobName;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    const name = this.blobName(key);
    const blob = this.staging.getBlockBlobClient(name);
    const hash = createHash('sha256');
    const signal = options.signal;
    const headers = { blobContentType: options.contentType ?? 'application/octet-stream' };
    // Block ids must all have the same length within a blob; the nonce keeps a concurrent put
    // to the same name from committing our blocks or we theirs.
    const nonce = randomBytes(8).toString('hex');
    const blockId = (i: number) =>
      Buffer.from(`${nonce}-${String(i).padStart(6, '0')}`).toString('base64');
    const ids: string[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let bodyError: unknown;

    const stage = (data: Buffer) => {
      const id = blockId(ids.length);
      ids.push(id);
      const p = blob
        .stageBlock(id, data, data.length, { abortSignal: signal })
        .then(
          () => undefined,
          (err: unknown) => {
            failure ??= err;
          },
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };

    // The body's own failure (the dump broke) is passed on unchanged: it is not a storage error
    // and must not look retryable.
    body.once('error', (err) => {
      bodyError ??= err;
    });
    try {
      for await (const chunk of chunksOf(body, signal)) {
        hash.update(chunk);
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        while (pendingBytes >= this.blockBytes) {
          if (ids.length >= MAX_BLOCKS - 1) {
            throw new StorageError(
              `${this.displayUrl}: ${key} is larger than ${MAX_BLOCKS} blocks of ${this.blockBytes} bytes`,
              {
                hint: 'Azure allows 50,000 blocks per blob; split the backup into several sources or sets',
              },
            );
          }
          const all = Buffer.concat(pending);
          stage(all.subarray(0, this.blockBytes));
          const rest = all.subarray(this.blockBytes);
          pending = rest.length ? [rest] : [];
          pendingBytes = rest.length;
          while (inFlight.size >= this.concurrency) await Promise.race(inFlight);
          if (failure) throw failure;
        }
        signal?.throwIfAborted();
      }
      signal?.throwIfAborted();
      const sha256 = hash.digest('hex');
      checkAnnounced(key, this.displayUrl, options, { size, sha256 });
      const metadata = { [SHA256_METADATA]: sha256 };
      if (ids.length === 0) {
        // Small objects (sidecars) go up in one Put Blob, which is atomic too.
        const data = Buffer.concat(pending);
        await blob.upload(data, data.length, {
          metadata,
          blobHTTPHeaders: headers,
          abortSignal: signal,
        });
      } else {
        if (pendingBytes > 0) stage(Buffer.concat(pending));
        pending = [];
        await Promise.all(inFlight);
        if (failure) throw failure;
        await blob.commitBlockList(ids, {
          metadata,
          blobHTTPHeaders: headers,
          abortSignal: signal,
        });
      }
      return { size, sha256 };
    } catch (err) {
      await Promise.allSettled(inFlight);
      if (bodyError !== undefined && err === bodyError) throw err;
      if (err instanceof IntegrityError || err instanceof StorageError) throw err;
      throw this.mapError(err, `upload of ${key}`);
    }
  }

  /** Put Blob with `If-None-Match: *`: the service refuses it (409) when the blob exists. */
  async createExclusive(key: string, body: Buffer): Promise<boolean> {
    const name = this.blobName(key);
    try {
      await this.client.getBlockBlobClient(name).upload(body, body.length, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return true;
    } catch (err) {
      if (err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412))
        return false;
      throw this.mapError(err, `create of ${key}`);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const name = this.blobName(key);
    const offset = options.offset ?? 0;
    let response;
    try {
      response = await this.client
        .getBlockBlobClient(name)
        .download(offset, undefined, { abortSignal: options.signal, maxRetryRequests: 5 });
    } catch (err) {
      throw this.mapError(err, `download of ${key}`);
    }
    const stream = response.readableStreamBody as Readable | undefined;
    if (!stream)
      throw new StorageError(`${this.displayUrl}: download of ${key} returned no body`, {
        transient: true,
      });
    // The blob's sha256 covers the whole blob; a resumed read checks only its own length.
    const expected = offset === 0 ? response.metadata?.[SHA256_METADATA] : undefined;
    const expectedSize = response.contentLength;
    return stream.pipe(
      verifying(
        `${this.displayUrl} ${key}`,
        expected,
        expectedSize,
        (err) => this.mapError(err, `download of ${key}`),
        stream,
      ),
    );
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const name = this.blobName(key);
    try {
      const p = await this.client.getBlockBlobClient(name).getProperties();
      return {
        key,
        size: p.contentLength ?? 0,
        modified: p.lastModified ?? new Date(0),
        ...(p.metadata?.[SHA256_METADATA] ? { sha256: p.metadata[SHA256_METADATA] } : {}),
      };
    } catch (err) {
      const mapped = this.mapError(err, `stat of ${key}`);
      if (mapped.notFound) return undefined;
      throw mapped;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkPrefix(prefix, this.displayUrl);
    const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
    const out: ObjectInfo[] = [];
    try {
      // Uncommitted blobs (interrupted uploads) are only listed on request; we never ask.
      for await (const page of this.client
        .listBlobsFlat({ prefix: full, includeMetadata: true })
        .byPage({ maxPageSize: 5000 })) {
        for (const item of page.segment.blobItems) {
          const sha256 = item.metadata?.[SHA256_METADATA];
          out.push({
            key: this.keyOf(item.name),
            size: item.properties.contentLength ?? 0,
            modified: item.properties.lastModified,
            ...(sha256 ? { sha256 } : {}),
          });
        }
      }
    } catch (err) {
      throw this.mapError(err, `listing of '${prefix}'`);
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    const name = this.blobName(key);
    try {
      await this.client.getBlockBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' });
    } catch (err) {
      const mapped = this.mapError(err, `delete of ${key}`);
      if (!mapped.notFound) throw mapped;
    }
  }

  /** Maps SDK and network errors to StorageError with a message naming the destination and the fix. */
  mapError(err: unknown, what: string): StorageError {
    if (err instanceof StorageError) return err;
    const where = `${this.displayUrl}: ${what} failed`;
    if (err instanceof Error && err.name === 'AbortError') {
      return new StorageError(`${where}: aborted`, { cause: err });
    }
    if (err instanceof RestError && err.statusCode !== undefined) {
      const status = err.statusCode;
      const code = err.code ?? (err.details as { errorCode?: string } | undefined)?.errorCode ?? '';
      const detail = `${status}${code ? ` ${code}` : ''}`;
      if (status === 404 && code === 'ContainerNotFound') {
        return new StorageError(
          `${where}: container '${this.container}' does not exist (${detail})`,
          {
            cause: err,
            hint: `create it first (az storage container create --name ${this.container}) or fix the container in the destination URL`,
          },
        );
      }
      if (status === 404) {
        return new StorageError(`${where}: not found (${detail})`, { cause: err, notFound: true });
      }
      if (status === 403 || status === 401) {
        const account = this.client.accountName || 'this account';
        const rejected =
          code === 'AuthenticationFailed' || code === 'AuthorizationFailure' || status === 401;
        return new StorageError(`${where}: access denied (${detail})`, {
          cause: err,
          reason: 'denied',
          hint: rejected
            ? `Azure did not accept the credentials from ${this.credential}: check it belongs to storage account '${account}' ` +
              'and has not been rotated or expired (a firewall rule on the account also answers this way)'
            : `the credentials from ${this.credential} lack permission here: a SAS needs read, add, create, write, ` +
              'delete and list (sp=racwdl) on the container; a role assignment needs Storage Blob Data Contributor',
        });
      }
      if (TRANSIENT_STATUS.has(status)) {
        return new StorageError(`${where}: Azure answered ${detail}`, {
          cause: err,
          transient: true,
          reason: 'unavailable',
          hint:
            status === 429 || status === 503
              ? 'the account is throttling requests; it will be retried'
              : undefined,
        });
      }
      return new StorageError(`${where}: Azure answered ${detail}: ${firstLine(err.message)}`, {
        cause: err,
      });
    }
    const node = classifyNodeError(err);
    const message = err instanceof Error ? firstLine(err.message) : String(err);
    return new StorageError(`${where}: ${message}`, {
      cause: err,
      transient: node.transient,
      notFound: node.notFound,
      reason: node.reason,
      hint: node.transient
        ? undefined
        : 'check the azure-endpoint / account name and that this runner can reach the blob service',
    });
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}

/**
 * Passes the download through, hashing it; when the blob carries our sha256 metadata a mismatch
 * (or a short body) fails the stream with IntegrityError after the last byte.
 */
function verifying(
  label: string,
  expected: string | undefined,
  expectedSize: number | undefined,
  mapError: (err: unknown) => StorageError,
  source: Readable,
): Transform {
  const hash = createHash('sha256');
  let size = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      if (expectedSize !== undefined && size !== expectedSize) {
        cb(
          new StorageError(`${label}: download ended after ${size} of ${expectedSize} bytes`, {
            transient: true,
            reason: 'truncated',
          }),
        );
        return;
      }
      const actual = hash.digest('hex');
      if (expected && actual !== expected.toLowerCase()) {
        cb(
          new IntegrityError(
            `${label}: downloaded bytes have sha256 ${actual}, but the blob's ${SHA256_METADATA} is ${expected}`,
          ),
        );
        return;
      }
      cb();
    },
  });
  source.on('error', (err) => t.destroy(mapError(err)));
  t.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  return t;
}
