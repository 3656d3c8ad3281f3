import { setTimeout as delay } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { LifeboatError, StorageError, isTransient, type StorageFailure } from '../core/errors.ts';
import { formatDuration, redactUrl, silentLogger, type Logger } from '../core/log.ts';
import { TruncatedRead } from './body.ts';
import type { GetOptions, ObjectInfo, PutOptions, PutResult, Storage } from './types.ts';

export interface RetryOptions {
  /** Tries in all, the first included (default 5). */
  attempts?: number;
  /** Backoff cap of the first retry; it doubles for each further one (default 500 ms). */
  baseDelayMs?: number;
  /** Upper bound of any single backoff (default 20 s). */
  maxDelayMs?: number;
  log?: Logger;
  /** Injected by tests so no real time passes. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected by tests to pin the jitter; returns [0, 1). */
  random?: () => number;
}

/**
 * Wraps a backend so operations that fail with a transient StorageError are tried again with
 * exponential backoff and full jitter (restic's RetryBackend); permanent errors fail at once.
 *
 * - stat, list, delete and createExclusive are retried whole.
 * - get retries opening the object, and a read cut off by a transient error (a reset
 *   connection) is resumed where it stopped with a ranged get (`offset`), so the reader sees
 *   one unbroken stream. Any other failure while reading reaches the reader as a classified
 *   StorageError, the same on every backend; checksums stay the reader's to verify.
 * - put cannot read a consumed stream twice, so it is retried only when the failed attempt had
 *   not taken a single byte of the body (a refused connection, a failed auth round trip
 *   before the upload). Once bytes have flowed the error is final: streaming backends retry
 *   their own parts (the S3 SDK resends each multipart part it holds in memory).
 */
export function withRetry(storage: Storage, options: RetryOptions = {}): Storage {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const log = options.log ?? silentLogger;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;

  async function retrying<T>(
    what: string,
    operation: () => Promise<T>,
    mayRetry: () => boolean = () => true,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (err) {
        if (!isTransient(err) || signal?.aborted || !mayRetry()) throw err;
        if (attempt >= attempts) throw gaveUp(err as StorageError, attempts);
        const wait = Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
        log.warn(
          `${storage.displayUrl}: ${what} failed (${safeMessage(err)}); ` +
            `retry ${attempt} of ${attempts - 1} in ${formatDuration(wait)}`,
        );
        await sleep(wait);
      }
    }
  }

  const wrapped: Storage = {
    displayUrl: storage.displayUrl,
    capabilities: storage.capabilities,
    put(key: string, body: Readable, putOptions?: PutOptions): Promise<PutResult> {
      const source = new UntouchedBody(body);
      return retrying(
        `put ${key}`,
        async () => {
          try {
            return await storage.put(key, source.attempt(), putOptions);
          } finally {
            source.release();
          }
        },
        () => !source.consumed,
        putOptions?.signal,
      );
    },
    async get(key: string, getOptions?: GetOptions): Promise<Readable> {
      const signal = getOptions?.signal;
      const open = (offset: number) =>
        retrying(
          `get ${key}`,
          () => storage.get(key, offset ? { ...getOptions, offset } : getOptions),
          undefined,
          signal,
        );
      const start = getOptions?.offset ?? 0;
      const first = await open(start);
      const where = `${storage.displayUrl}: reading ${key}`;
      async function* resuming(): AsyncGenerator<Buffer> {
        let offset = start;
        let current = first;
        let lastFailureAt = -1;
        // Where the object ends, once a truncated read has said: a resumed read must get there.
        let end: number | undefined;
        for (let failures = 0; ;) {
          try {
            for await (const chunk of current) {
              offset += (chunk as Buffer).length;
              yield chunk as Buffer;
            }
            if (end !== undefined && offset < end) {
              throw new TruncatedRead(
                `${where}: the object now ends at byte ${offset}, not ${end} (truncated)`,
                end,
              );
            }
            return;
          } catch (err) {
            if (err instanceof TruncatedRead && err.end !== undefined) end ??= err.end;
            const failure = toStorageError(err, `${where} failed at byte ${offset}`);
            if (!isTransient(failure) || signal?.aborted) throw failure;
            // Each cut that made progress since the last one starts a fresh count.
            if (offset > lastFailureAt) failures = 0;
            lastFailureAt = offset;
            if (++failures >= attempts) throw gaveUp(failure as StorageError, attempts);
            const wait = Math.floor(
              random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1)),
            );
            log.warn(
              `${where} was cut off at byte ${offset} (${safeMessage(err)}); ` +
                `resuming from there, retry ${failures} of ${attempts - 1} in ${formatDuration(wait)}`,
            );
            await sleep(wait);
            current = await open(offset);
          }
        }
      }
      return Readable.from(resuming(), { objectMode: false });
    },
    createExclusive(key: string, body: Buffer): Promise<boolean> {
      return retrying(`create ${key}`, () => storage.createExclusive(key, body));
    },
    stat(key: string): Promise<ObjectInfo | undefined> {
      return retrying(`stat ${key}`, () => storage.stat(key));
    },
    list(prefix: string): Promise<ObjectInfo[]> {
      return retrying(`list ${prefix || '(all)'}`, () => storage.list(prefix));
    },
    delete(key: string, options?: { signal?: AbortSignal }): Promise<void> {
      return retrying(
        `delete ${key}`,
        () => storage.delete(key, options),
        undefined,
        options?.signal,
      );
    },
  };
  if (storage.close) wrapped.close = () => storage.close!();
  if (storage.beginGroup) wrapped.beginGroup = (group) => storage.beginGroup!(group);
  return wrapped;
}

function gaveUp(err: StorageError, attempts: number): StorageError {
  return new StorageError(`${err.message} (gave up after ${attempts} attempts)`, {
    cause: err,
    transient: true,
    notFound: err.notFound,
    reason: err.reason,
    hint: err.hintTemplate ?? 'the store kept failing; check its status and run again',
  });
}

/** Error text for a log line: URLs lose passwords and signature/credential query values. */
function safeMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => redactUrl(url));
}

/**
 * Hands one body to successive put attempts for as long as none of them has read a byte of
 * it. Each attempt gets a fresh stream that pulls from the body only when read, so a failed
 * attempt that never read leaves the body as it was for the next one.
 */
class UntouchedBody {
  consumed = false;
  private readonly source: Readable;
  private detach: (() => void) | undefined;

  constructor(source: Readable) {
    this.source = source;
  }

  attempt(): Readable {
    this.release();
    const source = this.source;
    let wanted = false;
    const pump = () => {
      while (wanted) {
        const chunk: unknown = source.read();
        if (chunk === null) return;
        this.consumed = true;
        wanted = out.push(chunk);
      }
    };
    const onEnd = () => {
      detach();
      out.push(null);
    };
    const onError = (err: Error) => {
      detach();
      out.destroy(err);
    };
    const detach = () => {
      source.off('readable', pump);
      source.off('end', onEnd);
      source.off('error', onError);
    };
    const out = new Readable({
      read() {
        wanted = true;
        pump();
      },
      destroy(err, callback) {
        detach();
        callback(err);
      },
    });
    this.detach = detach;
    // The body may fail before the backend starts reading (a dump that fails at once); the
    // backend still sees the error when it reads, so an unheard 'error' must not crash the run.
    out.on('error', () => undefined);
    if (source.errored) {
      out.destroy(source.errored);
    } else if (source.readableEnded) {
      out.push(null);
    } else if (source.destroyed) {
      out.destroy(new StorageError('the body stream was destroyed before the upload'));
    } else {
      source.on('readable', pump);
      source.on('end', onEnd);
      source.on('error', onError);
    }
    return out;
  }

  release(): void {
    this.detach?.();
    this.detach = undefined;
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EBUSY',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_HTTP2_STREAM_ERROR',
]);
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalError',
]);
const NOT_FOUND_CODES = new Set(['ENOENT', 'NoSuchKey', 'NotFound', 'BlobNotFound']);
const DENIED_CODES = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'AuthorizationFailure',
  'AuthorizationPermissionMismatch',
  'AuthenticationFailed',
  'InvalidAuthenticationInfo',
]);
/** A response or stream that ended before its announced length. */
const TRUNCATED_CODES = new Set([
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNABORTED',
]);
const UNAVAILABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalError',
]);

/** How classifyNodeError sorts an error: retry it?, is it missing?, and its class. */
export interface Classified {
  transient: boolean;
  notFound: boolean;
  reason: StorageFailure;
}

const PERMANENT: Classified = { transient: false, notFound: false, reason: 'other' };

/**
 * Sorts an error from Node, an HTTP client or an SDK into "retry it", "it is not there" and a
 * StorageFailure class, so every backend maps failures the same way. Looks through `cause`
 * chains. Not found: ENOENT, HTTP 404. Denied: HTTP 401/403, EACCES/EPERM/EROFS, the SDKs'
 * credential and permission codes (permanent). Truncated: a stream or response that ended
 * early (transient: a read resumes). Network: network errnos (ECONNRESET, ETIMEDOUT, EPIPE,
 * EAI_AGAIN, …) and timeouts (transient). Unavailable: HTTP 408, 429 and 5xx (but 501), SDK
 * throttling (transient). All else: permanent 'other'.
 */
export function classifyNodeError(err: unknown): Classified {
  if (err instanceof StorageError)
    return { transient: err.transient, notFound: err.notFound, reason: err.reason };
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const e = current as Record<string, unknown>;
    const status = httpStatusOf(e);
    const code = typeof e['code'] === 'string' ? e['code'] : undefined;
    const name = typeof e['name'] === 'string' ? e['name'] : undefined;
    if (name === 'AbortError') return PERMANENT;
    if (
      status === 404 ||
      (code && NOT_FOUND_CODES.has(code)) ||
      (name && NOT_FOUND_CODES.has(name))
    ) {
      return { transient: false, notFound: true, reason: 'not-found' };
    }
    if (
      status === 401 ||
      status === 403 ||
      (code && DENIED_CODES.has(code)) ||
      (name && DENIED_CODES.has(name))
    ) {
      return { transient: false, notFound: false, reason: 'denied' };
    }
    if ((code && TRUNCATED_CODES.has(code)) || (name && TRUNCATED_CODES.has(name))) {
      return { transient: true, notFound: false, reason: 'truncated' };
    }
    if (
      status === 408 ||
      status === 429 ||
      (status !== undefined && status >= 500 && status !== 501) ||
      (name && UNAVAILABLE_NAMES.has(name))
    ) {
      return { transient: true, notFound: false, reason: 'unavailable' };
    }
    if ((code && TRANSIENT_CODES.has(code)) || (name && TRANSIENT_NAMES.has(name))) {
      return { transient: true, notFound: false, reason: 'network' };
    }
    const retryable = e['$retryable'];
    if (retryable && typeof retryable === 'object')
      return { transient: true, notFound: false, reason: 'unavailable' };
    current = e['cause'];
  }
  return PERMANENT;
}

function httpStatusOf(e: Record<string, unknown>): number | undefined {
  const metadata = e['$metadata'] as { httpStatusCode?: unknown } | undefined;
  const response = e['$response'] as { statusCode?: unknown } | undefined;
  for (const v of [metadata?.httpStatusCode, e['statusCode'], e['status'], response?.statusCode]) {
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  }
  return undefined;
}

/**
 * Wraps any failure as a StorageError classified by classifyNodeError. Lifeboat's own errors
 * (an IntegrityError, a SourceError from the body) pass through unchanged.
 */
export function toStorageError(err: unknown, doing: string, hint?: string): LifeboatError {
  if (err instanceof LifeboatError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StorageError(`${doing}: ${message}`, { cause: err, ...classifyNodeError(err), hint });
}
