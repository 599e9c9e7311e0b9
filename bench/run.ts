/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (or those named on the command line, e.g.
 * `npm run bench -- policy`). Each prints its own table of figures and ratios against a baseline
 * measured side by side in the same run. Figures only: nothing here passes or fails.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

console.log(
  `sockguard benchmarks — node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}`,
);
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.ts', '')}`);
  const module = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> };
  await module.default();
}
