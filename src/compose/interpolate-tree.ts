/**
 * Applies interpolation to every string value of a compose document (keys are left alone, as compose
 * leaves them; non-string scalars such as `POST: 1` are not templates). Problems become diagnostics
 * pointing at the `$...` expression when the scalar maps onto one source line, else at the scalar.
 */

import { pointerOf, type SourceRange } from '../policy/diagnostic.js';
import { interpolate, type InterpolationProblem, type LookupVariable } from './interpolate.js';
import type { ComposeDiagnostic } from './model.js';
import type { TreeNode, TreeScalar } from './yaml-tree.js';

export function interpolateTree(root: TreeNode, lookup: LookupVariable): ComposeDiagnostic[] {
  const diagnostics: ComposeDiagnostic[] = [];
  // Aliases share nodes: each is interpolated once, and reported under the first path that reaches it.
  const visited = new Set<TreeNode>();
  const visit = (node: TreeNode, path: string[]): void => {
    if (visited.has(node)) return;
    visited.add(node);
    if (node.kind === 'map') for (const entry of node.entries.values()) visit(entry.value, [...path, entry.key]);
    else if (node.kind === 'seq') node.items.forEach((item, index) => visit(item, [...path, String(index)]));
    else if (node.yamlKind === 'string' && node.value !== null) {
      const result = interpolate(node.value, lookup);
      for (const problem of result.problems) {
        const where = { pointer: pointerOf(path), file: node.file, range: problemRange(problem, node) };
        diagnostics.push(interpolationDiagnostic(problem, where));
      }
      // A substituted value no longer maps character by character onto the source.
      if (result.value !== node.value) delete node.contentStart;
      node.value = result.value;
    }
  };
  visit(root, []);
  return diagnostics;
}

/** Grades an interpolation problem: an unset variable is a warning, the others make compose refuse the file. */
export function interpolationDiagnostic(
  problem: InterpolationProblem,
  base: { pointer: string; file: string; range: SourceRange },
): ComposeDiagnostic {
  switch (problem.kind) {
    case 'unset':
      return { ...base, code: 'compose/unset-variable', severity: 'warning', message: problem.message };
    case 'required':
      return {
        ...base,
        code: 'compose/required-variable',
        severity: 'error',
        message: `${problem.message}; docker compose refuses the file. Read as empty`,
      };
    case 'invalid':
      return {
        ...base,
        code: 'compose/invalid-interpolation',
        severity: 'error',
        message: `${problem.message}. Read as written`,
      };
  }
}

function problemRange(problem: InterpolationProblem, scalar: TreeScalar): SourceRange {
  const start = scalar.contentStart;
  if (start === undefined) return scalar.range;
  return {
    start: { line: start.line, col: start.col + problem.offset },
    end: { line: start.line, col: start.col + problem.offset + problem.length },
  };
}
