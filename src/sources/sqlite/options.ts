import type { OptionSpec } from '../../core/option-spec.ts';

/** The SQLite source has no options of its own; it declares its options here when it does. */
export const sqliteOptions = [] as const satisfies readonly OptionSpec[];
