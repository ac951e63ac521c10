#!/usr/bin/env node
// Regenerates the typed API classes in src/imports/ with `cdk8s import`, from the pinned CRDs that
// scripts/fetch-crds.js placed in imports/crds/.
//
// Only the API versions the library writes are imported (HTTPRoute v1, not v1beta1, and so on): every
// extra version doubles the generated code that jsii has to compile. The CRD files themselves are not
// changed; the versions are filtered on a temporary copy.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const crdDir = path.join(root, 'imports', 'crds');
const outDir = path.join(root, 'src', 'imports');

// One entry per generated module: the pinned CRD files (relative to imports/crds) and the versions kept.
const modules = [
  {
    // The v1.4.0 CRD: a superset of v1.0.x's (spec.appProtocol; the construct writes it only for v1.4 targets).
    files: ['gie-v1.4.0/inference.networking.k8s.io_inferencepools.yaml'],
    versions: ['v1'],
  },
  {
    // One module per API group (cdk8s import names the file after the group): the objective as of v1.0.2 and the
    // InferenceModelRewrite of v1.4.0 (the EPP applies rewrites from v1.3.0; the v1.3.1 and v1.4.0 CRDs are equal).
    files: [
      'gie-v1.0.2/inference.networking.x-k8s.io_inferenceobjectives.yaml',
      'gie-v1.4.0/inference.networking.x-k8s.io_inferencemodelrewrites.yaml',
    ],
    versions: ['v1alpha2'],
  },
  {
    files: [
      'gateway-api-v1.3.0/gateway.networking.k8s.io_httproutes.yaml',
      'gateway-api-v1.3.0/gateway.networking.k8s.io_gateways.yaml',
      'gateway-api-v1.3.0/gateway.networking.k8s.io_gatewayclasses.yaml',
      'gateway-api-v1.3.0/gateway.networking.k8s.io_referencegrants.yaml',
    ],
    // ReferenceGrant is served as v1beta1 only in the standard channel.
    versions: ['v1', 'v1beta1'],
    keepVersion: (kind, version) => (kind === 'ReferenceGrant' ? version === 'v1beta1' : version === 'v1'),
  },
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-crds-'));
try {
  const bin = path.join(root, 'node_modules', '.bin', 'cdk8s');
  for (const mod of modules) {
    const docs = mod.files.map((file) => {
      const crd = YAML.parse(fs.readFileSync(path.join(crdDir, file), 'utf8'));
      const keep = mod.keepVersion
        ? (v) => mod.keepVersion(crd.spec.names.kind, v.name)
        : (v) => mod.versions.includes(v.name);
      crd.spec.versions = crd.spec.versions.filter(keep);
      if (crd.spec.versions.length === 0) throw new Error(`no version of ${file} kept`);
      return YAML.stringify(crd);
    });
    const input = path.join(tmp, path.basename(mod.files[0]));
    fs.writeFileSync(input, docs.join('---\n'));
    execFileSync(bin, ['import', input, '--output', outDir, '--language', 'typescript'], {
      cwd: tmp,
      stdio: 'inherit',
    });
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
