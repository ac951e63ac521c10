/**
 * What `inference-migrate convert llamastack` does, without argument parsing or file I/O: converts the
 * LlamaStackDistributions of parsed YAML documents to `llamastack.io/v1alpha2` (v1alpha1 objects by the guide's
 * field tables, v1alpha2 drafts into the CRD's typed forms), checks the rules, validates against the pinned CRD,
 * and writes the guide's step-by-step instructions with the names filled in.
 */

import { checkLlamaStackSpec } from './rules';
import { convertLlamaStackDistribution, llamaStackLabel, normalizeLlamaStackDraft } from '../convert/llamastack';
import { LLSD_KIND, LLSD_V1ALPHA1, LLSD_V1ALPHA2 } from '../convert/llamastack-api';
import { LlamaStackConvertedObject, LlamaStackDocumentConversion, LlamaStackDocumentOptions } from '../convert/llamastack-types';
import { show, UserError } from '../core/errors';
import { isPlainObject } from '../core/json';
import { listItems } from '../core/manifest-objects';
import { markdownFence, markdownParagraph } from '../core/markdown';
import { shellQuote as q } from '../core/shell';
import { fitFileName } from '../output/names';
import { ManifestValidator } from '../validation/manifest-validator';


/**
 * File name of a converted object: `<namespace>-<name>.yaml`, or `<name>.yaml` without a namespace; shortened
 * with a hash suffix where it would exceed the 255 bytes file systems allow.
 */
function fileNameOf(obj: any): string {
  const ns = obj.metadata.namespace;
  return fitFileName(`${typeof ns === 'string' && ns !== '' ? `${ns}-` : ''}${obj.metadata.name}`, '.yaml');
}

/** Converts one LlamaStackDistribution of either version; throws an Error naming it. */
function convertOne(obj: any, options: LlamaStackDocumentOptions): LlamaStackConvertedObject {
  const label = llamaStackLabel(obj);
  let result: { object: any; warnings: string[] };
  if (obj.apiVersion === LLSD_V1ALPHA1) {
    result = convertLlamaStackDistribution(obj, options);
  } else if (obj.apiVersion === LLSD_V1ALPHA2) {
    const normalized = normalizeLlamaStackDraft(obj);
    result = { object: normalized.object, warnings: normalized.differences };
  } else {
    throw new UserError(`${label}: 'apiVersion' must be ${LLSD_V1ALPHA1} or ${LLSD_V1ALPHA2} (got ${show(obj.apiVersion)})`);
  }
  checkLlamaStackSpec(label, result.object.spec, 'spec.');
  if (options.validate !== false) {
    const problems = new ManifestValidator().validate([result.object]).problems;
    if (problems.length > 0) {
      throw new UserError(`${label}: the converted object does not pass the LlamaStackDistribution CRD:\n${ManifestValidator.formatProblems(problems)}`);
    }
  }
  return { object: result.object, fileName: fileNameOf(result.object), sourceApiVersion: obj.apiVersion, warnings: result.warnings };
}

/**
 * Converts every LlamaStackDistribution of the documents (v1alpha1 objects, and v1alpha2 objects in draft or typed
 * form). Other kinds are skipped, with a note. Throws an Error naming the object for input that cannot be converted,
 * that breaks a rule of the v1alpha2 API or the CRD, or that appears twice; and when there is no
 * LlamaStackDistribution at all.
 */
export function convertLlamaStackDocuments(docs: any[], options: LlamaStackDocumentOptions = {}): LlamaStackDocumentConversion {
  const converted: LlamaStackConvertedObject[] = [];
  const skipped: string[] = [];
  const files = new Map<string, string>();
  listItems(docs).forEach((obj, i) => {
    if (!isPlainObject(obj)) throw new UserError(`document ${i + 1}: must be a Kubernetes object (got ${show(obj)})`);
    if (obj.kind !== LLSD_KIND) {
      skipped.push(`${obj.kind ?? '(no kind)'} ${obj.metadata?.name ?? '(unnamed)'}: skipped, not a ${LLSD_KIND}`);
      return;
    }
    const result = convertOne(obj, options);
    const label = llamaStackLabel(result.object);
    const other = files.get(result.fileName);
    if (other !== undefined) {
      throw new UserError(other === label
        ? `${label}: appears twice in the input`
        : `${label}: would be written to ${result.fileName} like ${other}; rename one of them`);
    }
    files.set(result.fileName, label);
    converted.push(result);
  });
  if (converted.length === 0) {
    throw new UserError(`no ${LLSD_KIND} found in the input (${skipped.length} other object${skipped.length === 1 ? '' : 's'})`);
  }
  return {
    converted,
    warnings: [...converted.flatMap((c) => c.warnings), ...skipped],
    instructions: migrationSteps(converted, options.outDir ?? '.'),
  };
}

/**
 * What `inference-migrate scan` reports about LlamaStackDistributions, one line each: v1alpha1 objects (to convert),
 * and v1alpha2 objects in the guide's draft forms, which the CRD rejects. Typed v1alpha2 objects and other kinds
 * give no line. Never throws.
 */
export function scanLlamaStackDocuments(docs: any[]): string[] {
  const command = 'inference-migrate convert llamastack';
  return listItems(docs)
    .filter((obj) => isPlainObject(obj) && obj.kind === LLSD_KIND)
    .flatMap((obj) => {
      const label = llamaStackLabel(obj);
      if (obj.apiVersion === LLSD_V1ALPHA1) return [`${label}: ${LLSD_V1ALPHA1}; convert it to ${LLSD_V1ALPHA2} with \`${command}\``];
      if (obj.apiVersion !== LLSD_V1ALPHA2) return [`${label}: unknown apiVersion ${show(obj.apiVersion)}`];
      try {
        const count = normalizeLlamaStackDraft(obj).differences.length;
        return count === 0 ? [] : [`${label}: ${LLSD_V1ALPHA2} in the guide's draft forms (${count}), which the CRD rejects; rewrite it with \`${command}\``];
      } catch (err) {
        return [(err as Error).message];
      }
    });
}

/** `-n <namespace>` for kubectl, or nothing for an object without namespace. */
function nsFlag(obj: any): string {
  return obj.metadata.namespace ? ` -n ${q(obj.metadata.namespace)}` : '';
}

function nameOf(obj: any): string {
  return obj.metadata.name;
}

/** The guide's step-by-step migration for the converted objects, as plain text. */
export function migrationSteps(converted: LlamaStackConvertedObject[], outDir: string): string {
  const dir = outDir.replace(/\/+$/, '') || '.';
  const each = (line: (c: LlamaStackConvertedObject) => string) => converted.map((c) => `     ${line(c)}`);
  const count = `${converted.length} ${LLSD_KIND}${converted.length === 1 ? '' : 's'}`;
  return [
    `Migrating ${count} to ${LLSD_V1ALPHA2}:`,
    '',
    '1. Verify the operator is updated: its version must support v1alpha2 (llama-stack-k8s-operator with the',
    '   v1alpha2 API, pull request 253 or later). This must list v1alpha2:',
    "     kubectl get crd llamastackdistributions.llamastack.io -o jsonpath='{.spec.versions[*].name}'",
    '2. Review your existing CRs, and the warnings of this conversion:',
    '     kubectl get llsd -A',
    `3. The v1alpha2 versions are in ${dir}, one file per CR, made with the guide's field mapping.`,
    '4. Apply the new CRs:',
    ...each((c) => `kubectl apply -f ${q(`${dir}/${c.fileName}`)}`),
    '5. Verify that each reaches the Ready phase (PHASE column):',
    ...each((c) => `kubectl get llsd ${q(nameOf(c.object))}${nsFlag(c.object)}`),
    '   or wait for it:',
    ...each((c) => `kubectl wait ${q(`llsd/${nameOf(c.object)}`)}${nsFlag(c.object)} --for=jsonpath='{.status.phase}'=Ready --timeout=10m`),
    '6. Every new CR has the same name as the old one, so the update is in place: there is nothing to delete.',
    '   If you apply one under a different name, delete the old one once the new one is Ready:',
    '     kubectl delete llsd <old-name> -n <namespace>',
    '',
    'kubectl apply leaves alone fields it did not set itself: if `kubectl get llsd <name> -o yaml` still shows env vars',
    'that became providers (the operator\'s webhook copied them into workload.overrides.env), write the whole spec with',
    '`kubectl replace -f <file>`.',
    '',
    'With Flux, the files in a Kustomization\'s path: kustomize-controller refuses this change of apiVersion in place',
    '("dry-run failed: failed to convert new object: ... field not declared in schema", since the live objects\' managed',
    'fields still name v1alpha1) unless it runs v1.8.4 or later with --feature-gates=MigrateAPIVersion=true.',
    '',
  ].join('\n');
}

/**
 * The README written beside the converted objects: the steps (as a block shown literally) and the warnings.
 */
export function renderLlamaStackReadme(instructions: string, warnings: string[]): string {
  const lines = ['# LlamaStackDistribution v1alpha1 to v1alpha2', '', 'Written by `inference-migrate convert llamastack`.', '', ...markdownFence(instructions.trimEnd()), ''];
  if (warnings.length > 0) {
    lines.push('## Warnings', '', ...warnings.map((w) => `- ${markdownParagraph(w).join('\n  ')}`), '');
  }
  return lines.join('\n');
}
