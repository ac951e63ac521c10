import { App, Chart, ChartProps, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ManifestValidator, ValidationReport } from '../src/validation';

const validators = new Map<string, ManifestValidator>();

/** A validator for the given CRD bundles, shared within a test file. */
export function validator(bundles?: string[]): ManifestValidator {
  const key = bundles ? bundles.join(',') : 'default';
  let v = validators.get(key);
  if (!v) {
    v = new ManifestValidator(bundles ? { crdBundles: bundles } : {});
    validators.set(key, v);
  }
  return v;
}

/** Validates objects against the pinned CRDs and core schemas; fails the test on any problem. */
export function expectValid(objects: any[], bundles?: string[]): ValidationReport {
  const report = validator(bundles).validate(objects);
  expect(ManifestValidator.formatProblems(report.problems)).toEqual('no problems');
  expect(report.objectsChecked).toBe(objects.length);
  return report;
}

/** A fresh chart in a fresh app. */
export function newChart(props: ChartProps = {}): Chart {
  return new Chart(Testing.app(), 'test', props);
}

/** Synthesizes a chart and validates every object it holds; returns the objects. */
export function synthValid(chart: Chart, bundles?: string[]): any[] {
  const objects = Testing.synth(chart);
  expectValid(objects, bundles);
  return objects;
}

/** The one object of `kind` (and `name`, if given); fails when there is not exactly one. */
export function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  }
  return found[0];
}

/** Parses a multi-document YAML text (as the guides show it) into objects. */
export function parseYamlDocs(text: string): any[] {
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

/** Kinds and names of objects, sorted, for compact assertions. */
export function inventory(objects: any[]): string[] {
  return objects.map((o) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`).sort();
}

export { App };
