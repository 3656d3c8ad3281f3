/**
 * action.yml with runs.main pointed at src/action/index.ts, so the harness runs the action from
 * the source under test (Node 24 runs TypeScript) instead of a dist/ bundle that may be stale.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';

export interface SourceAction {
  actionYml: string;
  dispose(): Promise<void>;
}

export async function sourceActionYml(): Promise<SourceAction> {
  const dir = await mkdtemp(join(tmpdir(), 'toolkit-action-'));
  const doc = parseDocument(await readFile('action.yml', 'utf8'));
  doc.setIn(['runs', 'main'], resolve('src/action/index.ts'));
  const actionYml = join(dir, 'action.yml');
  await writeFile(actionYml, doc.toString());
  return { actionYml, dispose: () => rm(dir, { recursive: true, force: true }) };
}
