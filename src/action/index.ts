import { quietExperimentalSqliteWarning } from '../engine/warnings.ts';

quietExperimentalSqliteWarning();
const { run } = await import('./main.ts');
await run();
