import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// The schema is the source of the option types: `npm run typecheck` must refuse a misspelt
// option name, in the accessors and in `options.values`, and accept the right one.
const TSC = resolve('node_modules/typescript/bin/tsc');

async function typecheck(body: string): Promise<{ code: number | null; out: string }> {
  // Inside the repository, so the file's imports and the project's compiler options apply.
  const dir = await mkdtemp(resolve('build-typecheck-'));
  try {
    await writeFile(
      join(dir, 'check.ts'),
      "import { str, num, type Options } from '../src/options/parse.ts';\n" +
        'export function check(options: Options): unknown {\n' +
        body +
        '\n}\n',
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        include: ['check.ts'],
        compilerOptions: { noEmit: true },
      }),
    );
    const r = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a misspelt option name is a compile error; the right one compiles with its type', async () => {
  const good = await typecheck(
    "  const days: number | undefined = options.values['keep-daily'];\n" +
      "  return [days, str(options, 'destination'), num(options, 'keep-last')];",
  );
  assert.equal(good.code, 0, good.out);

  const accessor = await typecheck("  return str(options, 'destinaton');");
  assert.notEqual(accessor.code, 0);
  assert.match(accessor.out, /check\.ts.*error TS2345.*'"destinaton"'/s);

  const value = await typecheck("  return options.values['keep-dialy'];");
  assert.notEqual(value.code, 0);
  assert.match(value.out, /check\.ts.*error TS\d+.*keep-dialy/s);

  const wrongType = await typecheck(
    "  const n: number | undefined = options.values['destination'];\n  return n;",
  );
  assert.notEqual(wrongType.code, 0, 'a lines option is string[], not a number');
  assert.match(wrongType.out, /check\.ts.*error TS2322/s);
});

test("a driver's own option, declared beside its driver, is typed the same way", async () => {
  // jobs (a whole number or auto): src/sources/postgres/options.ts; s3-region: src/storage/s3/options.ts; both reach
  // OptionValues through their registry line.
  const good = await typecheck(
    "  const jobs: string | undefined = options.values['jobs'];\n" +
      "  const rehash: boolean | undefined = options.values['incremental-rehash'];\n" +
      "  return [jobs, rehash, str(options, 's3-region'), options.values['databases']?.join(',')];",
  );
  assert.equal(good.code, 0, good.out);

  const misspelt = await typecheck("  return str(options, 's3-regoin');");
  assert.notEqual(misspelt.code, 0);
  assert.match(misspelt.out, /check\.ts.*error TS2345.*'"s3-regoin"'/s);

  const wrongType = await typecheck(
    "  const n: number | undefined = options.values['s3-region'];\n  return n;",
  );
  assert.notEqual(wrongType.code, 0, 's3-region is a string, not a number');
  assert.match(wrongType.out, /check\.ts.*error TS2322/s);

  const lines = await typecheck(
    "  const s: string | undefined = options.values['databases'];\n  return s;",
  );
  assert.notEqual(lines.code, 0, 'databases (MySQL) is a lines option: string[]');
  assert.match(lines.out, /check\.ts.*error TS2322/s);
});
