// The benchmark's workload: N generated pools, each migrated without downtime (4 stages: side-by-side,
// shift-50, finalize, cleanup; 12 objects per pool per stage). Shared by the three variants so that
// they build and write the same objects.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const TEMPLATE_POOL = 'tplpool';
const TEMPLATE_NAMESPACE = 'tplns';

/** Props of the i-th pool's ZeroDowntimeMigration (names only differ by pool and namespace). */
function migrationProps(pool, namespace) {
  return {
    namespace,
    alphaPool: { existing: { name: `${pool}-alpha`, namespace, modelServerSelector: { app: pool }, targetPort: 8000 } },
    gaPool: { name: `${pool}-ga` },
    objectives: [{ name: 'food-review', priority: 1 }, { name: 'base-model', priority: 2 }],
    gateway: { name: 'inference-gateway' },
    routeName: `${pool}-route`,
    steps: [50],
  };
}

function poolName(i) {
  return `pool-${i}`;
}

function namespaceOf(i) {
  return `team-${i % 10}`;
}

/**
 * The objects of one pool, per stage, as the library writes them (sync-wave annotations included),
 * rendered once for the template pool: the baseline variants instantiate them by renaming. `manifests` is
 * the library's lib/migration/manifests module.
 */
function renderTemplates(lib, cdk8s, manifests) {
  const app = new cdk8s.App();
  const migration = new lib.ZeroDowntimeMigration(app, TEMPLATE_POOL, migrationProps(TEMPLATE_POOL, TEMPLATE_NAMESPACE));
  return migration.stages.map((stage) => ({
    folder: stage.folderName,
    // As the writer annotates them.
    objects: lib.GitOpsWriter.synthesizeStage(stage).map((o) => manifests.withSyncWave(o, manifests.defaultSyncWave(o))),
  }));
}

/** The template's objects for pool i: a rename of pool and namespace in the JSON text. */
function instantiate(templateJson, i) {
  return JSON.parse(templateJson.split(TEMPLATE_POOL).join(poolName(i)).split(TEMPLATE_NAMESPACE).join(namespaceOf(i)));
}

/**
 * Writes one stage folder as the library lays it out: one file per object plus kustomization.yaml.
 * `inPhase(phase, fn)` runs fn in a phase of the run's time split (variant.js): serialize, then write.
 */
function writeStage(manifests, dir, objects, inPhase = (_phase, fn) => fn()) {
  const out = inPhase('serialize', () => {
    const sorted = manifests.sortForApply(objects);
    const files = manifests.fileNames(sorted);
    const texts = sorted.map((o) => manifests.toYaml([o]));
    const kustomization = manifests.toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files }]);
    return { files, texts, kustomization };
  });
  inPhase('write', () => {
    fs.mkdirSync(dir, { recursive: true });
    out.files.forEach((file, j) => fs.writeFileSync(path.join(dir, file), out.texts[j]));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), out.kustomization);
  });
  return out.files.length;
}

module.exports = { migrationProps, poolName, namespaceOf, renderTemplates, instantiate, writeStage, TEMPLATE_POOL };
