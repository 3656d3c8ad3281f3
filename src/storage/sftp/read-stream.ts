import { Readable } from 'node:stream';
import { StorageError } from '../../core/errors.ts';
import { PIECE_BYTES, WINDOW } from './protocol.ts';
import { Session } from './session.ts';

/** Reads a remote file with up to WINDOW requests in flight, delivering bytes in order. */
export class SftpReadStream extends Readable {
  private readonly session: Session;
  private handle: Buffer | undefined;
  private readonly size: number;
  private readonly label: string;
  private readonly mapError: (err: unknown) => StorageError;
  private readonly queue: Array<{ position: number; length: number; result: Promise<Buffer> }> = [];
  private next = 0;
  private pumping = false;
  private wake: (() => void) | undefined;

  constructor(
    session: Session,
    handle: Buffer,
    size: number,
    label: string,
    mapError: (err: unknown) => StorageError,
    start: number,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.next = start;
    this.label = label;
    this.session = session;
    this.handle = handle;
    this.size = size;
    this.mapError = mapError;
  }

  private request(position: number, length: number) {
    const h = this.handle!;
    const result = this.session.run<Buffer>((cb) =>
      this.session.sftp.read(
        h,
        Buffer.allocUnsafe(length),
        0,
        length,
        position,
        (err, bytesRead, buffer) =>
          err ? cb(err, Buffer.alloc(0)) : cb(undefined, buffer.subarray(0, bytesRead)),
      ),
    );
    result.catch(() => undefined);
    return { position, length, result };
  }

  override _read(): void {
    if (this.wake) {
      const w = this.wake;
      this.wake = undefined;
      w();
    }
    if (this.pumping) return;
    this.pumping = true;
    this.pump().catch((err: unknown) => this.destroy(this.mapError(err)));
  }

  private async pump(): Promise<void> {
    for (;;) {
      while (this.queue.length < WINDOW && this.next < this.size) {
        const length = Math.min(PIECE_BYTES, this.size - this.next);
        this.queue.push(this.request(this.next, length));
        this.next += length;
      }
      const head = this.queue.shift();
      if (!head) break;
      const data = await head.result;
      if (this.destroyed) return;
      if (data.length === 0) {
        throw new StorageError(
          `${this.label}: file ended at byte ${head.position} of ${this.size} (changed while reading?)`,
          { transient: true, reason: 'truncated' },
        );
      }
      if (data.length < head.length) {
        // A short read: fetch the rest of this piece before anything after it.
        this.queue.unshift(this.request(head.position + data.length, head.length - data.length));
      }
      if (!this.push(data)) await new Promise<void>((resolve) => (this.wake = resolve));
      if (this.destroyed) return;
    }
    await this.release();
    if (!this.destroyed) this.push(null);
  }

  private async release(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (h)
      await this.session.run<void>((cb) => this.session.sftp.close(h, cb)).catch(() => undefined);
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.wake?.();
    this.release().then(
      () => cb(err),
      () => cb(err),
    );
  }
}
