/** Findings about one node of a compose document: a value of the wrong shape, a scalar compose versions read differently. */

import { pointerOf } from '../policy/diagnostic.js';
import type { ComposeDiagnostic } from './model.js';
import type { TreeNode, TreeScalar } from './yaml-tree.js';

export function invalidValue(message: string, node: TreeNode, path: string[]): ComposeDiagnostic {
  return {
    code: 'compose/invalid-value',
    severity: 'error',
    message,
    pointer: pointerOf(path),
    file: node.file,
    range: node.range,
  };
}

/**
 * A typed scalar whose compose string differs from its text (`010`, `1.0`, `True`, `0x1`): docker
 * compose v2 passes Go's formatting of the number or boolean, builds that keep the node text pass the
 * text. `undefined` when both agree.
 */
export function ambiguousScalar(name: string, node: TreeScalar, path: string[]): ComposeDiagnostic | undefined {
  if (node.yamlKind === 'string' || node.value === null || node.value === node.written) return undefined;
  const article = node.yamlKind === 'int' ? 'an' : 'a';
  return {
    code: 'compose/ambiguous-scalar',
    severity: 'warning',
    message: `YAML reads ${node.written} as ${article} ${node.yamlKind}: docker compose v2 passes ${JSON.stringify(node.value)} for ${name}, compose builds that keep the source text pass ${JSON.stringify(node.written)}; quote the value to be sure`,
    pointer: pointerOf(path),
    file: node.file,
    range: node.range,
    suggestion: JSON.stringify(node.written),
  };
}
