/**
 * Policy-core figures: decisions per second on a 10-rule and a 1,000-rule policy (indexed evaluator
 * vs a naive in-order scan of every rule, the baseline), measured side by side in this process.
 */
import endpoints from '../src/policy/docker-endpoints.json' with { type: 'json' };
import type { Rule } from '../src/policy/defaults.js';
import { compileRules, evaluateRules } from '../src/policy/evaluate.js';
import { compileGlob } from '../src/policy/glob.js';
import { methodMatches, parseMethodSet } from '../src/policy/methods.js';
import { normalizePath } from '../src/policy/canonical-path.js';
import { formatRate, opsPerSecond, printTable } from './stats.js';

const TEN_RULES: Rule[] = [
  { match: { method: 'GET,HEAD', path: '/_ping' }, action: 'allow' },
  { match: { method: 'GET', path: '/version' }, action: 'allow' },
  { match: { method: 'GET', path: '/events' }, action: 'allow' },
  { match: { method: 'GET', path: '/info' }, action: 'allow' },
  { match: { method: 'GET', path: '/containers/json' }, action: 'allow' },
  { match: { method: 'GET', path: '/containers/*/json' }, action: 'allow' },
  { match: { method: 'GET', path: '/networks' }, action: 'allow' },
  { match: { method: 'GET', path: '/services' }, action: 'allow' },
  { match: { method: 'POST', path: '/containers/*/restart' }, action: 'allow' },
  { match: { method: '*', path: '/**' }, action: 'deny', reason: 'no matching allow rule' },
];

/** 1,000 rules as a large multi-tenant policy looks: per-application rules over the real endpoints. */
function thousandRules(): Rule[] {
  const rules: Rule[] = [];
  const templates = endpoints.filter((e) => e.path.includes('{'));
  for (let i = 0; rules.length < 999; i++) {
    const endpoint = templates[i % templates.length]!;
    const path = endpoint.path
      .replace(/\{[^}]+\}/, `app-${Math.floor(i / templates.length)}`)
      .replace(/\{[^}]+\}/g, '*');
    rules.push({ match: { method: endpoint.method, path }, action: i % 7 === 0 ? 'deny' : 'allow' });
  }
  rules.push({ match: { method: '*', path: '/**' }, action: 'deny', reason: 'no matching allow rule' });
  return rules;
}

function requests(): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < 512; i++) {
    const endpoint = endpoints[i % endpoints.length]!;
    const path = '/v1.45' + endpoint.path.replace(/\{[^}]+\}/g, () => `app-${i % 150}`);
    out.push([endpoint.method, path]);
  }
  return out;
}

function naiveScan(rules: Rule[]) {
  const compiled = rules.map((r) => ({
    methods: parseMethodSet(r.match.method),
    glob: compileGlob(r.match.path),
    rule: r,
  }));
  return (method: string, path: string) => {
    const upper = method.toUpperCase();
    return compiled.find((c) => methodMatches(c.methods, upper) && c.glob.test(path))?.rule.action ?? 'deny';
  };
}

export default async function run(): Promise<void> {
  const raw = requests();
  const sample = raw.map(([m, p]) => [m, normalizePath(p).path] as const);
  const rows: string[][] = [];
  for (const [name, rules] of [
    ['10 rules', TEN_RULES],
    ['1,000 rules', thousandRules()],
  ] as const) {
    const indexed = compileRules(rules);
    const naive = naiveScan(rules);
    const n = sample.length;
    const fast = opsPerSecond((i) => {
      const [m, p] = sample[i % n]!;
      evaluateRules(indexed, m, p);
    });
    const slow = opsPerSecond((i) => {
      const [m, p] = sample[i % n]!;
      naive(m, p);
    });
    const withNormalize = opsPerSecond((i) => {
      const [m, p] = raw[i % n]!;
      evaluateRules(indexed, m, normalizePath(p).path);
    });
    rows.push([name, formatRate(fast), formatRate(slow), `${(fast / slow).toFixed(1)}x`, formatRate(withNormalize)]);
  }
  printTable(['policy', 'indexed evaluator', 'naive scan (baseline)', 'ratio', 'incl. path normalization'], rows);
}
