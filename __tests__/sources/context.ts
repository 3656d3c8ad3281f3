import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory, SourceManifest } from '../../src/archive/types.ts';
import { Redactor } from '../../src/core/log.ts';
import type { SourceContext } from '../../src/sources/types.ts';
import type { MemberBuffer } from '../helpers/member-buffer.ts';

export interface TestWorkspace {
  dir: string;
  ctx: SourceContext;
  warnings: string[];
  cleanup(): Promise<void>;
}

/** A scratch folder and a SourceContext whose warnings are collected for assertions. */
export async function workspace(options: Record<string, unknown> = {}): Promise<TestWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-src-'));
  const tmp = await mkdtemp(join(tmpdir(), 'lifeboat-srctmp-'));
  const warnings: string[] = [];
  const ctx: SourceContext = {
    log: { info() {}, debug() {}, error: (m) => warnings.push(m), warn: (m) => warnings.push(m) },
    redactor: new Redactor(),
    env: process.env,
    tmpDir: tmp,
    options,
  };
  return {
    dir,
    ctx,
    warnings,
    cleanup: async () => {
      await rm(dir, { recursive: true, force: true });
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** The manifest section an engine would have written for what a source dumped. */
export function manifestOf(
  kind: string,
  url: string,
  buffer: MemberBuffer,
  inventory: Inventory,
  details?: Record<string, unknown>,
): SourceManifest {
  const m: SourceManifest = {
    name: kind,
    kind,
    url,
    versions: {},
    inventory,
    members: buffer.records(),
    durationMs: 0,
  };
  if (details) m.details = details;
  return m;
}
