/**
 * The catalog commands, one module each: list (list.ts), prune (prune.ts), status (status.ts),
 * and what they share (good-backups.ts, backup-index.ts); verify is verify.ts.
 * Re-exported here for the modules that import them from their old home.
 */
export { isConfirmedBackup } from './good-backups.ts';
export { listCommand, toRow } from './list.ts';
export { pruneCommand, pruneSet } from './prune.ts';
export { statusCheck, statusCommand } from './status.ts';
