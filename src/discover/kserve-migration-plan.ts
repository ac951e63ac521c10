import { Construct } from 'constructs';
import { nameProblems } from './input-names';
import { ManifestLocation, ManifestSource, ManifestSourceOptions, YamlManifestOptions } from './manifest-source';
import { validateSources } from './source-validation';
import { displayLocation, InputError, SourceObject } from './sources';
import { CarriedManifest } from '../core/carried-manifest';
import { isUserError, PropError } from '../core/errors';
import { CONFIG_MAP_NAME } from '../kserve/kserve-api';
import { KServeGatewayApiMigration, KServeGatewayApiMigrationProps } from '../kserve/kserve-gateway-api-migration';
import { kserveInputsFromManifests, KServeScanResult } from '../kserve/repo-scan';
import { checkDnsLabel } from '../validation/metadata';

/** How `KServeMigrationPlan` finds KServe's objects. */
export interface KServeMigrationPlanOptions {
  /**
   * KServe's namespace. Objects without a namespace count as being in it.
   * @default - the namespace of the one `inferenceservice-config` ConfigMap found, else 'kserve'
   */
  readonly kserveNamespace?: string;

  /**
   * Validate the ConfigMap and the controller Deployment that were found against the core schemas:
   * a problem is an error with file, line and field.
   * @default true
   */
  readonly validateInputs?: boolean;
}

/** Options of `KServeMigrationPlan.fromDirectory`. */
export interface KServeMigrationDirectoryOptions extends KServeMigrationPlanOptions, ManifestSourceOptions {}

/** Options of `KServeMigrationPlan.fromYaml`. */
export interface KServeMigrationYamlOptions extends KServeMigrationPlanOptions, YamlManifestOptions {}

/**
 * KServe's move from Kubernetes Ingress to the Gateway API, planned from the manifests that install
 * KServe: finds the `inferenceservice-config` ConfigMap (an error names what is missing, or the
 * ConfigMap whose ingress JSON is malformed) and, when present, the `kserve-controller-manager`
 * Deployment, and adds a `KServeGatewayApiMigration` that carries them.
 *
 * The library side of `inference-migrate plan-kserve --from`.
 *
 * @example
 * const app = new App();
 * KServeMigrationPlan.fromDirectory('gitops/kserve').addMigration(app, 'kserve-gateway-api', { tlsSecretName: 'my-secret' });
 * new GitOpsWriter({ outdir: 'gitops/migrations', validate: true }).writeAll(app);
 */
export class KServeMigrationPlan {
  /** Finds KServe's objects among the manifests under `directory` (see `ManifestSource.fromDirectory`). */
  public static fromDirectory(directory: string, options: KServeMigrationDirectoryOptions = {}): KServeMigrationPlan {
    return KServeMigrationPlan.fromSource(ManifestSource.fromDirectory(directory, options), options);
  }

  /** Finds KServe's objects in a YAML stream (see `ManifestSource.fromYaml`). */
  public static fromYaml(yaml: string, options: KServeMigrationYamlOptions = {}): KServeMigrationPlan {
    return KServeMigrationPlan.fromSource(ManifestSource.fromYaml(yaml, options), options);
  }

  /** Finds KServe's objects among manifests that were read already. */
  public static fromSource(source: ManifestSource, options: KServeMigrationPlanOptions = {}): KServeMigrationPlan {
    const ns = options.kserveNamespace;
    if (ns !== undefined) {
      const problem = typeof ns === 'string' ? checkDnsLabel(ns) : 'must be a string';
      if (problem) throw new PropError(`KServeMigrationPlan: 'kserveNamespace' ${problem}`);
    }
    const objects = source._contents.objects;
    // Two of KServe's one ConfigMap (a base and its overlays, or two installations): each named with its file and line.
    const configMaps = objects.filter((o) => o.object.apiVersion === 'v1' && o.object.kind === 'ConfigMap' && o.object.metadata.name === CONFIG_MAP_NAME
      && (ns === undefined || (o.object.metadata.namespace ?? o.namespaceHint ?? ns) === ns));
    if (configMaps.length > 1) {
      throw new InputError(configMaps.map((c, i) => ({
        file: c.file,
        line: c.line,
        message: `ConfigMap ${c.object.metadata.namespace ?? c.namespaceHint ?? '(no namespace)'}/${CONFIG_MAP_NAME} is one of ${configMaps.length} found ` +
          `(${i === 0 ? 'the others follow' : 'see the first'}): KServe has one. Plan one installation: the rendered overlay (kustomize build <overlay> | ` +
          'inference-migrate plan-kserve --from - ...), a directory that holds only it, or --namespace',
      })), source.root);
    }
    let found: KServeScanResult;
    try {
      found = kserveInputsFromManifests(objects.map((o) => o.object), { namespace: ns });
    } catch (err) {
      // A problem of the one ConfigMap (no ingress JSON, or malformed) gets its file and line.
      const configs = objects.filter((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === CONFIG_MAP_NAME);
      if (!isUserError(err) || configs.length !== 1) throw err;
      throw new InputError([{ file: configs[0].file, line: configs[0].line, message: err.message }], source.root);
    }
    // Where each was read: the one object of its kind, name and namespace (the finder refuses two).
    const sourceOf = (m: CarriedManifest) => objects.find((o) => o.object.apiVersion === m.apiVersion && o.object.kind === m.kind
      && o.object.metadata.name === m.name && (o.object.metadata.namespace || found.kserveNamespace) === (m.namespace || found.kserveNamespace))!;
    const config = sourceOf(found.existingConfigMap);
    const controller = found.controllerDeployment === undefined ? undefined : sourceOf(found.controllerDeployment);
    // Their names and namespace go into the stage READMEs' commands.
    const problems = [config, ...(controller ? [controller] : [])].flatMap((s) => nameProblems(s, found.kserveNamespace));
    if (problems.length > 0) throw new InputError(problems, source.root);
    if (options.validateInputs ?? true) {
      const invalid = validateSources([config, ...(controller ? [controller] : [])]);
      if (invalid.length > 0) {
        throw new InputError(invalid.map((p) => ({ ...p, message: `input does not pass validation: ${p.message}` })), source.root);
      }
    }
    const warnings: string[] = [];
    const containers = controller?.object.spec?.template?.spec?.containers;
    for (const c of Array.isArray(containers) ? containers : []) {
      if (typeof c?.image === 'string' && c.image.startsWith('ko://')) {
        warnings.push(`Deployment ${found.kserveNamespace}/${controller!.object.metadata.name} (${displayLocation(source.root, controller!.file, controller!.line)}) ` +
          `runs image ${c.image}: a ko:// reference of an unrendered kustomize base (ko resolves it when it builds); the stages carry it as is, which no cluster can pull. ` +
          'Plan the rendered manifests (the release\'s kserve.yaml, or ko resolve -f <dir>) instead.');
      }
    }
    return new KServeMigrationPlan(source, found, config, controller, warnings);
  }

  /** The manifests the plan was made from. */
  public readonly source: ManifestSource;
  /** KServe's namespace. */
  public readonly kserveNamespace: string;
  /** Where the `inferenceservice-config` ConfigMap is defined. */
  public readonly configMapLocation: ManifestLocation;
  /**
   * Where the `kserve-controller-manager` Deployment is defined.
   * @default - not found: the stage READMEs say to restart the controller by hand
   */
  public readonly controllerDeploymentLocation?: ManifestLocation;

  /** What a user should know about the input (e.g. an unrendered `ko://` image), one sentence each. */
  public readonly warnings: string[];

  private readonly found: KServeScanResult;

  private constructor(source: ManifestSource, found: KServeScanResult, config: SourceObject, controller: SourceObject | undefined,
    warnings: string[]) {
    this.source = source;
    this.warnings = warnings;
    this.kserveNamespace = found.kserveNamespace;
    this.found = found;
    this.configMapLocation = { file: config.file, line: config.line };
    this.controllerDeploymentLocation = controller ? { file: controller.file, line: controller.line } : undefined;
  }

  /**
   * Adds the `KServeGatewayApiMigration` under `scope`: `props` as given, with KServe's namespace, the
   * ConfigMap and the controller Deployment that were found.
   */
  public addMigration(scope: Construct, id: string, props: KServeGatewayApiMigrationProps = {}): KServeGatewayApiMigration {
    try {
      return new KServeGatewayApiMigration(scope, id, {
        ...props,
        kserveNamespace: this.kserveNamespace,
        existingConfigMap: this.found.existingConfigMap,
        ...(this.found.controllerDeployment !== undefined ? { controllerDeployment: this.found.controllerDeployment } : {}),
      });
    } catch (err) {
      // What the construct refuses in the objects that were found is about their file and line.
      if (!isUserError(err)) throw err;
      const at = /^[^:]*: 'controllerDeployment/.test(err.message) ? this.controllerDeploymentLocation
        : /^[^:]*: 'existingConfigMap/.test(err.message) ? this.configMapLocation : undefined;
      if (!at) throw err;
      throw new InputError([{ ...at, message: err.message }], this.source.root);
    }
  }
}
