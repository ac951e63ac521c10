// The gateway, provider and strategy a migration is planned for (src/discover/platform-choice.ts), as a platform
// engineer meets them: the plan's platform notes, the GA pool's provider, and the second Gateway of a
// parallel-gateway plan, from a YAML stream shaped like GIE v0.5.1's Istio quickstart.
import * as fs from 'fs';
import * as path from 'path';
import { GatewayImplementation, InferenceMigrationPlan, InferenceMigrationYamlOptions, InferenceProvider, MigrationStrategy } from '../../src';
import { planRepo } from '../../src/discover/inference-planner';
import { parseYamlText, RepoContents } from '../../src/discover/repo-reader';
import { InvalidInputError } from '../../src/discover/source-validation';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');

/** The alpha stack of the Istio quickstart (pool, EPP, its config and RBAC), 121 lines, no namespaces. */
const ALPHA_STACK = fs.readFileSync(path.join(FIXTURES, 'istio-v051', 'inferencepool-resources.yaml'), 'utf8');

const gatewayOf = (name: string, className: string, extra: { namespace?: string; labels?: string; port?: number } = {}) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}
${extra.namespace !== undefined ? `  namespace: ${extra.namespace}\n` : ''}${extra.labels !== undefined ? `  labels:\n    ${extra.labels}\n` : ''}spec:
  gatewayClassName: ${className}
  listeners:
  - name: http
    port: ${extra.port ?? 80}
    protocol: HTTP
`;

/** The quickstart's HTTPRoute to the alpha pool, attached to the Gateways named (namespace/name or name). */
const routeTo = (...parents: string[]) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: llm-route
spec:
  parentRefs:
${parents.map((p) => (p.includes('/') ? `  - name: ${p.split('/')[1]}\n    namespace: ${p.split('/')[0]}\n` : `  - name: ${p}\n`)).join('')}  rules:
  - backendRefs:
    - group: inference.networking.x-k8s.io
      kind: InferencePool
      name: vllm-llama3-8b-instruct
`;

/** The quickstart's DestinationRule of the alpha EPP: the Istio provider's mark. */
const DESTINATION_RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: epp-insecure-tls
spec:
  host: vllm-llama3-8b-instruct-epp
  trafficPolicy:
    tls:
      mode: SIMPLE
      insecureSkipVerify: true
`;

/** One YAML stream of the documents, in order. */
const stream = (...docs: string[]) => docs.join('---\n');

/** The same stream as a directory of one file, for the planner's props. */
function repoOf(yaml: string): RepoContents {
  return { root: 'repo', files: ['manifests.yaml'], objects: parseYamlText(yaml, 'manifests.yaml').objects, skipped: [] };
}

// Gateway on lines 1-10, route on 12-23, DestinationRule on 25-34, the alpha stack from line 36 (its pool on 38).
const ISTIO = stream(gatewayOf('inference-gateway', 'istio'), routeTo('inference-gateway'), DESTINATION_RULE, ALPHA_STACK);
const GATEWAY_EVIDENCE = 'Gateway default/inference-gateway (manifests.yaml:1) has gatewayClassName istio: istio';
const DR_EVIDENCE = 'provider istio: the alpha EPP has DestinationRule epp-insecure-tls (manifests.yaml:25, networking.istio.io/v1)';
// A Gateway whose class is the cluster's own name (no GatewayClass in the input): nothing tells the implementation.
const UNKNOWN_CLASS = 'not detected: Gateway default/inference-gateway (manifests.yaml:1) has gatewayClassName inference-gateway: an implementation this tool does not know';

/** The one migration the stream plans, as the library's users get it. */
const planOf = (yaml: string, options: InferenceMigrationYamlOptions = {}) => InferenceMigrationPlan.fromYaml(yaml, options).migrations[0];

describe('the platform a migration is planned for', () => {
  test('given the Istio quickstart, then gateway and provider are detected, each with its evidence, and nothing else is said', () => {
    // Given an Istio Gateway and the alpha EPP's DestinationRule, and no flag
    // When the stream is planned
    const m = planOf(ISTIO);

    // Then both are detected, the notes say so and give the evidence, and the GA pool is planned for Istio
    expect([m.gatewayImplementation, m.provider, m.gatewayVersion]).toEqual([GatewayImplementation.ISTIO, InferenceProvider.ISTIO, undefined]);
    expect(m.platformNotes).toEqual(['gateway istio: detected', 'provider istio: detected', GATEWAY_EVIDENCE, DR_EVIDENCE]);
    expect(planRepo(repoOf(ISTIO)).migrations[0].props.gaPool).toEqual({ name: 'vllm-llama3-8b-instruct-ga', provider: InferenceProvider.ISTIO });
  });

  test('given nothing in the input that shows the platform, then the generic gateway and no provider are planned, and the notes ask for flags', () => {
    // Given a Gateway of a class this tool does not know, and no DestinationRule or GKE policy
    const yaml = stream(gatewayOf('inference-gateway', 'inference-gateway'), routeTo('inference-gateway'), ALPHA_STACK);

    // When it is planned without flags
    const m = planOf(yaml);

    // Then the defaults are planned, said to be defaults, with why detection found nothing; the GA pool has no provider
    expect([m.gatewayImplementation, m.provider]).toEqual([GatewayImplementation.GENERIC, InferenceProvider.NONE]);
    expect(m.platformNotes).toEqual([
      'gateway generic: nothing in the input shows it (give it with a flag)',
      'provider none: nothing in the input shows it (give it with a flag)',
      UNKNOWN_CLASS,
    ]);
    const props = planRepo(repoOf(yaml)).migrations[0].props;
    expect(props.gaPool).toEqual({ name: 'vllm-llama3-8b-instruct-ga' });
    expect(props.gatewayImplementation).toBeUndefined();
  });

  test('given the gateway and the provider as flags, then they are planned and said to be given, over what the input shows', () => {
    // Given the Istio quickstart
    // When the gateway and the provider are given
    const m = planOf(ISTIO, { gatewayImplementation: GatewayImplementation.KGATEWAY, provider: InferenceProvider.NONE });

    // Then the flags win, and the notes say they were given; the evidence is still shown
    expect([m.gatewayImplementation, m.provider]).toEqual([GatewayImplementation.KGATEWAY, InferenceProvider.NONE]);
    expect(m.platformNotes).toEqual(['gateway kgateway: given', 'provider none: given', GATEWAY_EVIDENCE, DR_EVIDENCE]);
  });

  test('given --provider gke and a Gateway whose implementation the input does not show, then the GKE gateway follows from the provider', () => {
    // Given a Gateway of an unknown class, and no platform mark in the alpha stack
    const yaml = stream(gatewayOf('inference-gateway', 'inference-gateway'), routeTo('inference-gateway'), ALPHA_STACK);

    // When the provider is given as gke
    const m = planOf(yaml, { provider: InferenceProvider.GKE });

    // Then the gateway is GKE's, from the provider, and the GA pool is planned for GKE
    expect([m.gatewayImplementation, m.provider]).toEqual([GatewayImplementation.GKE, InferenceProvider.GKE]);
    expect(m.platformNotes).toEqual(['gateway gke: from the provider', 'provider gke: given', UNKNOWN_CLASS]);
    const props = planRepo(repoOf(yaml), { provider: InferenceProvider.GKE }).migrations[0].props;
    expect([props.gatewayImplementation, props.gaPool]).toEqual([GatewayImplementation.GKE, { name: 'vllm-llama3-8b-instruct-ga', provider: InferenceProvider.GKE }]);
  });

  test('given the alpha EPP\'s DestinationRule and a Gateway whose implementation the input does not show, then the Istio gateway follows from the detected provider', () => {
    // Given the quickstart with the Gateway's class renamed to the cluster's own
    const yaml = stream(gatewayOf('inference-gateway', 'inference-gateway'), routeTo('inference-gateway'), DESTINATION_RULE, ALPHA_STACK);

    // When it is planned without flags
    const m = planOf(yaml);

    // Then the provider is detected from the DestinationRule, and the gateway follows it
    expect([m.gatewayImplementation, m.provider]).toEqual([GatewayImplementation.ISTIO, InferenceProvider.ISTIO]);
    expect(m.platformNotes).toEqual(['gateway istio: from the provider', 'provider istio: detected', DR_EVIDENCE, UNKNOWN_CLASS]);
  });

  test('given --gateway generic over a detected Istio Gateway, then the notes warn what the generic row leaves out', () => {
    // Given the Istio quickstart
    // When the generic gateway is forced
    const m = planOf(ISTIO, { gatewayImplementation: GatewayImplementation.GENERIC });

    // Then it is planned, and a note says the detected Istio row is not applied
    expect(m.gatewayImplementation).toBe(GatewayImplementation.GENERIC);
    expect(m.platformNotes).toEqual(['gateway generic: given', 'provider istio: detected', GATEWAY_EVIDENCE, DR_EVIDENCE,
      '--gateway generic overrides the detected istio: its row of the gateway table (docs/gateways.md) is not applied, and weighted-shift ' +
      'puts the alpha and the GA pool behind one gateway that may serve only one of the two groups']);
  });

  test('given --gateway generic where no gateway is detected, then nothing is overridden and no warning is added', () => {
    // Given a Gateway of an unknown class
    const yaml = stream(gatewayOf('inference-gateway', 'inference-gateway'), routeTo('inference-gateway'), ALPHA_STACK);

    // When the generic gateway is given
    const m = planOf(yaml, { gatewayImplementation: GatewayImplementation.GENERIC });

    // Then the notes are the flag and the doubt, no override warning
    expect(m.platformNotes).toEqual(['gateway generic: given', 'provider none: nothing in the input shows it (give it with a flag)', UNKNOWN_CLASS]);
  });
});

describe('the gateway version a migration is planned for', () => {
  // The quickstart's Gateway on the revision of Istio 1.27.3 (its revision label on line 6).
  const revisioned = stream(gatewayOf('inference-gateway', 'istio', { labels: 'istio.io/rev: 1-27-3' }), routeTo('inference-gateway'), DESTINATION_RULE, ALPHA_STACK);
  const revisionEvidence = 'Istio 1.27.3: Gateway default/inference-gateway has the revision label istio.io/rev: 1-27-3';

  test('given an Istio revision label on the routes\' Gateway, then its release is the gateway version', () => {
    // When the revisioned quickstart is planned without flags
    const m = planOf(revisioned);

    // Then the version is read from the label and shown with the gateway
    expect([m.gatewayImplementation, m.gatewayVersion]).toEqual([GatewayImplementation.ISTIO, '1.27.3']);
    expect(m.platformNotes.slice(0, 2)).toEqual(['gateway istio 1.27.3: detected', 'provider istio: detected']);
    expect(m.platformNotes).toContain(revisionEvidence);
    expect(planRepo(repoOf(revisioned)).migrations[0].props.gatewayVersion).toBe('1.27.3');
  });

  test('given --gateway-version, then it wins over the revision label', () => {
    const m = planOf(revisioned, { gatewayVersion: '1.28.0' });

    expect(m.gatewayVersion).toBe('1.28.0');
    expect(m.platformNotes[0]).toBe('gateway istio 1.28.0: detected');
  });

  test('given --gateway naming the detected gateway without --gateway-version, then the label\'s version is kept and said so', () => {
    // Given the revisioned Istio Gateway
    // When the same gateway is given as a flag, without its version
    const m = planOf(revisioned, { gatewayImplementation: GatewayImplementation.ISTIO });

    // Then the version the label shows is planned, and a note says where it came from
    expect(m.gatewayVersion).toBe('1.27.3');
    expect(m.platformNotes[0]).toBe('gateway istio 1.27.3: given');
    expect(m.platformNotes).toContain('--gateway istio without --gateway-version: the version 1.27.3 detected for it is kept');
  });

  test('given --gateway naming another gateway without --gateway-version, then the label\'s version is not taken for it', () => {
    // Given the revisioned Istio Gateway
    // When another gateway is given as a flag, without its version
    const platform = planRepo(repoOf(revisioned), { gateway: GatewayImplementation.KGATEWAY }).migrations[0].platform;

    // Then no version is planned: the label belongs to Istio, not to the gateway given
    expect(platform.gateway).toBe(GatewayImplementation.KGATEWAY);
    expect('gatewayVersion' in platform).toBe(false);
  });

  test('given --gateway and --gateway-version where the input shows no version, then that version is planned', () => {
    const m = planOf(ISTIO, { gatewayImplementation: GatewayImplementation.ISTIO, gatewayVersion: '1.27.1' });

    expect(m.gatewayVersion).toBe('1.27.1');
    expect(m.platformNotes[0]).toBe('gateway istio 1.27.1: given');
  });

  test('given neither a version flag nor a label, then the platform has no version at all', () => {
    expect('gatewayVersion' in planRepo(repoOf(ISTIO)).migrations[0].platform).toBe(false);
  });
});

describe('the platform lines of input that does not pass validation', () => {
  test('given an alpha stack the API server would refuse, then the error carries the platform, the first two notes on the migration\'s line', () => {
    // Given the Istio quickstart whose EPP's grace period is a duration string, which the API server refuses
    const yaml = ISTIO.replace('terminationGracePeriodSeconds: 130', 'terminationGracePeriodSeconds: "130s"');

    // When it is planned
    let error: unknown;
    try {
      InferenceMigrationPlan.fromYaml(yaml);
    } catch (err) {
      error = err;
    }

    // Then the error gives the platform as `plan` prints it: gateway and provider on the migration's line, the evidence indented
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe('manifests.yaml:79: input does not pass validation: Deployment vllm-llama3-8b-instruct-epp: ' +
      'spec.template.spec.terminationGracePeriodSeconds: must be integer (got string "130s") [core]');
    expect((error as InvalidInputError).platformLines).toEqual([
      'vllm-llama3-8b-instruct: gateway istio: detected; provider istio: detected',
      `  ${GATEWAY_EVIDENCE}`,
      `  ${DR_EVIDENCE}`,
    ]);
  });
});

describe('the second Gateway of a parallel-gateway plan', () => {
  test('given the Istio quickstart, whose Gateway serves one group, then the routes\' Gateway is copied into its namespace under the -v1 name', () => {
    // Given the quickstart, whose Gateway has no namespace (it is planned in default)
    // When it is planned without flags: Istio's working strategy is parallel-gateway
    const parallel = planRepo(repoOf(ISTIO)).migrations[0].props.parallelGateway!;

    // Then the second Gateway copies the routes' Gateway, its namespace made explicit
    expect(parallel.name).toBe('inference-gateway-v1');
    expect([parallel.originalGateway.namespace, parallel.originalGateway.name]).toEqual(['default', 'inference-gateway']);
    expect(parallel.originalGateway._object.metadata).toEqual({ name: 'inference-gateway', namespace: 'default' });
  });

  test('given other Gateways of the same name or namespace before the routes\' own, then the routes\' own is the one copied', () => {
    // Given a Gateway of the same namespace and another name, and one of the same name in another namespace, listed first
    const yaml = stream(
      gatewayOf('other-gateway', 'istio', { namespace: 'default', port: 8081 }),
      gatewayOf('inference-gateway', 'istio', { namespace: 'istio-ingress', port: 8082 }),
      gatewayOf('inference-gateway', 'istio', { namespace: 'default', port: 8080 }),
      routeTo('default/inference-gateway'), DESTINATION_RULE, ALPHA_STACK);

    // When it is planned with the parallel-gateway strategy
    const parallel = planRepo(repoOf(yaml), { strategy: MigrationStrategy.PARALLEL_GATEWAY }).migrations[0].props.parallelGateway!;

    // Then the Gateway the route attaches to, with its own listener, is copied
    expect([parallel.originalGateway.namespace, parallel.originalGateway.name]).toEqual(['default', 'inference-gateway']);
    expect(parallel.originalGateway._object.spec.listeners).toEqual([{ name: 'http', port: 8080, protocol: 'HTTP' }]);
  });

  test('given routes attached to two Gateways, then parallel-gateway is refused at the alpha pool, naming both', () => {
    // Given the route attached to two Istio Gateways
    const yaml = stream(gatewayOf('inference-gateway', 'istio'), gatewayOf('internal-gateway', 'istio'),
      routeTo('inference-gateway', 'internal-gateway'), DESTINATION_RULE, ALPHA_STACK);

    // When it is planned (Istio's working strategy is parallel-gateway)
    // Then the error is at the alpha pool's line, and says which Gateways and what to do
    expect(() => planOf(yaml)).toThrow(new RegExp('^manifests\\.yaml:50: the parallel-gateway strategy copies the one Gateway the routes attach to, and the routes of alpha InferencePool ' +
      'default/vllm-llama3-8b-instruct attach to 2 \\(default/inference-gateway, default/internal-gateway\\): split the routes by Gateway, or choose another strategy$'));
  });

  test('given the routes\' Gateway missing from the stream, then the error is at the alpha pool\'s line', () => {
    const yaml = stream(routeTo('inference-gateway'), DESTINATION_RULE, ALPHA_STACK);

    expect(() => planOf(yaml, { gatewayImplementation: GatewayImplementation.ISTIO })).toThrow(new RegExp('^manifests\\.yaml:27: the parallel-gateway strategy copies the listeners of the Gateway ' +
      'default/inference-gateway, which is not in the directory that was planned: add its manifest \\(kubectl get gateway inference-gateway -n default -o yaml\\), then plan again$'));
  });
});
