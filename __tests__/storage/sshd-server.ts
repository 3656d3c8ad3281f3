import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ADDRESS_IN_USE, withSparePort } from '../helpers/ports.ts';
import { stopChild } from './azurite-server.ts';

export const SSHD = '/usr/sbin/sshd';

export interface SshdServer {
  port: number;
  user: string;
  /** A directory the test user may write, removed by stop(). */
  dataDir: string;
  /** The test user's private key (OpenSSH format), listed in authorized_keys. */
  userKey: string;
  /** The server's host key line as known_hosts wants it: `[127.0.0.1]:port ssh-ed25519 AAAA…`. */
  knownHostsLine: string;
  /** SHA256:… as `ssh-keygen -lf` prints it for the host key. */
  hostFingerprint: string;
  /** A fresh private key the server does not know. */
  strangerKey: string;
  stop(): Promise<void>;
}

function keygen(path: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], {
    stdio: 'ignore',
  });
}

/**
 * Starts Debian's OpenSSH server in the foreground on a spare port with a throwaway host key,
 * started again on another port when that one was taken first (sshd cannot bind port 0: it
 * rejects `Port 0` as "Badly formatted port number"),
 * the current user as the only login (public key only, from a temp authorized_keys) and
 * internal-sftp. Nothing outside a temp directory is touched except /run/sshd, which sshd
 * insists on for privilege separation when run as root.
 */
export async function startSshd(): Promise<SshdServer> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install -y openssh-server`);
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-sshd-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  keygen(join(dir, 'host_ed25519'), 'lifeboat-test-host');
  keygen(join(dir, 'user_ed25519'), 'lifeboat-test-user');
  keygen(join(dir, 'stranger_ed25519'), 'lifeboat-test-stranger');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_ed25519.pub')));
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = userInfo().username;
  const hostPub = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/);
  const hostFingerprint = execFileSync(
    'ssh-keygen',
    ['-l', '-E', 'sha256', '-f', join(dir, 'host_ed25519.pub')],
    {
      encoding: 'utf8',
    },
  ).split(/\s+/)[1]!;

  try {
    return await withSparePort<SshdServer>(async (port) => {
      const config = join(dir, 'sshd_config');
      writeFileSync(
        config,
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${join(dir, 'host_ed25519')}`,
          `PidFile ${join(dir, 'sshd.pid')}`,
          `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
          'StrictModes no',
          'PubkeyAuthentication yes',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin prohibit-password',
          'UsePAM no',
          `AllowUsers ${user}`,
          'Subsystem sftp internal-sftp',
          'LogLevel VERBOSE',
          '',
        ].join('\n'),
      );
      const child = spawn(SSHD, ['-D', '-e', '-f', config], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      const listening = await new Promise<boolean>((resolve) => {
        child.stderr!.on('data', (d: Buffer) => {
          log += d.toString();
          if (/Server listening on 127\.0\.0\.1 port/.test(log)) resolve(true);
          if (ADDRESS_IN_USE.test(log)) resolve(false);
        });
        child.once('exit', () => resolve(false));
      });
      if (!listening) {
        await stopChild(child);
        if (ADDRESS_IN_USE.test(log)) return { inUse: log };
        throw new Error(`sshd did not start:\n${log}`);
      }
      const server: SshdServer = {
        port,
        user,
        dataDir,
        userKey: readFileSync(join(dir, 'user_ed25519'), 'utf8'),
        strangerKey: readFileSync(join(dir, 'stranger_ed25519'), 'utf8'),
        knownHostsLine: `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}`,
        hostFingerprint,
        async stop() {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return { server };
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
