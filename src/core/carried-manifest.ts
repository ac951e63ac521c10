import { Parser } from 'yaml';
import { PropError } from './errors';
import { toKubernetesJsonKeys } from './kubernetes-yaml';
import { listItems } from './manifest-objects';
import { documentTexts, manifestComposer, withNamespaceLine } from './yaml-text';

/**
 * A Kubernetes object that a migration carries from Git into its stages (an alpha stack, a route, KServe's
 * ConfigMap): its parsed content and, when it was read from YAML, the original text of its document, so a
 * writer can reproduce it byte for byte.
 *
 * @example
 * const stack = CarriedManifest.allFromYaml(fs.readFileSync('apps/llm/alpha-stack.yaml', 'utf8'));
 * const route = CarriedManifest.fromObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'llm-route' }, spec: {} });
 */
export class CarriedManifest {
  /**
   * The one object of a YAML text (one document). The text is kept as given.
   *
   * @param text YAML text of exactly one Kubernetes object
   */
  public static fromYaml(text: string): CarriedManifest {
    const all = CarriedManifest.allFromYaml(text);
    if (all.length !== 1) {
      throw new PropError(`CarriedManifest.fromYaml: expected exactly one object (got ${all.length}); use allFromYaml for several documents`);
    }
    return all[0];
  }

  /**
   * Every object of a multi-document YAML text, in order: empty documents are skipped, and the items of a
   * list document (`kind: List`, or `<Kind>List` as `kubectl get -o yaml` writes) are opened. Each object
   * keeps the text of its own document (items of a list document have none of their own).
   *
   * @param text YAML text (YAML 1.1, as Kubernetes reads it)
   */
  public static allFromYaml(text: string): CarriedManifest[] {
    if (typeof text !== 'string') throw new PropError(`CarriedManifest.allFromYaml: expected YAML text (got ${typeof text})`);
    const tokens = [...new Parser().parse(text)];
    const texts = documentTexts(text, tokens);
    const out: CarriedManifest[] = [];
    [...manifestComposer().compose(tokens)].forEach((doc, i) => {
      if (doc.errors.length > 0) {
        throw new PropError(`CarriedManifest.allFromYaml: document ${i + 1} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
      }
      const refused = toKubernetesJsonKeys(doc);
      if (refused.length > 0) throw new PropError(`CarriedManifest.allFromYaml: document ${i + 1} is not what Kubernetes reads: ${refused[0].message}`);
      const value = doc.toJS();
      if (value === null || value === undefined) return;
      const items = listItems([value]);
      const own = items.length === 1 && items[0] === value;
      items.forEach((item, j) => out.push(new CarriedManifest(item, own ? texts[i] : undefined, `document ${i + 1}${own ? '' : `, item ${j + 1}`}`)));
    });
    return out;
  }

  /**
   * An object given as JSON data, e.g. parsed by your own YAML loader. Deep-copied: later changes to
   * `manifest` do not reach the stages.
   *
   * @param manifest a Kubernetes object with apiVersion, kind and metadata.name
   */
  public static fromObject(manifest: object): CarriedManifest {
    return new CarriedManifest(manifest, undefined, 'object');
  }

  /**
   * Objects given as JSON data, in order.
   *
   * @param manifests Kubernetes objects with apiVersion, kind and metadata.name
   */
  public static fromObjects(manifests: object[]): CarriedManifest[] {
    if (!Array.isArray(manifests)) throw new PropError(`CarriedManifest.fromObjects: expected a list of objects (got ${typeof manifests})`);
    return manifests.map((m, i) => new CarriedManifest(m, undefined, `objects[${i}]`));
  }

  /** apiVersion of the object. */
  public readonly apiVersion: string;
  /** Kind of the object. */
  public readonly kind: string;
  /** `metadata.name` of the object. */
  public readonly name: string;
  /**
   * `metadata.namespace` of the object.
   * @default - none: cluster-scoped, or placed by whoever applies it
   */
  public readonly namespace?: string;
  /**
   * The original YAML text of the object's document.
   * @default - none: built from an object, or an item of a list document
   */
  public readonly yamlText?: string;

  /** @internal */
  public readonly _object: any;

  /**
   * Permission bits of the file the object was read from, for the writer (an object that holds secrets
   * is written with them, so a 0600 input is not written 0644).
   * @internal
   */
  public _fileMode?: number;

  private constructor(manifest: unknown, yamlText: string | undefined, where: string) {
    const m = manifest as any;
    if (m === null || typeof m !== 'object' || Array.isArray(m) || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string'
      || m.metadata === null || typeof m.metadata !== 'object' || typeof m.metadata.name !== 'string') {
      throw new PropError(`CarriedManifest (${where}): must be a Kubernetes object with apiVersion, kind and metadata.name (got ${describeValue(m)})`);
    }
    // `namespace: null` (what `namespace: {{ .Values.ns }}` renders to when unset) is no namespace, as the API
    // server and kubectl read it: the object is planned like one without the line.
    if (m.metadata.namespace !== undefined && m.metadata.namespace !== null && typeof m.metadata.namespace !== 'string') {
      throw new PropError(`CarriedManifest (${where}): metadata.namespace of ${m.kind} ${m.metadata.name} must be a string`);
    }
    this._object = JSON.parse(JSON.stringify(m));
    this.apiVersion = m.apiVersion;
    this.kind = m.kind;
    this.name = m.metadata.name;
    this.namespace = m.metadata.namespace ?? undefined;
    this.yamlText = yamlText;
  }

  /** The object as JSON data (a deep copy). */
  public toJson(): object {
    return JSON.parse(JSON.stringify(this._object));
  }

  /**
   * The same object in `namespace` when it has no `metadata.namespace`: the text, when there is one, gets
   * exactly one line (`namespace: <ns>` after `name:` in `metadata`) and keeps every other byte; when the
   * text cannot take the line (flow-style metadata), the text is dropped and the writer serializes.
   * @internal
   */
  public _withNamespace(namespace: string): CarriedManifest {
    if (this.namespace !== undefined) return this;
    const object = { ...this._object, metadata: { ...this._object.metadata, namespace } };
    const text = this.yamlText === undefined ? undefined : withNamespaceLine(this.yamlText, namespace, object);
    return new CarriedManifest(object, text, 'namespace added')._fromFileWithMode(this._fileMode);
  }

  /**
   * This manifest, noted as read from a file with the permission bits `mode` (when known).
   * @internal
   */
  public _fromFileWithMode(mode: number | undefined): CarriedManifest {
    if (mode !== undefined) this._fileMode = mode;
    return this;
  }

  /**
   * The text as a file of its own: without a leading document start marker (`---`) and the blank lines
   * after it, ending with a line break; every other byte as read.
   * @default - none: no text
   * @internal
   */
  public _fileText(): string | undefined {
    if (this.yamlText === undefined) return undefined;
    const text = this.yamlText.replace(/^---[ \t]*(?:\r?\n|$)(?:[ \t]*\r?\n)*/, '');
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}

function describeValue(v: any): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(v)?.slice(0, 80) ?? String(v);
  return `${v.kind ?? '<no kind>'} ${v.metadata?.name ?? '<no name>'}`;
}
