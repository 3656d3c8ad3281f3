/**
 * `lifeboat init`: writes the caller workflows a repository needs into .github/workflows: a
 * scheduled backup (at a random minute, away from the top-of-the-hour queue), a manual guarded
 * restore, a weekly drill and a freshness watchdog, each calling Lifeboat's reusable workflows with the secrets they
 * need passed one by one. Never overwrites without --force; prints the secrets to create.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { backupSetName } from '../engine/backup.ts';
import { ConfigError, ExitCode, exitCodeFor } from '../core/errors.ts';
import {
  refuseInlinePassword,
  secretsFor,
  sourceKind,
  sourceName,
  storageScheme,
  storageSecretsFor,
} from '../fleet/secrets.ts';
import { parseOptions } from '../options/parse.ts';
import { describeForCli } from './describe.ts';
import type { CliIo } from './main.ts';
import { parseToolkitFlags, toolkitHelp, type FlagSpec } from './toolkit-args.ts';

export const INIT_SUMMARY =
  'write caller workflows (scheduled backup, guarded restore, weekly drill, freshness watchdog) into .github/workflows';

const FLAGS: FlagSpec[] = [
  { name: 'source', type: 'lines', help: 'source URL, no password in it (repeatable; name=URL)' },
  { name: 'destination', type: 'lines', help: 'storage URL (repeatable)' },
  { name: 'name', type: 'string', help: 'backup set name (default: derived from the source)' },
  { name: 'keep-daily', type: 'string', help: 'daily backups to keep (default 7)' },
  { name: 'keep-weekly', type: 'string', help: 'weekly backups to keep (default 4)' },
  { name: 'keep-monthly', type: 'string', help: 'monthly backups to keep (default 6)' },
  { name: 'hour', type: 'string', help: 'UTC hour of the nightly backup (default 3)' },
  {
    name: 'environment',
    type: 'string',
    help: 'environment restores run in (default lifeboat-restore)',
  },
  {
    name: 'uses',
    type: 'string',
    help: 'where the reusable workflows live (default lifeboat-backup/lifeboat@v1)',
  },
  { name: 'dir', type: 'string', help: 'where to write (default .github/workflows)' },
  { name: 'force', type: 'boolean', help: 'overwrite workflows that exist' },
  { name: 'help', type: 'boolean', help: 'show this help' },
];

export interface InitChoices {
  name: string;
  sources: string[];
  destinations: string[];
  keepDaily: string;
  keepWeekly: string;
  keepMonthly: string;
  hour: number;
  environment: string;
  /** `owner/repo@ref` of Lifeboat. */
  uses: string;
}

export interface InitFile {
  file: string;
  text: string;
  about: string;
}

/** Scratch servers and targets for the drill, by source kind. */
const SCRATCH: Record<string, { service?: [string, string]; target: (n: string) => string }> = {
  postgres: {
    service: ['postgres-image', 'postgres:17'],
    target: (n) => `postgres://postgres@localhost:5432/lifeboat_drill_${n.replace(/\W/g, '_')}`,
  },
  mysql: {
    service: ['mysql-image', 'mariadb:11'],
    target: (n) => `mysql://root@127.0.0.1:3306/lifeboat_drill_${n.replace(/\W/g, '_')}`,
  },
  redis: { service: ['redis-image', 'redis:7'], target: () => 'redis://localhost:6379/0' },
  // The drill restores vector collections as `<name>_drill_<id>` on a spare server of the job.
  qdrant: {
    service: ['qdrant-image', 'qdrant/qdrant:v1.15.1'],
    target: () => 'qdrant://localhost:6333',
  },
  chroma: {
    service: ['chroma-image', 'chromadb/chroma:1.0.20'],
    target: () => 'chroma://localhost:8000',
  },
  sqlite: { target: (n) => `sqlite:lifeboat-drill-${n}.db` },
  dir: { target: (n) => `dir:lifeboat-drill-${n}` },
};

/** Minutes 1–59 except the quarter hours, where scheduled jobs pile up. */
export function randomMinute(random: () => number = Math.random): number {
  const minutes = Array.from({ length: 59 }, (_, i) => i + 1).filter((m) => m % 15 !== 0);
  return minutes[Math.floor(random() * minutes.length)]!;
}

const expr = (e: string) => `\${{ ${e} }}`;

function header(lines: string[]): string {
  return lines.map((l) => (l ? `# ${l}` : '#')).join('\n') + '\n';
}

function secretMap(names: readonly string[]): Record<string, string> | undefined {
  if (!names.length) return undefined;
  return Object.fromEntries(names.map((n) => [n, expr(`secrets.${n}`)]));
}

/** The four caller workflows for these choices (pure, apart from the random minutes). */
export function initWorkflows(c: InitChoices, random: () => number = Math.random): InitFile[] {
  const [repo, ref] = c.uses.split('@') as [string, string];
  const reusable = (w: string) => `${repo}/.github/workflows/${w}@${ref}`;
  const allSecrets = secretsFor(c.sources, c.destinations);
  const storeSecrets = storageSecretsFor(c.destinations);
  const secretNote = (names: readonly string[]) =>
    names.length
      ? `Repository secrets it reads (Settings > Secrets and variables > Actions): ${names.join(', ')}.`
      : 'It needs no repository secrets.';
  const lines = (xs: string[]) => xs.join('\n');
  const minute = randomMinute(random);
  const drillMinute = randomMinute(random);
  const statusMinute = randomMinute(random);
  const backupCron = `${minute} ${c.hour} * * *`;
  const drillCron = `${drillMinute} 5 * * 1`;
  const statusCron = `${statusMinute} */6 * * *`;

  const backup = {
    name: `Lifeboat backup (${c.name})`,
    on: { schedule: [{ cron: backupCron }], workflow_dispatch: null },
    permissions: { contents: 'read', actions: 'write' },
    jobs: {
      backup: {
        uses: reusable('backup.yml'),
        with: {
          name: c.name,
          source: lines(c.sources),
          destination: lines(c.destinations),
          'keep-daily': c.keepDaily,
          'keep-weekly': c.keepWeekly,
          'keep-monthly': c.keepMonthly,
        },
        ...(allSecrets.length ? { secrets: secretMap(allSecrets) } : {}),
      },
    },
  };
  const confirmHelp = `Type exactly: restore ${c.name} <backup> to <target>`;
  const restore = {
    name: `Lifeboat restore (${c.name})`,
    on: {
      workflow_dispatch: {
        inputs: {
          backup: {
            description: 'Backup id, or latest',
            type: 'string',
            default: 'latest',
            required: true,
          },
          target: {
            description: 'Where to restore (a new database or path; no password in it)',
            type: 'string',
            required: true,
          },
          confirm: { description: confirmHelp, type: 'string', required: true },
          overwrite: {
            description: 'Replace existing data at the target',
            type: 'boolean',
            default: false,
          },
          'confirm-overwrite': {
            description: 'With overwrite, type exactly: overwrite <target>',
            type: 'string',
            default: '',
          },
        },
      },
    },
    permissions: { contents: 'read', actions: 'read' },
    jobs: {
      restore: {
        uses: reusable('restore.yml'),
        with: {
          name: c.name,
          destination: lines(c.destinations),
          backup: expr('inputs.backup'),
          target: expr('inputs.target'),
          confirm: expr('inputs.confirm'),
          overwrite: expr('inputs.overwrite'),
          'confirm-overwrite': expr('inputs.confirm-overwrite'),
          environment: c.environment,
        },
        ...(allSecrets.length ? { secrets: secretMap(allSecrets) } : {}),
      },
    },
  };
  const drillWith: Record<string, string> = {
    name: c.name,
    destination: lines(c.destinations),
    'postgres-image': '',
  };
  const targets: string[] = [];
  for (const s of c.sources) {
    const kind = sourceKind(s);
    // A kind no drill can restore (chroma+dir:) gets no target; the drill says so when it runs.
    const scratch = SCRATCH[kind];
    if (!scratch) continue;
    if (scratch.service) drillWith[scratch.service[0]] = scratch.service[1];
    const own = sourceName(s);
    const label = own ?? c.name;
    targets.push(c.sources.length > 1 ? `${own}=${scratch.target(label)}` : scratch.target(label));
  }
  drillWith['target'] = lines(targets);
  const drill = {
    name: `Lifeboat drill (${c.name})`,
    on: { schedule: [{ cron: drillCron }], workflow_dispatch: null },
    permissions: { contents: 'read', actions: 'read' },
    jobs: {
      drill: {
        uses: reusable('drill.yml'),
        with: drillWith,
        ...(storeSecrets.length ? { secrets: secretMap(storeSecrets) } : {}),
      },
    },
  };
  // The watchdog: a backup workflow that stops (disabled schedule, broken credentials, a
  // runner that never picks it up) fails no run of its own, so something else must notice.
  const status = {
    name: `Lifeboat status (${c.name})`,
    on: { schedule: [{ cron: statusCron }], workflow_dispatch: null },
    permissions: { contents: 'read', actions: 'write', issues: 'write' },
    jobs: {
      status: {
        uses: reusable('status.yml'),
        with: {
          sets: c.name,
          destination: lines(c.destinations),
          // The backup's schedule, not this workflow's own.
          schedule: backupCron,
          'keep-alive': true,
        },
        ...(storeSecrets.length ? { secrets: secretMap(storeSecrets) } : {}),
      },
    },
  };
  const yaml = (doc: object) =>
    stringify(doc, { lineWidth: 0, nullStr: '' }).replace(/^(\s*workflow_dispatch):\s*$/m, '$1:');
  return [
    {
      file: 'lifeboat-backup.yml',
      about: `daily at ${String(c.hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} UTC`,
      text:
        header([
          `Written by \`lifeboat init\`: backs up ${c.name} every day at ${backupCron} (UTC; a random`,
          `minute keeps it out of the top-of-the-hour queue), keeps ${c.keepDaily} daily, ${c.keepWeekly} weekly and`,
          `${c.keepMonthly} monthly backups, and keeps this schedule alive (GitHub disables schedules after 60 quiet days).`,
          secretNote(allSecrets),
        ]) + yaml(backup),
    },
    {
      file: 'lifeboat-restore.yml',
      about: `manual, guarded, in environment ${c.environment}`,
      text:
        header([
          'Written by `lifeboat init`: a manual restore (Actions > Lifeboat restore > Run workflow).',
          `${confirmHelp}. The plan (which backup, its age and size, what is replaced)`,
          `is shown in the run's summary, and the restore waits in environment '${c.environment}':`,
          'give it required reviewers (Settings > Environments).',
          secretNote(allSecrets),
        ]) + yaml(restore),
    },
    {
      file: 'lifeboat-drill.yml',
      about: `weekly, Mondays at 05:${String(drillMinute).padStart(2, '0')} UTC`,
      text:
        header([
          'Written by `lifeboat init`: every Monday, restores the latest backup into a scratch server',
          'of this job and checks it against the backup manifest.',
          secretNote(storeSecrets),
        ]) + yaml(drill),
    },
    {
      file: 'lifeboat-status.yml',
      about: `every 6 hours at minute ${statusMinute}: opens an issue when a backup is late`,
      text:
        header([
          `Written by \`lifeboat init\`: every 6 hours, checks that the newest backup of ${c.name} is no older`,
          `than its schedule (${backupCron}) allows. A late backup fails this run and opens one issue, closed`,
          'again once a backup lands; it also keeps this schedule alive.',
          secretNote(storeSecrets),
        ]) + yaml(status),
    },
  ];
}

export async function runInit(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const flags = parseToolkitFlags('init', argv, FLAGS);
    if (flags['help']) {
      io.stdout(
        toolkitHelp(
          'init',
          INIT_SUMMARY,
          'lifeboat init --source <url> --destination <url> [--name <set>] [--force]',
          FLAGS,
        ) + '\n',
      );
      return ExitCode.ok;
    }
    let sources = (flags['source'] as string[] | undefined) ?? [];
    let destinations = (flags['destination'] as string[] | undefined) ?? [];
    let name = flags['name'] as string | undefined;
    if (!sources.length || !destinations.length) {
      if (!io.prompt) {
        throw new ConfigError(
          undefined,
          `init needs ${!sources.length ? '--source' : '--destination'}`,
          {
            hint: 'e.g. lifeboat init --source postgres://app@db.example.com/app --destination s3://backups/app',
          },
        );
      }
      if (!sources.length)
        sources = [
          await io.prompt('Source URL (no password; e.g. postgres://app@db.example.com/app): '),
        ];
      if (!destinations.length)
        destinations = [await io.prompt('Destination URL (e.g. s3://backups/app): ')];
      name ??= (await io.prompt('Backup set name (empty: derived from the source): ')) || undefined;
    }
    sources = sources.map((s) => s.trim()).filter(Boolean);
    destinations = destinations.map((s) => s.trim()).filter(Boolean);
    if (!sources.length) throw new ConfigError(undefined, '--source is empty');
    if (!destinations.length) throw new ConfigError(undefined, '--destination is empty');
    for (const s of sources) {
      sourceKind(s, '--source');
      refuseInlinePassword(s, '--source');
      if (sources.length > 1 && !sourceName(s)) {
        throw new ConfigError(undefined, `--source ${s}: with several sources, name each one`, {
          hint: 'write --source db=postgres://… --source files=dir:uploads',
        });
      }
    }
    for (const d of destinations) {
      storageScheme(d, '--destination');
      refuseInlinePassword(d, '--destination');
    }
    const options = parseOptions({
      command: 'backup',
      source: sources,
      destination: destinations,
      ...(name ? { name } : {}),
    });
    const count = (flag: string, fallback: string) => {
      const v = (flags[flag] as string | undefined) ?? fallback;
      if (!/^\d+$/.test(v))
        throw new ConfigError(undefined, `--${flag} '${v}' is not a whole number`);
      return v;
    };
    const hour = Number(count('hour', '3'));
    if (hour > 23) throw new ConfigError(undefined, `--hour ${hour} is not an hour (0-23)`);
    const uses = (flags['uses'] as string | undefined) ?? 'lifeboat-backup/lifeboat@v1';
    if (!/^[\w.-]+\/[\w.-]+@[\w./-]+$/.test(uses)) {
      throw new ConfigError(undefined, `--uses '${uses}' is not owner/repo@ref`, {
        hint: 'e.g. --uses lifeboat-backup/lifeboat@v1',
      });
    }
    const environment = (flags['environment'] as string | undefined) ?? 'lifeboat-restore';
    const choices: InitChoices = {
      name: backupSetName(options),
      sources,
      destinations,
      keepDaily: count('keep-daily', '7'),
      keepWeekly: count('keep-weekly', '4'),
      keepMonthly: count('keep-monthly', '6'),
      hour,
      environment,
      uses,
    };
    const files = initWorkflows(choices);
    const dir = resolve(io.cwd, (flags['dir'] as string | undefined) ?? '.github/workflows');
    const shown = (f: string) => relative(io.cwd, join(dir, f)) || f;
    const existing = files.filter((f) => existsSync(join(dir, f.file)));
    if (existing.length && !flags['force']) {
      throw new ConfigError(
        undefined,
        `${existing.map((f) => shown(f.file)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`,
        {
          hint: 'pass --force to replace them (your changes to them are lost), or move them away first',
        },
      );
    }
    await mkdir(dir, { recursive: true });
    for (const f of files) await writeFile(join(dir, f.file), f.text);
    const secrets = secretsFor(sources, destinations);
    io.stdout(
      [
        'Wrote:',
        ...files.map((f) => `  ${shown(f.file)}  (${f.about})`),
        '',
        secrets.length
          ? `Create these repository secrets (Settings > Secrets and variables > Actions):\n${secrets.map((s) => `  ${s}`).join('\n')}`
          : 'No repository secrets needed.',
        '',
        `Create the environment '${environment}' (Settings > Environments) and give it required`,
        'reviewers: every restore waits for their approval after showing its plan.',
        '',
      ].join('\n'),
    );
    return ExitCode.ok;
  } catch (err) {
    io.stderr(`error: ${describeForCli(err)}\n`);
    return exitCodeFor(err);
  }
}
