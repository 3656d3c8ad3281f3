// Builds dist/: TypeScript → build/ (tsc), then one self-contained ncc bundle (src/faces.ts)
// behind two entry shims: dist/index.js (the action) and dist/cli.js (the `lifeboat` CLI). ncc
// never sees TypeScript, so the bundle does not depend on which TypeScript versions ncc supports.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
  readFileSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';

const ESM_PRELUDE =
  "import { fileURLToPath as __lifeboatFileURLToPath } from 'node:url';\n" +
  "import { dirname as __lifeboatDirname } from 'node:path';\n" +
  'globalThis.__filename ??= __lifeboatFileURLToPath(import.meta.url);\n' +
  'globalThis.__dirname ??= __lifeboatDirname(globalThis.__filename);\n';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

rmSync('build', { recursive: true, force: true });
run(process.execPath, [
  join('node_modules', 'typescript', 'bin', 'tsc'),
  '-p',
  'tsconfig.build.json',
]);

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
// One bundle in dist/lifeboat/ (its lazily loaded chunks beside it), started by two one-line
// shims: dist/index.js (action.yml's main) and dist/cli.js (the `lifeboat` bin).
const tmp = join('build', 'ncc');
run(process.execPath, [
  join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js'),
  'build',
  'build/src/faces.js',
  '-o',
  tmp,
  '--license',
  'licenses.txt',
  '--quiet',
]);
const files = readdirSync(tmp);
if (!files.includes('index.js')) throw new Error(`ncc produced no index.js: ${files.join(', ')}`);
const bundle = join('dist', 'lifeboat');
mkdirSync(bundle, { recursive: true });
for (const f of files) cpSync(join(tmp, f), join(bundle, f), { recursive: true });
// Some bundled CommonJS code (ssh2's asm.js crypto) reads __dirname, which ESM lacks.
const main = join(bundle, 'index.js');
writeFileSync(main, ESM_PRELUDE + readFileSync(main, 'utf8').replace(/^#!.*\n/, ''));
writeFileSync(
  join('dist', 'index.js'),
  "import { faces } from './lifeboat/index.js';\nawait faces.action();\n",
);
writeFileSync(
  join('dist', 'cli.js'),
  "#!/usr/bin/env node\nimport { faces } from './lifeboat/index.js';\nawait faces.cli();\n",
);
chmodSync(join('dist', 'cli.js'), 0o755);
writeFileSync(join('dist', 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');
