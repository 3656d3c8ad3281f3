/**
 * `artifact:`: one folder by concern. storage.ts (the Storage: groups spooled and uploaded as
 * one artifact, reads, listing), rest.ts (the REST API: list, locate, delete), settings.ts (the
 * URL and options), spool.ts (members spooled to disk until their group is uploaded), zip.ts
 * (reading members out of an artifact's zip).
 */
export { artifactStorage } from './storage.ts';
export { parseArtifactUrl, PERMISSIONS_BLOCK } from './settings.ts';
