/**
 * Baseline for the bench: uploads one file with the cloud SDK alone, streamed, with the same
 * part/block size and concurrency Lifeboat's storage uses (S3: lib-storage Upload, 8 MiB parts,
 * queue 2; Azure: staged 4 MiB blocks, 2 at a time).
 *   node bench/sdk-upload.ts s3 <file> <endpoint> <bucket> <key>      (AWS_* credentials in env)
 *   node bench/sdk-upload.ts azblob <file> <endpoint> <container> <key> (AZURE_STORAGE_* in env)
 */
import { createReadStream } from 'node:fs';

const [kind, file, endpoint, bucket, key] = process.argv.slice(2);
if (!kind || !file || !endpoint || !bucket || !key) throw new Error('usage: see the header');

if (kind === 's3') {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file) },
    partSize: 8 * 1024 * 1024,
    queueSize: 2,
  }).done();
  client.destroy();
} else if (kind === 'azblob') {
  const { BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  const credential = new StorageSharedKeyCredential(
    process.env.AZURE_STORAGE_ACCOUNT!,
    process.env.AZURE_STORAGE_KEY!,
  );
  const blob = new BlobServiceClient(endpoint, credential)
    .getContainerClient(bucket)
    .getBlockBlobClient(key);
  await blob.uploadStream(
    createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }),
    4 * 1024 * 1024,
    2,
  );
} else {
  throw new Error(`unknown kind ${kind}`);
}
