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

function writeTo(branch: Branch, chunk: Buffer): Promise<void> {
  if (branch.failed || branch.stream.destroyed) return Promise.resolve();
  if (branch.stream.write(chunk)) return Promise.resolve();
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

/** Pumps source into the branches. On a source error every branch is destroyed with it. */
export async function pumpToBranches(source: Readable, branches: Branch[]): Promise<void> {
  try {
    for await (const chunk of source) {
      const live = branches.filter((b) => !b.failed);
      if (live.length === 0) break;
      await Promise.all(live.map((b) => writeTo(b, chunk as Buffer)));
    }
  } catch (err) {
    for (const b of branches) b.stream.destroy(err as Error);
    throw err;
  }
  for (const b of branches) if (!b.failed) b.stream.end();
}
