import { Construct } from 'constructs';
import { nameProblems } from './input-names';
import { ManifestLocation, ManifestSource, ManifestSourceOptions, YamlManifestOptions } from './manifest-source';
import { InputError, SourceObject } from './sources';
import { PropError } from '../core/errors';
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
    const found = kserveInputsFromManifests(objects.map((o) => o.object), { namespace: ns });
    const sourceOf = (obj: unknown) => objects.find((o) => o.object === obj)!;
    const config = sourceOf(found.existingConfigMap);
    const controller = found.controllerDeployment === undefined ? undefined : sourceOf(found.controllerDeployment);
    // Their names and namespace go into the stage READMEs' commands.
    const problems = [config, ...(controller ? [controller] : [])].flatMap((s) => nameProblems(s, found.kserveNamespace));
    if (problems.length > 0) throw new InputError(problems, source.root);
    return new KServeMigrationPlan(source, found, config, controller);
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

  private readonly found: KServeScanResult;

  private constructor(source: ManifestSource, found: KServeScanResult, config: SourceObject, controller?: SourceObject) {
    this.source = source;
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
    return new KServeGatewayApiMigration(scope, id, {
      ...props,
      kserveNamespace: this.kserveNamespace,
      existingConfigMap: this.found.existingConfigMap,
      ...(this.found.controllerDeployment !== undefined ? { controllerDeployment: this.found.controllerDeployment } : {}),
    });
  }
}
