import type { Options } from '../options/parse.ts';
import { OPTIONS } from '../options/schema.ts';
import { optionRef } from '../core/option-ref.ts';
import { lines, str } from '../options/parse.ts';
import type { RunReport } from '../report/report.ts';
import { checkSchedule } from '../retention/freshness.ts';
import { parseDuration, parseRetentionPolicy } from '../retention/policy.ts';
import { backupSetName, createBackup } from './backup.ts';
import { encryptionFor } from './encryption.ts';
import { signingKeyFor } from './signing.ts';
import { listCommand, pruneCommand, pruneSet, statusCheck, statusCommand } from './catalog.ts';
import { verifyCommand } from './verify.ts';
import { runTempRoot, sweepStaleTemp } from '../core/temp.ts';
import type { RunContext } from '../core/context.ts';
import { useDestinations } from './destinations.ts';
import { RunSession } from './session.ts';
import {
  CancelledError,
  LifeboatError,
  describeError,
  describeErrorTemplate,
  exitCodeFor,
} from '../core/errors.ts';
import { lockSet, lockSettings, whileLocked, type HeldLocks, type LockSettings } from './lock.ts';
import { drillCommand } from './drill.ts';
import { checkWorkflowActivity } from './keep-alive.ts';
import { reportCommand } from './report-command.ts';
import { restoreBackup } from './restore.ts';
import { announceRun, prepareAnnouncements, type Announcements } from './announce.ts';

export type ErrorKindOutput = 'none' | 'config' | 'operational' | 'integrity';

const KIND_BY_EXIT_CODE: Record<number, ErrorKindOutput> = {
  0: 'none',
  1: 'operational',
  2: 'config',
  3: 'integrity',
};

/** The `error-kind` output: derived from the exit code so the two can never disagree. */
export function errorKindOf(err: unknown): ErrorKindOutput {
  if (err === undefined) return 'none';
  return KIND_BY_EXIT_CODE[exitCodeFor(err)] ?? 'operational';
}

/**
 * Runs one command in its own session (the report, the abort signal, the cleanup stack and the
 * temporary folder). Throws typed errors; the report is filled in either way.
 */
export async function runCommand(
  options: Options,
  ctx: RunContext,
  report: RunReport,
): Promise<void> {
  await sweepStaleTemp(runTempRoot(ctx), ctx.log).catch(() => undefined);
  warnUnread(options, ctx);
  warnMisplaced(options, ctx);
  let announcements: Announcements | undefined;
  let failure: unknown;
  try {
    announcements = prepareAnnouncements(options, ctx);
    await RunSession.run(options, ctx, report, dispatch);
  } catch (err) {
    // Whatever a cancelled step made of the abort (a killed tool, a broken stream), the run
    // was cancelled, and says so (error-kind operational: 130/143 are not config or integrity).
    const cause = err instanceof CancelledError ? err : (cancelledReason(ctx) ?? err);
    report.error = describeError(cause);
    report.outputs['error-kind'] = errorKindOf(cause);
    failure = cause;
    throw cause;
  } finally {
    report.finishedMs = Date.now();
    if (report.backupId) report.outputs['backup-id'] = report.backupId;
    if (report.sha256) report.outputs['sha256'] = report.sha256;
    if (report.size !== undefined) report.outputs['size'] = String(report.size);
    report.outputs['duration-ms'] = String(report.durationMs);
    report.outputs['error-kind'] ??= 'none';
    // After every command, failed or not; never throws (a notification cannot fail a run).
    if (announcements) await announceRun(announcements, options, ctx, report, failure);
  }
}

async function dispatch(session: RunSession): Promise<void> {
  const { options, ctx, report } = session;
  switch (options.command) {
    case 'backup':
      await backupCommand(session);
      return await checkWorkflowActivity(options, ctx, report);
    case 'restore':
      await restoreBackup(session);
      report.outputs['verified'] = 'true';
      return;
    case 'verify':
      return await verifyCommand(session);
    case 'list':
      return await listCommand(options, ctx, report);
    case 'prune':
      return await pruneCommand(options, ctx, report);
    case 'status':
      try {
        return await statusCommand(options, ctx, report);
      } finally {
        await checkWorkflowActivity(options, ctx, report);
      }
    case 'drill':
      return await drillCommand(session);
    case 'report':
      return await reportCommand(options, ctx, report);
  }
}

/** A set option the command ignores is usually a mistake (a keep-* on restore): say so. */
function warnUnread(options: Options, ctx: RunContext): void {
  for (const name of options.unread ?? []) {
    const readers = OPTIONS.find((o) => o.name === name)?.commands;
    const by = Array.isArray(readers) ? ` (read by ${readers.join(', ')})` : '';
    ctx.log.warn(
      `${optionRef(name)} has no effect on '${options.command}'${by}; remove it from this step`,
    );
  }
}

/**
 * A driver's option with no driver of that kind in the run is usually a mistake too (`jobs`
 * with only a sqlite source, `s3-region` with a file destination): name the kind it is for.
 */
function warnMisplaced(options: Options, ctx: RunContext): void {
  for (const { name, owner, among } of options.misplaced ?? []) {
    const kinds = owner.kinds.join(', ').replace(/, ([^,]*)$/, ' and $1');
    const noun = among === 'destinations' ? 'destinations' : 'sources';
    const schemes = owner.schemes.map((s) => `${s}:`).join(' ');
    ctx.log.warn(
      `${optionRef(name)} is read only by ${kinds} ${noun} (${schemes}), and none of this run's ${among} is one; remove it from this step`,
    );
  }
}

function cancelledReason(ctx: RunContext): LifeboatError | undefined {
  const reason: unknown = ctx.signal?.aborted ? ctx.signal.reason : undefined;
  return reason instanceof LifeboatError ? reason : undefined;
}

/**
 * Everything a backup will need later is parsed now, so a typo fails before the first byte is
 * dumped (a bad keep-within used to be found only after the backup was stored).
 */
export function checkBackupOptions(options: Options, ctx: RunContext): LockSettings {
  encryptionFor(options, ctx);
  signingKeyFor(options, ctx);
  parseRetentionPolicy(options.values as Parameters<typeof parseRetentionPolicy>[0]);
  checkSchedule(lines(options, 'schedule'), ctx.now());
  const grace = str(options, 'grace');
  if (grace) parseDuration('grace', grace);
  return lockSettings(options);
}

async function backupCommand(session: RunSession): Promise<void> {
  const { options, ctx, report } = session;
  const lock = checkBackupOptions(options, ctx);
  const set = backupSetName(options);
  const all = await useDestinations(session);
  // The lock is the first object written: a destination that cannot take it is reported
  // as failed before anything is dumped, and the rest go on.
  const locks = await lockSet(all, set, lock, ctx, 'backup');
  try {
    // Losing the lock aborts everything the locked part does.
    await session.step((locked) => backupLocked(locked, locks), {
      ctx: whileLocked(ctx, locks),
    });
  } catch (err) {
    // Whatever the abort broke along the way, the reason the run stopped is the lost lock.
    if (locks.lost.aborted) throw locks.lost.reason;
    throw err;
  } finally {
    // Reported in the order they were given, unwritable ones included.
    const order = all.map((d) => d.displayUrl);
    report.destinations.sort((a, b) => order.indexOf(a.url) - order.indexOf(b.url));
    await locks.release();
  }
}

async function backupLocked(session: RunSession, locks: HeldLocks): Promise<void> {
  const { options, ctx, report } = session;
  const outcome = await createBackup(session, {
    destinations: locks.held,
    unwritable: locks.failed,
  });
  const first = report.destinations.find((d) => d.ok);
  report.outputs['location'] = first
    ? `${first.url.replace(/\/$/, '')}/${outcome.manifest.archive.key}`
    : '';
  report.outputs['verified'] = String(report.destinations.every((d) => d.verified));
  // Retention and freshness only after a fully successful backup: a failed run deletes nothing.
  locks.assertHeld();
  // A cancel from here on finds the backup stored: the run still stops and says both.
  await afterStored(ctx, outcome.id, 'retention', () =>
    pruneSet(options, ctx, report, outcome.stored, outcome.set, [outcome.id]),
  );
  const explicitSchedule = lines(options, 'schedule').length > 0;
  if (explicitSchedule || ctx.workflowSchedule) {
    await afterStored(ctx, outcome.id, 'the freshness check', async () => {
      try {
        const fresh = await statusCheck(options, ctx, report, outcome.stored, outcome.set);
        if (fresh && !fresh.ok) ctx.log.warn(fresh.message);
      } catch (err) {
        if (!(err instanceof LifeboatError) || err instanceof CancelledError) throw err;
        // Right after a good backup the set is fresh by definition, so a workflow that is not
        // checked out (the usual artifact: job) only loses a formality: say so, do not warn
        // every night. A schedule the user set and we cannot use is worth a warning.
        (explicitSchedule ? ctx.log.warn : ctx.log.info)(
          `freshness not checked: ${describeErrorTemplate(err)}`,
        );
      }
    });
  }
}

/**
 * Runs a step that follows a stored backup. A cancel during it (whether the step noticed it or
 * finished anyway) ends the run as cancelled, naming the stored backup so nobody takes the
 * 130/143 for a lost backup.
 */
async function afterStored(
  ctx: RunContext,
  id: string,
  step: string,
  work: () => Promise<void>,
): Promise<void> {
  let failure: unknown;
  try {
    await work();
  } catch (err) {
    failure = err;
  }
  const reason = cancelledReason(ctx);
  if (reason instanceof CancelledError) {
    throw new CancelledError(
      reason.signal,
      `backup ${id} was stored, but ${step} was cancelled before it finished`,
    );
  }
  if (failure !== undefined) throw failure;
}
