/**
 * Messages and hints name options the way each face spells them: `overwrite: true` in a
 * workflow, `--overwrite` on a command line. Engine code writes `optionRef('overwrite', 'true')`
 * into the text; each face renders the references with its own syntax.
 */
const REF = /\{\{option:([a-z0-9-]+)(?:=([^}]*))?\}\}/g;

export function optionRef(name: string, value?: string): string {
  return value === undefined ? `{{option:${name}}}` : `{{option:${name}=${value}}}`;
}

export type OptionSyntax = (name: string, value: string | undefined) => string;

/** The action's inputs, as written under `with:`. */
export const actionSyntax: OptionSyntax = (name, value) =>
  value === undefined ? `the ${name} input` : `${name}: ${value}`;

export function renderOptionRefs(text: string, syntax: OptionSyntax = actionSyntax): string {
  return text.replace(REF, (_, name: string, value: string | undefined) => syntax(name, value));
}
