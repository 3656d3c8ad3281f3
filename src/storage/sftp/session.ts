import { type SFTPWrapper } from 'ssh2';
import { StorageError } from '../../core/errors.ts';
import { Client } from './protocol.ts';

/**
 * One SSH connection with its SFTP channel. ssh2 never calls back requests sent after the
 * connection died, so every request goes through run(), which fails them all when it closes.
 */
export class Session {
  readonly client: InstanceType<typeof Client>;
  readonly sftp: SFTPWrapper;
  readonly root: string;
  private lost: StorageError | undefined;
  private readonly pending = new Set<(err: Error) => void>();

  constructor(client: InstanceType<typeof Client>, sftp: SFTPWrapper, root: string) {
    this.client = client;
    this.sftp = sftp;
    this.root = root;
  }

  markLost(err: StorageError): void {
    this.lost ??= err;
    for (const reject of this.pending) reject(this.lost);
    this.pending.clear();
  }

  run<T>(fn: (cb: (err: Error | undefined | null, value: T) => void) => void): Promise<T> {
    if (this.lost) return Promise.reject(this.lost);
    return new Promise<T>((resolve, reject) => {
      const fail = (err: Error) => reject(err);
      this.pending.add(fail);
      try {
        fn((err, value) => {
          this.pending.delete(fail);
          if (err) reject(err);
          else resolve(value);
        });
      } catch (err) {
        this.pending.delete(fail);
        reject(err as Error);
      }
    });
  }
}

export type HostVerdict = {
  kind: 'unknown' | 'mismatch' | 'revoked';
  type: string;
  fingerprint: string;
};
