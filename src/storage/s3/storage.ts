import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { IntegrityError, LifeboatError, StorageError } from '../../core/errors.ts';
import { type Logger } from '../../core/log.ts';
import { BodyDigest, checkAnnounced, chunksOf, expectLength } from '../body.ts';
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
import { type S3Settings, SHA256_METADATA, multipartPlan, s3Settings } from './settings.ts';
import { CREDENTIAL_CODES, credentialsHint, httpReason, messageOf } from './errors.ts';

export class S3Storage implements Storage {
  readonly displayUrl: string;
  readonly settings: S3Settings;
  readonly capabilities: StorageCapabilities;
  private readonly client: S3Client;
  /** Reads use a client without a socket idle timeout: a slow reader may pause the stream. */
  private readonly readClient: S3Client;
  private readonly log: Logger;
  private readonly plan: (size: number | undefined) => { partSize: number; queueSize: number };

  constructor(
    settings: S3Settings,
    log: Logger,
    plan: (size: number | undefined) => { partSize: number; queueSize: number } = multipartPlan,
  ) {
    this.settings = settings;
    this.displayUrl = settings.displayUrl;
    this.log = log;
    this.plan = plan;
    this.capabilities = {
      atomicPut: true,
      // AWS honours If-None-Match on PUT; S3-compatible stores may ignore it (s3rver does):
      // there createExclusive is a check-then-write (docs/storage.md).
      conditionalCreate: settings.isAws,
      rangeReads: true,
      listing: 'strong',
      maxConnections: 8,
      groupCommit: 'in-order',
    };
    const config: S3ClientConfig = {
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      followRegionRedirects: settings.isAws && !settings.endpoint,
    };
    if (settings.endpoint) config.endpoint = settings.endpoint;
    if (settings.credentials) config.credentials = settings.credentials;
    // Stores other than AWS reject or mangle the SDK's default CRC32 trailers (R2, B2, MinIO
    // releases, GCS, s3rver): send and check checksums only where an operation requires them.
    if (!settings.isAws) {
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    }
    this.client = new S3Client({
      ...config,
      requestHandler: { connectionTimeout: 15_000, socketTimeout: 120_000 },
    });
    this.readClient = new S3Client({ ...config, requestHandler: { connectionTimeout: 15_000 } });
  }

  async put(key: string, body: Readable, options?: PutOptions): Promise<PutResult> {
    checkKey(key, this.displayUrl);
    const signal = options?.signal;
    if (signal?.aborted) throw this.aborted(key, signal);
    const digest = new BodyDigest();
    let bodyError: unknown;
    const source = Readable.from(
      (async function* () {
        try {
          for await (const chunk of chunksOf(body, signal)) {
            digest.update(chunk);
            yield chunk;
          }
        } catch (err) {
          bodyError = err;
          throw err;
        }
      })(),
      { objectMode: false },
    );
    const { partSize, queueSize } = this.plan(options?.size ?? this.settings.expectedSize);
    const params: PutObjectCommandInput = {
      Bucket: this.settings.bucket,
      Key: this.settings.prefix + key,
      Body: source,
      ContentType: options?.contentType ?? 'application/octet-stream',
    };
    if (options?.sha256) params.Metadata = { [SHA256_METADATA]: options.sha256.toLowerCase() };
    if (this.settings.sse) params.ServerSideEncryption = this.settings.sse;
    if (this.settings.sseKmsKeyId) params.SSEKMSKeyId = this.settings.sseKmsKeyId;
    if (this.settings.storageClass) params.StorageClass = this.settings.storageClass;
    const upload = new Upload({
      client: signal ? withAbortSignal(this.client, signal) : this.client,
      params,
      partSize,
      queueSize,
      leavePartsOnError: false,
    });
    // Aborting the Upload stops new parts and aborts the multipart upload on S3.
    const onAbort = () => void upload.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } catch (err) {
      source.destroy();
      if (signal?.aborted) {
        await this.abortMultipart(upload, key);
        throw this.aborted(key, signal);
      }
      if (bodyError !== undefined) {
        if (err !== bodyError) {
          // lib-storage reports a failed AbortMultipartUpload instead of the body's error.
          this.log.warn(
            `${this.displayUrl}: could not abort the incomplete upload of ${key} (${messageOf(err)}); ` +
              'it is not listed, and a lifecycle rule "AbortIncompleteMultipartUpload" removes its parts',
          );
        }
        if (bodyError instanceof LifeboatError) throw bodyError;
        throw new StorageError(
          `upload of ${key} to ${this.displayUrl} failed: ${messageOf(bodyError)}`,
          {
            cause: bodyError,
          },
        );
      }
      throw this.fail(err, `upload of ${key}`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const result = digest.result();
    try {
      checkAnnounced(key, this.displayUrl, options, result);
      // Confirmed by the store: what it holds now has the size we sent.
      const stored = await this.stat(key);
      if (!stored || stored.size !== result.size) {
        throw new IntegrityError(
          `${key} on ${this.displayUrl}: ${result.size} bytes were uploaded but the store reports ` +
            `${stored ? `${stored.size} bytes` : 'no object'}`,
        );
      }
    } catch (err) {
      if (err instanceof IntegrityError) await this.delete(key).catch(() => undefined);
      throw err;
    }
    return result;
  }

  /**
   * A conditional PutObject (`If-None-Match: *`): AWS S3, R2, GCS and current MinIO refuse it
   * with 412 when the key exists. Stores that ignore the header (s3rver, older MinIO) are
   * covered only by the HEAD before it, a check-then-write with a narrow race.
   */
  async createExclusive(key: string, body: Buffer): Promise<boolean> {
    checkKey(key, this.displayUrl);
    if (await this.stat(key)) return false;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.settings.prefix + key,
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      // 412: someone else's object is there; 409: a concurrent conditional write is in flight.
      if (status === 412 || status === 409 || e.name === 'PreconditionFailed') return false;
      throw this.fail(err, `create ${key}`);
    }
  }

  async get(key: string, options?: GetOptions): Promise<Readable> {
    checkKey(key, this.displayUrl);
    try {
      const response = await this.readClient.send(
        new GetObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.settings.prefix + key,
          ...(options?.offset ? { Range: `bytes=${options.offset}-` } : {}),
        }),
        options?.signal ? { abortSignal: options.signal } : {},
      );
      const stream = response.Body;
      const body =
        stream instanceof Readable
          ? stream
          : Readable.from(stream ? [Buffer.from(await stream.transformToByteArray())] : []);
      return expectLength(
        body,
        response.ContentLength,
        `${this.displayUrl} ${key}`,
        (err) => this.fail(err, `get ${key}`),
        options?.offset ?? 0,
      );
    } catch (err) {
      throw this.fail(err, `get ${key}`);
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    checkKey(key, this.displayUrl);
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.settings.prefix + key }),
      );
      const info: ObjectInfo = {
        key,
        size: head.ContentLength ?? 0,
        modified: head.LastModified ?? new Date(0),
      };
      const sha256 = head.Metadata?.[SHA256_METADATA];
      if (sha256 && /^[0-9a-f]{64}$/.test(sha256)) info.sha256 = sha256;
      return info;
    } catch (err) {
      const failure = this.fail(err, `stat ${key}`);
      if (failure instanceof StorageError && failure.notFound) return undefined;
      throw failure;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkPrefix(prefix, this.displayUrl);
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.settings.bucket,
            Prefix: this.settings.prefix + prefix,
            ContinuationToken: token,
          }),
        );
        for (const o of page.Contents ?? []) {
          if (!o.Key || !o.Key.startsWith(this.settings.prefix)) continue;
          const key = o.Key.slice(this.settings.prefix.length);
          // Folder markers made by consoles are not objects.
          if (key === '' || key.endsWith('/')) continue;
          out.push({ key, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      throw this.fail(err, `list ${prefix || '(all)'}`);
    }
    return out;
  }

  async delete(key: string, options?: { signal?: AbortSignal }): Promise<void> {
    checkKey(key, this.displayUrl);
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.settings.prefix + key }),
        options?.signal ? { abortSignal: options.signal } : {},
      );
    } catch (err) {
      const failure = this.fail(err, `delete ${key}`);
      // GCS answers 404 for a missing key where S3 answers 204.
      if (failure instanceof StorageError && failure.notFound) return;
      throw failure;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.readClient.destroy();
  }

  /**
   * lib-storage's abort() leaves the multipart upload for after its in-flight parts, which a
   * cancel has just cut off, so it never happens: abort it here, on the unaborted client.
   */
  private async abortMultipart(upload: Upload, key: string): Promise<void> {
    const uploadId = (upload as unknown as { uploadId?: string }).uploadId;
    if (!uploadId) return;
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.settings.bucket,
          Key: this.settings.prefix + key,
          UploadId: uploadId,
        }),
      );
    } catch (err) {
      this.log.warn(
        `${this.displayUrl}: could not abort the incomplete upload of ${key} (${messageOf(err)}); ` +
          'it is not listed, and a lifecycle rule "AbortIncompleteMultipartUpload" removes its parts',
      );
    }
  }

  private aborted(key: string, signal: AbortSignal): StorageError {
    return new StorageError(`upload of ${key} to ${this.displayUrl} was aborted`, {
      cause: signal.reason,
    });
  }

  /** SDK error → StorageError with a hint a person can act on. */
  private fail(err: unknown, doing: string): LifeboatError {
    if (err instanceof LifeboatError) return err;
    const e = (err ?? {}) as {
      name?: string;
      Code?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const code = e.Code ?? e.name ?? 'Error';
    const status = e.$metadata?.httpStatusCode;
    const text =
      e.message && e.message !== 'UnknownError'
        ? e.message
        : (status && httpReason(status)) || code;
    const at = this.settings.endpoint ? ` at ${this.settings.endpoint}` : '';
    const message = `${doing} on ${this.displayUrl}${at} failed: ${code}${status ? ` (HTTP ${status})` : ''}: ${text}`;
    const { bucket } = this.settings;
    const where = this.settings.endpoint ?? `AWS region ${this.settings.region}`;
    if (code === 'NoSuchBucket') {
      return new StorageError(message, {
        cause: err,
        hint: `bucket '${bucket}' does not exist at ${where}: create it, or check the bucket name, {{option:s3-endpoint}} and {{option:s3-region}}`,
      });
    }
    if (CREDENTIAL_CODES.has(code) || status === 401 || status === 403) {
      return new StorageError(message, {
        cause: err,
        reason: 'denied',
        hint: credentialsHint(this.settings),
      });
    }
    if (code === 'CredentialsProviderError') {
      return new StorageError(
        `${doing} on ${this.displayUrl} failed: no credentials found (${text})`,
        {
          cause: err,
          reason: 'denied',
          hint: credentialsHint(this.settings),
        },
      );
    }
    if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || status === 301) {
      return new StorageError(message, {
        cause: err,
        hint: `bucket '${bucket}' lives in another region: set {{option:s3-region}} (or ?region=) to the bucket's region`,
      });
    }
    if (/Exceeded \d+ parts/.test(text)) {
      return new StorageError(message, {
        cause: err,
        hint: 'the archive outgrew 10,000 upload parts: set {{option:expected-size}} (e.g. {{option:expected-size=200GB}}) so larger parts are used',
      });
    }
    if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) {
      return new StorageError(message, { cause: err, notFound: true });
    }
    return new StorageError(message, { cause: err, ...classifyNodeError(err) });
  }
}

export const s3Storage: StorageFactory = {
  schemes: ['s3', 'gs'],
  create(url: string, ctx: StorageContext): Storage {
    return new S3Storage(s3Settings(url, ctx), ctx.log);
  },
};

/** The client with every request tied to `signal`, so a cancel also cuts parts in flight. */
export function withAbortSignal(client: S3Client, signal: AbortSignal): S3Client {
  const bound = Object.create(client) as S3Client;
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  bound.send = ((command: unknown, options?: object) =>
    send(command, { ...options, abortSignal: signal })) as S3Client['send'];
  return bound;
}
