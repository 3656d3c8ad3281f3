/**
 * Typed errors. Engine code throws these; only the faces (action, CLI) turn them into exit
 * codes or `setFailed`. Integrity errors are always fatal.
 */
import { renderOptionRefs, type OptionSyntax } from './option-ref.ts';

export type ErrorKind = 'config' | 'source' | 'storage' | 'integrity' | 'freshness' | 'cancelled';

export abstract class LifeboatError extends Error {
  abstract readonly kind: ErrorKind;
  /** A short hint telling the person what to do next, shown after the message. */
  readonly hint: string | undefined;
  /** The hint with its option references unrendered (see option-ref.ts), for the faces. */
  readonly hintTemplate: string | undefined;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hintTemplate = options?.hint;
    this.hint = options?.hint === undefined ? undefined : renderOptionRefs(options.hint);
  }
}

/** Bad input: an option, a URL, a missing tool. Exit code 2. */
export class ConfigError extends LifeboatError {
  readonly kind = 'config' as const;
  readonly option: string | undefined;
  constructor(
    option: string | undefined,
    message: string,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(option ? `${option}: ${message}` : message, options);
    this.option = option;
  }
}

/** A source could not be dumped or restored (server down, dump tool failed, …). Exit code 1. */
export class SourceError extends LifeboatError {
  readonly kind = 'source' as const;
}

/**
 * What a storage failure was, classified the same way on every backend (the storage contract in
 * src/storage/types.ts): the object is not there; the store refused access (credentials,
 * permissions); a read ended before the object's last byte; the network failed (reset,
 * refused, timed out); the store is busy or failing (throttling, 5xx); anything else.
 */
export type StorageFailure =
  'not-found' | 'denied' | 'truncated' | 'network' | 'unavailable' | 'other';

/** A storage operation failed. `transient` errors may be retried; others fail at once. Exit 1. */
export class StorageError extends LifeboatError {
  readonly kind = 'storage' as const;
  readonly transient: boolean;
  readonly notFound: boolean;
  /** The failure's class; derived from notFound/transient when the thrower did not say. */
  readonly reason: StorageFailure;
  constructor(
    message: string,
    options?: {
      cause?: unknown;
      hint?: string;
      transient?: boolean;
      notFound?: boolean;
      reason?: StorageFailure;
    },
  ) {
    super(message, options);
    this.reason =
      options?.reason ??
      (options?.notFound ? 'not-found' : options?.transient ? 'network' : 'other');
    this.notFound = options?.notFound ?? this.reason === 'not-found';
    this.transient = options?.transient ?? false;
  }
}

/** A checksum, size or structure did not match: the backup cannot be trusted. Exit code 3. */
export class IntegrityError extends LifeboatError {
  readonly kind = 'integrity' as const;
}

/** The newest backup is older than the schedule allows (missed runs, RPO breached). Exit 1. */
export class FreshnessError extends LifeboatError {
  readonly kind = 'freshness' as const;
}

/** The run was cancelled by SIGINT/SIGTERM. Exit 130 or 143, as a shell reports those signals. */
export class CancelledError extends LifeboatError {
  readonly kind = 'cancelled' as const;
  readonly signal: 'SIGINT' | 'SIGTERM';
  /** `stage` says what had already happened, e.g. that the backup was stored. */
  constructor(signal: 'SIGINT' | 'SIGTERM', stage?: string) {
    super(`cancelled (${signal} received)${stage ? `: ${stage}` : ''}`);
    this.signal = signal;
  }
  get exitCode(): number {
    return this.signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm;
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof StorageError && err.notFound;
}

export function isTransient(err: unknown): boolean {
  return err instanceof StorageError && err.transient;
}

/** Exit codes shared by the CLI and the action's tests. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  config: 2,
  integrity: 3,
  sigint: 130,
  sigterm: 143,
} as const;

export function exitCodeFor(err: unknown): number {
  if (err instanceof ConfigError) return ExitCode.config;
  if (err instanceof IntegrityError) return ExitCode.integrity;
  if (err instanceof CancelledError) return err.exitCode;
  return ExitCode.failure;
}

/** The one line a person reads: message, then the hint if any, options named in `syntax`. */
export function describeError(err: unknown, syntax?: OptionSyntax): string {
  return renderOptionRefs(describeErrorTemplate(err), syntax);
}

/**
 * The same line with its option references left for the face to render: what the engine
 * writes into its own log lines and into messages that wrap another error.
 */
export function describeErrorTemplate(err: unknown): string {
  if (err instanceof LifeboatError) {
    return err.hintTemplate ? `${err.message}\n  fix: ${err.hintTemplate}` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
