import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { SourceContext } from '../../src/sources/types.ts';
import { Redactor, silentLogger } from '../../src/core/log.ts';
import type { Logger } from '../../src/core/log.ts';
import { unavailable } from '../helpers/services.ts';

export const LOCAL = { host: '127.0.0.1', port: 5432, user: 'postgres' };
export const localUrl = (db: string): string => `postgres://postgres@127.0.0.1:5432/${db}`;

/** A connection to the machine's PostgreSQL, or undefined (and a reason) when it is not running. */
export async function localServer(): Promise<pg.Client | undefined> {
  const c = new pg.Client({ ...LOCAL, database: 'postgres', connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  try {
    await c.connect();
    return c;
  } catch (err) {
    unavailable('PostgreSQL on 127.0.0.1:5432', err);
    return undefined;
  }
}

export function uniqueDb(prefix: string): string {
  return `lb_${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function query(
  db: string,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult> {
  const c = new pg.Client({ ...LOCAL, database: db });
  c.on('error', () => {});
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

export async function dropDb(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Every database whose name starts with `prefix` (for leftovers of temporary databases). */
export async function databasesLike(admin: pg.Client, prefix: string): Promise<string[]> {
  const r = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1',
    [prefix],
  );
  return r.rows.map((x) => x.datname);
}

export async function makeCtx(
  options: Record<string, unknown> = {},
  extra: Partial<SourceContext> = {},
  logger: Logger = silentLogger,
): Promise<SourceContext & { cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-pg-'));
  return {
    log: logger,
    redactor: new Redactor(),
    env: { ...process.env },
    tmpDir: dir,
    options,
    ...extra,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A schema covering what a real database has: several schemas and the awkward types. */
export const FIXTURE_SQL = `
CREATE SCHEMA app;
CREATE SCHEMA audit;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.email AS text CHECK (VALUE ~ '^[^@]+@[^@]+$');
CREATE TABLE app.users (
  id bigserial PRIMARY KEY,
  email app.email NOT NULL UNIQUE,
  name text NOT NULL,
  mood app.mood,
  tags text[],
  scores int[],
  profile jsonb,
  avatar bytea,
  created timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00',
  balance numeric(12, 2)
);
CREATE TABLE audit.log (
  id serial PRIMARY KEY,
  user_id bigint REFERENCES app.users(id),
  action text NOT NULL,
  at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);
CREATE FUNCTION audit.log_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit.log (user_id, action) VALUES (NEW.id, TG_OP);
  RETURN NEW;
END $$;
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION audit.log_user();
CREATE FUNCTION app.full_name(u app.users) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT u.name || ' <' || u.email || '>' $$;
CREATE VIEW app.happy_users AS SELECT id, name FROM app.users WHERE mood = 'happy';
CREATE SEQUENCE app.invoice_no START 1000 INCREMENT 7;
CREATE TABLE app.measurements (city text NOT NULL, at date NOT NULL, temp numeric) PARTITION BY RANGE (at);
CREATE TABLE app.measurements_2023 PARTITION OF app.measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE app.measurements_2024 PARTITION OF app.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.documents (id int PRIMARY KEY, title text, body_oid oid);
CREATE TABLE public.empty_table (x int);

INSERT INTO app.users (email, name, mood, tags, scores, profile, avatar, balance)
SELECT 'user' || g || '@example.com',
       CASE g % 4 WHEN 0 THEN 'Zoë Ångström' WHEN 1 THEN '山田 太郎' WHEN 2 THEN 'Łukasz Żółć 🚀' ELSE 'O''Brien "quoted" \\ back' END,
       (ARRAY['sad','ok','happy']::app.mood[])[1 + g % 3],
       ARRAY['t' || g, NULL, 'tab	and
newline'],
       ARRAY[g, g * 2, -g],
       jsonb_build_object('n', g, 'nested', jsonb_build_object('ok', g % 2 = 0, 'list', jsonb_build_array(1, 'two', null)), 'ü', 'ß'),
       CASE WHEN g % 5 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') || '\\x00ff00'::bytea END,
       round((g * 12.345)::numeric, 2)
  FROM generate_series(1, 500) g;
UPDATE app.users SET mood = 'happy' WHERE id % 50 = 0;
INSERT INTO app.measurements SELECT 'city' || (g % 7), date '2023-06-01' + (g % 300), g / 10.0 FROM generate_series(1, 900) g;
SELECT nextval('app.invoice_no') FROM generate_series(1, 3);
INSERT INTO public.documents VALUES (1, 'first', lo_from_bytea(0, 'large object one'::bytea)),
                                    (2, 'second', lo_from_bytea(0, decode(repeat('00ff', 50000), 'hex')));
COMMENT ON TABLE app.users IS 'people, with ünïcödé comment';
`;

/** Ordered per-table digests of every user table's content (large objects included). */
export async function contentDigests(db: string): Promise<Record<string, string>> {
  const tables = await query(
    db,
    `SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
      ORDER BY 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const t of tables.rows as Array<{ nspname: string; relname: string }>) {
    const q = `"${t.nspname}"."${t.relname}"`;
    const r = await query(
      db,
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS d FROM ${q} x`,
    );
    out[`${t.nspname}.${t.relname}`] = `${r.rows[0].n}:${r.rows[0].d}`;
  }
  const lo = await query(
    db,
    `SELECT md5(coalesce(string_agg(lo_get(oid)::text, ',' ORDER BY oid), '')) AS d, count(*)::int AS n FROM pg_largeobject_metadata`,
  );
  out['<large objects>'] = `${lo.rows[0].n}:${lo.rows[0].d}`;
  const seq = await query(db, `SELECT last_value::text AS v FROM app.invoice_no`).catch(() => ({
    rows: [{ v: 'none' }],
  }));
  out['<app.invoice_no>'] = String(seq.rows[0]?.v);
  return out;
}

/** The schema as pg_dump --schema-only prints it, without comments naming the database. */
export function schemaDump(db: string): string {
  const r = spawnSync(
    'pg_dump',
    ['--schema-only', '--no-password', '-h', '127.0.0.1', '-U', 'postgres', db],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout
    .split('\n')
    .filter(
      (l) => !l.startsWith('--') && !l.startsWith('\\restrict') && !l.startsWith('\\unrestrict'),
    )
    .join('\n')
    .split(db)
    .join('<db>');
}
