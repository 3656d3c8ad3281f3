import { ChromaApi, assertSamePicture, embeddings, startChroma } from '../helpers/chroma-server.ts';
import { sourceRoundTripSuite } from '../helpers/roundtrip-suite.ts';

sourceRoundTripSuite('chroma', async () => {
  const server = await startChroma();
  if (!server) return undefined;
  const api = new ChromaApi(server.http);
  // Two collections, one with a configuration and metadata, records of every shape; more
  // records than one page holds, so paging is exercised.
  const docs = await api.createCollection(
    'vector_docs',
    { owner: 'app', version: 3, ratio: 0.5, live: true },
    api.db(),
    { hnsw: { space: 'cosine', ef_construction: 120, max_neighbors: 20 } },
  );
  const n = 2600;
  const vectors = embeddings(n, 8, 7);
  for (let from = 0; from < n; from += 1000) {
    const ids = Array.from({ length: Math.min(1000, n - from) }, (_, i) => `doc-${from + i}`);
    await api.add(docs, {
      ids,
      embeddings: vectors.slice(from, from + ids.length),
      documents: ids.map((id, i) => (i % 3 ? `text of ${id} ✓ "quoted"\nline` : null)),
      metadatas: ids.map((_, i) =>
        i % 4 ? { n: from + i, tag: `t${i % 5}`, ok: i % 2 === 0 } : null,
      ),
      uris: ids.map((id, i) => (i % 5 ? null : `s3://bucket/${id}`)),
    });
  }
  const small = await api.createCollection('vector_small');
  await api.add(small, { ids: ['a', 'b', 'é'], embeddings: embeddings(3, 3, 9) });
  await api.createCollection('vector_empty');
  return {
    source: server.url,
    target: `${server.url}/?database=vector_restored`,
    async compare() {
      assertSamePicture(
        await api.picture(api.db('default_tenant', 'vector_restored')),
        await api.picture(),
      );
    },
    async cleanup() {
      await server.stop();
    },
  };
});
