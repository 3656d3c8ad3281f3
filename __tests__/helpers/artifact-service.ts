import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
  type ContainerClient,
} from '@azure/storage-blob';
import {
  DEV_ACCOUNT,
  DEV_KEY,
  azuriteBlobEntry,
  startAzurite,
  type AzuriteServer,
} from '../storage/azurite-server.ts';
import { GitHubRest } from './github-rest.ts';

/**
 * A local stand-in for the GitHub Actions results service (the Twirp API @actions/artifact
 * calls: CreateArtifact, FinalizeArtifact, ListArtifacts, GetSignedArtifactURL, DeleteArtifact)
 * and, through the one GitHub REST stand-in (./github-rest.ts, mounted at /api), for the REST
 * endpoints that list, download and delete a repository's artifacts, with
 * Azurite as the blob store behind SAS-signed upload and download URLs — so the real client
 * runs unmodified against it. Shapes follow
 * node_modules/@actions/artifact/lib/generated/results/api/v1/artifact.js and the REST API
 * (GET /repos/{owner}/{repo}/actions/artifacts, …/artifacts/{id}/zip → 302, DELETE …/{id}).
 */

const CONTAINER = 'actions-results';
const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';

export interface StoredArtifact {
  id: number;
  name: string;
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  blobName: string;
  size: number;
  digest: string | undefined;
  createdAt: Date;
  expiresAt: Date;
  finalized: boolean;
  /** Set by expire(): the listing says expired and the content is deleted. */
  expired: boolean;
}

export interface SimulatedRun {
  runId: number;
  /** The variables the runner gives an action step: apply them to process.env. */
  env: Record<string, string>;
}

/** 'ok'; 'read-only' (DELETE answers 403); 'deny' (every REST call answers 403). */
export type RestPermissions = 'ok' | 'read-only' | 'deny';

export class ArtifactServiceStandIn {
  readonly repository = 'lifeboat-tests/app';
  readonly token = `ghs_${randomUUID().replaceAll('-', '')}`;
  readonly artifacts: StoredArtifact[] = [];
  /** The REST API (GITHUB_API_URL is `${url}/api`): list, download and delete artifacts. */
  readonly rest = new GitHubRest(this.token, this.repository);
  #restPermissions: RestPermissions = 'ok';
  get restPermissions(): RestPermissions {
    return this.#restPermissions;
  }
  set restPermissions(p: RestPermissions) {
    this.#restPermissions = p;
    this.rest.setActionsPermission(
      this.token,
      p === 'ok' ? 'write' : p === 'read-only' ? 'read' : 'none',
    );
  }
  /** The repository's artifact retention setting (days); longer requests are capped. */
  maxRetentionDays = 90;
  private readonly runs = new Map<string, { runId: number; jobBackendId: string }>();
  private nextId = 1000;
  private nextRunId = 700;
  private server!: Server;
  private azurite!: AzuriteServer;
  private container!: ContainerClient;
  private credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
  url = '';
  blobUrl = '';

  /** Starts Azurite and the stand-in; a reason (string) when Azurite is not installed. */
  static async start(): Promise<ArtifactServiceStandIn | string> {
    if (!azuriteBlobEntry())
      return 'azurite is not installed (npm ci installs it as a devDependency)';
    const s = new ArtifactServiceStandIn();
    await s.startAzurite();
    await s.startServer();
    return s;
  }

  private async startAzurite(): Promise<void> {
    this.azurite = await startAzurite();
    this.blobUrl = this.azurite.endpoint;
    this.container = new BlobServiceClient(this.blobUrl, this.credential).getContainerClient(
      CONTAINER,
    );
    await this.container.createIfNotExists();
  }

  private async startServer(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { msg: String(err), message: String(err) });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.rest.url = `${this.url}/api`;
    this.rest.artifacts = {
      list: () => this.artifacts.filter((a) => a.finalized),
      remove: async (id) => {
        const a = this.find(id);
        this.artifacts.splice(this.artifacts.indexOf(a), 1);
        await this.container.getBlockBlobClient(a.blobName).deleteIfExists();
      },
      downloadUrl: (id) => {
        const a = this.find(id);
        return this.sasUrl(a.blobName, 'r', `${a.name}.zip`);
      },
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.azurite.stop();
  }

  /** A new workflow run: its runtime token names backend ids only this service knows. */
  newRun(): SimulatedRun {
    const runId = this.nextRunId++;
    const runBackendId = randomUUID();
    const jobBackendId = randomUUID();
    this.runs.set(runBackendId, { runId, jobBackendId });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({
      scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
      exp: Math.floor(Date.now() / 1000) + 3600,
    })}.${Buffer.from(randomUUID()).toString('base64url')}`;
    return {
      runId,
      env: {
        ACTIONS_RUNTIME_TOKEN: jwt,
        ACTIONS_RESULTS_URL: `${this.url}/`,
        GITHUB_API_URL: `${this.url}/api`,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: this.repository,
        GITHUB_RUN_ID: String(runId),
        GITHUB_TOKEN: this.token,
        GITHUB_RETENTION_DAYS: String(this.maxRetentionDays),
      },
    };
  }

  /** Flips one byte in the middle of the artifact's blob, as bit rot or a bad copy would. */
  async corrupt(id: number): Promise<void> {
    const a = this.find(id);
    const blob = this.container.getBlockBlobClient(a.blobName);
    const data = await blob.downloadToBuffer();
    const at = Math.floor(data.length / 2);
    data[at] = data[at]! ^ 0xff;
    await blob.uploadData(data, { blobHTTPHeaders: { blobContentType: 'application/zip' } });
  }

  /** The artifact's retention has passed: listed as expired, content gone. */
  async expire(id: number): Promise<void> {
    const a = this.find(id);
    a.expired = true;
    a.expiresAt = new Date(Date.now() - 1000);
    await this.container.getBlockBlobClient(a.blobName).deleteIfExists();
  }

  /** Removes every artifact whose name starts with `prefix` (test cleanup). */
  async removeArtifacts(prefix: string): Promise<void> {
    for (const a of this.artifacts.filter((x) => x.name.startsWith(prefix))) {
      this.artifacts.splice(this.artifacts.indexOf(a), 1);
      await this.container.getBlockBlobClient(a.blobName).deleteIfExists();
    }
  }

  live(): StoredArtifact[] {
    return this.artifacts.filter((a) => a.finalized && !a.expired);
  }

  private find(id: number): StoredArtifact {
    const a = this.artifacts.find((x) => x.id === id);
    if (!a) throw new Error(`no artifact ${id}`);
    return a;
  }

  private sasUrl(blobName: string, permissions: string, filename?: string): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3600_000),
        ...(filename ? { contentDisposition: `attachment; filename=${filename}` } : {}),
      },
      this.credential,
    );
    return `${this.blobUrl}/${CONTAINER}/${blobName.split('/').map(encodeURIComponent).join('/')}?${sas.toString()}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && url.pathname.startsWith(TWIRP)) {
      return this.twirp(url.pathname.slice(TWIRP.length), req, res);
    }
    if (url.pathname.startsWith('/api/'))
      return this.rest.handle(req, res, (req.url ?? '/').slice('/api'.length));
    send(res, 404, { message: 'Not Found' });
  }

  private async twirp(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const run = this.runFromToken(req.headers.authorization);
    if (!run) return send(res, 401, { code: 'unauthenticated', msg: 'invalid runtime token' });
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    if (
      body['workflow_run_backend_id'] !== run.runBackendId ||
      body['workflow_job_run_backend_id'] !== run.jobBackendId
    ) {
      return send(res, 403, {
        code: 'permission_denied',
        msg: 'backend ids do not match the token',
      });
    }
    const name = typeof body['name'] === 'string' ? body['name'] : undefined;
    const mine = (a: StoredArtifact) => a.runBackendId === run.runBackendId && !a.expired;
    switch (method) {
      case 'CreateArtifact': {
        if (!name) return send(res, 400, { code: 'invalid_argument', msg: 'name is required' });
        if (this.artifacts.some((a) => mine(a) && a.finalized && a.name === name)) {
          return send(res, 409, {
            code: 'already_exists',
            msg: 'an artifact with this name already exists on the workflow run',
          });
        }
        const now = new Date();
        const max = new Date(now.getTime() + this.maxRetentionDays * 86_400_000);
        const asked = typeof body['expires_at'] === 'string' ? new Date(body['expires_at']) : max;
        const id = this.nextId++;
        const a: StoredArtifact = {
          id,
          name,
          runId: run.runId,
          runBackendId: run.runBackendId,
          jobBackendId: run.jobBackendId,
          blobName: `${run.runBackendId}/${id}/${name}.zip`,
          size: 0,
          digest: undefined,
          createdAt: now,
          expiresAt: asked > max ? max : asked,
          finalized: false,
          expired: false,
        };
        // An unfinished attempt of the same name is replaced, as the service does.
        const stale = this.artifacts.findIndex((x) => mine(x) && !x.finalized && x.name === name);
        if (stale >= 0) this.artifacts.splice(stale, 1);
        this.artifacts.push(a);
        return send(res, 200, { ok: true, signed_upload_url: this.sasUrl(a.blobName, 'rcw') });
      }
      case 'FinalizeArtifact': {
        const a = this.artifacts.find((x) => mine(x) && !x.finalized && x.name === name);
        if (!a)
          return send(res, 404, { code: 'not_found', msg: `no artifact ${name} being uploaded` });
        const props = await this.container
          .getBlockBlobClient(a.blobName)
          .getProperties()
          .catch(() => undefined);
        const size = Number(body['size'] ?? 0);
        if (!props || props.contentLength !== size) {
          return send(res, 400, {
            code: 'invalid_argument',
            msg: `size ${size} does not match the uploaded ${props?.contentLength} bytes`,
          });
        }
        a.size = size;
        a.digest = typeof body['hash'] === 'string' ? body['hash'] : undefined;
        a.finalized = true;
        return send(res, 200, { ok: true, artifact_id: String(a.id) });
      }
      case 'ListArtifacts': {
        const nameFilter = body['name_filter'];
        const idFilter = body['id_filter'];
        const list = this.artifacts.filter(
          (a) =>
            mine(a) &&
            a.finalized &&
            (nameFilter === undefined || a.name === nameFilter) &&
            (idFilter === undefined || String(a.id) === String(idFilter)),
        );
        return send(res, 200, {
          artifacts: list.map((a) => ({
            workflow_run_backend_id: a.runBackendId,
            workflow_job_run_backend_id: a.jobBackendId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size),
            created_at: a.createdAt.toISOString(),
            ...(a.digest ? { digest: a.digest } : {}),
          })),
        });
      }
      case 'GetSignedArtifactURL': {
        const a = this.artifacts.find((x) => mine(x) && x.finalized && x.name === name);
        if (!a) return send(res, 404, { code: 'not_found', msg: `artifact ${name} not found` });
        return send(res, 200, { signed_url: this.sasUrl(a.blobName, 'r', `${a.name}.zip`) });
      }
      case 'DeleteArtifact': {
        const i = this.artifacts.findIndex((x) => mine(x) && x.finalized && x.name === name);
        if (i < 0) return send(res, 404, { code: 'not_found', msg: `artifact ${name} not found` });
        const [a] = this.artifacts.splice(i, 1);
        await this.container.getBlockBlobClient(a!.blobName).deleteIfExists();
        return send(res, 200, { ok: true, artifact_id: String(a!.id) });
      }
      default:
        return send(res, 404, { code: 'bad_route', msg: `no method ${method}` });
    }
  }

  private runFromToken(
    auth: string | undefined,
  ): { runId: number; runBackendId: string; jobBackendId: string } | undefined {
    const token = /^Bearer (.+)$/.exec(auth ?? '')?.[1];
    const payload = token?.split('.')[1];
    if (!payload) return undefined;
    try {
      const scp =
        (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { scp?: string }).scp ?? '';
      const part = scp
        .split(' ')
        .find((s) => s.startsWith('Actions.Results:'))
        ?.split(':');
      const run = part ? this.runs.get(part[1]!) : undefined;
      return run && part && run.jobBackendId === part[2]
        ? { ...run, runBackendId: part[1]! }
        : undefined;
    } catch {
      return undefined;
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    })
    .end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
