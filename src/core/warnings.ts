/**
 * node:sqlite prints "SQLite is an experimental feature" on first use; in a backup log that
 * reads like a problem with the user's database. Drop that one warning and keep every other.
 */
export function quietExperimentalSqliteWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const text = warning instanceof Error ? warning.message : String(warning);
    if (/SQLite is an experimental feature/.test(text)) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
