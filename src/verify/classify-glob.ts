/**
 * Brute-force classification of translated globs against the source regex they came from, over the
 * request corpus (corpus.ts): `exact`, `wider` (the globs admit more), `narrower` (they admit less)
 * or `different` (each side admits something the other does not), with example targets.
 *
 * What "exact" means: on every distinct target of the corpus's `catalog` family (every endpoint path
 * with concrete ids, bare and under `/v1.41` and `/v1.45`) the regex, as the old proxy applies it to
 * the raw target (the caller's predicate supplies the proxy's subject: decoded path, escaped URL,
 * query, case folding), agrees with some glob matching the normalized path serve judges (decoded
 * once, cleaned, one version prefix stripped). Clients send both bare and versioned paths, so a
 * regex must admit all three forms to be exact with a prefix-free glob: one written without a prefix
 * group (`^/containers/json$`) or requiring one (`^/v1\.41/containers/json$`) makes the glob wider,
 * and `^/(v[0-9.]+/)?containers/json$` is exact with `/containers/json`.
 *
 * Scope `all` adds the quirk family (case, prefix extensions, encodings, odd version prefixes):
 * differences there are usually the old proxy's matching rather than the rule's translation, and
 * parity reports them per request anyway. Targets serve rejects (canonicalRequest) are always left
 * out: serve denies them whatever the rule says. Exact over the corpus is evidence, not a proof over
 * all strings. Paths only: method lists are compared separately.
 */
import { canonicalRequest, TargetError } from '../policy/canonical-path.js';
import { compileGlob } from '../policy/glob.js';
import type { CorpusRequest } from './corpus.js';

export type GlobClassification = 'exact' | 'wider' | 'narrower' | 'different';

export type ClassificationScope = 'catalog' | 'all';

export interface GlobComparison {
  classification: GlobClassification;
  /** Distinct targets compared. */
  compared: number;
  counts: { both: number; onlyGlob: number; onlyRegex: number };
  /** The first targets (corpus order) admitted by only one side. */
  examples: { onlyGlob: string[]; onlyRegex: string[] };
}

export interface ClassifyOptions {
  /** Default `catalog`. */
  scope?: ClassificationScope;
  /** Examples kept per side; default 5. */
  maxExamples?: number;
}

interface JudgedTarget {
  target: string;
  normalizedPath: string;
}

const DEFAULT_MAX_EXAMPLES = 5;
const judgedTargets = new WeakMap<readonly CorpusRequest[], Map<ClassificationScope, JudgedTarget[]>>();

/** Distinct in-scope targets serve accepts, with their normalized paths; computed once per corpus and scope. */
function judgeTargets(corpus: readonly CorpusRequest[], scope: ClassificationScope): JudgedTarget[] {
  let byScope = judgedTargets.get(corpus);
  if (!byScope) {
    byScope = new Map();
    judgedTargets.set(corpus, byScope);
  }
  const cached = byScope.get(scope);
  if (cached) return cached;
  const seen = new Set<string>();
  const judged: JudgedTarget[] = [];
  for (const { target, family } of corpus) {
    if ((scope === 'catalog' && family !== 'catalog') || seen.has(target)) continue;
    seen.add(target);
    try {
      judged.push({ target, normalizedPath: canonicalRequest(target).normalizedPath });
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
    }
  }
  byScope.set(scope, judged);
  return judged;
}

/**
 * Classifies `globs` (one rule, or the several rules an alternation became) against the source
 * regex, given as `regexMatches(rawTarget)`.
 */
export function classifyGlob(
  corpus: readonly CorpusRequest[],
  regexMatches: (target: string) => boolean,
  globs: string | readonly string[],
  options: ClassifyOptions = {},
): GlobComparison {
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  const compiled = (typeof globs === 'string' ? [globs] : globs).map(compileGlob);
  const targets = judgeTargets(corpus, options.scope ?? 'catalog');
  const counts = { both: 0, onlyGlob: 0, onlyRegex: 0 };
  const examples: GlobComparison['examples'] = { onlyGlob: [], onlyRegex: [] };
  for (const { target, normalizedPath } of targets) {
    const byRegex = regexMatches(target);
    const byGlob = compiled.some((glob) => glob.test(normalizedPath));
    if (byRegex && byGlob) counts.both++;
    else if (byGlob) {
      if (counts.onlyGlob++ < maxExamples) examples.onlyGlob.push(target);
    } else if (byRegex) {
      if (counts.onlyRegex++ < maxExamples) examples.onlyRegex.push(target);
    }
  }
  const classification: GlobClassification =
    counts.onlyGlob === 0
      ? counts.onlyRegex === 0
        ? 'exact'
        : 'narrower'
      : counts.onlyRegex === 0
        ? 'wider'
        : 'different';
  return { classification, compared: targets.length, counts, examples };
}
