// Qdrant's server cannot run here: this round trip runs against the stand-in that follows
// Qdrant's published OpenAPI specification (helpers/qdrant-standin.ts).
import assert from 'node:assert/strict';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';
import { qdrantCall, startQdrantStandin } from '../helpers/qdrant-standin.ts';
import { embeddings } from '../helpers/chroma-server.ts';

sourceRoundTripSuite('qdrant', async () => {
  const source = await startQdrantStandin();
  const target = await startQdrantStandin();
  await qdrantCall(source, 'PUT', '/collections/vector_docs', {
    vectors: { size: 8, distance: 'Cosine' },
  });
  const v = embeddings(500, 8, 11);
  await qdrantCall(source, 'PUT', '/collections/vector_docs/points?wait=true', {
    points: v.map((vector, i) => ({
      id: i + 1,
      vector,
      payload: i % 2 ? { title: `doc ${i}` } : null,
    })),
  });
  await qdrantCall(source, 'PUT', '/collections/vector_named', {
    vectors: { text: { size: 4, distance: 'Dot' }, image: { size: 2, distance: 'Euclid' } },
  });
  await qdrantCall(source, 'PUT', '/collections/vector_named/points?wait=true', {
    points: [
      {
        id: '5c56c793-69f3-4fbf-87e6-c4bf54c28c26',
        vector: { text: [1, 2, 3, 4], image: [0.5, 0.25] },
        payload: { a: 'ü' },
      },
    ],
  });
  return {
    source: source.url,
    target: target.url,
    async compare() {
      assert.deepEqual([...target.collections.keys()].sort(), ['vector_docs', 'vector_named']);
      for (const name of ['vector_docs', 'vector_named']) {
        assert.deepEqual(target.pointsOf(name), source.pointsOf(name));
        assert.deepEqual(
          target.collections.get(name)!.params,
          source.collections.get(name)!.params,
        );
      }
      // Every server-side snapshot was deleted after the backup.
      for (const snaps of source.snapshots.values()) assert.equal(snaps.size, 0);
    },
    async cleanup() {
      await source.stop();
      await target.stop();
    },
  };
});
