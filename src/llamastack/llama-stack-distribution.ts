import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkLlamaStackSpec } from './rules';
import { LlamaStackDistributionProps } from './types';
import { convertLlamaStackDistribution, normalizeLlamaStackDraft } from '../convert/llamastack';
import { LLSD_KIND, LLSD_V1ALPHA2, SPEC_FIELDS } from '../convert/llamastack-api';
import { LlamaStackConversionOptions } from '../convert/llamastack-types';
import { givenProps, propError, show } from '../core/errors';
import { cloneJson, isPlainObject } from '../core/json';
import { checkSubdomain } from '../core/names';
import { generatedName, resolveNamespace } from '../core/namespace';

/**
 * A LlamaStackDistribution (`llamastack.io/v1alpha2`, llama-stack-k8s-operator): a LlamaStack server whose
 * config.yaml the operator generates from declared providers, models and storage, or takes whole from a ConfigMap.
 *
 * @example
 * new LlamaStackDistribution(chart, 'llsd', {
 *   name: 'my-llsd',
 *   distribution: { name: 'starter' },
 *   providers: { inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1' }] },
 * });
 *
 * The construct enforces the CRD's rules and the migration guide's eagerly, each error naming the prop:
 * `overrideConfig` excludes providers, resources, storage and disabled; several providers of one API each need an
 * id, and ids are unique across APIs; a model's provider must be the id of an inference provider; an API cannot be
 * both disabled and provided; redis needs an endpoint, postgres a connection-string Secret.
 *
 * @see https://github.com/llamastack/llama-stack-k8s-operator
 */
export class LlamaStackDistribution extends Construct {
  /**
   * A distribution from a `llamastack.io/v1alpha2` object (as parsed from YAML), in the CRD's typed form or in the
   * migration guide's draft forms (`expose: true`, one provider object, `apiKey`), which are rewritten to the typed
   * forms and listed in `draftDifferences`.
   *
   * @param obj the LlamaStackDistribution; its metadata gives name, namespace, labels and annotations
   */
  public static fromObject(scope: Construct, id: string, obj: object): LlamaStackDistribution {
    let normalized;
    try {
      normalized = normalizeLlamaStackDraft(obj);
    } catch (err) {
      throw propError(`${scope.node.path}/${id}`, 'obj', `cannot be read: ${(err as Error).message}`);
    }
    const llsd = new LlamaStackDistribution(scope, id, propsOf(`${scope.node.path}/${id}`, normalized.object));
    llsd.draftDifferences.push(...normalized.differences);
    return llsd;
  }

  /**
   * A distribution converted from a `llamastack.io/v1alpha1` object (as parsed from YAML) by the migration guide's
   * field tables; what did not carry over as it was is listed in `conversionWarnings`.
   *
   * @param obj the v1alpha1 LlamaStackDistribution
   * @param options how env vars and ConfigMap namespaces are treated
   */
  public static fromV1alpha1(scope: Construct, id: string, obj: object, options?: LlamaStackConversionOptions): LlamaStackDistribution {
    let conversion;
    try {
      conversion = convertLlamaStackDistribution(obj, options);
    } catch (err) {
      throw propError(`${scope.node.path}/${id}`, 'obj', `cannot be converted: ${(err as Error).message}`);
    }
    const llsd = new LlamaStackDistribution(scope, id, propsOf(`${scope.node.path}/${id}`, conversion.object));
    llsd.conversionWarnings.push(...conversion.warnings);
    return llsd;
  }

  /** Name of the distribution. */
  public readonly name: string;
  /** Namespace of the distribution. */
  public readonly namespace: string;
  /** Which draft forms `fromObject` rewrote (empty otherwise). */
  public readonly draftDifferences: string[] = [];
  /** What `fromV1alpha1` could not carry over as it was (empty otherwise). */
  public readonly conversionWarnings: string[] = [];
  /** The LlamaStackDistribution API object. */
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: LlamaStackDistributionProps) {
    super(scope, id);
    props = givenProps(this, props);
    this.name = props.name ?? generatedName(this);
    checkSubdomain(this, 'name', this.name);
    this.namespace = resolveNamespace(this, 'namespace', props.namespace);
    const spec = specOf(props);
    checkLlamaStackSpec(this, spec);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: LLSD_V1ALPHA2,
      kind: LLSD_KIND,
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels, annotations: props.annotations },
      spec,
    });
  }
}

/** The spec fields of the props, without undefined values. */
function specOf(props: LlamaStackDistributionProps): Record<string, any> {
  const spec: Record<string, any> = {};
  for (const field of SPEC_FIELDS) {
    const value = (props as any)[field];
    if (value !== undefined) spec[field] = cloneJson(value);
  }
  // Anything else is checked (and refused) by the rules, with the field's name.
  const known = new Set([...SPEC_FIELDS, 'name', 'namespace', 'labels', 'annotations']);
  for (const [key, value] of Object.entries(props)) {
    if (!known.has(key) && value !== undefined) spec[key] = value;
  }
  return spec;
}

/** Props from a v1alpha2 object: metadata gives name, namespace, labels and annotations; the spec is the rest. */
function propsOf(path: string, obj: any): LlamaStackDistributionProps {
  const spec = obj.spec;
  if (!isPlainObject(spec)) throw propError(path, 'obj', `must have a spec object (got ${show(spec)})`);
  const meta = obj.metadata;
  return { ...spec, name: meta.name, namespace: meta.namespace, labels: meta.labels, annotations: meta.annotations } as LlamaStackDistributionProps;
}
