/**
 * `sockguard serve` as its own process from the TypeScript sources (tests spawn it to send real
 * signals without a build step): argv after the script are the command's flags.
 */
import Serve from '../../src/commands/serve.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

await Serve.run(process.argv.slice(2), REPO_ROOT);
