import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DefaultArtifactClient } from '@actions/artifact';
import { ConfigError, IntegrityError, StorageError } from '../../core/errors.ts';
import { formatBytes } from '../../core/log.ts';
import { fileByteSource, openZipEntry, readZipDirectory, type ZipEntry } from './zip.ts';
import { checkKey, checkPrefix } from '../keys.ts';
import {
  checkGroup,
  groupNameOf,
  type GetOptions,
  type ObjectGroup,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
  type Storage,
  type StorageCapabilities,
  type StorageContext,
  type StorageFactory,
} from '../types.ts';
import { confirmUpload, spoolMember, unchangedOnDisk, type HeldGroup } from './spool.ts';
import { ArtifactApi, toStorageError, type RemoteArtifact } from './rest.ts';
import {
  INVALID_NAME_CHARS,
  parseArtifactUrl,
  parseRepository,
  parseRetentionDays,
} from './settings.ts';

/**
 * `artifact:[name-prefix]`: backups as GitHub Actions artifacts, one artifact per backup.
 *
 * An artifact is immutable once finalized, and one backup is several keys written as a group
 * (`ObjectGroup`, announced by the engine with `beginGroup`: archive and sidecars, then the
 * commit key). So the group's members are spooled to a temp directory when they are put, and
 * the commit key's put uploads them all as ONE artifact named `<name-prefix><group name>` with
 * '/' as '-' (its members keep their keys as paths inside the zip): `groupCommit: 'on-commit'`.
 * Until then the held keys are visible only to this Storage instance (for the engine's
 * read-back); a group whose commit key is never put uploads nothing. Any key outside a group
 * is uploaded at once as an artifact named after the key itself. A later run finds a key's
 * artifact from the key alone: the group contract makes every member key `<group name>.<suffix>`,
 * so its artifact is named after `groupNameOf(key)`, or after the key for a lone object.
 * Nothing here knows which suffixes the engine uses.
 *
 * Upload goes through @actions/artifact (the runner's ACTIONS_RUNTIME_TOKEN); listing, reading
 * and deleting go through the REST API with `github-token`, so backups of earlier runs can be
 * listed, restored and pruned. Small members are read with range requests from the zip; an
 * archive is downloaded whole by the client and checked against the zip digest recorded at
 * upload and against its own .sha256 sidecar.
 *
 * The artifact client reads process.env (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL,
 * GITHUB_API_URL); StorageContext.env must be the same environment.
 */
export const artifactStorage: StorageFactory = {
  schemes: ['artifact'],
  create(url, ctx) {
    return new ArtifactStorage(parseArtifactUrl(url), ctx);
  },
};

const LIST_CONCURRENCY = 8;
/**
 * Members at least this big are downloaded whole through the artifact client, which checks the
 * zip against the digest recorded at upload; smaller ones are range-read out of the zip.
 */
const WHOLE_DOWNLOAD_BYTES = 1024 * 1024;

/** An artifact name for a group or lone key: the key's path with '/' as '-'. */
function flatten(namePrefix: string, stem: string): string {
  return namePrefix + stem.replaceAll('/', '-');
}

class ArtifactStorage implements Storage {
  readonly displayUrl: string;
  /**
   * An artifact appears whole at finalize; no conditional create (createExclusive is a
   * check-then-write); zip members cannot be read from an offset (skipped to); the REST
   * listing may lag an upload; groups are one artifact each.
   */
  readonly capabilities: StorageCapabilities = {
    atomicPut: true,
    conditionalCreate: false,
    rangeReads: false,
    listing: 'eventual',
    maxConnections: LIST_CONCURRENCY,
    groupCommit: 'on-commit',
  };
  /** Announced groups, by each of their keys. */
  private readonly groups = new Map<string, ObjectGroup>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly token: string | undefined;
  private readonly repository: { owner: string; repo: string } | undefined;
  private readonly apiUrl: string;
  private readonly api: ArtifactApi;
  private readonly retentionDays: number | undefined;
  private readonly held = new Map<string, HeldGroup>();
  private readonly directories = new Map<number, Promise<ZipEntry[]>>();
  private spool: Promise<string> | undefined;
  private client: Promise<DefaultArtifactClient> | undefined;

  private readonly namePrefix: string;
  private readonly ctx: StorageContext;

  constructor(namePrefix: string, ctx: StorageContext) {
    this.namePrefix = namePrefix;
    this.ctx = ctx;
    this.displayUrl = `artifact:${namePrefix}`;
    this.env = ctx.env;
    this.ctx.redactor.add(this.env['ACTIONS_RUNTIME_TOKEN']);
    const tokenOption = ctx.options['github-token'];
    this.token =
      (typeof tokenOption === 'string' && tokenOption.trim()) ||
      this.env['GITHUB_TOKEN']?.trim() ||
      undefined;
    this.ctx.redactor.add(this.token);
    this.apiUrl = (this.env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
    this.repository = parseRepository(
      ctx.options['artifact-repository'],
      this.env['GITHUB_REPOSITORY'],
    );
    this.retentionDays = parseRetentionDays(ctx.options['retention-days']);
    this.api = new ArtifactApi(this.token, this.repository, this.apiUrl, ctx);
    if (!this.inActions() && !this.token) {
      throw new ConfigError(
        'destination',
        'artifact: needs GitHub Actions: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set',
        {
          hint:
            'run Lifeboat as an action step (uses: <owner>/lifeboat@v1; a `run:` step does not receive the runtime token); ' +
            'outside Actions only list/restore work, with github-token and artifact-repository set',
        },
      );
    }
  }

  private inActions(): boolean {
    return Boolean(this.env['ACTIONS_RUNTIME_TOKEN'] && this.env['ACTIONS_RESULTS_URL']);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    checkKey(key, this.displayUrl);
    const name = this.nameFor(key);
    const group0 = this.groups.get(key);
    const held = group0 !== undefined && group0.commit !== key;
    if (!held && !this.inActions()) {
      throw new ConfigError(
        'destination',
        `cannot upload ${key}: artifacts can only be created inside GitHub Actions`,
        {
          hint: 'ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are missing; run Lifeboat as an action step (uses: …), not from a `run:` script',
        },
      );
    }
    let group = this.held.get(name);
    if (!group) {
      const root = await mkdtemp(join(await this.spoolDir(), 'group-'));
      group = { name, root, members: new Map() };
      this.held.set(name, group);
    }
    const member = await spoolMember(group, key, body, options);
    if (held) return { size: member.size, sha256: member.sha256 };
    try {
      options.signal?.throwIfAborted();
      await this.upload(group);
    } catch (err) {
      group.members.delete(key);
      await rm(member.path, { force: true });
      throw err;
    }
    this.held.delete(name);
    if (group0) for (const k of [...group0.members, group0.commit]) this.groups.delete(k);
    await rm(group.root, { recursive: true, force: true });
    return { size: member.size, sha256: member.sha256 };
  }

  beginGroup(group: ObjectGroup): void {
    checkGroup(group);
    for (const key of [...group.members, group.commit])
      this.groups.set(checkKey(key, this.displayUrl), group);
  }

  /**
   * Artifacts have no conditional create: this is a check-then-write, so two runs may both
   * succeed in a narrow window. A workflow `concurrency:` group is the real guard here.
   */
  async createExclusive(key: string, body: Buffer): Promise<boolean> {
    if (await this.stat(key)) return false;
    await this.put(key, Readable.from([body]), { contentType: 'application/json' });
    return true;
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const stream = await this.getWhole(key);
    // Zip entries and artifact downloads cannot start mid-way: skip to a resumed read's offset.
    return options.offset
      ? Readable.from(skipBytes(options.offset)(stream), { objectMode: false })
      : stream;
  }

  private async getWhole(key: string): Promise<Readable> {
    checkKey(key, this.displayUrl);
    const held = this.held.get(this.nameFor(key))?.members.get(key);
    if (held) return createReadStream(held.path);
    const found = await this.findMember(key);
    if (!found)
      throw new StorageError(`${key} not found in ${this.displayUrl}`, { notFound: true });
    if (found.whole) return this.downloadWhole(found.artifact, key);
    const src = await this.api.remoteSource(found.artifact);
    return openZipEntry(src, found.entry, `artifact ${found.artifact.name}`);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    checkKey(key, this.displayUrl);
    const held = this.held.get(this.nameFor(key))?.members.get(key);
    if (held) return { key, size: held.size, modified: held.modified, sha256: held.sha256 };
    const found = await this.findMember(key);
    return found ? { key, size: found.entry.size, modified: found.artifact.createdAt } : undefined;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    checkPrefix(prefix, this.displayUrl);
    const out = new Map<string, ObjectInfo>();
    // Only a key's last segment loses a suffix in its artifact name, so filter by the folder part.
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const namePrefix = this.namePrefix + folder.replaceAll('/', '-');
    const artifacts = (await this.api.listArtifacts()).filter((a) => a.name.startsWith(namePrefix));
    const directories = await mapLimit(artifacts, LIST_CONCURRENCY, async (a) => {
      try {
        return await this.directory(a);
      } catch (err) {
        if (err instanceof StorageError && err.notFound) return [];
        throw err;
      }
    });
    // Newest first, so when a key was written twice the latest artifact wins.
    for (const [i, a] of artifacts.entries()) {
      for (const entry of directories[i]!) {
        if (!entry.name.startsWith(prefix) || out.has(entry.name)) continue;
        if (!this.ownsKey(a, entry.name)) continue;
        out.set(entry.name, { key: entry.name, size: entry.size, modified: a.createdAt });
      }
    }
    for (const group of this.held.values()) {
      for (const m of group.members.values()) {
        if (m.key.startsWith(prefix))
          out.set(m.key, { key: m.key, size: m.size, modified: m.modified, sha256: m.sha256 });
      }
    }
    return [...out.values()];
  }

  async delete(key: string): Promise<void> {
    checkKey(key, this.displayUrl);
    const name = this.nameFor(key);
    const group = this.held.get(name);
    const held = group?.members.get(key);
    if (group && held) {
      group.members.delete(key);
      await rm(held.path, { force: true });
      if (!this.token) return;
    }
    for (const a of (
      await Promise.all(this.candidateNames(key).map((n) => this.api.listArtifacts(n)))
    ).flat()) {
      let entries: ZipEntry[];
      try {
        entries = await this.directory(a);
      } catch (err) {
        if (err instanceof StorageError && err.notFound) continue;
        throw err;
      }
      if (!entries.some((e) => e.name === key)) continue;
      await this.deleteArtifact(a);
    }
  }

  async close(): Promise<void> {
    const pending = [...this.held.values()].flatMap((g) => [...g.members.keys()]);
    if (pending.length > 0) {
      this.ctx.log.debug(
        `artifact: discarding ${pending.length} key(s) never committed by a manifest: ${pending.join(', ')}`,
      );
    }
    this.held.clear();
    if (this.spool) await rm(await this.spool, { recursive: true, force: true });
    this.spool = undefined;
  }

  /** The artifact a key is written to: its announced group's, else its own. */
  private nameFor(key: string): string {
    return this.checkedName(key, flatten(this.namePrefix, this.groups.get(key)?.name ?? key));
  }

  /** Where a key may live in earlier runs' artifacts: its group's artifact, or its own. */
  private candidateNames(key: string): string[] {
    const names = [this.nameFor(key)];
    for (const stem of [groupNameOf(key), key]) {
      const name = flatten(this.namePrefix, stem);
      if (!names.includes(name)) names.push(this.checkedName(key, name));
    }
    return names;
  }

  private checkedName(key: string, name: string): string {
    if (INVALID_NAME_CHARS.test(name)) {
      throw new StorageError(
        `${key} cannot be stored as a GitHub artifact: artifact names cannot contain " : < > | * ? \\`,
      );
    }
    return name;
  }

  /** A member belongs to an artifact only when its key maps to that artifact's name. */
  private ownsKey(a: RemoteArtifact, key: string): boolean {
    try {
      return this.candidateNames(checkKey(key, this.displayUrl)).includes(a.name);
    } catch {
      return false;
    }
  }

  private spoolDir(): Promise<string> {
    this.spool ??= mkdtemp(join(this.ctx.tmpRoot ?? tmpdir(), 'lifeboat-artifact-'));
    return this.spool;
  }

  private async artifactClient(): Promise<DefaultArtifactClient> {
    this.client ??= import('@actions/artifact').then((m) => new m.DefaultArtifactClient());
    return this.client;
  }

  private async upload(group: HeldGroup): Promise<void> {
    const members = [...group.members.values()];
    await unchangedOnDisk(members);
    this.warnAboutRetention();
    const client = await this.artifactClient();
    const files = members.map((m) => m.path);
    const total = members.reduce((n, m) => n + m.size, 0);
    this.ctx.log.info(
      `Uploading artifact ${group.name} (${members.length} file(s), ${formatBytes(total)})…`,
    );
    const options = {
      // The archive is compressed already; storing it saves a second compression pass.
      compressionLevel: 0,
      ...(this.retentionDays ? { retentionDays: this.retentionDays } : {}),
    };
    let result: { id?: number; size?: number; digest?: string };
    try {
      result = await client.uploadArtifact(group.name, files, group.root, options);
    } catch (err) {
      if (!/\(409\)/.test(String((err as Error)?.message)))
        throw toStorageError(err, `uploading ${group.name}`);
      // A failed attempt earlier in this run left an artifact of that name; replace it.
      this.ctx.log.warn(`artifact ${group.name} already exists in this run; replacing it`);
      try {
        await client.deleteArtifact(group.name);
        result = await client.uploadArtifact(group.name, files, group.root, options);
      } catch (again) {
        throw toStorageError(again, `uploading ${group.name}`);
      }
    }
    if (!result.id || !result.digest) {
      throw new StorageError(
        `uploading ${group.name}: the artifact service returned no id or digest`,
      );
    }
    await confirmUpload(
      client,
      group.name,
      result as { id: number; size?: number; digest: string },
    );
    this.ctx.log.info(
      `Stored artifact ${group.name} (id ${result.id}, zip sha256 ${result.digest})`,
    );
    if (this.token && this.repository) await this.afterUpload(group, result.id);
  }

  /** Older artifacts holding the same keys are superseded; and tell when retention was capped. */
  private async afterUpload(group: HeldGroup, id: number): Promise<void> {
    const keys = new Set(group.members.keys());
    try {
      for (const a of await this.api.listArtifacts(group.name)) {
        if (a.id === id) {
          this.checkExpiry(a);
          continue;
        }
        const entries = await this.directory(a).catch(() => [] as ZipEntry[]);
        if (entries.some((e) => keys.has(e.name))) await this.deleteArtifact(a);
      }
    } catch (err) {
      this.ctx.log.warn(
        `artifact ${group.name}: could not check older copies: ${(err as Error).message}`,
      );
    }
  }

  private warnAboutRetention(): void {
    const cap = Number.parseInt(this.env['GITHUB_RETENTION_DAYS'] ?? '', 10);
    if (this.retentionDays && Number.isFinite(cap) && this.retentionDays > cap) {
      this.ctx.log.warn(
        `retention-days ${this.retentionDays} is more than this repository allows for artifacts; GitHub keeps them ${cap} days`,
      );
    }
  }

  private checkExpiry(a: RemoteArtifact): void {
    if (!this.retentionDays || !a.expiresAt) return;
    const days = (a.expiresAt.getTime() - a.createdAt.getTime()) / 86_400_000;
    if (days < this.retentionDays - 1) {
      this.ctx.log.warn(
        `artifact ${a.name} expires ${a.expiresAt.toISOString()} (${Math.round(days)} days), not after the ${this.retentionDays} retention-days asked for: the repository's artifact retention setting caps it`,
      );
    }
  }

  private async downloadWhole(a: RemoteArtifact, key: string): Promise<Readable> {
    const { owner, repo } = this.api.requireReadAccess();
    const client = await this.artifactClient();
    const dir = await mkdtemp(join(await this.spoolDir(), 'download-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      if (!a.digest)
        this.ctx.log.warn(`artifact ${a.name} has no recorded digest; checking its members only`);
      let mismatch: boolean | undefined;
      try {
        const res = await client.downloadArtifact(a.id, {
          path: dir,
          skipDecompress: true,
          ...(a.digest ? { expectedHash: a.digest } : {}),
          findBy: {
            token: this.token!,
            repositoryOwner: owner,
            repositoryName: repo,
            workflowRunId: a.runId ?? 0,
          },
        });
        mismatch = res.digestMismatch;
      } catch (err) {
        throw toStorageError(err, `downloading artifact ${a.name}`);
      }
      if (mismatch) {
        throw new IntegrityError(
          `artifact ${a.name} (id ${a.id}) does not match the digest recorded when it was uploaded (${a.digest}): it is damaged`,
        );
      }
      const files = await readdir(dir);
      if (files.length !== 1)
        throw new StorageError(
          `downloading artifact ${a.name}: expected one zip, got ${files.length} files`,
        );
      const src = await fileByteSource(join(dir, files[0]!));
      const label = `artifact ${a.name}`;
      const entries = await readZipDirectory(src, label);
      const entry = entries.find((e) => e.name === key);
      if (!entry) throw new StorageError(`${key} not found in ${label}`, { notFound: true });
      const out = await openZipEntry(src, entry, label);
      out.on('close', () => void src.close().finally(cleanup));
      return out;
    } catch (err) {
      await cleanup();
      throw err;
    }
  }

  private async findMember(
    key: string,
  ): Promise<{ artifact: RemoteArtifact; entry: ZipEntry; whole: boolean } | undefined> {
    for (const name of this.candidateNames(key)) {
      for (const a of await this.api.listArtifacts(name)) {
        let entries: ZipEntry[];
        try {
          entries = await this.directory(a);
        } catch (err) {
          if (err instanceof StorageError && err.notFound) continue;
          throw err;
        }
        const entry = entries.find((e) => e.name === key);
        if (!entry) continue;
        // A big member, or the biggest of a group (its archive), comes through the client so
        // the whole zip is checked against the digest recorded at upload.
        const whole =
          entry.size >= WHOLE_DOWNLOAD_BYTES ||
          (entries.length > 1 && entries.every((e) => e === entry || e.size < entry.size));
        return { artifact: a, entry, whole };
      }
    }
    return undefined;
  }

  /** Artifacts are immutable, so a directory read once stays true for this instance's life. */
  private directory(a: RemoteArtifact): Promise<ZipEntry[]> {
    let d = this.directories.get(a.id);
    if (!d) {
      d = this.api.remoteSource(a).then((src) => readZipDirectory(src, `artifact ${a.name}`));
      d.catch(() => this.directories.delete(a.id));
      this.directories.set(a.id, d);
    }
    return d;
  }

  private async deleteArtifact(a: RemoteArtifact): Promise<void> {
    await this.api.deleteArtifact(a);
    this.directories.delete(a.id);
  }
}

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Drops the first `count` bytes of a stream. */
function skipBytes(count: number): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* (source) {
    let left = count;
    for await (const chunk of source) {
      if (left >= chunk.length) {
        left -= chunk.length;
        continue;
      }
      yield left > 0 ? chunk.subarray(left) : chunk;
      left = 0;
    }
  };
}
