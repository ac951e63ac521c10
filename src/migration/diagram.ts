/**
 * The picture of a migration: a Mermaid flowchart (GitHub and GitLab render it natively) drawn from the
 * objects of each stage. Pure: plain objects in, Mermaid text out.
 *
 * - A migration that routes to pools (the inference migrations): one box per stage with each Gateway,
 *   the share of its requests that each route rule sends to each pool (header matches named), pools that
 *   get no traffic, and the pools removed in that stage.
 * - Any other migration (KServe): the stages in a row, each with the objects it creates, changes or
 *   deletes.
 */
import { groupOf } from './manifests';

/** What the diagram needs of one stage. */
export interface DiagramStage {
  /** Folder name, e.g. `02-shift-50`. */
  readonly folder: string;
  /** The stage's objects. */
  readonly objects: any[];
  /** The objects created since the stage before. */
  readonly created: any[];
  /** The objects changed since the stage before. */
  readonly changed: any[];
  /** The objects deleted since the stage before. */
  readonly deleted: any[];
  /**
   * Pools present in the stage that no stage folder holds (installed by Helm, managed elsewhere).
   * @default - none
   */
  readonly externalPools?: DiagramPool[];
}

/** A pool by API group, namespace and name. */
export interface DiagramPool {
  readonly group: string;
  readonly namespace: string;
  readonly name: string;
}

const ALPHA_GROUP = 'inference.networking.x-k8s.io';
const GA_GROUP = 'inference.networking.k8s.io';
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

/**
 * Text for a Mermaid label in double quotes: every character that Mermaid or the HTML label could read
 * as syntax (quotes, brackets, braces, `#`, `<`, `&`, backticks, pipes...) as an entity code (`#35;`),
 * line breaks as spaces; parentheses stay, as a quoted label holds them literally. Nothing in the text
 * can end the label or add markup.
 */
export function mermaidText(text: string): string {
  return String(text)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/["#&<>`[\]{}|;\\]/g, (c) => `#${c.codePointAt(0)};`);
}

/** A node id: letters, digits and `_` only, never user text. */
function id(stage: string, node: string): string {
  return `${stage}_${node}`;
}

interface Backend {
  readonly key: string;
  readonly label: string;
  readonly cls: string;
}

function backendOf(ref: any, routeNamespace: string): Backend {
  const group = typeof ref.group === 'string' ? ref.group : '';
  const kind = typeof ref.kind === 'string' ? ref.kind : 'Service';
  const ns = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : routeNamespace;
  return poolNode(group, kind, ns, String(ref.name));
}

function poolNode(group: string, kind: string, namespace: string, name: string): Backend {
  const key = `${group}/${kind}/${namespace}/${name}`;
  if (kind === 'InferencePool' && group === ALPHA_GROUP) return { key, label: `alpha pool ${name} (v1alpha2)`, cls: 'alpha' };
  if (kind === 'InferencePool' && group === GA_GROUP) return { key, label: `GA pool ${name} (v1)`, cls: 'ga' };
  return { key, label: `${kind} ${name}`, cls: 'other' };
}

function percent(weight: number, total: number): string {
  const p = total > 0 ? (weight * 100) / total : 0;
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

/** What sets a rule apart: its header and query matches, e.g. `header x-inference-preview: ga`. */
function matchLabel(rule: any): string {
  const parts: string[] = [];
  for (const m of rule.matches ?? []) {
    for (const h of m.headers ?? []) parts.push(`header ${h.name}${h.type === 'RegularExpression' ? ' ~ ' : ': '}${h.value}`);
    for (const q of m.queryParams ?? []) parts.push(`query ${q.name}${q.type === 'RegularExpression' ? ' ~ ' : '='}${q.value}`);
    if (m.method) parts.push(`method ${m.method}`);
  }
  return [...new Set(parts)].join(' or ');
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

interface StageTraffic {
  readonly gateways: Map<string, string>;
  readonly backends: Map<string, Backend>;
  readonly edges: Edge[];
}

function trafficOf(objects: any[], externalPools: DiagramPool[]): StageTraffic {
  const gateways = new Map<string, string>();
  const backends = new Map<string, Backend>();
  const edges: Edge[] = [];
  for (const p of externalPools) {
    const b = poolNode(p.group, 'InferencePool', p.namespace, p.name);
    backends.set(b.key, b);
  }
  for (const o of objects) {
    if (o.kind === 'InferencePool') {
      const b = poolNode(groupOf(o.apiVersion), o.kind, o.metadata?.namespace ?? '', o.metadata?.name);
      backends.set(b.key, b);
    }
  }
  for (const route of objects.filter((o) => ROUTE_KINDS.has(o.kind))) {
    const ns = route.metadata?.namespace ?? '';
    const parents = (route.spec?.parentRefs ?? []).map((p: any) => {
      const kind = p.kind ?? 'Gateway';
      const key = `${kind}/${p.namespace ?? ns}/${p.name}`;
      gateways.set(key, `${kind} ${p.namespace ?? ns}/${p.name}${p.sectionName ? ` (${p.sectionName})` : ''}`);
      return key;
    });
    const rules: any[] = route.spec?.rules ?? [];
    const distinct = rules.some((r) => matchLabel(r) !== '');
    for (const rule of rules) {
      const refs: any[] = rule.backendRefs ?? [];
      const total = refs.reduce((n, r) => n + (typeof r.weight === 'number' ? r.weight : 1), 0);
      const match = matchLabel(rule);
      for (const ref of refs) {
        const b = backendOf(ref, ns);
        if (!backends.has(b.key)) backends.set(b.key, b);
        const weight = typeof ref.weight === 'number' ? ref.weight : 1;
        if (weight === 0) continue;
        const share = percent(weight, total);
        const label = match !== '' ? (share === '100%' ? match : `${match}, ${share}`) : distinct ? `other requests, ${share}` : share;
        for (const from of parents) {
          if (!edges.some((e) => e.from === from && e.to === b.key && e.label === label)) edges.push({ from, to: b.key, label });
        }
      }
    }
  }
  return { gateways, backends, edges };
}

/** True when any stage routes to a pool or holds one: the traffic picture fits. */
function routesToPools(stages: DiagramStage[]): boolean {
  return stages.some((s) => s.objects.some((o) => o.kind === 'InferencePool'
    || (ROUTE_KINDS.has(o.kind) && (o.spec?.rules ?? []).some((r: any) => (r.backendRefs ?? []).some((b: any) => b.kind === 'InferencePool')))));
}

const CLASSES = [
  '  classDef alpha fill:#fdf1d6,stroke:#b7791f,color:#000',
  '  classDef ga fill:#dcf2e4,stroke:#2f855a,color:#000',
  '  classDef other fill:#edf2f7,stroke:#4a5568,color:#000',
  '  classDef gateway fill:#e2e8f0,stroke:#2d3748,color:#000',
  '  classDef removed fill:#fff,stroke:#a0aec0,stroke-dasharray:5 5,color:#718096',
  '  classDef down fill:#fed7d7,stroke:#c53030,color:#000',
];

const CLASS_ORDER = ['alpha', 'ga', 'other'];

/** Alpha pools first, then GA pools, then other backends; by name within each. */
function byClass(a: Backend, b: Backend): number {
  return CLASS_ORDER.indexOf(a.cls) - CLASS_ORDER.indexOf(b.cls) || a.label.localeCompare(b.label);
}

function trafficDiagram(stages: DiagramStage[], before: any[]): string[] {
  const lines = ['flowchart TB'];
  let previous: StageTraffic | undefined = before.length > 0 ? trafficOf(before, []) : undefined;
  stages.forEach((stage, i) => {
    const s = `s${i + 1}`;
    const t = trafficOf(stage.objects, stage.externalPools ?? []);
    lines.push(`  subgraph ${s}["${mermaidText(stage.folder)}"]`, '    direction LR');
    const gatewayIds = new Map<string, string>();
    [...t.gateways.entries()].forEach(([key, label], j) => {
      gatewayIds.set(key, id(s, `g${j + 1}`));
      lines.push(`    ${id(s, `g${j + 1}`)}["${mermaidText(label)}"]:::gateway`);
    });
    const backendIds = new Map<string, string>();
    const fed = new Set(t.edges.map((e) => e.to));
    [...t.backends.values()].sort(byClass).forEach((b, j) => {
      backendIds.set(b.key, id(s, `b${j + 1}`));
      const label = fed.has(b.key) ? b.label : `${b.label}: no traffic`;
      lines.push(`    ${id(s, `b${j + 1}`)}["${mermaidText(label)}"]:::${b.cls}`);
    });
    const removed = previous ? [...previous.backends.values()].filter((b) => !t.backends.has(b.key)).sort(byClass) : [];
    removed.forEach((b, j) => lines.push(`    ${id(s, `r${j + 1}`)}["${mermaidText(`${b.label}: removed`)}"]:::removed`));
    if (t.edges.length === 0 && t.gateways.size === 0) {
      lines.push(`    ${id(s, 'x')}["${mermaidText('no route to a pool: inference requests fail')}"]:::down`);
    }
    for (const e of t.edges) lines.push(`    ${gatewayIds.get(e.from)} -->|"${mermaidText(e.label)}"| ${backendIds.get(e.to)}`);
    lines.push('  end');
    previous = t;
  });
  if (stages.length > 1) lines.push(`  ${stages.map((_, i) => `s${i + 1}`).join(' --> ')}`);
  return [...lines, ...CLASSES];
}

function describeObject(o: any): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name}`;
}

function listed(verb: string, objects: any[]): string[] {
  if (objects.length === 0) return [];
  const names = objects.slice(0, 3).map(describeObject);
  return [`${verb}: ${names.join(', ')}${objects.length > 3 ? ` and ${objects.length - 3} more` : ''}`];
}

function stageChain(stages: DiagramStage[]): string[] {
  const lines = ['flowchart LR'];
  stages.forEach((stage, i) => {
    const parts = [...listed('created', stage.created), ...listed('changed', stage.changed), ...listed('deleted', stage.deleted)];
    const text = [stage.folder, ...(parts.length > 0 ? parts : ['no object changes'])].map(mermaidText).join('<br/>');
    lines.push(`  s${i + 1}["${text}"]:::other`);
  });
  if (stages.length > 1) lines.push(`  ${stages.map((_, i) => `s${i + 1}`).join(' --> ')}`);
  return [...lines, ...CLASSES.filter((c) => c.includes('classDef other'))];
}

/**
 * The Mermaid flowchart of a migration's stages (no fence); `before` holds the objects known to exist
 * before the first stage (carried from Git), so that what the first stage removes shows too.
 */
export function migrationDiagram(stages: DiagramStage[], before: any[] = []): string {
  const lines = routesToPools(stages) ? trafficDiagram(stages, before) : stageChain(stages);
  return `${lines.join('\n')}\n`;
}
