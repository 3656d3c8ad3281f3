import type { OptionSpec } from '../../core/option-spec.ts';
import { collectionSuffixOption } from '../chroma/options.ts';

/** The Qdrant source's options: only the restore suffix it shares with Chroma. */
export const qdrantOptions = [collectionSuffixOption] as const satisfies readonly OptionSpec[];
