#!/usr/bin/env node
import { quietExperimentalSqliteWarning } from '../engine/warnings.ts';

quietExperimentalSqliteWarning();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
