import { quietExperimentalSqliteWarning } from '../core/warnings.ts';

quietExperimentalSqliteWarning();
const { run } = await import('./main.ts');
await run();
