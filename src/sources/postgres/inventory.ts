/**
 * What a dump covers (pg_dump's schema and table filters, as options, arguments and SQL) and what
 * a database holds (tables with row counts, schemas, sequences, large objects, roles).
 */
import type pg from 'pg';
import type { Inventory } from '../../archive/types.ts';
import type { OptionValues } from '../../options/schema.ts';
import { quoteIdent } from './connection.ts';

/** Which schemas and tables a dump covers: pg_dump's -n/-N/-t/-T, as option values. */
export interface PgFilters {
  includeSchemas: string[];
  excludeSchemas: string[];
  includeTables: string[];
  excludeTables: string[];
}

/** A `lines` option's patterns (the parser already split them), blanks dropped. */
function patterns(lines: readonly string[] | undefined): string[] {
  return (lines ?? []).map((x) => x.trim()).filter(Boolean);
}

export function filtersOf(options: Readonly<OptionValues>): PgFilters {
  return {
    includeSchemas: patterns(options['include-schemas']),
    excludeSchemas: patterns(options['exclude-schemas']),
    includeTables: patterns(options['include-tables']),
    excludeTables: patterns(options['exclude-tables']),
  };
}

export function filterArgs(f: PgFilters): string[] {
  return [
    ...f.includeSchemas.map((p) => `--schema=${p}`),
    ...f.excludeSchemas.map((p) => `--exclude-schema=${p}`),
    ...f.includeTables.map((p) => `--table=${p}`),
    ...f.excludeTables.map((p) => `--exclude-table=${p}`),
  ];
}

/**
 * A pg_dump name pattern (psql's rules: `*`, `?`, `.` between schema and name, unquoted letters
 * folded to lower case, double quotes for literal text) as anchored regexes.
 */
export function patternToRegex(pattern: string): { schema?: string; name: string } {
  const parts: string[] = [''];
  let inQuotes = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '"') {
      if (inQuotes && pattern[i + 1] === '"') {
        parts[parts.length - 1] += '"';
        i++;
      } else inQuotes = !inQuotes;
    } else if (!inQuotes && ch === '.') parts.push('');
    else if (!inQuotes && ch === '*') parts[parts.length - 1] += '.*';
    else if (!inQuotes && ch === '?') parts[parts.length - 1] += '.';
    else {
      const c = inQuotes ? ch : ch.toLowerCase();
      parts[parts.length - 1] += c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    }
  }
  const anchored = (s: string): string => `^(${s})$`;
  if (parts.length === 1) return { name: anchored(parts[0]!) };
  return { schema: anchored(parts[parts.length - 2]!), name: anchored(parts[parts.length - 1]!) };
}

export const USER_SCHEMA = `n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;
export const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
   AND d.objid = c.oid AND d.deptype = 'e')`;

/** SQL conditions (over n = pg_namespace, c = pg_class) selecting what pg_dump selects. */
export function filterSql(f: PgFilters, which: 'schemas' | 'tables', params: unknown[]): string {
  const add = (v: string): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const schemaMatch = (patterns: string[]): string =>
    patterns.map((p) => `n.nspname ~ ${add(patternToRegex(p).name)}`).join(' OR ');
  const tableMatch = (patterns: string[]): string =>
    patterns
      .map((p) => {
        const r = patternToRegex(p);
        return r.schema
          ? `(n.nspname ~ ${add(r.schema)} AND c.relname ~ ${add(r.name)})`
          : `(c.relname ~ ${add(r.name)} AND pg_catalog.pg_table_is_visible(c.oid))`;
      })
      .join(' OR ');
  const schemas = (): string => {
    let sql = USER_SCHEMA;
    if (f.includeSchemas.length) sql += ` AND (${schemaMatch(f.includeSchemas)})`;
    if (f.excludeSchemas.length) sql += ` AND NOT (${schemaMatch(f.excludeSchemas)})`;
    return sql;
  };
  if (which === 'schemas') return f.includeTables.length ? 'false' : schemas();
  // As pg_dump documents: with --table, --schema and --exclude-schema do not apply to tables.
  let tables = f.includeTables.length
    ? `${USER_SCHEMA} AND (${tableMatch(f.includeTables)})`
    : schemas();
  if (f.excludeTables.length) tables += ` AND NOT (${tableMatch(f.excludeTables)})`;
  return tables;
}

export type RowCounts = 'exact' | 'estimate';

/** Schemas, tables with row counts, sequences and large objects, as pg_dump with these filters sees them. */
export async function readInventory(
  client: pg.Client,
  f: PgFilters,
  rowCounts: RowCounts,
): Promise<Inventory> {
  const params: unknown[] = [];
  const whereTables = filterSql(f, 'tables', params);
  const tables = await client.query<{
    nspname: string;
    relname: string;
    relkind: string;
    reltuples: string;
  }>(
    `SELECT n.nspname, c.relname, c.relkind,
            CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(greatest(p.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) t
                 JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf) ELSE greatest(c.reltuples, 0) END AS reltuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${NOT_EXTENSION_MEMBER} AND (${whereTables})
      ORDER BY n.nspname, c.relname`,
    params,
  );
  const out: NonNullable<Inventory['tables']> = [];
  for (const t of tables.rows) {
    const name = `${t.nspname}.${t.relname}`;
    if (rowCounts === 'estimate') {
      out.push({ name, rows: Math.round(Number(t.reltuples)), estimated: true });
      continue;
    }
    const only = t.relkind === 'r' ? 'ONLY ' : '';
    const r = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${only}${quoteIdent(t.nspname)}.${quoteIdent(t.relname)}`,
    );
    out.push({ name, rows: Number(r.rows[0]!.n) });
  }
  const tableSchemas = new Set(tables.rows.map((t) => t.nspname));
  const sp: unknown[] = [];
  const whereSchemas = filterSql(f, 'schemas', sp);
  const schemaRows = await client.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_namespace n WHERE (${whereSchemas}) ORDER BY 1`,
    sp,
  );
  const schemas = [...new Set([...schemaRows.rows.map((r) => r.nspname), ...tableSchemas])].sort();
  const qp: unknown[] = [];
  const whereSeqs = filterSql(f, 'tables', qp);
  const seqs = await client.query<{ nspname: string; relname: string; last_value: string | null }>(
    `SELECT n.nspname, c.relname,
            CASE WHEN has_sequence_privilege(c.oid, 'SELECT') THEN pg_sequence_last_value(c.oid)::text END AS last_value
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND ${NOT_EXTENSION_MEMBER} AND (${whereSeqs})
      ORDER BY 1, 2`,
    qp,
  );
  const sequences: Record<string, string | null> = {};
  for (const s of seqs.rows) sequences[`${s.nspname}.${s.relname}`] = s.last_value;
  const lo = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_largeobject_metadata');
  return {
    tables: out,
    extra: { schemas, sequences, largeObjects: Number(lo.rows[0]!.n), rowCounts },
  };
}

/** Roles that own or are granted something in the dump: they must exist for ownership to be restored. */
export async function referencedRoles(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ r: string }>(
    `SELECT DISTINCT r FROM (
       SELECT pg_get_userbyid(c.relowner) AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(t.typowner) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMA}
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             aclexplode(c.relacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(a.grantee) FROM pg_namespace n, aclexplode(n.nspacl) a WHERE ${USER_SCHEMA} AND a.grantee <> 0
       UNION SELECT pg_get_userbyid(l.lomowner) FROM pg_largeobject_metadata l
     ) x WHERE r IS NOT NULL ORDER BY 1`,
  );
  return r.rows.map((x) => x.r);
}

export function rowCountsOption(options: Readonly<OptionValues>): RowCounts {
  return options['row-counts'] === 'estimate' ? 'estimate' : 'exact';
}

/** Differences between a restored inventory and the manifest's (table list, exact row counts). */
export function compareInventories(expected: Inventory, actual: Inventory): string[] {
  const diffs: string[] = [];
  const want = new Map((expected.tables ?? []).map((t) => [t.name, t]));
  const got = new Map((actual.tables ?? []).map((t) => [t.name, t]));
  for (const [name, t] of want) {
    const g = got.get(name);
    if (!g) diffs.push(`table ${name} is missing`);
    else if (!t.estimated && g.rows !== t.rows)
      diffs.push(`table ${name} has ${g.rows} rows, the backup ${t.rows}`);
  }
  for (const name of got.keys())
    if (!want.has(name)) diffs.push(`table ${name} is not in the backup`);
  return diffs;
}
