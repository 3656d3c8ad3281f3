import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';

export interface Node {
  path: string;
  type: string;
  mode: number;
  mtime: number;
  size?: number;
  sha256?: string;
  link?: string;
}

/** Everything under `root` as lstat sees it, for comparing trees. */
export async function listTree(root: string, rel = ''): Promise<Node[]> {
  const out: Node[] = [];
  for (const name of (await readdir(join(root, rel))).sort()) {
    const p = rel ? `${rel}/${name}` : name;
    const abs = join(root, p);
    const st = await lstat(abs);
    const node: Node = {
      path: p,
      type: st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'file',
      mode: st.isSymbolicLink() ? 0 : st.mode & 0o7777,
      mtime: Math.floor(st.mtimeMs / 1000),
    };
    if (st.isFile()) {
      node.size = st.size;
      node.sha256 = createHash('sha256')
        .update(await readFile(abs))
        .digest('hex');
    }
    if (st.isSymbolicLink()) node.link = await readlink(abs);
    out.push(node);
    if (st.isDirectory()) out.push(...(await listTree(root, p)));
  }
  return out;
}

export const OLD = new Date('2021-03-04T05:06:07.000Z');
export const OLDER = new Date('2019-01-02T03:04:05.000Z');

export async function makeTree(root: string): Promise<void> {
  await mkdir(join(root, 'docs', 'deep', 'er'), { recursive: true });
  await mkdir(join(root, 'empty dir'));
  await writeFile(join(root, 'empty.txt'), '');
  await writeFile(join(root, 'binary.bin'), Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]));
  await writeFile(join(root, 'big.dat'), randomBytes(5 * 1024 * 1024));
  await writeFile(join(root, 'name with spaces.txt'), 'spaces');
  await writeFile(join(root, 'docs', 'ünïcødé 文件.md'), '# hällo\n');
  await writeFile(join(root, 'docs', 'deep', 'er', 'leaf.txt'), 'leaf');
  await writeFile(join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(root, 'run.sh'), 0o755);
  await writeFile(join(root, 'secret.txt'), 'only me');
  await chmod(join(root, 'secret.txt'), 0o600);
  await symlink('docs/deep/er/leaf.txt', join(root, 'leaf-link'));
  await symlink('../../binary.bin', join(root, 'docs', 'deep', 'up-link'));
  await chmod(join(root, 'docs', 'deep'), 0o750);
  for (const p of ['empty.txt', 'binary.bin', 'big.dat', 'docs/ünïcødé 文件.md', 'run.sh']) {
    await utimes(join(root, p), OLD, OLD);
  }
  for (const p of ['docs/deep/er', 'docs/deep', 'docs', 'empty dir']) {
    await utimes(join(root, p), OLDER, OLDER);
  }
}
