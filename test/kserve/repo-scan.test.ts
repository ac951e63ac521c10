import { configMap, controllerDeployment } from './fixtures';
import { KServeGatewayApiMigration } from '../../src/kserve/kserve-gateway-api-migration';
import { kserveInputsFromManifests } from '../../src/kserve/repo-scan';
import { App } from '../util';

function other(kind: string, name: string, namespace = 'kserve'): any {
  return { apiVersion: 'v1', kind, metadata: { name, namespace } };
}

describe('kserveInputsFromManifests', () => {
  test('given a repository\'s documents, then it finds the ConfigMap and the controller, and the result plans a migration', () => {
    const docs = [null, other('Namespace', 'kserve'), other('Service', 'kserve-webhook-server-service'), configMap(), controllerDeployment(), undefined];
    const found = kserveInputsFromManifests(docs);

    expect(found.kserveNamespace).toBe('kserve');
    expect(found.existingConfigMap.toJson()).toEqual(configMap());
    expect(found.controllerDeployment!.toJson()).toEqual(controllerDeployment());
    const m = new KServeGatewayApiMigration(new App(), 'kserve', found);
    expect(m.baseline.map((o) => o.kind)).toEqual(['ConfigMap', 'Deployment']);
  });

  test('given no controller Deployment and objects inside a List, then the ConfigMap alone', () => {
    const found = kserveInputsFromManifests([{ apiVersion: 'v1', kind: 'List', items: [configMap()] }]);
    expect(found.kserveNamespace).toBe('kserve');
    expect(found.existingConfigMap.toJson()).toEqual(configMap());
    expect(found.controllerDeployment).toBeUndefined();
  });

  test('given a ConfigMap without a namespace and a namespace option, then that namespace', () => {
    const cm = configMap();
    delete cm.metadata.namespace;
    expect(kserveInputsFromManifests([cm], { namespace: 'kserve-system' }).kserveNamespace).toBe('kserve-system');
  });

  test('given no inferenceservice-config, then the error says what is missing and suggests --helm', () => {
    expect(() => kserveInputsFromManifests([other('ConfigMap', 'config-logging'), controllerDeployment()]))
      .toThrow(/^plan-kserve: no ConfigMap inferenceservice-config found among 2 objects; point --from at the manifests that install KServe, or use --helm when Helm owns KServe$/);
    expect(() => kserveInputsFromManifests([configMap()], { namespace: 'other' }))
      .toThrow(/^plan-kserve: no ConfigMap inferenceservice-config in namespace other found among 1 objects/);
  });

  test('given two installations, then the error lists them', () => {
    const second = configMap();
    second.metadata.namespace = 'kserve-test';
    expect(() => kserveInputsFromManifests([configMap(), second]))
      .toThrow(/^plan-kserve: 2 ConfigMaps inferenceservice-config found \(ConfigMap kserve\/inferenceservice-config, ConfigMap kserve-test\/inferenceservice-config\); KServe has one/);
  });

  test('given a malformed ingress JSON, then the error names the ConfigMap', () => {
    expect(() => kserveInputsFromManifests([configMap('{"ingressGateway": "a/b"')]))
      .toThrow(/^plan-kserve: data\.ingress of ConfigMap kserve\/inferenceservice-config is not valid JSON at line \d+, column \d+: /);
    expect(() => kserveInputsFromManifests([{ ...configMap(), data: {} }]))
      .toThrow(/^plan-kserve: ConfigMap kserve\/inferenceservice-config has no data\.ingress: add KServe's ingress JSON to it first$/);
  });

  test('given two controller Deployments in the namespace, then the error says so', () => {
    expect(() => kserveInputsFromManifests([configMap(), controllerDeployment(), controllerDeployment()]))
      .toThrow(/^plan-kserve: 2 Deployments kserve-controller-manager found in namespace kserve; expected at most one$/);
  });

  test('given something other than a list, then the error says what was expected', () => {
    expect(() => kserveInputsFromManifests('docs' as any)).toThrow(/^plan-kserve: expected a list of parsed YAML documents \(got string\)$/);
  });
});
