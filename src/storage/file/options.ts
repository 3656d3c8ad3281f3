import type { OptionSpec } from '../../core/option-spec.ts';

/** The `file:` storage backend has no options of its own; it declares its options here when it does. */
export const fileOptions = [] as const satisfies readonly OptionSpec[];
