import { BUNDLES } from './fixtures';
import { KServeIngressGateway } from '../../src/kserve/kserve-ingress-gateway';
import { inventory, newChart, only, parseYamlDocs, synthValid, validator } from '../util';

// KServe guide 002, steps 2 and 3, verbatim.
const GUIDE_GATEWAY_CLASS = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: envoy
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller  
`;

const GUIDE_GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: kserve-ingress-gateway
  namespace: kserve
spec:
  gatewayClassName: envoy
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes:
        namespaces:
          from: All
    - name: https
      protocol: HTTPS
      port: 443
      tls:
        mode: Terminate
        certificateRefs:
          - kind: Secret
            name: my-secret
            namespace: kserve
      allowedRoutes:
        namespaces:
          from: All
  infrastructure:
    labels:
      serving.kserve.io/gateway: kserve-ingress-gateway
`;


describe('KServeIngressGateway', () => {
  test('given the guide\'s TLS secret, then GatewayClass and Gateway are the guide\'s YAML plus the API defaults, valid against Gateway API v1.2.1 with nothing left to default', () => {
    const chart = newChart();
    new KServeIngressGateway(chart, 'gw', { tlsSecretName: 'my-secret' });
    const objects = synthValid(chart, BUNDLES);

    const [guideClass] = parseYamlDocs(GUIDE_GATEWAY_CLASS);
    const [guideGateway] = parseYamlDocs(GUIDE_GATEWAY);
    // The one API default the guide leaves to the server: certificateRefs[].group ("" for core Secrets).
    guideGateway.spec.listeners[1].tls.certificateRefs[0].group = '';
    expect(only(objects, 'GatewayClass')).toEqual(guideClass);
    expect(only(objects, 'Gateway')).toEqual(guideGateway);
    expect(validator(BUNDLES).validate(objects).defaultsApplied).toEqual([]);
    expect(inventory(objects)).toEqual(['Gateway kserve/kserve-ingress-gateway', 'GatewayClass envoy']);
  });

  test('given no props, then an HTTP listener only, and no sync-wave annotation (the writer adds them)', () => {
    const chart = newChart();
    const gw = new KServeIngressGateway(chart, 'gw');
    const objects = synthValid(chart, BUNDLES);

    const gateway = only(objects, 'Gateway');
    expect(gateway.spec.listeners).toEqual([{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }]);
    // Sync waves are the GitOps writer's (KServeGatewayApiMigration.syncWaveRules), not the construct's.
    expect(only(objects, 'GatewayClass').metadata.annotations).toBeUndefined();
    expect(gateway.metadata.annotations).toBeUndefined();
    expect(only(objects, 'GatewayClass').metadata.namespace).toBeUndefined();
    expect(gw.reference).toBe('kserve/kserve-ingress-gateway');
    expect(gw.tls).toBe(false);
  });

  test('given other names, ports and a Secret in another namespace, then a ReferenceGrant lets the Gateway use it', () => {
    const chart = newChart();
    const gw = new KServeIngressGateway(chart, 'gw', {
      name: 'inference',
      namespace: 'gateways',
      gatewayClassName: 'istio',
      controllerName: 'istio.io/gateway-controller',
      httpPort: 8080,
      tlsSecretName: 'wildcard-tls',
      tlsSecretNamespace: 'certs',
      httpsPort: 8443,
    });
    const objects = synthValid(chart, BUNDLES);

    expect(inventory(objects)).toEqual(['Gateway gateways/inference', 'GatewayClass istio', 'ReferenceGrant certs/inference-tls']);
    const gateway = only(objects, 'Gateway');
    expect(gateway.spec.gatewayClassName).toBe('istio');
    expect(gateway.spec.listeners.map((l: any) => l.port)).toEqual([8080, 8443]);
    expect(gateway.spec.listeners[1].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'wildcard-tls', namespace: 'certs' }]);
    expect(gateway.spec.infrastructure.labels).toEqual({ 'serving.kserve.io/gateway': 'inference' });
    expect(only(objects, 'ReferenceGrant').spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'gateways' }],
      to: [{ group: '', kind: 'Secret', name: 'wildcard-tls' }],
    });
    expect(validator(BUNDLES).validate(objects).defaultsApplied).toEqual([]);
    expect(gw.referenceGrant).toBeDefined();
  });

  test('given createGatewayClass false, then only the Gateway is written', () => {
    const chart = newChart();
    new KServeIngressGateway(chart, 'gw', { createGatewayClass: false });
    expect(inventory(synthValid(chart, BUNDLES))).toEqual(['Gateway kserve/kserve-ingress-gateway']);
  });

  describe('errors', () => {
    test.each([
      [{ name: 'Kserve_GW' }, /^test\/gw: 'name' must be a DNS-1123 label: .* \(got "Kserve_GW"\)$/],
      [{ namespace: 'kserve.system' }, /^test\/gw: 'namespace' must be a DNS-1123 label: .* \(got "kserve.system"\)$/],
      [{ gatewayClassName: 'Envoy' }, /^test\/gw: 'gatewayClassName' must be a DNS-1123 subdomain: .* \(got "Envoy"\)$/],
      [{ controllerName: 'envoy' }, /^test\/gw: 'controllerName' must be a domain-prefixed path such as 'gateway.envoyproxy.io\/gatewayclass-controller', at most 253 characters \(got "envoy"\)$/],
      [{ httpPort: 0 }, /^test\/gw: 'httpPort' must be an integer in 1\.\.65535 \(got 0\)$/],
      [{ httpPort: 80.5 }, /^test\/gw: 'httpPort' must be an integer in 1\.\.65535 \(got 80\.5\)$/],
      [{ tlsSecretName: 's', httpsPort: 70000 }, /^test\/gw: 'httpsPort' must be an integer in 1\.\.65535 \(got 70000\)$/],
      [{ tlsSecretName: 's', httpsPort: 80 }, /^test\/gw: 'httpsPort' must differ from 'httpPort' \(both are 80\): an HTTP and an HTTPS listener cannot share a port$/],
      [{ tlsSecretName: 'My Secret' }, /^test\/gw: 'tlsSecretName' must be a DNS-1123 subdomain: .* \(got "My Secret"\)$/],
      [{ httpsPort: 8443 }, /^test\/gw: 'httpsPort' only applies with 'tlsSecretName' \(the HTTPS listener\): give 'tlsSecretName' or leave 'httpsPort' out$/],
      [{ tlsSecretNamespace: 'certs' }, /^test\/gw: 'tlsSecretNamespace' only applies with 'tlsSecretName' \(the HTTPS listener\): give 'tlsSecretName' or leave 'tlsSecretNamespace' out$/],
    ])('given %j, then the error names the prop and what is allowed', (props, message) => {
      expect(() => new KServeIngressGateway(newChart(), 'gw', props as any)).toThrow(message);
    });
  });
});
