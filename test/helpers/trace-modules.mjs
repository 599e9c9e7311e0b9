/**
 * `node --import test/helpers/trace-modules.mjs`: appends the URL of every file module the process
 * resolves to the file named by SOCKGUARD_TRACE_MODULES, so a test can check what a command loads
 * (start-up time). The hook thread writes synchronously: nothing is lost when the process exits.
 */
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) appendFileSync(log, result.url + '\\n');
  return result;
}`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { log: process.env.SOCKGUARD_TRACE_MODULES } });
