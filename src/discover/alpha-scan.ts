/**
 * Finds the alpha objects of a directory and says what each becomes and whether a target Gateway API
 * Inference Extension release still serves its API. Pure: objects in, a report out, then text.
 *
 * Listed: v1alpha2 InferencePools and InferenceModels, llamastack.io/v1alpha1 LlamaStackDistributions
 * and a KServe `inferenceservice-config` whose ingress is not on Gateway API. InferenceObjectives are
 * not listed: they are what the migration produces (an InferenceModel's note says when the target no
 * longer serves them either).
 */
import { displayPath, SourceObject } from './repo-reader';
import { isAlphaModel, isAlphaPool } from '../convert/alpha-kinds';
import { formatGieVersion, GieVersion, gieApiLifetime, gieServes } from '../convert/gie-versions';
import { gaPoolName, priorityFor } from '../convert/inference-model';
import { markdownCode, markdownText } from '../core/markdown';

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
}

/** What `scan` found. */
export interface ScanReport {
  /** The target GIE release, e.g. `v1.6.0`. */
  readonly target: string;
  readonly findings: ScanFinding[];
}

/** Exit codes of `scan`. */
export const SCAN_EXIT = { NOTHING: 0, SERVED: 2, NOT_SERVED: 3 } as const;

const INFERENCE_OBJECTIVE = 'inference.networking.x-k8s.io/v1alpha2';

/** Scans objects for alpha APIs. */
export function scanObjects(objects: SourceObject[], target: GieVersion): ScanReport {
  const findings: ScanFinding[] = [];
  const t = formatGieVersion(target);
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
    };
    const ns = base.namespace ? `${base.namespace}/` : '';
    const gie = (extra: { becomes: string; note?: string }) => {
      const lifetime = gieApiLifetime(obj.apiVersion, obj.kind)!;
      findings.push({ ...base, ...extra, served: gieServes(obj.apiVersion, obj.kind, target)!, servedBy: `GIE ${lifetime.served}` });
    };
    if (isAlphaPool(obj)) {
      gie({ becomes: `InferencePool ${ns}${gaPoolName(obj.metadata.name)} (inference.networking.k8s.io/v1)` });
    } else if (isAlphaModel(obj)) {
      const criticality = obj.spec?.criticality ?? 'Standard';
      const objectiveServed = gieServes(INFERENCE_OBJECTIVE, 'InferenceObjective', target)!;
      gie({
        becomes: `InferenceObjective ${ns}${obj.metadata.name} (${INFERENCE_OBJECTIVE}), priority ${priorityFor(criticality)} (criticality ${criticality})`,
        ...(objectiveServed ? {} : { note: `GIE ${t} does not serve InferenceObjective either (served v1.0.0–v1.5.x): migrate with the CRDs of a release from v1.0.x to v1.4.x, which serve both pools` }),
      });
    } else if (obj.apiVersion === 'llamastack.io/v1alpha1' && obj.kind === 'LlamaStackDistribution') {
      findings.push({
        ...base,
        becomes: `LlamaStackDistribution ${ns}${obj.metadata.name} (llamastack.io/v1alpha2)`,
        served: true,
        servedBy: 'the LlamaStack operator (v1alpha1 and v1alpha2; not a GIE API)',
        note: 'detection only: this command does not convert it yet',
      });
    } else if (obj.apiVersion === 'v1' && obj.kind === 'ConfigMap' && obj.metadata.name === 'inferenceservice-config' && obj.data?.ingress !== undefined) {
      const finding = kserveIngress(obj.data.ingress);
      if (finding) findings.push({ ...base, ...finding });
    }
  }
  return { target: t, findings };
}

function kserveIngress(ingress: unknown): Omit<ScanFinding, 'file' | 'line' | 'apiVersion' | 'kind' | 'namespace' | 'name'> | undefined {
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
  return { ...common, note: 'detection only: this command does not convert it yet' };
}

/** The exit code of `scan` for a report: 0 nothing found, 2 everything still served, 3 something not served. */
export function scanExitCode(report: ScanReport): number {
  if (report.findings.length === 0) return SCAN_EXIT.NOTHING;
  return report.findings.some((f) => !f.served) ? SCAN_EXIT.NOT_SERVED : SCAN_EXIT.SERVED;
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
  const n = report.findings.length;
  if (n === 0) return `no alpha objects found (target GIE ${report.target})`;
  const gone = report.findings.filter((f) => !f.served).length;
  return `found ${n} alpha object${n === 1 ? '' : 's'}; ${gone === 0 ? `GIE ${report.target} still serves every one of them`
    : `${gone} use${gone === 1 ? 's' : ''} an API that GIE ${report.target} does not serve`}`;
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
    }, null, 2)}\n`;
  }
  if (format === 'markdown') {
    // Names and paths come from the files read: escaped, so none can add a row, a cell or markup.
    const cell = (s: string) => markdownText(s, true);
    const lines = [
      `| file | object | becomes | served by GIE ${report.target} |`,
      '|---|---|---|---|',
      ...report.findings.map((f) => `| ${markdownCode(where(f), true)}${f.generated ? ' (stage folder)' : ''} | ${cell(objectText(f))} | ${cell(f.becomes)}${f.note ? `<br>${cell(f.note)}` : ''} | ${cell(servedText(f, report.target))} |`),
    ];
    return `${report.findings.length > 0 ? `${lines.join('\n')}\n\n` : ''}${summary(report)}.\n`;
  }
  const blocks = report.findings.map((f) => [
    `${where(f)}: ${objectText(f)}`,
    `  becomes: ${f.becomes}`,
    `  served:  ${servedText(f, report.target)}`,
    ...(f.note ? [`  note:    ${f.note}`] : []),
    ...(f.generated ? ['  origin:  a stage folder written by inference-migrate (applied while that stage is synced)'] : []),
  ].join('\n'));
  return `${blocks.length > 0 ? `${blocks.join('\n\n')}\n\n` : ''}${summary(report)}\n`;
}
