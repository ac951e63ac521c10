/**
 * The `ingress` key of KServe's `inferenceservice-config` ConfigMap: one JSON object in one string, which
 * no kustomize or strategic-merge patch can merge into. Pure functions on text; no cdk8s.
 *
 * The rewrite is a minimal text edit (jsonc-parser's syntax tree and applyEdits): the values of
 * `enableGatewayApi` and `kserveIngressGateway` are replaced where they stand, missing keys are appended after the last member in the style of that member
 * (indentation, `:` spacing, line ends), and every other character stays as it was. A reviewer sees exactly
 * the changed lines, and values such as `1.0` or very large integers are not re-formatted by a JSON round trip.
 */
import { createHash } from 'crypto';
import { applyEdits, Edit, Node, parseTree } from 'jsonc-parser';
import { UserError } from '../core/errors';
import { jsonSyntaxProblem } from '../core/json';

/** The keys the migration sets. */
export const ENABLE_GATEWAY_API = 'enableGatewayApi';
/** The key naming the Gateway, `<namespace>/<name>`. */
export const KSERVE_INGRESS_GATEWAY = 'kserveIngressGateway';

/** A top-level member of a JSON object, by character offsets into the text. */
interface Member {
  readonly key: string;
  /** Offset of the key's opening quote. */
  readonly keyStart: number;
  /** Offset just after the key's closing quote. */
  readonly keyEnd: number;
  readonly valueStart: number;
  /** Offset just after the value. */
  readonly valueEnd: number;
}

interface ObjectLayout {
  readonly open: number;
  readonly close: number;
  readonly members: Member[];
}

/** The result of rewriting an ingress config. */
export interface IngressRewrite {
  /** The new JSON text. */
  readonly text: string;
  /** The ingress config before the rewrite, parsed. */
  readonly before: { [key: string]: any };
  /** The ingress config after the rewrite, parsed. */
  readonly after: { [key: string]: any };
  /** True when `enableGatewayApi` was `true` already. */
  readonly alreadyEnabled: boolean;
  /** The `kserveIngressGateway` value before the rewrite, when there was one. */
  readonly previousGateway?: unknown;
  /** Keys appended because they were missing. */
  readonly appended: string[];
}

/**
 * Parses an ingress config: it must be a JSON object. Throws an Error whose message says what is wrong,
 * for the caller to prefix with the object or prop it came from.
 */
export function parseIngressConfig(text: unknown): { [key: string]: any } {
  if (typeof text !== 'string') {
    throw new UserError(`must be a string holding a JSON object (got ${text === null ? 'null' : typeof text})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UserError(`is ${jsonSyntaxProblem(e, text)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UserError(`must be a JSON object (got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)})`);
  }
  return parsed as { [key: string]: any };
}

/**
 * Sets `enableGatewayApi: true` and `kserveIngressGateway: <gateway>` in an ingress config, keeping every
 * other key, its value text and the key order; missing keys are appended at the end. Throws (see
 * `parseIngressConfig`) when the text is not a JSON object.
 */
export function rewriteIngressConfig(text: string, gateway: string): IngressRewrite {
  const before = parseIngressConfig(text);
  const layout = scanObject(text);
  const wanted: Array<[string, string]> = [
    [ENABLE_GATEWAY_API, 'true'],
    [KSERVE_INGRESS_GATEWAY, JSON.stringify(gateway)],
  ];

  // Replace values where the keys stand (every occurrence: JSON.parse and Go keep the last one).
  const edits: Edit[] = [];
  for (const [key, value] of wanted) {
    for (const m of layout.members.filter((x) => x.key === key)) {
      edits.push({ offset: m.valueStart, length: m.valueEnd - m.valueStart, content: value });
    }
  }
  // Missing keys go after the last member (after every replaced value), in its style.
  const missing = wanted.filter(([key]) => !layout.members.some((m) => m.key === key));
  if (missing.length > 0) edits.push(appendMembers(text, layout, missing));
  const out = applyEdits(text, edits);

  const after = parseIngressConfig(out);
  checkRewrite(before, after, gateway);
  return {
    text: out,
    before,
    after,
    alreadyEnabled: before[ENABLE_GATEWAY_API] === true,
    previousGateway: before[KSERVE_INGRESS_GATEWAY],
    appended: missing.map(([key]) => key),
  };
}

/**
 * The value of the `kubectl.kubernetes.io/restartedAt` pod-template annotation that restarts the KServe
 * controller: `ingress-sha256-` and the first 16 hex digits of the SHA-256 of the new ingress JSON. Kubernetes
 * only compares the annotation for change, so a value derived from the config restarts the controller exactly
 * when the config changes, and the same input gives the same files.
 */
export function restartedAtValue(ingressText: string): string {
  return `ingress-sha256-${createHash('sha256').update(ingressText, 'utf8').digest('hex').slice(0, 16)}`;
}

function checkRewrite(before: { [key: string]: any }, after: { [key: string]: any }, gateway: string): void {
  const problems: string[] = [];
  if (after[ENABLE_GATEWAY_API] !== true) problems.push(`${ENABLE_GATEWAY_API} is ${JSON.stringify(after[ENABLE_GATEWAY_API])}`);
  if (after[KSERVE_INGRESS_GATEWAY] !== gateway) problems.push(`${KSERVE_INGRESS_GATEWAY} is ${JSON.stringify(after[KSERVE_INGRESS_GATEWAY])}`);
  const ours = new Set([ENABLE_GATEWAY_API, KSERVE_INGRESS_GATEWAY]);
  const others = (o: { [key: string]: any }) => JSON.stringify(Object.entries(o).filter(([k]) => !ours.has(k)));
  if (others(before) !== others(after)) problems.push('other keys changed');
  if (problems.length > 0) {
    // Not reachable for JSON that parses; kept as a guard so a wrong edit never reaches a cluster.
    throw new Error(`the ingress config rewrite went wrong (${problems.join('; ')}); please report this with the input`);
  }
}

/** The edit that appends members after the last one, copying its style (line end, indentation, colon spacing). */
function appendMembers(text: string, layout: ObjectLayout, add: Array<[string, string]>): Edit {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const last = layout.members[layout.members.length - 1];
  if (!last) {
    const interior = text.slice(layout.open + 1, layout.close);
    const body = add.map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
    const inner = interior.includes('\n')
      ? `${nl}${body.map((b) => `    ${b}`).join(`,${nl}`)}${nl}`
      : body.join(', ');
    return { offset: layout.open + 1, length: interior.length, content: inner };
  }
  // What precedes the last key after the separator (the comma, or the opening brace), and its colon spacing.
  const previous = layout.members[layout.members.length - 2];
  const separatorEnd = previous ? text.indexOf(',', previous.valueEnd) + 1 : layout.open + 1;
  const lead = text.slice(separatorEnd, last.keyStart);
  const prefix = lead.includes('\n') ? `${nl}${lead.slice(lead.lastIndexOf('\n') + 1)}` : ' ';
  const colon = text.slice(last.keyEnd, last.valueStart);
  return { offset: last.valueEnd, length: 0, content: add.map(([k, v]) => `,${prefix}${JSON.stringify(k)}${colon}${v}`).join('') };
}

/** Offsets of the top-level members of a JSON object text that JSON.parse accepted (jsonc-parser's syntax tree). */
function scanObject(text: string): ObjectLayout {
  const root = parseTree(text) as Node;
  const members = (root.children ?? []).map((property) => {
    const [key, value] = property.children!;
    return {
      key: key.value as string,
      keyStart: key.offset,
      keyEnd: key.offset + key.length,
      valueStart: value.offset,
      valueEnd: value.offset + value.length,
    };
  });
  return { open: root.offset, close: root.offset + root.length - 1, members };
}
