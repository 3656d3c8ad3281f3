/**
 * The one bundle's entry: dist/index.js (the action) and dist/cli.js (the CLI) are one-line
 * shims that each start their own face, so both share every chunk instead of shipping two
 * bundles of the same code.
 */
export const faces = {
  action: () => import('./action/index.ts'),
  cli: () => import('./cli/index.ts'),
};
