/**
 * `s3://` and `gs://` (S3-compatible stores): one folder by concern. settings.ts (URL, options,
 * credentials, multipart sizing), storage.ts (the Storage), errors.ts (SDK errors → hints).
 */
export { S3Storage, s3Storage } from './storage.ts';
export { multipartPlan, parseSize, s3Settings, type S3Settings } from './settings.ts';
