import { PassThrough, type Readable } from 'node:stream';

/**
 * Copies one stream into several branches (one per destination) with backpressure. A branch
 * whose consumer failed is dropped and the others go on, so one broken destination does not
 * stop the rest; when every branch has failed, the pump stops.
 */
export interface Branch {
  stream: PassThrough;
  failed: boolean;
  /** Settles when the consumer is done (the destination's put). */
  settle(done: Promise<unknown>): void;
}

export function createBranches(count: number, highWaterMark = 1 << 20): Branch[] {
  return Array.from({ length: count }, () => {
    const stream = new PassThrough({ highWaterMark });
    // The put reports a branch's failure; a cancel may destroy a branch whose put has not
    // started reading it yet, and that must not crash the process.
    stream.on('error', () => undefined);
    const branch: Branch = {
      stream,
      failed: false,
      settle(done) {
        done.then(
          () => undefined,
          () => {
            branch.failed = true;
            stream.emit('lifeboat-failed');
          },
        );
      },
    };
    return branch;
  });
}

/** Resolves once a branch that refused a write has drained, closed or failed. */
function whenWritable(branch: Branch): Promise<void> {
  if (branch.failed || branch.stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      branch.stream.off('drain', done);
      branch.stream.off('close', done);
      branch.stream.off('lifeboat-failed', done);
      resolve();
    };
    branch.stream.on('drain', done);
    branch.stream.on('close', done);
    branch.stream.on('lifeboat-failed', done);
  });
}

/**
 * Pumps source into the branches. On a source error every branch is destroyed with it. Pieces
 * are handed on as they arrive ('data' events; async iteration would concatenate whatever is
 * buffered into new copies), and the source pauses while any live branch is full.
 */
export function pumpToBranches(source: Readable, branches: Branch[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let waiting = false;
    let ended = false;
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
      if (err !== undefined) {
        for (const b of branches) b.stream.destroy(err as Error);
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      for (const b of branches) if (!b.failed) b.stream.end();
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      const live = branches.filter((b) => !b.failed);
      if (live.length === 0) {
        // Every destination failed: stop the producer; the puts report why.
        source.destroy();
        finish();
        return;
      }
      const full = live.filter((b) => !b.stream.destroyed && !b.stream.write(chunk));
      if (full.length === 0 || waiting) return;
      waiting = true;
      source.pause();
      void Promise.all(full.map(whenWritable)).then(() => {
        waiting = false;
        if (ended) finish();
        else if (!settled) source.resume();
      });
    };
    const onEnd = (): void => {
      ended = true;
      if (!waiting) finish();
    };
    const onError = (err: Error): void => finish(err);
    const onClose = (): void => {
      if (!ended && !settled) {
        finish(
          source.errored ??
            Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }),
        );
      }
    };
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('close', onClose);
  });
}
