import { faces } from './lifeboat/index.js';
await faces.action();
