/**
 * dockerd's route templates over the normalized path, with the reference a request names.
 * `{ref*}` is one of dockerd's greedy parameters (`{name:.*}`, `{id:.+}`: containers, exec, images,
 * volumes, networks, plugins), so `/containers/a/b/json` names the container `a/b`, exactly as
 * dockerd reads it (security-notes.md D8) and the lookup fails the way dockerd's would. `{ref}` is one
 * segment (services, tasks, secrets, configs, nodes).
 */

export interface RouteMatch {
  /** The decoded reference; absent for templates without a parameter. */
  readonly reference?: string;
  /** The literal path around the reference, for forwarding with the resolved full ID. */
  readonly before: string;
  readonly after: string;
}

export interface RoutePattern {
  readonly method: string;
  readonly template: string;
  match(method: string, normalizedPath: string): RouteMatch | undefined;
}

const PARAMETER = /\{ref(\*?)\}/;

const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileRoutePattern(method: string, template: string): RoutePattern {
  const parameter = PARAMETER.exec(template);
  if (parameter === null) {
    return {
      method,
      template,
      match: (m, path) => (m === method && path === template ? { before: template, after: '' } : undefined),
    };
  }
  const before = template.slice(0, parameter.index);
  const after = template.slice(parameter.index + parameter[0].length);
  const regex = new RegExp(`^${quote(before)}(${parameter[1] === '*' ? '.+' : '[^/]+'})${quote(after)}$`);
  return {
    method,
    template,
    match: (m, path) => {
      if (m !== method) return undefined;
      const reference = regex.exec(path)?.[1];
      return reference === undefined ? undefined : { reference, before, after };
    },
  };
}
