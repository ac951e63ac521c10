import { withApiServerDefaults } from './api-defaults';
import { evaluateRules } from './cel';
import { isKnownCoreKind, unknownMetadataFields, validateCoreObject } from './core-kinds';
import { CompiledCrdVersion, CrdHeader, CrdIndex } from './crd-store';
import { checkObjectMeta, FieldProblem, isClusterScopedCoreKind, Scope, splitApiVersion } from './metadata';
import { ajvErrorsToProblems } from './openapi';
import { cloneJson, isPlainObject, objectLabel } from './paths';
import { scrubSecrets, secretValues, showField } from './redact';
import { normalize, schemaPointerToPath } from './structural';
import { AppliedDefault, DEFAULT_CRD_BUNDLES, ManifestValidatorOptions, ValidationProblem, ValidationReport } from './types';
import { UserError } from '../core/errors';

/** How an apiVersion/kind is validated. */
type Resolution =
  | { readonly via: 'crd'; readonly header: CrdHeader; readonly compiled: CompiledCrdVersion }
  | { readonly via: 'core'; readonly scope: Scope }
  | { readonly via: 'unknown'; readonly message: string; readonly scope: Scope };

/** Mutable collector for one validate() call. */
class ReportBuilder {
  public readonly problems: ValidationProblem[] = [];
  public readonly defaultsApplied: AppliedDefault[] = [];
  public celRulesEvaluated = 0;
  public celRulesSkipped = 0;
  private current: unknown;
  private secrets: ReadonlySet<string> | undefined;

  /** The object the next problems belong to. */
  public startObject(obj: unknown): void {
    this.current = obj;
    this.secrets = undefined;
  }

  public add(object: string, source: string, problems: readonly FieldProblem[], rule?: string): void {
    for (const p of problems) {
      const problem: ValidationProblem = { object, field: p.field, message: this.scrub(p.message), source };
      this.problems.push(rule === undefined ? problem : { ...problem, rule });
    }
  }

  /**
   * Every message shows values through showField, which redacts secret fields; this removes whatever secret of the
   * object still got into a message another way (a CEL messageExpression, an error of a validator).
   */
  private scrub(message: string): string {
    this.secrets ??= secretValues((this.current as { kind?: unknown } | undefined)?.kind, '', this.current);
    return this.secrets.size === 0 ? message : scrubSecrets(message, this.secrets);
  }
}

/**
 * Validates synthesized Kubernetes manifests the way an API server would: ObjectMeta rules for every object;
 * custom resources against the pinned CRDs (pruning of unknown fields, structural defaulting, OpenAPI schema with
 * ajv, then every x-kubernetes-validations CEL rule); built-in, GKE and Istio kinds with the kubernetes-models
 * validators. Objects of any other kind are reported, never passed silently.
 *
 * The package's pinned CRDs are compiled when the package is built (schemas without descriptions, and the code ajv
 * generates for them); a CRD directory given as `crdDir` is read from YAML and compiled on first use. Either way a
 * CRD version is loaded once per process, on first use, so creating many validators and validating many objects is
 * cheap after the first object of each kind.
 *
 * @example
 * const report = new ManifestValidator().validate([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } }]);
 * console.log(ManifestValidator.formatProblems(report.problems));
 */
export class ManifestValidator {
  /**
   * The CRD bundles used when ManifestValidatorOptions.crdBundles is not given (same as the DEFAULT_CRD_BUNDLES
   * constant, for languages other than TypeScript).
   */
  public static readonly DEFAULT_CRD_BUNDLES: string[] = DEFAULT_CRD_BUNDLES;

  /**
   * Formats problems for people, one line per problem: `<object>: <field>: <message> [<source>]`; `no problems` when
   * there is none (so printing the result never prints an empty line).
   *
   * @param problems the problems of a ValidationReport
   */
  public static formatProblems(problems: ValidationProblem[]): string {
    if (problems.length === 0) return 'no problems';
    return problems
      .map((p) => `${p.object}: ${p.field === '' ? '' : `${p.field}: `}${p.message} [${p.source}]`)
      .join('\n');
  }

  /**
   * Validates objects and throws an Error listing every problem (see formatProblems) when there is any.
   *
   * @param objects the manifests, as plain JSON objects (e.g. `Testing.synth(chart)`)
   * @param options which CRD bundles to use
   * @returns the report, when there is no problem
   */
  public static validateOrThrow(objects: object[], options?: ManifestValidatorOptions): ValidationReport {
    const report = new ManifestValidator(options).validate(objects);
    if (report.problems.length > 0) {
      const count = report.problems.length;
      throw new UserError(`manifest validation found ${count} problem${count === 1 ? '' : 's'}:\n${ManifestValidator.formatProblems(report.problems)}`);
    }
    return report;
  }

  private readonly bundles: readonly string[];
  private readonly crds: CrdIndex;
  private readonly resolutions = new Map<string, Resolution>();

  /**
   * Selects the CRD bundles. Throws when a bundle is unknown, one of its files has not been fetched
   * (`npx projen fetch-crds`) or two bundles define the same group/version/kind.
   *
   * @param options which CRD bundles to use, and where their files are
   */
  constructor(options: ManifestValidatorOptions = {}) {
    const bundles = [...(options.crdBundles ?? DEFAULT_CRD_BUNDLES)];
    this.crds = new CrdIndex(bundles, options.crdDir, options.extraCrdPaths ?? []);
    // Named in the message of a kind no schema defines.
    this.bundles = [...bundles, ...(options.extraCrdPaths ?? []).map((p) => `the CRDs under ${p}`)];
  }

  /**
   * Validates a list of manifests. Never throws for invalid input: every finding is a problem in the report.
   *
   * @param objects the manifests, as plain JSON objects
   * @returns problems, counts and the defaults the API server would add
   */
  public validate(objects: object[]): ValidationReport {
    const report = new ReportBuilder();
    objects.forEach((obj, i) => this.validateObject(obj, i, report));
    return {
      problems: report.problems,
      objectsChecked: objects.length,
      celRulesEvaluated: report.celRulesEvaluated,
      celRulesSkipped: report.celRulesSkipped,
      defaultsApplied: report.defaultsApplied,
    };
  }

  private validateObject(obj: unknown, index: number, report: ReportBuilder): void {
    report.startObject(obj);
    if (!isPlainObject(obj)) {
      report.add(`object #${index}`, 'metadata', [{ field: '', message: 'must be a JSON object with apiVersion, kind and metadata' }]);
      return;
    }
    const label = objectLabel(obj);
    const typed = typeof obj.apiVersion === 'string' && obj.apiVersion !== '' && typeof obj.kind === 'string' && obj.kind !== '';
    const resolution = typed ? this.resolve(obj.apiVersion, obj.kind) : undefined;
    report.add(label, 'metadata', checkObjectMeta(obj, scopeOf(resolution)));
    if (!resolution) return;
    switch (resolution.via) {
      case 'crd':
        this.validateCustomResource(obj, label, resolution.compiled, report);
        break;
      case 'core': {
        // Defaults first, as the API server does (a RoleBinding's roleRef.apiGroup, say): see api-defaults.ts.
        const defaulted = withApiServerDefaults(obj);
        for (const d of defaulted.applied) report.defaultsApplied.push({ object: label, field: d.field, value: JSON.stringify(d.value) });
        const core = validateCoreObject(defaulted.object);
        report.add(label, 'core', core.problems);
        report.add(label, 'unknown-field', core.unknownFields.map(unknownField));
        break;
      }
      case 'unknown':
        report.add(label, 'unknown-kind', [{ field: '', message: resolution.message }]);
        break;
    }
  }

  private validateCustomResource(obj: Record<string, any>, label: string, compiled: CompiledCrdVersion, report: ReportBuilder): void {
    // One deep copy per object: pruning and defaulting change it, as the API server changes what it stores.
    const { status: _ignored, ...rest } = obj;
    const work = cloneJson(rest);
    report.add(label, 'unknown-field', unknownMetadataFields(obj.metadata).map(unknownField));
    normalize(work, compiled.root, '', {
      unknownField: (field) => report.add(label, 'unknown-field', [unknownField(field)]),
      defaulted: (field, value) => report.defaultsApplied.push({ object: label, field, value: JSON.stringify(value) }),
      listProblem: (problem) => report.add(label, 'schema', [problem]),
      show: (field, value) => showField(obj.kind, field, value),
      embeddedMetadata: (field, value) => {
        report.add(label, 'unknown-field', unknownMetadataFields(value).map((f) => unknownField(`${field}${f.slice('metadata'.length)}`)));
      },
    });
    if (!compiled.validate(work)) {
      report.add(label, 'schema', ajvErrorsToProblems(compiled.validate.errors ?? [], work, (p) => schemaPointerToPath(p, compiled.root)));
    }
    evaluateRules(work, compiled.root, '', {
      evaluated: () => report.celRulesEvaluated++,
      skipped: () => report.celRulesSkipped++,
      problem: (p) => report.add(label, 'cel', [p], p.rule),
    });
  }

  private resolve(apiVersion: string, kind: string): Resolution {
    const key = `${apiVersion}/${kind}`;
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      resolution = this.resolveUncached(apiVersion, kind);
      this.resolutions.set(key, resolution);
    }
    return resolution;
  }

  private resolveUncached(apiVersion: string, kind: string): Resolution {
    const { group, version } = splitApiVersion(apiVersion);
    const found = group === '' ? { knownKind: false } : this.crds.find(group, version, kind);
    if ('header' in found && found.header) {
      const defined = found.header.versions().find((v) => v.name === version)!;
      if (!defined.served) {
        return { via: 'unknown', scope: found.header.scope, message: `version ${version} of ${kind} is not served by the crd in bundle '${found.header.bundle}'` };
      }
      return { via: 'crd', header: found.header, compiled: found.header.compiled(version) };
    }
    if (found.knownKind) {
      return { via: 'unknown', scope: undefined, message: `the selected crd bundles define ${kind} in group ${group}, but not version ${version}` };
    }
    if (isKnownCoreKind(apiVersion, kind)) return { via: 'core', scope: isClusterScopedCoreKind(group, kind) ? 'Cluster' : 'Namespaced' };
    return {
      via: 'unknown',
      scope: undefined,
      message: `no schema is known for ${apiVersion} ${kind}: it is neither a built-in kind nor defined by the crd bundles ${this.bundles.join(', ')}`,
    };
  }
}

/**
 * A field the schema does not declare, reported as the API server's strict field validation does (kubectl's
 * default); without it the server would drop the field silently. Same text as the server's strict decoder:
 * `unknown field "spec.template.spec.containers[0].resource"` (kubernetes-sigs/json,
 * internal/golang/encoding/json/kubernetes_patch.go: strictError.Error quotes the path).
 */
function unknownField(field: string): FieldProblem {
  return { field, message: `unknown field ${JSON.stringify(field)}` };
}

function scopeOf(resolution: Resolution | undefined): Scope {
  if (!resolution) return undefined;
  return resolution.via === 'crd' ? resolution.header.scope : resolution.scope;
}
