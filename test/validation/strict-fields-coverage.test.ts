import * as fs from 'fs';
import * as path from 'path';
import { findUnreadFields } from '../../src/validation/strict-fields';

// Strict validation of built-in kinds rests on one fact about the kubernetes-models validators: they read every
// property their schema declares. This checks it for every model class of the package, against the properties
// its type declarations list, so a new version that reads fewer fields cannot turn valid fields into errors.

const PACKAGE = path.dirname(require.resolve('kubernetes-models/package.json'));

/** The models that skip declared properties: the generator drops properties named like schema keywords. */
const KNOWN_UNREAD: Record<string, string[]> = {
  'apiextensions.k8s.io/v1/CustomResourceColumnDefinition': ['description'],
  'apiextensions.k8s.io/v1/ExternalDocumentation': ['description'],
  'apiextensions.k8s.io/v1/JSONSchemaProps': ['description', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
    'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations'],
  'apiextensions.k8s.io/v1beta1/CustomResourceColumnDefinition': ['description'],
  'apiextensions.k8s.io/v1beta1/ExternalDocumentation': ['description'],
  'apiextensions.k8s.io/v1beta1/JSONSchemaProps': ['description', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
    'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-preserve-unknown-fields'],
  'scheduling.k8s.io/v1/PriorityClass': ['description'],
  'scheduling.k8s.io/v1beta1/PriorityClass': ['description'],
};

/** Every model class of the package: its module (group/version/Kind) and the properties it declares. */
function models(): Array<{ id: string; declared: string[] }> {
  const out: Array<{ id: string; declared: string[] }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('_') && entry.name !== 'node_modules') walk(file);
        continue;
      }
      if (!entry.name.endsWith('.d.ts')) continue;
      const body = /export declare class \w+ extends Model<\w+> implements \w+ \{\n([\s\S]*?)\n\}/.exec(fs.readFileSync(file, 'utf8'));
      if (!body) continue;
      out.push({
        id: path.relative(PACKAGE, file).replace(/\.d\.ts$/, '').split(path.sep).join('/'),
        declared: [...body[1].matchAll(/^ {4}"([^"]+)"\??:/gm)].map((m) => m[1]),
      });
    }
  };
  walk(PACKAGE);
  return out;
}

test('every kubernetes-models validator reads every property its schema declares, but for the known few', () => {
  const unread: Record<string, string[]> = {};
  const all = models();
  expect(all.length).toBeGreaterThan(500);
  for (const { id, declared } of all) {
    const kind = id.split('/').pop()!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- every model module of the package, by path
    const Model = require(`kubernetes-models/${id}`)[kind];
    const obj = Object.fromEntries(declared.map((p) => [p, {}]));
    const { unread: fields } = findUnreadFields(obj, Model.prototype, (copy) => {
      try {
        Model.prototype.validate.call(copy);
      } catch {
        // Errors are expected: every property holds an empty object.
      }
    });
    if (fields.length > 0) unread[id] = fields;
  }
  expect(unread).toEqual(KNOWN_UNREAD);
});
