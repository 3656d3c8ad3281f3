/**
 * What an option declaration is. Kernel-level and import-free on purpose: every source and
 * storage driver declares its own options in an `options.ts` beside its code using only this
 * file, so the registries can collect them into the one schema (src/options/schema.ts) at
 * start-up without loading any driver or its client library.
 */
export const COMMANDS = [
  'backup',
  'restore',
  'verify',
  'list',
  'prune',
  'status',
  'drill',
  'report',
] as const;
export type Command = (typeof COMMANDS)[number];

/** Every command that reads or writes backups: all of them. */
export const DATA_COMMANDS: readonly Command[] = COMMANDS;

export type OptionType = 'string' | 'lines' | 'number' | 'boolean' | 'enum';

export interface OptionSpec {
  name: string;
  type: OptionType;
  description: string;
  /** Default as the user would type it; undefined = no default. */
  default?: string;
  /** Accepted values for enums. */
  values?: readonly string[];
  /** Commands that read it; 'all' for every command. */
  commands: readonly Command[] | 'all';
  /** Masked everywhere, never echoed. */
  secret?: boolean;
  /** Lines of a secret `lines` option that are keywords, not secrets (never masked). */
  publicLines?: readonly string[];
  /** Default written into action.yml only (an expression the runner evaluates). */
  actionDefault?: string;
  /** Shown in docs under this heading. */
  group: 'main' | 'retention' | 'encryption' | 'sources' | 'storage' | 'monitoring';
}
