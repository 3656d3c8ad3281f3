// Regenerates action.yml and the README's option table from the option schema.
import { readFile, writeFile } from 'node:fs/promises';
import { injectOptionTable, renderActionYml } from '../src/options/docs.ts';

await writeFile('action.yml', renderActionYml());
await writeFile('README.md', injectOptionTable(await readFile('README.md', 'utf8')));
console.log('action.yml and README.md option table regenerated');
