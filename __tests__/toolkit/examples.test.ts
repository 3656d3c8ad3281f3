// examples/: one workflow per database and per storage provider, each checked like the
// repository's own workflows (schema, actionlint, action inputs and outputs, node24 majors),
// calls to the reusable workflows checked against what those declare, URLs against the
// registries, and no password in any URL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseFleetConfig } from '../../src/fleet/config.ts';
import { refuseInlinePassword, sourceKind, storageScheme } from '../../src/fleet/secrets.ts';
import { sourceEntries } from '../../src/sources/registry.ts';
import { storageEntries } from '../../src/storage/registry.ts';
import { calledWorkflow } from '../helpers/workflow-runner.ts';
import {
  lifeboatStepProblems,
  parseYaml,
  staleActionProblems,
  workflowProblems,
} from '../validation/yaml-checks.ts';

const action = parse(await readFile('action.yml', 'utf8')) as { inputs: object; outputs: object };
const actionInterface = {
  inputs: new Set(Object.keys(action.inputs)),
  outputs: new Set(Object.keys(action.outputs)),
};

const files = (await readdir('examples', { recursive: true }))
  .filter((f) => f.endsWith('.yml') && !f.endsWith('lifeboat.yml'))
  .sort();

interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Array<{ uses?: string; with?: Record<string, unknown> }>;
}

/** Every source and destination an example names, from reusable calls and Lifeboat steps. */
function urlsOf(doc: { jobs: Record<string, Job> }): { sources: string[]; destinations: string[] } {
  const withs = Object.values(doc.jobs).flatMap((j) => [
    ...(j.uses ? [j.with ?? {}] : []),
    ...(j.steps ?? []).filter((s) => /\/lifeboat@/.test(s.uses ?? '')).map((s) => s.with ?? {}),
  ]);
  const lines = (key: string) =>
    withs
      .map((w) => String(w[key] ?? ''))
      .flatMap((v) => v.split('\n'))
      .filter((v) => v && !v.includes('${{'));
  return { sources: lines('source'), destinations: lines('destination') };
}

describe('examples/', () => {
  test('there is an example per database and per storage provider', () => {
    const sources = new Set<string>();
    const stores = new Set<string>();
    return (async () => {
      for (const f of files) {
        const u = urlsOf(
          parse(await readFile(join('examples', f), 'utf8')) as { jobs: Record<string, Job> },
        );
        u.sources.forEach((s) => sources.add(sourceKind(s)));
        u.destinations.forEach((d) => stores.add(storageScheme(d)));
      }
      assert.deepEqual([...sources].sort(), sourceEntries.map((e) => e.kind).sort());
      // file: needs a disk that outlives the runner: the README shows it on self-hosted runners.
      const wanted = storageEntries.flatMap((e) => e.schemes).filter((s) => s !== 'file');
      assert.deepEqual([...stores].sort(), wanted.sort());
    })();
  });

  for (const f of files) {
    test(`${f} is a valid workflow that calls Lifeboat correctly`, async () => {
      const text = await readFile(join('examples', f), 'utf8');
      const parsed = parseYaml(text);
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(
        [
          ...(await workflowProblems(text, f)),
          ...lifeboatStepProblems(parsed.value, actionInterface),
          ...staleActionProblems(text),
        ],
        [],
      );
      assert.doesNotMatch(text, /secrets: inherit/);
      const doc = parsed.value as { jobs: Record<string, Job> };
      for (const [id, job] of Object.entries(doc.jobs)) {
        if (!job.uses) continue;
        // Throws when a with: key or a secret is not declared by the reusable workflow.
        await calledWorkflow(doc, id, { matrix: { set: 'x' }, secrets: {} });
      }
      const u = urlsOf(doc);
      for (const s of u.sources) refuseInlinePassword(s, 'source');
      for (const d of u.destinations) refuseInlinePassword(d, 'destination');
    });
  }

  test('the fleet config is valid', async () => {
    const config = parseFleetConfig(await readFile('examples/fleet/lifeboat.yml', 'utf8'));
    assert.equal(config.sets.length, 3);
  });
});
