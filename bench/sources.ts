/**
 * The other sources against their native pipelines, each in interleaved rounds: MariaDB
 * (`mariadb-dump | zstd`), SQLite (`sqlite3 .backup` + `zstd`), `dir:` (`tar -I 'zstd -1 -T2'`),
 * Redis (`redis-cli --rdb` + `zstd`, on a Redis server of the bench's own), and Redis logical
 * mode on one large value (the protocol parser's throughput).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  check,
  lifeboat,
  logRun,
  medianRun,
  mib,
  ratio,
  rssMiB,
  sec,
  sh,
  type Run,
} from './lib.ts';

const MiB = 2 ** 20;
const MARIA = { host: '127.0.0.1', port: 3306, user: 'root' };

interface Pair {
  source: string;
  data: string;
  native: string;
  nativeRun: Run;
  lifeboatRun: Run;
}

async function rounds(
  n: number,
  native: () => Promise<Run>,
  lb: () => Promise<Run>,
  label: string,
): Promise<{ nativeRun: Run; lifeboatRun: Run }> {
  const a: Run[] = [];
  const b: Run[] = [];
  for (let r = 0; r < n; r++) {
    const x = await native();
    logRun(`${label} native`, x);
    a.push(x);
    const y = await lb();
    logRun(`${label} lifeboat`, y);
    b.push(y);
  }
  return { nativeRun: medianRun(a), lifeboatRun: medianRun(b) };
}

function mariadb(sql: string, db?: string): Promise<void> {
  return new Promise((res, rej) => {
    const args = ['-h', MARIA.host, '-P', String(MARIA.port), '-u', MARIA.user];
    if (db) args.push(db);
    const child = spawn('mariadb', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`mariadb: ${err}`))));
    child.stdin.end(sql);
  });
}

async function benchMariadb(quick: boolean, n: number, work: string): Promise<Pair> {
  const rows = quick ? 400_000 : 2_000_000;
  const db = `lifeboat_bench_maria_${rows}_${randomBytes(3).toString('hex')}`;
  console.log(`MariaDB: generating ${rows.toLocaleString('en')} rows in ${db} …`);
  await mariadb(`CREATE DATABASE ${db}`);
  try {
    await mariadb(
      `CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, created_at DATETIME NOT NULL,
         status VARCHAR(16) NOT NULL, amount DECIMAL(12,2) NOT NULL, note TEXT, attrs JSON NOT NULL) ENGINE=InnoDB;
       INSERT INTO orders SELECT seq, 1 + (seq * 7919) % 200000,
         '2020-01-01' + INTERVAL seq * 17 SECOND, ELT(1 + seq % 6, 'new','paid','shipped','delivered','cancelled','refunded'),
         ((seq * 104729) % 10000000) / 100, IF(seq % 3 = 0, NULL, CONCAT(ELT(1 + seq % 5, 'leave at door','call before delivery','gift wrap please','fragile','express'), ' ', LEFT(MD5(seq), 6 + seq % 20))),
         JSON_OBJECT('sku', CONCAT('SKU-', (seq * 31) % 50000), 'qty', 1 + seq % 9, 'ref', MD5(seq * 29))
       FROM seq_1_to_${rows};`,
      db,
    );
    const env = { ...process.env, MYSQL_PWD: '' };
    const out = join(work, 'maria.sql.zst');
    const store = join(work, 'maria-store');
    const r = await rounds(
      n,
      () =>
        sh(
          `mariadb-dump -h ${MARIA.host} -P ${MARIA.port} -u ${MARIA.user} --single-transaction --routines --triggers --events --hex-blob ${db} | zstd -q -1 -T2 > '${out}'`,
          env,
          'mariadb-dump | zstd',
        ),
      async () => {
        await rm(store, { recursive: true, force: true });
        return lifeboat(
          [
            'backup',
            '--source',
            `mysql://${MARIA.user}@${MARIA.host}:${MARIA.port}/${db}`,
            '--destination',
            `file:${store}`,
            '--name',
            'bench',
          ],
          env,
        );
      },
      'mariadb',
    );
    const dumped = (await stat(out)).size;
    return {
      source: 'MariaDB',
      data: `${rows.toLocaleString('en')} rows of mixed types, ${mib(dumped)} compressed`,
      native: '`mariadb-dump --single-transaction … \\| zstd -1 -T2 > file`',
      ...r,
    };
  } finally {
    await mariadb(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
    await rm(join(work, 'maria-store'), { recursive: true, force: true });
  }
}

async function benchSqlite(quick: boolean, n: number, work: string): Promise<Pair> {
  const rows = quick ? 600_000 : 3_000_000;
  const file = join(work, 'bench.db');
  console.log(`SQLite: generating ${rows.toLocaleString('en')} rows …`);
  await sh(
    `sqlite3 '${file}' "PRAGMA journal_mode=WAL; CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INT, created_at TEXT, status TEXT, amount REAL, note TEXT, attrs TEXT);
     WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${rows})
     INSERT INTO orders SELECT n, 1 + (n * 7919) % 200000, datetime(1577836800 + n * 17, 'unixepoch'),
       CASE n % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'paid' WHEN 2 THEN 'shipped' ELSE 'delivered' END,
       ((n * 104729) % 10000000) / 100.0, CASE WHEN n % 3 = 0 THEN NULL ELSE 'leave at door ' || hex(randomblob(4 + n % 8)) END,
       json_object('sku', 'SKU-' || ((n * 31) % 50000), 'qty', 1 + n % 9, 'ref', hex(randomblob(12))) FROM g;"`,
    process.env,
    'sqlite generate',
  );
  const size = (await stat(file)).size;
  const copy = join(work, 'copy.db');
  const out = join(work, 'sqlite.db.zst');
  const store = join(work, 'sqlite-store');
  const r = await rounds(
    n,
    () =>
      sh(
        `sqlite3 '${file}' ".backup '${copy}'" && zstd -q -f -1 -T2 '${copy}' -o '${out}' && rm -f '${copy}'`,
        process.env,
        'sqlite3 .backup + zstd',
      ),
    async () => {
      await rm(store, { recursive: true, force: true });
      return lifeboat(
        [
          'backup',
          '--source',
          `sqlite:${file}`,
          '--destination',
          `file:${store}`,
          '--name',
          'bench',
        ],
        process.env,
      );
    },
    'sqlite',
  );
  await rm(file, { force: true });
  await rm(`${file}-wal`, { force: true });
  await rm(`${file}-shm`, { force: true });
  await rm(store, { recursive: true, force: true });
  return {
    source: 'SQLite',
    data: `${rows.toLocaleString('en')} rows, ${mib(size)} database file`,
    native: "`sqlite3 db '.backup copy'` + `zstd -1 -T2 copy`",
    ...r,
  };
}

const WORDS =
  'order customer payment invoice delivery warehouse product service account report status update request support ticket review price discount market region'.split(
    ' ',
  );

async function benchDir(quick: boolean, n: number, work: string): Promise<Pair> {
  const total = (quick ? 200 : 1024) * MiB;
  const dir = join(work, 'tree');
  console.log(`dir: writing ${mib(total)} of files …`);
  // Two thirds text files (logs, compress well), one third incompressible media, 1–4 MiB each.
  let written = 0;
  let i = 0;
  while (written < total) {
    const sub = join(dir, `d${i % 16}`);
    await mkdir(sub, { recursive: true });
    const size = (1 + (i % 4)) * MiB;
    let body: Buffer;
    if (i % 3 === 2) body = randomBytes(size);
    else {
      const lines: string[] = [];
      let len = 0;
      for (let l = 0; len < size; l++) {
        const line = `2026-12-07T10:${String(l % 60).padStart(2, '0')}:00Z ${WORDS[(l * 7 + i) % WORDS.length]} ${WORDS[(l * 13) % WORDS.length]} id=${(l * 2654435761) % 1000003} ${randomBytes(4).toString('hex')}\n`;
        lines.push(line);
        len += line.length;
      }
      body = Buffer.from(lines.join('')).subarray(0, size);
    }
    await writeFile(join(sub, `f${i}.${i % 3 === 2 ? 'bin' : 'log'}`), body);
    written += size;
    i++;
  }
  const out = join(work, 'dir.tar.zst');
  const store = join(work, 'dir-store');
  const r = await rounds(
    n,
    () => sh(`tar -I 'zstd -1 -T2' -cf '${out}' -C '${dir}' .`, process.env, 'tar | zstd'),
    async () => {
      await rm(store, { recursive: true, force: true });
      return lifeboat(
        ['backup', '--source', `dir:${dir}`, '--destination', `file:${store}`, '--name', 'bench'],
        process.env,
      );
    },
    'dir',
  );
  await rm(dir, { recursive: true, force: true });
  await rm(store, { recursive: true, force: true });
  return {
    source: '`dir:`',
    data: `${i} files, ${mib(written)} (two thirds text, one third random)`,
    native: "`tar -I 'zstd -1 -T2' -cf file`",
    ...r,
  };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function redisCli(port: number, args: string[], input?: string | Buffer): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn('redis-cli', ['-p', String(port), ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`redis-cli: ${out}`))));
    child.stdin.end(input);
  });
}

async function benchRedis(
  quick: boolean,
  n: number,
  work: string,
): Promise<{ pair: Pair; auto: Run; large: { bytes: number; run: Run; dumpNative: Run } }> {
  const port = await freePort();
  const dataDir = join(work, 'redis');
  await mkdir(dataDir, { recursive: true });
  const server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dataDir,
    ],
    { stdio: 'ignore' },
  );
  try {
    for (let i = 0; ; i++) {
      try {
        await redisCli(port, ['PING']);
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const keys = quick ? 200_000 : 1_000_000;
    console.log(`Redis: loading ${keys.toLocaleString('en')} keys on port ${port} …`);
    const batch = 50_000;
    for (let k = 0; k < keys; k += batch) {
      const cmds: string[] = [];
      for (let j = k; j < Math.min(keys, k + batch); j++) {
        const value = `${WORDS[j % WORDS.length]}:${randomBytes(24).toString('base64')}:${'status=ok;'.repeat(8 + (j % 24))}`;
        const key = `session:${j}`;
        cmds.push(
          `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${Buffer.byteLength(value)}\r\n${value}\r\n`,
        );
      }
      await redisCli(port, ['--pipe'], cmds.join(''));
    }
    const rdb = join(work, 'dump.rdb');
    const out = join(work, 'redis.rdb.zst');
    const store = join(work, 'redis-store');
    const url = `redis://127.0.0.1:${port}`;
    const r = await rounds(
      n,
      () =>
        sh(
          `redis-cli -p ${port} --rdb '${rdb}' >/dev/null && zstd -q -f -1 -T2 '${rdb}' -o '${out}' && rm -f '${rdb}'`,
          process.env,
          'redis-cli --rdb + zstd',
        ),
      async () => {
        await rm(store, { recursive: true, force: true });
        return lifeboat(
          [
            'backup',
            '--source',
            url,
            '--redis-mode',
            'rdb',
            '--destination',
            `file:${store}`,
            '--name',
            'bench',
          ],
          process.env,
          'lifeboat backup --redis-mode rdb',
        );
      },
      'redis',
    );
    // The default (auto) also writes the logical key stream (SCAN + DUMP of every key).
    await rm(store, { recursive: true, force: true });
    const auto = await lifeboat(
      ['backup', '--source', url, '--destination', `file:${store}`, '--name', 'bench'],
      process.env,
      'lifeboat backup (redis-mode auto)',
    );
    logRun('redis lifeboat, redis-mode auto (RDB + key stream)', auto);
    const rdbSize = (await stat(out)).size;
    // Logical mode on one large value: the protocol parser must stay linear in value size.
    await redisCli(port, ['FLUSHALL']);
    const big = (quick ? 64 : 256) * MiB;
    const file = join(work, 'big.bin');
    const fh = await open(file, 'w');
    const block = randomBytes(MiB);
    for (let i = 0; i < big / MiB; i++) await fh.write(block);
    await fh.close();
    await sh(`redis-cli -p ${port} -x SET big < '${file}' >/dev/null`, process.env, 'SET big');
    await rm(file, { force: true });
    await rm(store, { recursive: true, force: true });
    // Baseline: the server's own DUMP of that value, read by redis-cli and thrown away.
    const dumpNative = await sh(
      `redis-cli -p ${port} DUMP big > /dev/null`,
      process.env,
      'redis-cli DUMP big',
    );
    logRun('redis-cli DUMP big > /dev/null', dumpNative);
    const run = await lifeboat(
      [
        'backup',
        '--source',
        url,
        '--redis-mode',
        'logical',
        '--destination',
        `file:${store}`,
        '--name',
        'bench',
        '--compression',
        'none',
      ],
      process.env,
      'lifeboat backup --redis-mode logical (one large value)',
    );
    logRun(`redis logical, one ${mib(big)} value`, run);
    await rm(store, { recursive: true, force: true });
    return {
      pair: {
        source: 'Redis (`redis-mode: rdb`)',
        data: `${keys.toLocaleString('en')} keys, ${mib(rdbSize)} compressed RDB`,
        native: '`redis-cli --rdb` + `zstd -1 -T2`',
        ...r,
      },
      auto,
      large: { bytes: big, run, dumpNative },
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('close', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchOtherSources(quick: boolean, n: number): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-bench-sources-'));
  try {
    const pairs: Pair[] = [];
    pairs.push(await benchMariadb(quick, n, work));
    pairs.push(await benchSqlite(quick, n, work));
    pairs.push(await benchDir(quick, n, work));
    const redis = await benchRedis(quick, n, work);
    pairs.push(redis.pair);
    const rate = redis.large.bytes / MiB / (redis.large.run.ms / 1000);
    const lines = [
      `## Other sources against their native pipelines${quick ? ' (quick sizes)' : ''}`,
      '',
      `Medians of ${n} interleaved rounds; Lifeboat backs up to \`file:\` with read-back on. Target: each ≤ 1.2 × its native pipeline.`,
      '',
      '| source | data | native pipeline | native: wall, CPU | Lifeboat: wall, CPU (tree), CPU (own process), peak RSS | ratio | ≤ 1.2 × |',
      '|---|---|---|---|---|---|---|',
      ...pairs.map(
        (p) =>
          `| ${p.source} | ${p.data} | ${p.native} | ${sec(p.nativeRun.ms)}, ${sec(p.nativeRun.treeCpuMs)} | ${sec(p.lifeboatRun.ms)}, ${sec(p.lifeboatRun.treeCpuMs)}, ${sec(p.lifeboatRun.selfCpuMs!)}, ${rssMiB(p.lifeboatRun.selfRssKb)} | ${ratio(p.lifeboatRun.ms, p.nativeRun.ms)} | ${check(p.lifeboatRun.ms <= 1.2 * p.nativeRun.ms)} |`,
      ),
      '',
      `Redis with the default \`redis-mode: auto\` takes the RDB snapshot and also the logical key stream (SCAN + DUMP of every key, which a restore into a live server replays): ${sec(redis.auto.ms)} wall, ${ratio(redis.auto.ms, redis.pair.nativeRun.ms)} the native RDB pipeline, Lifeboat CPU ${sec(redis.auto.selfCpuMs!)} (one run).`,
      '',
      `Redis logical mode (\`redis-mode: logical\`, SCAN + DUMP) on one ${mib(redis.large.bytes)} value, uncompressed archive: ${sec(redis.large.run.ms)} wall including start-up, ${rate.toFixed(0)} MiB/s (target ≥ 100 MiB/s: ${check(rate >= 100)}), Lifeboat CPU ${sec(redis.large.run.selfCpuMs!)}, peak RSS ${rssMiB(redis.large.run.selfRssKb)}. Baseline: \`redis-cli DUMP\` of the same value to /dev/null takes ${sec(redis.large.dumpNative.ms)} (${(redis.large.bytes / MiB / (redis.large.dumpNative.ms / 1000)).toFixed(0)} MiB/s): the server's DUMP serialization bounds both.`,
    ];
    return lines.join('\n');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
