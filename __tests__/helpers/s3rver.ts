import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

/** s3rver's credentials: it checks signatures, so clients must sign with these. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface S3rverHandle {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  /** An S3 client signed for this server, for setup and inspection. */
  client: S3Client;
  /** Environment a storage context needs to reach the server. */
  env: NodeJS.ProcessEnv;
  /** Creates a uniquely named, empty bucket. */
  createBucket(): Promise<string>;
  /** Empties and removes a bucket. */
  deleteBucket(bucket: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts s3rver (the npm package) in this process on a random port with its data in a new
 * temporary folder. Returns undefined with a reason when it cannot run; callers skip, or
 * fail when CI=true.
 */
export async function startS3rver(): Promise<S3rverHandle | { unavailable: string }> {
  let S3rver: S3rverClass;
  try {
    S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  } catch (err) {
    return { unavailable: `s3rver is not installed: ${(err as Error).message}` };
  }
  const directory = await mkdtemp(join(tmpdir(), 'lifeboat-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
  });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    return { unavailable: `s3rver did not start: ${(err as Error).message}` };
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    port,
    client,
    env: {
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    },
    async createBucket() {
      const bucket = `lifeboat-test-${randomBytes(6).toString('hex')}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async deleteBucket(bucket) {
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (page.Contents ?? []).map((o) => o.Key!);
        for (const Key of keys) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
        if (!page.IsTruncated) break;
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export type Fault =
  | 'pass'
  | 'reset'
  | { status: number; code: string; message?: string }
  /** Pass the request on, then reset the connection after this many bytes of the answer's body. */
  | { cutAfter: number };

export interface FaultProxy {
  endpoint: string;
  /** Every request seen, in order: method and URL (path + query). */
  requests: Array<{ method: string; url: string; fault: Fault; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of s3rver that decides per request whether to pass it on, answer with
 * an S3-style XML error, or reset the connection. Headers pass unchanged, so SigV4 signatures
 * (which cover the Host header) still verify at s3rver.
 */
export async function startFaultProxy(
  targetPort: number,
  decide: (request: { method: string; url: string; index: number }) => Fault,
): Promise<FaultProxy> {
  const requests: FaultProxy['requests'] = [];
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const fault = decide({ method, url, index: requests.length });
    requests.push({ method, url, fault, headers: req.headers });
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault !== 'pass' && !('cutAfter' in fault)) {
      // Drain the body first so the client sees the answer, not a broken pipe.
      req.resume();
      req.on('end', () => {
        const body =
          method === 'HEAD'
            ? ''
            : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code>` +
              `<Message>${fault.message ?? fault.code}</Message><RequestId>proxy</RequestId></Error>`;
        res.writeHead(fault.status, {
          'Content-Type': 'application/xml',
          'Content-Length': Buffer.byteLength(body),
        });
        res.end(body);
      });
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method, path: url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        if (fault === 'pass') {
          upstreamRes.pipe(res);
          return;
        }
        let left = fault.cutAfter;
        upstreamRes.on('data', (chunk: Buffer) => {
          if (left <= 0) return;
          const piece = chunk.subarray(0, left);
          left -= piece.length;
          res.write(piece, () => {
            if (left <= 0) {
              upstreamRes.destroy();
              req.socket.resetAndDestroy();
            }
          });
        });
        upstreamRes.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
