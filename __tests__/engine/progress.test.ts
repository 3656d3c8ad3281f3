import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import {
  formatProgress,
  formatTimeLeft,
  metered,
  periodicProgress,
  type Every,
} from '../../src/core/progress.ts';
import { StatusLine } from '../../src/cli/status-line.ts';

const MiB = 1024 * 1024;

/** A clock and timer the test moves by hand: no real time passes. */
function fakeTime() {
  let t = 1_000_000;
  const timers = new Set<{ fn: () => void; ms: number; next: number }>();
  const every: Every = (fn, ms) => {
    const timer = { fn, ms, next: t + ms };
    timers.add(timer);
    return () => timers.delete(timer);
  };
  return {
    now: () => t,
    every,
    active: () => timers.size,
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = [...timers].filter((x) => x.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        t = due.next;
        due.next += due.ms;
        due.fn();
      }
      t = end;
    },
  };
}

describe('progress formatting', () => {
  test('known size: bytes of total, percent, rate and time left', () => {
    assert.equal(
      formatProgress({
        label: 'Reading from s3://b',
        bytes: 300 * MiB,
        total: 1200 * MiB,
        elapsedMs: 10_000,
      }),
      'Reading from s3://b: 300.0 MiB of 1.2 GiB (25%), 30.0 MiB/s, about 30 s left',
    );
  });

  test('unknown size: bytes so far and rate, no percent or time left', () => {
    assert.equal(
      formatProgress({ label: 'Dumping app', bytes: 3 * 1024 ** 3, elapsedMs: 60_000 }),
      'Dumping app: 3.0 GiB so far, 51.2 MiB/s',
    );
  });

  test('nothing moved yet: no rate, no time left', () => {
    assert.equal(
      formatProgress({
        label: 'Uploading to file:/b',
        bytes: 0,
        total: 10 * MiB,
        elapsedMs: 30_000,
      }),
      'Uploading to file:/b: 0 B of 10.0 MiB (0%)',
    );
  });

  test('percent never passes 100 and a finished read has no time left', () => {
    assert.equal(
      formatProgress({ label: 'x', bytes: 2048, total: 2000, elapsedMs: 1000 }),
      'x: 2.0 KiB of 2.0 KiB (100%), 2.0 KiB/s',
    );
  });

  test('time left in human units', () => {
    assert.equal(formatTimeLeft(400), '1 s');
    assert.equal(formatTimeLeft(42_000), '42 s');
    assert.equal(formatTimeLeft(5 * 60_000 + 3_000), '5 min 3 s');
    assert.equal(formatTimeLeft(10 * 60_000), '10 min');
    assert.equal(formatTimeLeft(2 * 3_600_000 + 5 * 60_000), '2 h 5 min');
    assert.equal(formatTimeLeft(5 * 86_400_000), '5 d');
  });
});

describe('progress in a log: at most one line per task every interval', () => {
  test('a phase shorter than the interval prints nothing', () => {
    const clock = fakeTime();
    const lines: string[] = [];
    const reporter = periodicProgress({
      intervalMs: 30_000,
      write: (l) => lines.push(l),
      ...clock,
    });
    const task = reporter.start('Uploading to file:/b');
    for (let i = 0; i < 100; i++) {
      clock.advance(100);
      task.add(MiB);
    }
    task.end();
    assert.deepEqual(lines, []);
    assert.equal(clock.active(), 0, 'the timer is cancelled at the end');
  });

  test('many chunks within 30 s give one line; the next comes 30 s later', () => {
    const clock = fakeTime();
    const lines: string[] = [];
    const reporter = periodicProgress({
      intervalMs: 30_000,
      write: (l) => lines.push(l),
      ...clock,
    });
    const task = reporter.start('Reading from file:/b', { total: 100 * MiB });
    // 1 MiB every second: one line at 30 s, none for the chunks up to 59 s.
    for (let s = 1; s <= 59; s++) {
      task.add(MiB);
      clock.advance(1000);
    }
    assert.deepEqual(lines, [
      'Reading from file:/b: 30.0 MiB of 100.0 MiB (30%), 1.0 MiB/s, about 1 min 10 s left',
    ]);
    task.add(MiB);
    clock.advance(1000);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /60\.0 MiB of 100\.0 MiB \(60%\)/);
    task.end();
    clock.advance(120_000);
    assert.equal(lines.length, 2, 'nothing after the end');
  });

  test('a stalled transfer still reports every interval, its rate falling', () => {
    const clock = fakeTime();
    const lines: string[] = [];
    const reporter = periodicProgress({
      intervalMs: 30_000,
      write: (l) => lines.push(l),
      ...clock,
    });
    const task = reporter.start('Uploading to s3://b');
    task.add(60 * MiB);
    clock.advance(90_000);
    task.end();
    assert.deepEqual(lines, [
      'Uploading to s3://b: 60.0 MiB so far, 2.0 MiB/s',
      'Uploading to s3://b: 60.0 MiB so far, 1.0 MiB/s',
      'Uploading to s3://b: 60.0 MiB so far, 682.7 KiB/s',
    ]);
  });

  test('work counted elsewhere is read, from where it stood at the start', () => {
    const clock = fakeTime();
    const lines: string[] = [];
    let written = 500;
    const reporter = periodicProgress({
      intervalMs: 30_000,
      write: (l) => lines.push(l),
      ...clock,
    });
    const task = reporter.start('Dumping app', { read: () => written });
    written += 30 * MiB;
    clock.advance(30_000);
    task.end();
    assert.deepEqual(lines, ['Dumping app: 30.0 MiB so far, 1.0 MiB/s']);
  });

  test('metered() counts every byte that passes and ends the task with the stream', async () => {
    let counted = 0;
    let ended = 0;
    const out = metered(Readable.from([Buffer.from('abc'), Buffer.from('defgh')]), {
      add: (n) => (counted += n),
      end: () => ended++,
    });
    assert.equal(await text(out), 'abcdefgh');
    await new Promise((r) => setImmediate(r));
    assert.equal(counted, 8);
    assert.equal(ended, 1);
  });

  test('metered() passes a source failure on and still ends the task', async () => {
    let ended = 0;
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    const out = metered(failing, { add: () => undefined, end: () => ended++ });
    await assert.rejects(text(out), /connection reset/);
    assert.equal(ended, 1);
  });
});

describe('the CLI status line on a terminal', () => {
  test('redraws one line at most every 250 ms, joins phases, erases itself at the end', () => {
    const clock = fakeTime();
    let screen = '';
    const line = new StatusLine({ write: (t) => (screen += t), columns: () => 200, ...clock });
    const upload = line.start('Uploading to file:/b');
    const dump = line.start('Dumping app');
    upload.add(MiB);
    const first = screen;
    assert.equal(first, '\r\x1b[KUploading to file:/b: 1.0 MiB so far | Dumping app: 0 B so far');
    clock.advance(100);
    upload.add(MiB);
    assert.equal(screen, first, 'no redraw within 250 ms');
    clock.advance(200);
    dump.add(MiB);
    assert.notEqual(screen, first);
    dump.end();
    upload.end();
    assert.ok(screen.endsWith('\r\x1b[K'), 'the last phase erases the line');
    assert.equal(clock.active(), 0);
  });

  test('is cut to the terminal width', () => {
    const clock = fakeTime();
    let last = '';
    const line = new StatusLine({ write: (t) => (last = t), columns: () => 40, ...clock });
    const task = line.start('Reading from s3://a-very-long-bucket-name/with/a/prefix');
    task.add(1);
    assert.equal(last.replace('\r\x1b[K', '').length, 39);
    assert.ok(last.endsWith('…'));
    task.end();
  });

  test('clear() before a log line, then the next update draws again', () => {
    const clock = fakeTime();
    let screen = '';
    const line = new StatusLine({ write: (t) => (screen += t), columns: () => 80, ...clock });
    const task = line.start('Dumping app');
    task.add(10);
    line.clear();
    assert.ok(screen.endsWith('\r\x1b[K'));
    line.clear();
    assert.equal(screen.split('\r\x1b[K').length, 3, 'a second clear writes nothing');
    clock.advance(1000);
    assert.match(screen, /Dumping app: 10 B so far[^]*$/);
    task.end();
  });
});
