import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { recordCarried } from './carried-registry';
import { CarriedManifest } from '../core/carried-manifest';
import { givenProps, propError, show } from '../core/errors';

/** Props of `CarriedObjects`. */
export interface CarriedObjectsProps {
  /** The objects, each rendered as given (each group, kind, namespace and name at most once). */
  readonly manifests: CarriedManifest[];
}

/**
 * Objects carried from Git unchanged: the one construct through which the library carries existing objects
 * into a chart or a stage (an alpha stack, an HTTPRoute before traffic shifts, KServe's ConfigMap and
 * controller). Each object is one `ApiObject` rendered as given: an object without `metadata.namespace`
 * stays without (it may be cluster-scoped, or placed by whoever applies it; the chart's namespace is not
 * added), and no annotation is added (the GitOps writer adds sync waves, and only to objects that changed).
 * A manifest read from YAML (`CarriedManifest.fromYaml`) is written by the `GitOpsWriter` as its original
 * text, comments, key order and quoting included, as long as nothing changed the object after it was made.
 *
 * @example
 * new CarriedObjects(chart, 'alpha-stack', {
 *   manifests: CarriedManifest.allFromYaml(fs.readFileSync('apps/llm/alpha-stack.yaml', 'utf8')),
 * });
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/
 */
export class CarriedObjects extends Construct {
  /** The rendered objects, in the order given. */
  public readonly apiObjects: ApiObject[] = [];

  public constructor(scope: Construct, id: string, props: CarriedObjectsProps) {
    super(scope, id);
    props = givenProps(this, props);
    const manifests = props.manifests;
    if (!Array.isArray(manifests)) throw propError(this, 'manifests', `must be a list of CarriedManifests (got ${show(manifests)})`);
    const seen = new Map<string, number>();
    manifests.forEach((m, i) => {
      if (!(m instanceof CarriedManifest)) {
        throw propError(this, `manifests[${i}]`, `must be a CarriedManifest (CarriedManifest.fromYaml or fromObject) (got ${show(m)})`);
      }
      const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
      const key = `${group}/${m.kind}/${m.namespace ?? ''}/${m.name}`;
      if (seen.has(key)) throw propError(this, `manifests[${i}]`, `repeats ${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name} (already manifests[${seen.get(key)}])`);
      seen.set(key, i);
      const { apiVersion, kind, metadata, ...rest } = m._object;
      const obj = new ApiObject(this, key.replace(/\//g, '-'), { apiVersion, kind, metadata, ...rest });
      if (m.namespace === undefined && obj.metadata.namespace !== undefined) {
        obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      }
      recordCarried(obj, m);
      this.apiObjects.push(obj);
    });
  }
}
