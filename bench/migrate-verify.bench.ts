/**
 * `migrate --verify` figures: the request corpus (size, build time) and one parity run for a typical
 * Tecnativa migration (a Traefik-style read-only proxy), against a baseline of evaluating the new
 * policy alone over the same corpus; then a whole in-process migration of the bundled example
 * (compose parse, translation, lint, parity, compose rewrite) with the corpus already built.
 */
import { readFileSync } from 'node:fs';
import { parseComposeFiles } from '../src/compose/parse-compose-files.js';
import { planMigration } from '../src/migrate/plan-migration.js';
import { compileTecnativa } from '../src/emulators/tecnativa.js';
import { parseTecnativaSettings } from '../src/peers/tecnativa.js';
import { compatRulesFromEnv } from '../src/policy/compat.js';
import { compilePolicy } from '../src/policy/compile.js';
import { resolvePolicy } from '../src/policy/load.js';
import { buildCorpus, type CorpusRequest } from '../src/verify/corpus.js';
import { NON_CANONICAL_TARGET_REJECTED } from '../src/verify/explanations.js';
import { compareDecisions, newPolicyDecider } from '../src/verify/parity.js';
import { median, printTable } from './stats.js';

const RUNS = 15;
const TRAEFIK_ENV = { CONTAINERS: '1', NETWORKS: '1', SERVICES: '1', TASKS: '1', INFO: '1' };

/** Median wall time of `fn` over RUNS runs after one warm-up, in milliseconds. */
function medianMs(fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

const EXAMPLE = 'examples/compose/compose.yml';

function migrateExample(): void {
  const text = readFileSync(EXAMPLE, 'utf8');
  const { project } = parseComposeFiles([{ path: EXAMPLE, text }]);
  if (!project) throw new Error(`${EXAMPLE} did not parse`);
  const plans = planMigration(project, {
    keepExfiltration: false,
    policyPath: () => 'sockguard.yaml',
    readText: (path) => (path === EXAMPLE ? text : undefined),
  });
  if (plans.length !== 1) throw new Error('expected one proxy service in the example');
}

export default async function run(): Promise<void> {
  const corpus = buildCorpus();
  const catalog = corpus.filter((r) => r.family === 'catalog').length;
  const build = medianMs(() => buildCorpus());

  const oldDecide = compileTecnativa(parseTecnativaSettings({ environment: TRAEFIK_ENV, imageTag: '0.4.1' }));
  const compiled = compilePolicy(resolvePolicy({ rules: compatRulesFromEnv(TRAEFIK_ENV).rules }));
  const each = (decide: (r: CorpusRequest) => unknown) => () => {
    for (const request of corpus) decide(request);
  };
  const baseline = medianMs(each(newPolicyDecider(compiled)));
  const oldAlone = medianMs(each(oldDecide));
  let summary = compareDecisions(corpus, oldDecide, newPolicyDecider(compiled)).summary;
  const parity = medianMs(() => {
    summary = compareDecisions(corpus, oldDecide, newPolicyDecider(compiled), [NON_CANONICAL_TARGET_REJECTED]).summary;
  });

  printTable(
    ['figure', 'value'],
    [
      ['corpus size', `${corpus.length.toLocaleString('en-US')} requests (${catalog.toLocaleString('en-US')} catalog)`],
      ['corpus build', ms(build)],
      ['new policy alone over the corpus (baseline)', ms(baseline)],
      ['Tecnativa emulator alone over the corpus', ms(oldAlone)],
      ['parity run (both sides + explanations)', ms(parity)],
      ['parity / baseline', `${(parity / baseline).toFixed(1)}x`],
      ['parity result', `${summary.identical} identical, ${summary.tightened} tightened, ${summary.loosened} loosened`],
      [`whole migration of ${EXAMPLE} (warm, corpus built)`, ms(medianMs(migrateExample))],
    ],
  );
}
