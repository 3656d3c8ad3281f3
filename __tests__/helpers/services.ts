/**
 * One rule for every server and tool a test needs. Under CI=true a missing one fails the run
 * (the machine must provide it: the session's services, or what .ci/run installs); elsewhere
 * the test is skipped and says why. No assertion ever passes because something is missing.
 */
export const underCi = process.env['CI'] === 'true';

/** The services this machine runs before every session and CI run (see README). */
export const LOCAL_POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;
export const LOCAL_MYSQL = { host: '127.0.0.1', port: 3306, user: 'root' } as const;
export const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 } as const;

/**
 * Something a test needs is not here: returns the reason to skip with, or under CI throws it.
 */
export function unavailable(what: string, cause?: unknown): string {
  const detail =
    cause === undefined ? '' : `: ${cause instanceof Error ? cause.message : String(cause)}`;
  const reason = `${what} is not available${detail}`;
  if (underCi) throw new Error(`${reason} (required when CI=true)`, { cause });
  return reason;
}

/** Connects (or starts) a service; undefined when it is not here, an error under CI. */
export async function connectOrSkip<T>(
  what: string,
  connect: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await connect();
  } catch (err) {
    unavailable(what, err);
    return undefined;
  }
}
