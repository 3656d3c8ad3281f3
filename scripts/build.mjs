// Builds dist/: TypeScript → build/ (tsc), then one self-contained bundle per entry with ncc:
// dist/index.js (the action) and dist/cli.js (the `lifeboat` CLI). ncc never sees TypeScript,
// so the bundles do not depend on which TypeScript versions ncc supports.
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

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const bin = (name) => join('node_modules', '.bin', name);

rmSync('build', { recursive: true, force: true });
run(process.execPath, [
  join('node_modules', 'typescript', 'bin', 'tsc'),
  '-p',
  'tsconfig.build.json',
]);

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
for (const [entry, out] of [
  ['build/src/action/index.js', 'index.js'],
  ['build/src/cli/index.js', 'cli.js'],
]) {
  const tmp = join('build', 'ncc', out.replace(/\.js$/, ''));
  run(process.execPath, [
    join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js'),
    'build',
    entry,
    '-o',
    tmp,
    '--license',
    'licenses.txt',
    '--quiet',
  ]);
  const files = readdirSync(tmp);
  const main = files.find((f) => f === 'index.js' || f === 'index.mjs');
  if (!main) throw new Error(`ncc produced no bundle for ${entry}: ${files.join(', ')}`);
  let code = readFileSync(join(tmp, main), 'utf8');
  if (out === 'cli.js' && !code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`;
  writeFileSync(join('dist', out), code);
  if (out === 'cli.js') chmodSync(join('dist', out), 0o755);
  for (const f of files) {
    if (f === main) continue;
    if (f === 'licenses.txt')
      cpSync(join(tmp, f), join('dist', out === 'index.js' ? 'licenses.txt' : 'cli-licenses.txt'));
    else cpSync(join(tmp, f), join('dist', f), { recursive: true });
  }
}
writeFileSync(join('dist', 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');
void bin;
