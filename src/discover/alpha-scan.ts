/**
 * Finds the alpha objects of a directory and says what each becomes and whether a target Gateway API
 * Inference Extension release still serves its API. Pure: objects in, a report out, then text.
 *
 * Listed: v1alpha2 InferencePools and InferenceModels, every other object that refers to an alpha pool
 * (routes of any kind, policies' targetRefs), whether or not the pool is in the input,
 * llamastack.io/v1alpha1 LlamaStackDistributions and a KServe `inferenceservice-config` whose ingress is
 * not on Gateway API; each with the command that migrates it. InferenceObjectives and InferenceModelRewrites
 * (what the migration produces) are listed only where the target no longer serves them (v1.6.0 and later: GIE
 * PR #2973 removed both; README.md@v1.6.0 says they moved with the EPP to llm-d/llm-d-router, which serves them
 * as `llm-d.ai/v1alpha2`: apix/v1alpha2/doc.go and config/crd/bases/llm-d.ai_inferenceobjectives.yaml at
 * llm-d-router v0.10.0), so a CI gate on the exit code stops an upgrade that would drop them.
 */
import { alphaReferences, uniquePools } from './alpha-references';
import { isKserveLlmObject, kserveLlmFinding } from './kserve-llm-config';
import { displayPath, fieldLine, SkippedDocument, SourceObject } from './repo-reader';
import { isAlphaModel, isAlphaPool } from '../convert/alpha-kinds';
import { formatGieVersion, GieVersion, gieApiLifetime, gieServes } from '../convert/gie-versions';
import { describeTargets, gaPoolName, modelRewriteOf, priorityFor } from '../convert/inference-model';
import { markdownCode, markdownText } from '../core/markdown';
import { shellQuote } from '../core/shell';
import { GA_POOL_GROUP } from '../inference/api';

/** One alpha object. */
export interface ScanFinding {
  /** File, relative to the scanned directory. */
  readonly file: string;
  /** Line of the object. */
  readonly line: number;
  readonly apiVersion: string;
  readonly kind: string;
  /** Namespace, when the object has one. */
  readonly namespace?: string;
  readonly name: string;
  /** What it becomes, for people. */
  readonly becomes: string;
  /** Whether the target still serves the object's API. */
  readonly served: boolean;
  /** Who serves the API, and which releases, for people. */
  readonly servedBy: string;
  /** More to know, for people. */
  readonly note?: string;
  /** True when the object is in a stage folder written by inference-migrate. */
  readonly generated?: boolean;
  /** The command that migrates it. */
  readonly command: string;
  /** For an object that refers to alpha pools (a route, a policy): the pools and whether each is in the input. */
  readonly references?: ScanReference[];
}

/** A reference to an alpha pool in a finding. */
export interface ScanReference {
  /** The field that refers, e.g. `spec.rules[0].backendRefs[0]`. */
  readonly field: string;
  /** Line of the field. */
  readonly line: number;
  /** The pool, `namespace/name`. */
  readonly pool: string;
  /** True when the pool's manifest is in the scanned input. */
  readonly inInput: boolean;
}

/** What `scan` found. */
export interface ScanReport {
  /** The target GIE release, e.g. `v1.6.0`. */
  readonly target: string;
  readonly findings: ScanFinding[];
  /** What was not read as an object, with the reason (templates, charts, kustomizations, ...). */
  readonly skipped: SkippedDocument[];
  /** Helm chart templates that use the alpha API: not read (templates are not manifests until rendered). */
  readonly templates: ScanTemplate[];
}

/** A Helm chart template that names the alpha API group. */
export interface ScanTemplate {
  readonly file: string;
  /** The lines that name the alpha API group. */
  readonly lines: number[];
  /** Whether the target still serves the alpha InferencePool (what the template most likely holds or refers to). */
  readonly served: boolean;
  /** How to plan it: render the chart, pipe the output. */
  readonly command: string;
}

/** Exit codes of `scan`. */
export const SCAN_EXIT = { NOTHING: 0, SERVED: 2, NOT_SERVED: 3 } as const;

const INFERENCE_OBJECTIVE = 'inference.networking.x-k8s.io/v1alpha2';
const ALPHA_POOL = 'inference.networking.x-k8s.io/v1alpha2';
/** The kinds of the migration's output that GIE later stopped serving, under the alpha group. */
const OUTPUT_KINDS = ['InferenceObjective', 'InferenceModelRewrite'];
/** Where they went (README.md@v1.6.0 of GIE) and the group they are served under there (llm-d-router v0.10.0). */
const SUCCESSOR = 'llm-d/llm-d-router';
const SUCCESSOR_API = 'llm-d.ai/v1alpha2';

/** Where the scanned input came from, for the commands: a directory or file, or standard input (`-`). */
export interface ScanInput {
  /** The path as given, or `-` for standard input. */
  readonly path: string;
  /** What was skipped while reading. */
  readonly skipped?: SkippedDocument[];
}

/** The commands that migrate what a scan finds. */
function commandsFor(input: ScanInput) {
  const stdin = input.path === '-';
  const from = stdin ? '-' : shellQuote(input.path);
  const pipe = stdin ? '<the command that rendered the input> | ' : '';
  return {
    gie: `${pipe}inference-migrate plan --from ${from} --out <migrations-dir>`,
    kserve: `${pipe}inference-migrate plan-kserve --from ${from} --out <migrations-dir>`,
    llamastack: (file: string) => `inference-migrate convert llamastack ${stdin ? '<file>' : shellQuote(displayPath(input.path, file))} --out <dir>`,
  };
}

/** Scans objects for alpha APIs and for references to alpha pools. */
export function scanObjects(objects: SourceObject[], target: GieVersion, input: ScanInput = { path: '.' }): ScanReport {
  const findings: ScanFinding[] = [];
  const t = formatGieVersion(target);
  const commands = commandsFor(input);
  const nsOf = (s: SourceObject): string => s.object.metadata.namespace ?? s.namespaceHint ?? 'default';
  const pools = new Set(objects.filter((s) => isAlphaPool(s.object)).map((s) => `${nsOf(s)}/${s.object.metadata.name}`));
  const alphaPoolServed = gieServes(ALPHA_POOL, 'InferencePool', target)!;
  const alphaPoolLifetime = gieApiLifetime(ALPHA_POOL, 'InferencePool')!;
  for (const source of objects) {
    const obj = source.object;
    const base = {
      file: source.file,
      line: source.line,
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      ...(typeof (obj.metadata.namespace ?? source.namespaceHint) === 'string' ? { namespace: obj.metadata.namespace ?? source.namespaceHint } : {}),
      name: obj.metadata.name,
      ...(source.generated ? { generated: true } : {}),
      // A stage folder is the migration itself: it is done by promoting it, not by planning again.
      command: source.generated ? 'promote the migration to its cleanup stage (see the README of the migration folder)' : commands.gie,
    };
    const ns = base.namespace ? `${base.namespace}/` : '';
    const gie = (extra: { becomes: string; note?: string; command?: string }) => {
      const lifetime = gieApiLifetime(obj.apiVersion, obj.kind)!;
      findings.push({ ...base, ...extra, served: gieServes(obj.apiVersion, obj.kind, target)!, servedBy: `GIE ${lifetime.served}` });
    };
    if (isAlphaPool(obj)) {
      gie({ becomes: `InferencePool ${ns}${gaPoolName(obj.metadata.name)} (inference.networking.k8s.io/v1)` });
    } else if (isAlphaModel(obj)) {
      gie(modelBecomes(obj, ns, target));
    } else if (obj.apiVersion === INFERENCE_OBJECTIVE && OUTPUT_KINDS.includes(obj.kind)) {
      if (gieServes(obj.apiVersion, obj.kind, target)) continue;
      gie({
        becomes: `nothing GIE ${t} serves: ${SUCCESSOR} serves ${obj.kind} as ${SUCCESSOR_API}, read by its Endpoint Picker (GIE v1.6.0 moved the EPP and this API there)`,
        note: `the cluster drops every ${obj.kind} when its CRD goes with an upgrade to GIE ${t}` +
          `${obj.kind === 'InferenceModelRewrite' ? ', and requests for the rewritten models then reach the model servers under the name they were sent with' : ''}: ` +
          `keep the CRDs of GIE v1.5.x or older until your Endpoint Picker reads ${obj.kind} ${SUCCESSOR_API}`,
        command: `none in inference-migrate: stay at GIE v1.5.x or older, or move to ${SUCCESSOR}'s ${SUCCESSOR_API} ${obj.kind}`,
      });
    } else if (obj.apiVersion === 'llamastack.io/v1alpha1' && obj.kind === 'LlamaStackDistribution') {
      findings.push({
        ...base,
        becomes: `LlamaStackDistribution ${ns}${obj.metadata.name} (llamastack.io/v1alpha2)`,
        served: true,
        servedBy: 'the LlamaStack operator (v1alpha1 and v1alpha2; not a GIE API)',
        note: 'a LlamaStack operator API, not a GIE one: convert it with convert llamastack',
        command: commands.llamastack(source.file),
      });
    } else if (obj.apiVersion === 'v1' && obj.kind === 'ConfigMap' && obj.metadata.name === 'inferenceservice-config' && obj.data?.ingress !== undefined) {
      const finding = kserveIngress(obj.data.ingress);
      if (finding) findings.push({ ...base, ...finding, command: commands.kserve });
    } else if (isKserveLlmObject(obj)) {
      const finding = kserveLlmFinding(obj, nsOf(source));
      if (finding) findings.push({ ...base, ...finding, served: alphaPoolServed, servedBy: `GIE ${alphaPoolLifetime.served}` });
    } else {
      const refs = alphaReferences(obj, nsOf(source));
      if (refs.length === 0) continue;
      const references = refs.map((r) => ({
        field: r.field,
        line: fieldLine(source, r.field),
        pool: `${r.pool.namespace}/${r.pool.name}`,
        inInput: pools.has(`${r.pool.namespace}/${r.pool.name}`),
      }));
      const missing = uniquePools(refs).filter((p) => !pools.has(`${p.namespace}/${p.name}`));
      findings.push({
        ...base,
        becomes: `the same ${obj.kind} with its references to ${uniquePools(refs).map((p) => `${p.name} pointing at InferencePool ${gaPoolName(p.name)}`).join(', ')} (${GA_POOL_GROUP})`,
        served: alphaPoolServed,
        servedBy: `GIE ${alphaPoolLifetime.served}`,
        references,
        ...(missing.length > 0
          ? {
            note: `refers to alpha InferencePool ${missing.map((p) => `${p.namespace}/${p.name}`).join(', ')}, which is not in the scanned input (installed by Helm, or converted already?): ` +
              'add the pool\'s manifest to plan it (helm get manifest <release>), or point the reference at the v1 pool',
          }
          : {}),
      });
    }
  }
  const skipped = [...(input.skipped ?? [])];
  const templates = skipped.filter((x) => x.alphaLines && x.alphaLines.length > 0).map((x) => ({
    file: x.file,
    lines: [...x.alphaLines!],
    served: alphaPoolServed,
    command: 'helm template <release> <chart> -n <namespace> | inference-migrate plan --from - --namespace <namespace> --out <migrations-dir>',
  }));
  return { target: t, findings, skipped, templates };
}

/**
 * What an alpha InferenceModel becomes: an InferenceObjective with the priority of its criticality and, when its
 * targetModels rename the model, an InferenceModelRewrite of the same name; with a note when the target serves
 * neither.
 */
function modelBecomes(obj: any, ns: string, target: GieVersion): { becomes: string; note?: string } {
  const criticality = obj.spec?.criticality ?? 'Standard';
  let rewrite: ReturnType<typeof modelRewriteOf>;
  try {
    rewrite = modelRewriteOf(obj);
  } catch {
    rewrite = undefined; // malformed targetModels: plan says what is wrong
  }
  const rewriteText = rewrite
    ? ` and InferenceModelRewrite ${ns}${obj.metadata.name} (${INFERENCE_OBJECTIVE}), rewriting model ${rewrite.model} to ${describeTargets(rewrite.targets)}`
    : '';
  const gone = [...(gieServes(INFERENCE_OBJECTIVE, 'InferenceObjective', target) ? [] : ['InferenceObjective']),
    ...(rewrite && !gieServes(INFERENCE_OBJECTIVE, 'InferenceModelRewrite', target) ? ['InferenceModelRewrite'] : [])];
  const t = formatGieVersion(target);
  return {
    becomes: `InferenceObjective ${ns}${obj.metadata.name} (${INFERENCE_OBJECTIVE}), priority ${priorityFor(criticality)} (criticality ${criticality})${rewriteText}`,
    ...(gone.length > 0 ? {
      note: `GIE ${t} does not serve ${gone.join(' or ')} either (${gone.length === 1 ? `served ${gieApiLifetime(INFERENCE_OBJECTIVE, gone[0])!.served}`
        : `${gone.map((k) => `${k}: ${gieApiLifetime(INFERENCE_OBJECTIVE, k)!.served}`).join(', ')}; moved with the EPP to ${SUCCESSOR} as ${SUCCESSOR_API}`}): ` +
        `migrate with the CRDs of a release from ${rewrite ? 'v1.3.x' : 'v1.0.x'} to v1.4.x, which serve both pools${rewrite ? ' and whose EPP applies the rewrite' : ''}`,
    } : {}),
  };
}

function kserveIngress(ingress: unknown): Omit<ScanFinding, 'file' | 'line' | 'apiVersion' | 'kind' | 'namespace' | 'name' | 'command'> | undefined {
  let parsed: any;
  try {
    parsed = typeof ingress === 'string' ? JSON.parse(ingress) : undefined;
  } catch {
    parsed = undefined;
  }
  const common = {
    becomes: 'the same ConfigMap with data.ingress enableGatewayApi: true and kserveIngressGateway: <namespace>/<gateway> (KServe on Gateway API)',
    served: true,
    servedBy: 'KServe (Ingress and Gateway API modes; not a GIE API)',
  };
  if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
    return { ...common, note: 'data.ingress is not valid JSON: check it by hand' };
  }
  if (parsed.enableGatewayApi === true) return undefined;
  return { ...common, note: 'a KServe configuration, not a GIE API: migrate it with plan-kserve' };
}

/** The exit code of `scan` for a report: 0 nothing found, 2 everything still served, 3 something not served. */
export function scanExitCode(report: ScanReport): number {
  const all = [...report.findings, ...report.templates];
  if (all.length === 0) return SCAN_EXIT.NOTHING;
  return all.some((f) => !f.served) ? SCAN_EXIT.NOT_SERVED : SCAN_EXIT.SERVED;
}

function objectText(f: ScanFinding): string {
  return `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name} (${f.apiVersion})`;
}

function servedText(f: ScanFinding, target: string): string {
  const gie = f.servedBy.startsWith('GIE ');
  if (!gie) return `yes, by ${f.servedBy}`;
  return f.served ? `yes: GIE ${target} serves it (${f.servedBy})` : `no: GIE ${target} does not serve it (${f.servedBy})`;
}

function summary(report: ScanReport): string {
  const n = report.findings.filter((f) => !f.references).length;
  const r = report.findings.length - n;
  const tpl = report.templates.length;
  if (n + r + tpl === 0) return `no alpha objects found (target GIE ${report.target})`;
  const gone = [...report.findings, ...report.templates].filter((f) => !f.served).length;
  const found = [
    ...(n > 0 ? [`${n} alpha object${n === 1 ? '' : 's'}`] : []),
    ...(r > 0 ? [`${r} object${r === 1 ? '' : 's'} that refer${r === 1 ? 's' : ''} to an alpha pool`] : []),
    ...(tpl > 0 ? [`${tpl} Helm chart template${tpl === 1 ? '' : 's'} that use${tpl === 1 ? 's' : ''} the alpha API (render the chart to plan ${tpl === 1 ? 'it' : 'them'})`] : []),
  ].join(' and ');
  return `found ${found}; ${gone === 0 ? `GIE ${report.target} still serves every one of them`
    : `${gone} use${gone === 1 ? 's' : ''} an API that GIE ${report.target} does not serve`}`;
}

function objectLabel(f: ScanFinding): string {
  return f.references ? `${objectText(f)}, refers to alpha InferencePool ${[...new Set(f.references.map((r) => r.pool))].join(', ')}` : objectText(f);
}

/** The report as text (one block per object), JSON, or a Markdown table. */
export function formatScan(report: ScanReport, format: 'text' | 'json' | 'markdown', root: string): string {
  const where = (f: ScanFinding) => `${displayPath(root, f.file)}:${f.line}`;
  if (format === 'json') {
    return `${JSON.stringify({
      target: report.target,
      found: report.findings.length,
      notServed: report.findings.filter((f) => !f.served).length,
      exitCode: scanExitCode(report),
      findings: report.findings.map((f) => ({ ...f, file: displayPath(root, f.file) })),
      templates: report.templates.map((x) => ({ ...x, file: displayPath(root, x.file) })),
      skipped: report.skipped.map((s) => ({ file: displayPath(root, s.file), line: s.line, reason: s.reason, notable: s.notable === true })),
    }, null, 2)}\n`;
  }
  if (format === 'markdown') {
    // Names and paths come from the files read: escaped, so none can add a row, a cell or markup.
    const cell = (s: string) => markdownText(s, true);
    const lines = [
      `| file | object | becomes | served by GIE ${report.target} | command |`,
      '|---|---|---|---|---|',
      ...report.findings.map((f) => `| ${markdownCode(where(f), true)}${f.generated ? ' (stage folder)' : ''} | ${cell(objectLabel(f))} | ${cell(f.becomes)}${f.note ? `<br>${cell(f.note)}` : ''} ` +
        `| ${cell(servedText(f, report.target))} | ${markdownCode(f.command, true)} |`),
    ];
    const templateRows = report.templates.map((x) => `| ${markdownCode(`${displayPath(root, x.file)}:${x.lines[0]}`, true)} (Helm template) | ${cell(`uses the alpha API on line${x.lines.length === 1 ? '' : 's'} ${x.lines.join(', ')}`)} ` +
      `| ${cell('render the chart to plan it')} | ${cell(x.served ? 'yes' : 'no')} | ${markdownCode(x.command, true)} |`);
    const rows = [...lines, ...templateRows];
    return `${report.findings.length + templateRows.length > 0 ? `${rows.join('\n')}\n\n` : ''}${summary(report)}.\n`;
  }
  const blocks = report.findings.map((f) => [
    `${where(f)}: ${objectLabel(f)}`,
    `  becomes: ${f.becomes}`,
    `  served:  ${servedText(f, report.target)}`,
    ...(f.note ? [`  note:    ${f.note}`] : []),
    `  migrate: ${f.command}`,
    ...(f.generated ? ['  origin:  a stage folder written by inference-migrate (applied while that stage is synced)'] : []),
  ].join('\n'));
  for (const x of report.templates) {
    blocks.push([
      `${displayPath(root, x.file)}:${x.lines[0]}: Helm chart template that uses the alpha API (line${x.lines.length === 1 ? '' : 's'} ${x.lines.join(', ')})`,
      '  becomes: whatever the rendered objects become: templates are not manifests until rendered',
      `  served:  ${x.served ? 'yes' : 'no'}: the alpha InferencePool API ${x.served ? 'is' : 'is not'} served by GIE ${report.target}`,
      `  migrate: ${x.command}`,
    ].join('\n'));
  }
  return `${blocks.length > 0 ? `${blocks.join('\n\n')}\n\n` : ''}${summary(report)}\n`;
}
