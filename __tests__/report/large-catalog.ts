import { assessSet } from '../../src/engine/report-state.ts';
import type { Catalog, CatalogBackup } from '../../src/report/html/catalog.ts';

/**
 * A catalog as large as the target (50 sets × 400 daily backups by default), built in
 * memory the way the report builds it from storage: every backup with two sources, an
 * inventory, versions, a sha256 and two copies; a few damaged, some drilled, a gap every
 * so often.
 */
export function largeCatalog(
  sets = 50,
  backups = 400,
  now = new Date(Date.UTC(2026, 10, 30, 12)),
): Catalog {
  const catalog: Catalog = {
    version: 1,
    generatedAt: now.toISOString(),
    tool: 'lifeboat bench',
    destinations: [{ url: 's3://backups/prod' }, { url: 'file:/mnt/backups' }],
    sets: [],
  };
  const day = 86_400_000;
  for (let s = 0; s < sets; s++) {
    const name = `service-${String(s).padStart(2, '0')}`;
    const list: CatalogBackup[] = [];
    for (let i = backups; i >= 1; i--) {
      if (i % 37 === 0) continue; // a missed run now and then
      const created = new Date(Date.UTC(2026, 10, 30, 3, 5) - (i - 1) * day);
      const stamp = created
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      const id = `${stamp}-${'abcdefghijklmnopqrstuvwxyz'.charAt((i + s) % 26)}bcdef`;
      const b: CatalogBackup = {
        id,
        createdAt: created.toISOString(),
        finishedAt: new Date(created.getTime() + 60_000 + i * 10).toISOString(),
        durationMs: 60_000 + i * 10,
        size: 50_000_000 + ((i * 7919 + s * 104729) % 9_000_000),
        sha256: (BigInt(i * 1_000_003 + s) * 0x9e3779b97f4a7c15n)
          .toString(16)
          .padStart(64, '0')
          .slice(0, 64),
        compression: 'zstd',
        encrypted: s % 3 === 0,
        signed: s % 5 === 0,
        verifiedAt: new Date(created.getTime() + 90_000).toISOString(),
        confirmed: true,
        tags: [],
        tool: 'lifeboat 1.4.0',
        sources: [
          {
            name: 'db',
            kind: 'postgres',
            url: `postgres://db-${s}.internal:5432/app`,
            versions: { pg_dump: '17.2', server: '17.2' },
            tables: 42,
            rows: 1_200_000 + i,
          },
          {
            name: 'uploads',
            kind: 'dir',
            url: `dir:/srv/${name}/uploads`,
            versions: {},
            files: 10_000 + i,
            totalBytes: 3_000_000_000,
          },
        ],
        copies: [
          { destination: 's3://backups/prod', key: `${name}/${id}.tar.zst`, size: 50_000_000 },
          { destination: 'file:/mnt/backups', key: `${name}/${id}.tar.zst`, size: 50_000_000 },
        ],
      };
      if (i === 200 && s % 10 === 0) {
        b.damaged = `${name}/${id}.manifest.json on s3://backups/prod is not valid JSON`;
        b.confirmed = false;
      }
      if (i % 7 === 1) {
        b.drill = {
          version: 1,
          backupId: id,
          set: name,
          startedAt: new Date(created.getTime() + 3_600_000).toISOString(),
          finishedAt: new Date(created.getTime() + 3_700_000).toISOString(),
          ok: true,
          rtoMs: 95_000,
          backupAgeMs: 3_600_000,
          checks: [{ name: 'row counts', ok: true, detail: 'match the inventory' }],
        };
      }
      list.push(b);
    }
    const set = assessSet({ name, backups: list, cron: ['5 3 * * *'], now });
    set.storage = catalog.destinations.map((d) => ({
      destination: d.url,
      bytes: list.length * 50_000_000,
      objects: list.length * 3,
    }));
    set.links = {
      runBackup: 'https://github.com/octo-org/app/actions/workflows/backup.yml',
      restore: 'https://github.com/octo-org/app/actions/workflows/restore.yml',
    };
    catalog.sets.push(set);
  }
  return catalog;
}
