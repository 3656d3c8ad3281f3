import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const src = (path: string) => new URL(`../../src/${path}`, import.meta.url).href;

/**
 * Imports the given modules (and runs `then`, an expression, afterwards) in a fresh Node, and
 * returns every package file that was resolved meanwhile.
 */
async function packagesLoaded(modules: string[], then = ''): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const r = next(specifier, context);
        seen.add(r.url);
        return r;
      },
    });
    const loaded = [];
    for (const m of ${JSON.stringify(modules)}) loaded.push(await import(m));
    ${then}
    console.log(JSON.stringify([...seen].filter((u) => u.includes('/node_modules/'))));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as string[];
}

const HEAVY = /\/node_modules\/(mysql2|pg|@qdrant)\//;

describe('heavy client libraries load only when connecting', () => {
  test('parsing URLs, planning drill scratch targets and loading the registry load none', async () => {
    const loaded = await packagesLoaded([
      src('sources/registry.ts'),
      src('drill/scratch.ts'),
      src('sources/consistency.ts'),
      src('sources/mysql/url.ts'),
      src('sources/postgres/url.ts'),
      src('sources/redis/url.ts'),
      src('sources/sqlite/path.ts'),
      src('sources/dir/path.ts'),
    ]);
    assert.deepEqual(
      loaded.filter((u) => HEAVY.test(u)),
      [],
    );
  });

  test('the mysql driver module loads no mysql2 until connect() runs (and then it does)', async () => {
    const before = await packagesLoaded([src('sources/mysql/index.ts')]);
    assert.deepEqual(
      before.filter((u) => HEAVY.test(u)),
      [],
    );
    // Control: the probe does see mysql2 once a connection is attempted (to a closed port).
    const after = await packagesLoaded(
      [src('sources/mysql/connection.ts'), src('core/log.ts')],
      `
      const { connect } = loaded[0];
      const { Redactor } = loaded[1];
      const target = { host: '127.0.0.1', port: 1, user: 'nobody', password: undefined,
        socket: undefined, database: undefined, displayUrl: 'mysql://127.0.0.1:1' };
      const ctx = { redactor: new Redactor(), log: { info() {}, warn() {}, debug() {} }, env: {} };
      await connect(target, 'source', ctx).then(
        () => { throw new Error('connected to port 1'); },
        () => {},
      );
      `,
    );
    assert.ok(
      after.some((u) => /\/node_modules\/mysql2\//.test(u)),
      'mysql2 is loaded by connect()',
    );
  });
  test('the postgres driver module loads no pg until connect() runs (and then it does)', async () => {
    const before = await packagesLoaded([src('sources/postgres/index.ts')]);
    assert.deepEqual(
      before.filter((u) => HEAVY.test(u)),
      [],
    );
    // Control: the probe does see pg once a connection is attempted (to a closed port).
    const after = await packagesLoaded(
      [src('sources/postgres/url.ts'), src('sources/postgres/connection.ts'), src('core/log.ts')],
      `
      const { parsePgUrl } = loaded[0];
      const { connect } = loaded[1];
      const { Redactor } = loaded[2];
      const conn = parsePgUrl('postgres://nobody@127.0.0.1:1/nothing', 'source', {});
      const ctx = { redactor: new Redactor(), log: { info() {}, warn() {}, debug() {} }, env: {} };
      await connect(conn, 'source', ctx).then(
        () => { throw new Error('connected to port 1'); },
        () => {},
      );
      `,
    );
    assert.ok(
      after.some((u) => /\/node_modules\/pg\//.test(u)),
      'pg is loaded by connect()',
    );
  });
});
