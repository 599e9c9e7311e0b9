/**
 * Which resources a client may see (sockguard-config.md §7 `visible_resource_labels`, `name_patterns`,
 * `image_patterns`; §10 ownership). A resource is visible when it passes every configured axis:
 * - owner scope: its owner label equals the owner (images without the label pass when
 *   allow_unowned_images is set; an image of another owner never does);
 * - label selectors (`key` or `key=value`), all of them;
 * - name patterns, any of them, for containers and images only;
 * - image patterns, any of them, for containers and images only.
 * Other kinds (networks, volumes, swarm objects) carry no image and are not matched by name: they are
 * scoped by labels and owner alone, the same as the label filter the proxy injects into their lists.
 *
 * Names: a container's own name is a `Names` entry with one leading `/` and no other (list) or its
 * `Name` (inspect), without the slash. `Names` also holds legacy link aliases (`/web/db`); those are
 * names another container gave it and never make it visible. An image's names are the last path
 * component of its RepoTags (`ghcr.io/org/app:1` is `app:1`), its image references the full RepoTags;
 * a container's image reference is `Image` (list) or `Config.Image` (inspect) as the daemon reports it.
 * Patterns use the glob dialect of §3.6 over the whole value (`*` stops at `/`, `**` does not).
 */
import { globToRegexSource } from '../glob.js';
import { isJsonObject, markChanged, type JsonNode, type JsonObject } from './json-tree.js';
import { describePath, ShapeMismatch, type TreePath } from './tree-edits.js';

export interface VisibilitySettings {
  readonly visible_resource_labels?: readonly string[];
  readonly name_patterns?: readonly string[];
  readonly image_patterns?: readonly string[];
}

export interface OwnerScope {
  readonly labelKey: string;
  readonly owner: string;
  readonly allowUnownedImages: boolean;
}

export interface LabelSelector {
  readonly key: string;
  /** Absent: the label must exist with any value. */
  readonly value?: string;
}

export interface CompiledVisibility {
  readonly selectors: readonly LabelSelector[];
  readonly namePatterns: readonly RegExp[];
  readonly imagePatterns: readonly RegExp[];
  readonly owner?: OwnerScope;
}

export type VisibilityCompileResult = { ok: true; visibility: CompiledVisibility } | { ok: false; problem: string };

export function parseLabelSelector(text: string): LabelSelector | undefined {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  if (key.trim() === '') return undefined;
  return eq < 0 ? { key } : { key, value: text.slice(eq + 1) };
}

function compilePatterns(patterns: readonly string[], what: string): RegExp[] | string {
  const out: RegExp[] = [];
  for (const pattern of patterns) {
    if (pattern === '') return `${what} must not contain an empty pattern`;
    // compileGlob's per-segment matcher expects a leading "/" (paths); names and references have none.
    out.push(new RegExp(globToRegexSource(pattern)));
  }
  return out;
}

export function compileVisibility(settings: VisibilitySettings, owner?: OwnerScope): VisibilityCompileResult {
  const selectors: LabelSelector[] = [];
  for (const text of settings.visible_resource_labels ?? []) {
    const selector = parseLabelSelector(text);
    if (selector === undefined) return { ok: false, problem: `invalid label selector ${JSON.stringify(text)}` };
    selectors.push(selector);
  }
  const namePatterns = compilePatterns(settings.name_patterns ?? [], 'name_patterns');
  if (typeof namePatterns === 'string') return { ok: false, problem: namePatterns };
  const imagePatterns = compilePatterns(settings.image_patterns ?? [], 'image_patterns');
  if (typeof imagePatterns === 'string') return { ok: false, problem: imagePatterns };
  return { ok: true, visibility: { selectors, namePatterns, imagePatterns, ...(owner ? { owner } : {}) } };
}

/**
 * A profile's settings on top of the root ones: every selector of both applies, and each pattern
 * list is the union of both (a profile adds allowed names; it cannot drop the root's selectors).
 */
export function mergeVisibilitySettings(root: VisibilitySettings, profile: VisibilitySettings): VisibilitySettings {
  const union = (a: readonly string[] = [], b: readonly string[] = []) => [...new Set([...a, ...b])];
  return {
    visible_resource_labels: union(root.visible_resource_labels, profile.visible_resource_labels),
    name_patterns: union(root.name_patterns, profile.name_patterns),
    image_patterns: union(root.image_patterns, profile.image_patterns),
  };
}

export function constrainsVisibility(v: CompiledVisibility): boolean {
  return v.owner !== undefined || v.selectors.length > 0 || v.namePatterns.length > 0 || v.imagePatterns.length > 0;
}

/** The selectors as Docker `label` filter values, for injection into list and events queries. */
export function formatSelectorFilters(v: CompiledVisibility): string[] {
  return v.selectors.map((s) => (s.value === undefined ? s.key : `${s.key}=${s.value}`));
}

// ---------------------------------------------------------------------------------------------------
// Where each resource shape keeps its labels, names and image references.

export type ViewKind = 'container' | 'image' | 'network' | 'volume' | 'service' | 'task' | 'secret' | 'config' | 'node';

export interface ResourceView {
  readonly kind: ViewKind;
  readonly labels: TreePath;
  readonly names?: (resource: JsonObject) => string[];
  readonly images?: (resource: JsonObject) => string[];
}

function at(resource: JsonObject, path: TreePath): JsonNode | undefined {
  let node: JsonNode | undefined = resource;
  for (let i = 0; i < path.length; i++) {
    if (node === undefined || node === null) return undefined;
    if (!isJsonObject(node)) throw new ShapeMismatch(describePath(path.slice(0, i)), 'an object');
    node = node.get(path[i]!);
  }
  return node ?? undefined;
}

function stringAt(resource: JsonObject, path: TreePath): string[] {
  const value = at(resource, path);
  if (value === undefined) return [];
  if (typeof value !== 'string') throw new ShapeMismatch(describePath(path), 'a string');
  return value === '' ? [] : [value];
}

function stringsAt(resource: JsonObject, path: TreePath): string[] {
  const value = at(resource, path);
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ShapeMismatch(describePath(path), 'an array of strings');
  }
  return value as string[];
}

/** The labels of a resource; a missing or null label map is an empty one. */
export function readLabels(view: ResourceView, resource: JsonObject): ReadonlyMap<string, string> {
  const value = at(resource, view.labels);
  if (value === undefined) return new Map();
  if (!isJsonObject(value)) throw new ShapeMismatch(describePath(view.labels), 'an object');
  const labels = new Map<string, string>();
  for (const [key, label] of value) {
    if (typeof label !== 'string') throw new ShapeMismatch(`${describePath(view.labels)}.${key}`, 'a string');
    labels.set(key, label);
  }
  return labels;
}

const OWN_CONTAINER_NAME = /^\/([^/]+)$/;

const shortNames = (tags: string[]) => tags.map((tag) => tag.slice(tag.lastIndexOf('/') + 1));

export const VIEWS = {
  containerSummary: {
    kind: 'container',
    labels: ['Labels'],
    names: (r) => stringsAt(r, ['Names']).flatMap((n) => OWN_CONTAINER_NAME.exec(n)?.slice(1) ?? []),
    images: (r) => stringAt(r, ['Image']),
  },
  containerInspect: {
    kind: 'container',
    labels: ['Config', 'Labels'],
    names: (r) => stringAt(r, ['Name']).flatMap((n) => OWN_CONTAINER_NAME.exec(n)?.slice(1) ?? []),
    images: (r) => stringAt(r, ['Config', 'Image']),
  },
  imageSummary: {
    kind: 'image',
    labels: ['Labels'],
    names: (r) => shortNames(stringsAt(r, ['RepoTags'])),
    images: (r) => stringsAt(r, ['RepoTags']),
  },
  imageInspect: {
    kind: 'image',
    labels: ['Config', 'Labels'],
    names: (r) => shortNames(stringsAt(r, ['RepoTags'])),
    images: (r) => stringsAt(r, ['RepoTags']),
  },
  network: { kind: 'network', labels: ['Labels'] },
  volume: { kind: 'volume', labels: ['Labels'] },
  service: { kind: 'service', labels: ['Spec', 'Labels'] },
  task: { kind: 'task', labels: ['Spec', 'ContainerSpec', 'Labels'] },
  secret: { kind: 'secret', labels: ['Spec', 'Labels'] },
  config: { kind: 'config', labels: ['Spec', 'Labels'] },
  node: { kind: 'node', labels: ['Spec', 'Labels'] },
} as const satisfies Record<string, ResourceView>;

function matchesAny(patterns: readonly RegExp[], values: readonly string[]): boolean {
  return values.some((value) => patterns.some((p) => p.test(value)));
}

/** Whether one resource (a list item or an inspect document) is visible. Throws ShapeMismatch. */
export function isResourceVisible(view: ResourceView, resource: JsonNode, v: CompiledVisibility): boolean {
  if (!isJsonObject(resource)) throw new ShapeMismatch('the resource', 'an object');
  const labels = readLabels(view, resource);
  if (v.owner !== undefined) {
    const owner = labels.get(v.owner.labelKey);
    const unownedImage = view.kind === 'image' && v.owner.allowUnownedImages && owner === undefined;
    if (owner !== v.owner.owner && !unownedImage) return false;
  }
  for (const s of v.selectors) {
    const value = labels.get(s.key);
    if (value === undefined || (s.value !== undefined && value !== s.value)) return false;
  }
  if (v.namePatterns.length > 0 && view.names && !matchesAny(v.namePatterns, view.names(resource))) return false;
  if (v.imagePatterns.length > 0 && view.images && !matchesAny(v.imagePatterns, view.images(resource))) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------
// List and inspect documents.

export type ListShape =
  | 'containers'
  | 'images'
  | 'networks'
  | 'volumes'
  | 'services'
  | 'tasks'
  | 'secrets'
  | 'configs'
  | 'nodes'
  | 'system-df';

export type InspectShape =
  'container' | 'image' | 'network' | 'volume' | 'service' | 'task' | 'secret' | 'config' | 'node';

interface ListLayout {
  /** Path to an array of resources; `[]` is the document itself. */
  readonly path: TreePath;
  readonly view: ResourceView;
}

const LIST_LAYOUTS: Record<ListShape, readonly ListLayout[]> = {
  containers: [{ path: [], view: VIEWS.containerSummary }],
  images: [{ path: [], view: VIEWS.imageSummary }],
  networks: [{ path: [], view: VIEWS.network }],
  volumes: [{ path: ['Volumes'], view: VIEWS.volume }],
  services: [{ path: [], view: VIEWS.service }],
  tasks: [{ path: [], view: VIEWS.task }],
  secrets: [{ path: [], view: VIEWS.secret }],
  configs: [{ path: [], view: VIEWS.config }],
  nodes: [{ path: [], view: VIEWS.node }],
  // API < 1.52 lists resources at the top level, later versions under <Kind>Usage.Items.
  'system-df': [
    { path: ['Containers'], view: VIEWS.containerSummary },
    { path: ['ContainerUsage', 'Items'], view: VIEWS.containerSummary },
    { path: ['Images'], view: VIEWS.imageSummary },
    { path: ['ImageUsage', 'Items'], view: VIEWS.imageSummary },
    { path: ['Volumes'], view: VIEWS.volume },
    { path: ['VolumeUsage', 'Items'], view: VIEWS.volume },
  ],
};

/** How each kind's inspect answer carries its labels, name and image. */
export const INSPECT_VIEWS: Readonly<Record<InspectShape, ResourceView>> = {
  container: VIEWS.containerInspect,
  image: VIEWS.imageInspect,
  network: VIEWS.network,
  volume: VIEWS.volume,
  service: VIEWS.service,
  task: VIEWS.task,
  secret: VIEWS.secret,
  config: VIEWS.config,
  node: VIEWS.node,
};

function filterArray(items: JsonNode, layout: ListLayout, v: CompiledVisibility): JsonNode[] | undefined {
  if (!Array.isArray(items)) throw new ShapeMismatch(describePath(layout.path), 'an array');
  const kept = items.filter((item) => isResourceVisible(layout.view, item, v));
  return kept.length === items.length ? undefined : kept;
}

/**
 * Keeps only the visible resources of a list response, in place; returns the (possibly new) root and
 * whether anything was removed. Throws ShapeMismatch on a document of another shape.
 */
export function filterListResponse(
  shape: ListShape,
  tree: JsonNode,
  v: CompiledVisibility,
): { tree: JsonNode; changed: boolean } {
  let root = tree;
  let changed = false;
  for (const layout of LIST_LAYOUTS[shape]) {
    if (layout.path.length === 0) {
      const kept = filterArray(root, layout, v);
      if (kept !== undefined) [root, changed] = [kept, true];
      continue;
    }
    // The objects from the root down to the one holding the list, all changed if the list is.
    const chain: JsonObject[] = [];
    let node: JsonNode | undefined = root;
    for (let i = 0; i < layout.path.length - 1 && node !== undefined && node !== null; i++) {
      if (!isJsonObject(node)) throw new ShapeMismatch(describePath(layout.path.slice(0, i)), 'an object');
      chain.push(node);
      node = node.get(layout.path[i]!);
    }
    if (node === undefined || node === null) continue;
    if (!isJsonObject(node)) throw new ShapeMismatch(describePath(layout.path.slice(0, -1)), 'an object');
    const key = layout.path[layout.path.length - 1]!;
    const items = node.get(key) ?? null;
    if (items === null) continue;
    const kept = filterArray(items, layout, v);
    if (kept !== undefined) {
      node.set(key, kept);
      markChanged(node, ...chain);
      changed = true;
    }
  }
  return { tree: root, changed };
}

/** Whether an inspect document is visible (a hidden one is answered 404 `resource not found`). */
export function isVisible(shape: InspectShape, tree: JsonNode, v: CompiledVisibility): boolean {
  return isResourceVisible(INSPECT_VIEWS[shape], tree, v);
}
