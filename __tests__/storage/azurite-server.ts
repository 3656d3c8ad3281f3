import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteServer {
  /** Blob endpoint including the account path, e.g. http://127.0.0.1:41234/devstoreaccount1 */
  endpoint: string;
  port: number;
  connectionString: string;
  stop(): Promise<void>;
}

/** Where the azurite-blob entry point lives, or undefined when the package is not installed. */
export function azuriteBlobEntry(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('azurite/package.json');
    const entry = join(dirname(pkg), 'dist', 'src', 'blob', 'main.js');
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Starts an in-memory Azurite blob service on a free port (the OS picks it) with the project's Node. */
export async function startAzurite(): Promise<AzuriteServer> {
  const entry = azuriteBlobEntry();
  if (!entry) throw new Error('azurite is not installed (npm ci installs it as a devDependency)');
  const child = spawn(
    process.execPath,
    [
      entry,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      '--silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /successfully listens on https?:\/\/[^:]+:(\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`azurite exited with ${code} before listening:\n${output}`)),
    );
  });
  const endpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return {
    endpoint,
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${endpoint};`,
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
