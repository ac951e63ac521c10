import { Testing } from 'cdk8s';
import {
  CarriedManifest,
  GatewayImplementation,
  GitOpsWriter,
  GuideExamples,
  MigrationLoss,
  MigrationStrategy,
  ZeroDowntimeMigration,
  ZeroDowntimeMigrationProps,
} from '../../src';
import { alphaStack } from '../fixtures/alpha-stack';
import { expectValid, only } from '../util';

const V14 = ['gie-v1.4.0', 'gie-v0.3.0', 'gateway-api-v1.3.0'];

function synthStages(migration: ZeroDowntimeMigration): Map<string, any[]> {
  return new Map(migration.stages.map((s) => [s.folderName, GitOpsWriter.synthesizeStage(s)]));
}

const ISTIO_GATEWAY = CarriedManifest.fromObject({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'inference-gateway', namespace: 'default' },
  spec: {
    gatewayClassName: 'istio',
    listeners: [
      { name: 'http', protocol: 'HTTP', port: 80, hostname: 'llm.example.com' },
      { name: 'https', protocol: 'HTTPS', port: 443, hostname: 'llm.example.com', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'llm-tls' }] } },
    ],
  },
});

/** The v0.5.1 quickstart's InferenceModels: food-review rewrites to the LoRA adapter food-review-1. */
function quickstartModels(pool = 'vllm-llama3-8b-instruct-alpha'): any[] {
  const model = (name: string, spec: any) => ({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name, namespace: 'default' }, spec: { ...spec, poolRef: { name: pool } } });
  return [
    model('food-review', { modelName: 'food-review', criticality: 'Standard', targetModels: [{ name: 'food-review-1', weight: 100 }] }),
    model('base-model', { modelName: 'meta-llama/Llama-3.1-8B-Instruct', criticality: 'Critical' }),
    model('base-model-sheddable', { modelName: 'Qwen/Qwen2.5-1.5B-Instruct', criticality: 'Sheddable' }),
  ];
}

function carriedProps(props: Partial<ZeroDowntimeMigrationProps> = {}, models = quickstartModels()): ZeroDowntimeMigrationProps {
  const stack = alphaStack().filter((o) => o.kind !== 'InferenceModel');
  return {
    alphaPool: { manifests: CarriedManifest.fromObjects([...stack, ...models]) },
    gateway: { name: 'inference-gateway' },
    routeName: 'llm-route',
    hostnames: ['llm.example.com'],
    // A gateway known to serve both groups: these tests are about models, and the generic gateway's warning is not.
    gatewayImplementation: GatewayImplementation.GKE,
    ...props,
  };
}

describe('model rewrites and priorities', () => {
  test('given the quickstart\'s models and target v1.4.0, then food-review -> food-review-1 is an InferenceModelRewrite valid against gie-v1.4.0 and priorities map by sign', () => {
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0' }));
    expect(migration.validationBundles).toEqual(V14);
    const stages = synthStages(migration);
    for (const objects of stages.values()) expectValid(objects, V14);
    const first = stages.get('01-side-by-side')!;
    expect(only(first, 'InferenceModelRewrite').spec.rules).toEqual([
      { matches: [{ model: { type: 'Exact', value: 'food-review' } }], targets: [{ modelRewrite: 'food-review-1', weight: 100 }] },
    ]);
    expect(first.filter((o) => o.kind === 'InferenceObjective').map((o) => [o.metadata.name, o.spec.priority]))
      .toEqual([['food-review', -1], ['base-model', 1], ['base-model-sheddable', -2]]);
    // The rewrite stays after cleanup: it belongs to the GA pool.
    expect(only(stages.get('04-cleanup')!, 'InferenceModelRewrite').metadata.name).toBe('food-review');
  });

  test('given the quickstart\'s models, then the per-model table names the header each client must send, with a row for other models', () => {
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0' }));
    expect(migration.models!.map((r) => [r.modelName, r.alphaCriticality, r.objective, r.priority, r.rewrite, r.clientSends])).toEqual([
      ['food-review', 'Standard', 'food-review', -1, 'food-review', 'x-gateway-inference-objective: food-review'],
      ['meta-llama/Llama-3.1-8B-Instruct', 'Critical', 'base-model', 1, undefined, 'nothing'],
      ['Qwen/Qwen2.5-1.5B-Instruct', 'Sheddable', 'base-model-sheddable', -2, undefined, 'x-gateway-inference-objective: base-model-sheddable'],
      ['*', 'refused (404: the alpha EPP, GIE v0.3.0, serves only the models an InferenceModel names)', undefined, 0, undefined, 'nothing'],
    ]);
    expect(migration.stages[0].modelTable).toEqual(migration.models);
    const steps = migration.stages[0].manualSteps.map((s) => s.text).join('\n');
    expect(steps).toMatch(/- Qwen\/Qwen2.5-1.5B-Instruct: x-gateway-inference-objective: base-model-sheddable \(priority -2, was Sheddable\)/);
    expect(steps).toMatch(/An HTTPRoute filter cannot set it/);
    expect(migration.warnings.join('\n')).toMatch(/Clients of model food-review must send the header x-gateway-inference-objective: food-review/);
  });

  test('given a carried alpha EPP of v0.5.1, then the models no InferenceModel names were Sheddable; of v0.3.0 they were refused (the replay through both real EPPs shows it)', () => {
    const withEpp = (tag: string) => {
      const stack = alphaStack().filter((o) => o.kind !== 'InferenceModel').map((o) => (o.kind === 'Deployment'
        ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, containers: [{ ...o.spec.template.spec.containers[0], image: `registry.k8s.io/gateway-api-inference-extension/epp:${tag}` }] } } } }
        : o));
      const props = { ...carriedProps({ gieVersion: 'v1.4.0' }), alphaPool: { manifests: CarriedManifest.fromObjects([...stack, ...quickstartModels()]) } };
      return new ZeroDowntimeMigration(Testing.app(), 'm', props).models!.find((r) => r.modelName === '*')!;
    };
    expect(withEpp('v0.5.1')).toMatchObject({ alphaCriticality: 'Sheddable (a model no InferenceModel names, GIE v0.5.1)', kept: 'served as before' });
    expect(withEpp('v0.4.0')).toMatchObject({ alphaCriticality: expect.stringMatching(/^refused \(404: the alpha EPP, GIE v0.4.0/), notKept: expect.stringMatching(/GA pool serves them with priority 0/) });
  });

  test('given upstream\'s guide (a Helm-installed alpha stack, objectives and no InferenceModel), then the table still says other models may lose their shedding (the replay of the v0.5.1 chart\'s EPP shows it), the alpha release being unknown', () => {
    const other = GuideExamples.zeroDowntime(Testing.app()).models!;
    expect(other.map((r) => r.modelName)).toEqual(['*']);
    expect(other[0]).toMatchObject({ alphaCriticality: expect.stringMatching(/^unknown \(the alpha EPP's image is not in the input: .*v0\.5\.0 and later served them as Sheddable\)$/), clientSends: 'nothing' });
    expect(other[0].notKept).toMatch(/without an objective header v1 gives them priority 0 and never sheds them/);
  });

  describe('given an alpha EPP image that is not upstream\'s at a release tag', () => {
    const withImage = (image: string) => {
      const withEppImage = (o: any) => {
        const podSpec = { ...o.spec.template.spec, containers: [{ ...o.spec.template.spec.containers[0], image }] };
        return { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: podSpec } } };
      };
      const stack = alphaStack().filter((o) => o.kind !== 'InferenceModel').map((o) => (o.kind === 'Deployment' ? withEppImage(o) : o));
      const props = { ...carriedProps({ gieVersion: 'v1.4.0' }), alphaPool: { manifests: CarriedManifest.fromObjects([...stack, ...quickstartModels()]) } };
      return new ZeroDowntimeMigration(Testing.app(), 'm', props);
    };
    const otherRow = (image: string) => withImage(image).models!.find((r) => r.modelName === '*')!;

    test.each([
      ['a custom image', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.1'],
      ['a digest alone', `registry.k8s.io/gateway-api-inference-extension/epp@sha256:${'a'.repeat(64)}`],
      ['latest', 'registry.k8s.io/gateway-api-inference-extension/epp:latest'],
      ['a tag that is no release', 'registry.k8s.io/gateway-api-inference-extension/epp:v0.4.1'],
    ])('when it is %s, then the other models\' row says unknown and names the image', (_name, image) => {
      expect(otherRow(image)).toMatchObject({
        alphaCriticality: `unknown (the alpha EPP runs ${image}, not upstream's EPP at a release tag: upstream's EPPs before v0.5.0 refused these with 404, v0.5.0 and later served them as Sheddable)`,
        notKept: 'whatever the alpha EPP did with them (a v0.5 EPP shed them under saturation; without an objective header v1 gives them priority 0 and never sheds them): check it before traffic moves',
      });
    });

    test('when the release tag carries a digest too, then the release counts', () => {
      expect(otherRow(`registry.k8s.io/gateway-api-inference-extension/epp:v0.3.0@sha256:${'b'.repeat(64)}`).alphaCriticality).toMatch(/^refused \(404: the alpha EPP, GIE v0\.3\.0,/);
    });

    test('when the pool is referenced and no InferenceModel is carried, then no row is written (nothing is known of its models)', () => {
      const migration = new ZeroDowntimeMigration(Testing.app(), 'm', {
        ...carriedProps({ gieVersion: 'v1.4.0' }),
        alphaPool: { existing: { name: 'pool', modelServerSelector: { app: 'vllm' }, inferenceModelNames: ['food-review'] } },
      });
      expect(migration.models ?? []).toEqual([]);
    });
  });

  describe('the alpha CRDs the cleanup removes', () => {
    const cleanupCommands = (tag: string, alphaCrdVersion?: string) => {
      const stack = alphaStack().map((o) => (o.kind === 'Deployment'
        ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, containers: [{ ...o.spec.template.spec.containers[0], image: `registry.k8s.io/gateway-api-inference-extension/epp:${tag}` }] } } } }
        : o));
      const migration = new ZeroDowntimeMigration(Testing.app(), 'm', { ...carriedProps({ gieVersion: 'v1.4.0', alphaCrdVersion }), alphaPool: { manifests: CarriedManifest.fromObjects(stack) } });
      return migration.stages[migration.stages.length - 1].manualSteps.flatMap((s) => s.commands ?? []).join('\n');
    };

    test('given an alpha EPP of v0.5.1, then cleanup deletes the v0.5.1 alpha CRDs, not v0.3.0\'s', () => {
      expect(cleanupCommands('v0.5.1')).toContain('kubectl delete -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v0.5.1/manifests.yaml');
      expect(cleanupCommands('v0.5.1')).not.toContain('/v0.3.0/');
    });

    test('given a v1.x EPP serving the alpha pool, or alphaCrdVersion, then v0.3.0 (the default) or the prop counts', () => {
      expect(cleanupCommands('v1.0.2')).toContain('/releases/download/v0.3.0/manifests.yaml');
      expect(cleanupCommands('v0.5.1', 'v0.4.0')).toContain('/releases/download/v0.4.0/manifests.yaml');
    });
  });

  describe('the GA pool\'s failureMode', () => {
    const withAlphaFailureMode = (failureMode: string | undefined, gieVersion: string, gaFailureMode?: any) => {
      const stack = alphaStack().filter((o) => o.kind !== 'InferenceModel').map((o) => (o.kind === 'InferencePool'
        ? { ...o, spec: { ...o.spec, extensionRef: { ...o.spec.extensionRef, failureMode } } }
        : o));
      return new ZeroDowntimeMigration(Testing.app(), 'm', {
        ...carriedProps({ gieVersion }),
        alphaPool: { manifests: CarriedManifest.fromObjects(stack) },
        ...(gaFailureMode ? { gaPool: { failureMode: gaFailureMode } } : {}),
      });
    };
    const failureModeWarnings = (...args: Parameters<typeof withAlphaFailureMode>) => withAlphaFailureMode(...args).warnings.filter((w) => w.includes('failureMode'));

    test('given an alpha pool without failureMode (FailClose) and target v1.4.0, whose chart gives FailOpen, then the plan and the first stage say so', () => {
      const migration = withAlphaFailureMode(undefined, 'v1.4.0');
      expect(failureModeWarnings(undefined, 'v1.4.0')).toEqual([
        'The GA pool vllm-llama3-8b-instruct-ga keeps the alpha pool\'s failureMode FailClose (also what an unset extensionRef.failureMode means), where a fresh helm install of the inferencepool chart v1.4.0 gives FailOpen: requests fail while the Endpoint Picker cannot be reached. To choose, set gaPool.failureMode (library) or edit the GA pool\'s endpointPickerRef.failureMode in the stages.',
      ]);
      expect(migration.stages[0].warnings.join('\n')).toMatch(/keeps the alpha pool's failureMode/);
    });

    test('given the chart\'s own default at the target (FailClose up to v1.3.1), or gaPool.failureMode, then nothing is said', () => {
      expect(failureModeWarnings(undefined, 'v1.3.1')).toEqual([]);
      expect(failureModeWarnings('FailOpen', 'v1.4.0')).toEqual([]);
      expect(failureModeWarnings(undefined, 'v1.4.0', 'FailClose')).toEqual([]);
      expect(failureModeWarnings('FailOpen', 'v1.0.2')).toEqual([expect.stringMatching(/keeps the alpha pool's failureMode FailOpen, where a fresh helm install of the inferencepool chart v1.0.2 gives FailClose: requests bypass/)]);
    });
  });

  test('given strict, then the models whose clients must send a header fail the plan', () => {
    expect(() => new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0', strict: true })))
      .toThrow(/m: 'strict' forbids a plan whose clients must change.*food-review: x-gateway-inference-objective: food-review/);
  });

  test('given a pool whose models are all Critical, then nothing is asked of the clients', () => {
    const models = quickstartModels().map((m) => ({ ...m, spec: { ...m.spec, criticality: 'Critical', targetModels: undefined } }));
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0', strict: true }, models));
    expect(migration.warnings.filter((w) => /header|rewrite/i.test(w))).toEqual([]);
    expect(migration.models!.every((r) => r.clientSends === 'nothing')).toBe(true);
  });

  test('given target v1.0.2, then food-review\'s rewrite fails the plan naming the model and both fixes, unless the loss is accepted', () => {
    const build = (p: Partial<ZeroDowntimeMigrationProps>) => () => new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.0.2', ...p }));
    expect(build({})).toThrow(/m: 'gieVersion' cannot keep the model rewrites of InferenceModel food-review \(food-review -> food-review-1=100\): the Endpoint Picker of GIE v1.0.2 applies no InferenceModelRewrite/);
    expect(build({})).toThrow(/target v1.3.1 or v1.4.0.*x-gateway-model-name-rewrite.*--accept-loss model-rewrite/);
    const accepted = build({ acceptLoss: [MigrationLoss.MODEL_REWRITE] })();
    const stages = synthStages(accepted);
    for (const objects of stages.values()) {
      expect(objects.some((o) => o.kind === 'InferenceModelRewrite')).toBe(false);
      expectValid(objects, ['gie-v1.0.2', 'gie-v0.3.0', 'gateway-api-v1.3.0']);
    }
    expect(accepted.models![0].clientSends).toBe('x-gateway-inference-objective: food-review; x-gateway-model-name-rewrite: food-review-1');
    expect(accepted.warnings.join('\n')).toMatch(/loses its rewrite to food-review-1=100 on the GA pool \(accepted\)/);
  });

  test('given targets that only name the model itself, then nothing is rewritten and nothing is asked', () => {
    const models = [quickstartModels()[1]].map((m) => ({ ...m, spec: { ...m.spec, targetModels: [{ name: 'meta-llama/Llama-3.1-8B-Instruct', weight: 3 }] } }));
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.0.2' }, models));
    expect(migration.warnings.filter((w) => /header|rewrite/i.test(w))).toEqual([]);
    expect(synthStages(migration).get('01-side-by-side')!.some((o) => o.kind === 'InferenceModelRewrite')).toBe(false);
  });

  test('given a target at weight 0, then the InferenceModelRewrite leaves it out, and a model whose only other targets are at 0 gets no rewrite', () => {
    // Given food-review split 100/0 between two adapters, and the base model served under its own name with a
    // second target switched off
    const [foodReview, baseModel] = quickstartModels();
    const models = [
      { ...foodReview, spec: { ...foodReview.spec, targetModels: [{ name: 'food-review-1', weight: 100 }, { name: 'food-review-2', weight: 0 }] } },
      { ...baseModel, spec: { ...baseModel.spec, targetModels: [{ name: 'meta-llama/Llama-3.1-8B-Instruct', weight: 100 }, { name: 'llama-next', weight: 0 }] } },
    ];

    // When the migration is planned for v1.4.0
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0' }, models));

    // Then the one rewrite sends food-review only to the adapter that had traffic, and is valid against v1.4.0 (the
    // carried InferenceModels are not: every v1alpha2 CRD, v0.2.0..v0.5.1, wants weights of 1 or more, so the
    // writer refuses them; only v0.1.0's v1alpha1 CRD allowed 0)
    const first = synthStages(migration).get('01-side-by-side')!;
    expectValid(first.filter((o) => o.kind === 'InferenceModelRewrite'), V14);
    expect(first.filter((o) => o.kind === 'InferenceModelRewrite').map((o) => [o.metadata.name, o.spec.rules])).toEqual([
      ['food-review', [{ matches: [{ model: { type: 'Exact', value: 'food-review' } }], targets: [{ modelRewrite: 'food-review-1', weight: 100 }] }]],
    ]);
    expect(migration.models!.map((r) => [r.modelName, r.rewrite])).toEqual([
      ['food-review', 'food-review'], ['meta-llama/Llama-3.1-8B-Instruct', undefined], ['*', undefined],
    ]);
  });

  test('given a custom EPP image at v1.4.0, then a rewrite needs the assertion (endpointPickerReadsModelRewrites) or the accepted loss', () => {
    const custom = { gaPool: { endpointPicker: { image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0' } } };
    expect(() => new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0', ...custom })))
      .toThrow(/'endpointPickerReadsModelRewrites' cannot keep the model rewrites.*not upstream's image/);
    const asserted = new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0', ...custom, endpointPickerReadsModelRewrites: true }));
    expect(asserted.models![0].rewrite).toBe('food-review');
    expect(() => new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.2.0', endpointPickerReadsModelRewrites: true })))
      .toThrow(/'endpointPickerReadsModelRewrites' needs a target of v1.3.0 or later: the InferenceModelRewrite CRD of GIE v1.2.0 names its list `split`/);
  });

  test('given target v1.4.0, then the first stage installs the objective and rewrite CRDs before it syncs, and the checks use v1.4.0\'s metric names', () => {
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0' }));
    const crdStep = migration.stages[0].manualSteps.find((s) => /Install the GA CRDs of GIE v1.4.0/.test(s.text))!;
    expect(crdStep.commands).toEqual([
      'kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.4.0/config/crd/bases/inference.networking.k8s.io_inferencepools.yaml',
      'kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.4.0/config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml',
      'kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.4.0/config/crd/bases/inference.networking.x-k8s.io_inferencemodelrewrites.yaml',
    ]);
    expect(crdStep.text).toMatch(/checks at start-up which of the InferenceObjective and InferenceModelRewrite CRDs exist/);
    const shift = migration.stages[1].verifications.map((v) => `${v.command}\n${v.expected}`).join('\n');
    expect(shift).toMatch(/inference_objective_request_total grows/);
    expect(shift).toMatch(/inference_extension_model_rewrite_decisions_total grows for model_rewrite_name="food-review"/);
    expect(shift).toMatch(/"model":"food-review"/);
  });
});

describe('strategies for gateways that serve one group (Istio)', () => {
  const istio = (p: Partial<ZeroDowntimeMigrationProps> = {}) => carriedProps({ gieVersion: 'v1.4.0', gatewayImplementation: GatewayImplementation.ISTIO, ...p });
  const parallelGateway = { name: 'inference-gateway-v1', originalGateway: ISTIO_GATEWAY, labels: { 'istio.io/rev': '1-28-1' } };

  test.each([MigrationStrategy.WEIGHTED_SHIFT, MigrationStrategy.HEADER_PREVIEW_CUTOVER])('given an explicit %s strategy, then it fails naming the gateway, the reason and parallel-gateway', (strategy) => {
    const build = () => new ZeroDowntimeMigration(Testing.app(), 'm', istio({ strategy }));
    expect(build).toThrow(new RegExp(`'strategy' "${strategy}" cannot run on the Gateway default/inference-gateway \\(istio\\): ${strategy} needs one gateway that serves both the alpha and the GA InferencePool, and Istio does not`));
    expect(build).toThrow(/Use strategy: 'parallel-gateway' \(MigrationStrategy.PARALLEL_GATEWAY\) with parallelGateway: a second Gateway labelled istio.io\/rev=<revision>/);
  });

  test('given an internal Gateway with labels, annotations, owners\' keys and an address, then the second Gateway is a copy: only the name, the revision and the owners\' keys differ, each listed', () => {
    // Given an Istio Gateway that must stay internal, applied by Argo CD
    const internal = CarriedManifest.fromObject({
      ...ISTIO_GATEWAY._object,
      metadata: {
        name: 'inference-gateway',
        namespace: 'default',
        labels: { 'istio.io/rev': '1-27-3', 'app.kubernetes.io/instance': 'llm-app', 'team': 'ml' },
        annotations: { 'networking.istio.io/service-type': 'ClusterIP', 'istio.io/enable-inference-extproc': 'true', 'argocd.argoproj.io/tracking-id': 'llm-app:gateway.networking.k8s.io/Gateway:default/inference-gateway' },
      },
      spec: { ...ISTIO_GATEWAY._object.spec, addresses: [{ type: 'IPAddress', value: '10.0.0.10' }], infrastructure: { labels: { tier: 'internal' } } },
    });
    // When the migration copies it
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', istio({ parallelGateway: { ...parallelGateway, originalGateway: internal } }));
    const gw = synthStages(migration).get('01-side-by-side')!.find((o) => o.kind === 'Gateway' && o.metadata.name === 'inference-gateway-v1');
    // Then it keeps what makes it internal, and changes only the name and the revision label
    expect(gw.metadata).toEqual({
      name: 'inference-gateway-v1',
      namespace: 'default',
      labels: { 'istio.io/rev': '1-28-1', 'team': 'ml' },
      annotations: { 'networking.istio.io/service-type': 'ClusterIP', 'istio.io/enable-inference-extproc': 'true' },
    });
    expect(gw.spec.infrastructure).toEqual({ labels: { tier: 'internal' } });
    expect(gw.spec.addresses).toBeUndefined();
    // And the README lists every difference
    const step = migration.stages[0].manualSteps.map((m) => m.text).find((t) => t.startsWith('The new Gateway default/inference-gateway-v1 is a copy'))!;
    expect(step.split('\n').slice(1)).toEqual([
      '- metadata.name: inference-gateway-v1 (the original is inference-gateway)',
      '- label istio.io/rev: 1-28-1 (the original has 1-27-3)',
      '- app.kubernetes.io/instance is not copied: it says who owns the original, and would make that owner claim the new Gateway',
      '- argocd.argoproj.io/tracking-id is not copied: it says who owns the original, and would make that owner claim the new Gateway',
      '- spec.addresses is not copied: two Gateways cannot hold the same address, and clients move from the old address to the new one; give the new Gateway its own address if it needs a fixed one',
    ]);
  });

  test('given no strategy, then parallel-gateway is chosen and needs the new Gateway', () => {
    expect(() => new ZeroDowntimeMigration(Testing.app(), 'm', istio())).toThrow(/'parallelGateway' is required by the parallel-gateway strategy/);
  });

  test('given a new Gateway without the revision label, then it is refused: the same control plane would serve it', () => {
    expect(() => new ZeroDowntimeMigration(Testing.app(), 'm', istio({ parallelGateway: { ...parallelGateway, labels: {} } })))
      .toThrow(/'parallelGateway.labels' must set istio.io\/rev: <revision> on Istio/);
  });

  describe('given the parallel-gateway strategy with a revision label', () => {
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', istio({ parallelGateway }));
    const stages = synthStages(migration);

    test('then the stages are side by side, moving clients, cleanup, each valid against the target\'s CRDs', () => {
      expect(migration.strategy).toBe(MigrationStrategy.PARALLEL_GATEWAY);
      expect([...stages.keys()]).toEqual(['01-side-by-side', '02-move-clients', '03-cleanup']);
      for (const objects of stages.values()) expectValid(objects, V14);
    });

    test('then no gateway ever has routes to both groups', () => {
      for (const [folder, objects] of stages) {
        const groupsByGateway = new Map<string, Set<string>>();
        for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
          for (const parent of route.spec.parentRefs) {
            const set = groupsByGateway.get(parent.name) ?? new Set<string>();
            for (const rule of route.spec.rules) for (const b of rule.backendRefs ?? []) set.add(b.group);
            groupsByGateway.set(parent.name, set);
          }
        }
        for (const [gateway, groups] of groupsByGateway) expect([folder, gateway, groups.size]).toEqual([folder, gateway, 1]);
      }
    });

    test('then the new Gateway copies the listeners (hostnames, TLS), carries the revision label, and a copy of the route sends everything to the GA pool', () => {
      const first = stages.get('01-side-by-side')!;
      const gw = only(first, 'Gateway');
      expect(gw.metadata).toEqual({ name: 'inference-gateway-v1', namespace: 'default', labels: { 'istio.io/rev': '1-28-1' } });
      expect(gw.spec).toEqual({ gatewayClassName: 'istio', listeners: ISTIO_GATEWAY._object.spec.listeners });
      const copy = only(first, 'HTTPRoute', 'llm-route-ga');
      expect(copy.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway-v1' }]);
      expect(copy.spec.hostnames).toEqual(['llm.example.com']);
      expect(copy.spec.rules[0].backendRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga', weight: 100 }]);
      expect(only(first, 'HTTPRoute', 'llm-route').spec.rules[0].backendRefs[0].group).toBe('inference.networking.x-k8s.io');
      expect(stages.get('03-cleanup')!.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name)).toEqual(['llm-route-ga']);
    });

    test('then moving clients is a manual step with its preconditions and checks, and verification goes through the new address', () => {
      const move = migration.stages[1];
      expect(move.manualSteps.map((s) => s.text).join('\n')).toMatch(/Preconditions, before any client moves[\s\S]*Move the clients from the old address to the new one, outside the cluster[\s\S]*no client uses the old address/);
      expect(move.verifications.map((v) => v.command).join('\n')).toMatch(/NEW_IP=\$\(kubectl get gateway\.gateway\.networking\.k8s\.io\/inference-gateway-v1 -n default[^\n]*\nNEW_PORT=80\ncurl -i http:\/\/\$\{NEW_IP\}:\$\{NEW_PORT\}\/v1\/completions/);
      expect(migration.stages[0].manualSteps.map((s) => s.commands?.join(' ') ?? '').join('\n')).toMatch(/istioctl install --set revision=1-28-1 --set values.pilot.env.ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true/);
    });
  });

  test('given the cutover strategy on Istio, then one stage flips the route and says the control plane switches in the same window', () => {
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', istio({ strategy: MigrationStrategy.CUTOVER }));
    expect(migration.stages.map((s) => s.folderName)).toEqual(['01-side-by-side', '02-cutover', '03-cleanup']);
    const stages = synthStages(migration);
    expect(only(stages.get('02-cutover')!, 'HTTPRoute').spec.rules[0].backendRefs.map((b: any) => b.group)).toEqual(['inference.networking.k8s.io']);
    expect(migration.stages[1].manualSteps.map((s) => s.text).join('\n')).toMatch(/Switch the gateway's control plane to one that serves the v1 group in the same window/);
  });

  test('given kgateway 2.0.4 and an explicit weighted strategy, then it fails naming the gateway, the one group it serves and cutover', () => {
    const build = () => new ZeroDowntimeMigration(Testing.app(), 'm', carriedProps({ gieVersion: 'v1.4.0', gatewayImplementation: GatewayImplementation.KGATEWAY, gatewayVersion: '2.0.4', strategy: MigrationStrategy.WEIGHTED_SHIFT }));
    expect(build).toThrow(/'strategy' "weighted-shift" cannot run on the Gateway default\/inference-gateway \(kgateway\): weighted-shift needs one gateway that serves both the alpha and the GA InferencePool, and kgateway 2.0.4 does not: kgateway 2.0.x watches and resolves only the alpha InferencePool group/);
    expect(build).toThrow(/Use strategy: 'cutover'/);
  });
});
