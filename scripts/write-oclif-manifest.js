// Writes oclif.manifest.json after a build, so the CLI can list and dispatch commands without
// importing every command module at start-up (each command then loads only what it needs).
import { Config } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = await Config.load({ root, devPlugins: false, userPlugins: false });
const plugin = config.plugins.get(config.pjson.name);
if (!plugin || Object.keys(plugin.manifest.commands).length === 0) {
  console.error('write-oclif-manifest: no commands found; did the build run?');
  process.exit(1);
}
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest, null, 2) + '\n');
