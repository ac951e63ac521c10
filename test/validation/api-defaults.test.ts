import { ManifestValidator } from '../../src/validation';
import { API_SERVER_DEFAULTS, withApiServerDefaults } from '../../src/validation/api-defaults';

// The API server defaults an object before it validates it (SetDefaults_* registered per group and version). Each
// row names the upstream file, tag and functions; the issue-20 harness compares these verdicts with a real API server.
describe('the API server\'s defaults, applied before the built-in kinds are checked', () => {
  test.each([
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'kubernetes/kubernetes pkg/apis/rbac/v1/defaults.go@v1.35.0 SetDefaults_RoleBinding, SetDefaults_Subject'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'kubernetes/kubernetes pkg/apis/rbac/v1/defaults.go@v1.35.0 SetDefaults_ClusterRoleBinding, SetDefaults_Subject'],
    ['v1', 'Service', 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go@v1.35.0 SetDefaults_Service'],
    ['v1', 'Pod', 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go@v1.35.0 SetDefaults_ContainerPort, SetDefaults_Volume'],
    ['apps/v1', 'Deployment', 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go@v1.35.0 SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)'],
    ['apps/v1', 'StatefulSet', 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go@v1.35.0 SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)'],
    ['apps/v1', 'DaemonSet', 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go@v1.35.0 SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)'],
    ['batch/v1', 'Job', 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go@v1.35.0 SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)'],
  ])('%s %s is defaulted as %s', (apiVersion, kind, upstream) => {
    expect(API_SERVER_DEFAULTS.find((d) => d.apiVersion === apiVersion && d.kind === kind)?.upstream).toBe(upstream);
  });

  test('given the ClusterRoleBinding of GIE v0.3.0\'s quickstart (roleRef without apiGroup), then it passes, with the default reported', () => {
    // Given the shape of config/manifests/inferencepool-resources.yaml at v0.2.0..v0.4.0
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'pod-read-binding' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }, { kind: 'User', name: 'alice' }],
      roleRef: { kind: 'ClusterRole', name: 'pod-read' },
    };
    // When it is validated
    const report = new ManifestValidator().validate([binding]);
    // Then it passes, and says what the API server sets
    expect(report.problems).toEqual([]);
    expect(report.defaultsApplied).toEqual([
      { object: 'ClusterRoleBinding pod-read-binding', field: 'roleRef.apiGroup', value: '"rbac.authorization.k8s.io"' },
      { object: 'ClusterRoleBinding pod-read-binding', field: 'subjects[1].apiGroup', value: '"rbac.authorization.k8s.io"' },
    ]);
    // And the object itself is not changed
    expect(binding.roleRef).toEqual({ kind: 'ClusterRole', name: 'pod-read' });
  });

  test('given a roleRef without kind, then defaulting does not hide it: required fields the API server does not default still fail', () => {
    const report = new ManifestValidator().validate([{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'default' }, roleRef: { name: 'r' },
    }]);
    expect(report.problems.map((p) => `${p.field}: ${p.message}`)).toEqual(['roleRef.kind: required field is missing']);
  });

  test('given a pod template volume with no source and ports without protocol, then the API server\'s emptyDir and TCP are set on a copy', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 1 }] }], volumes: [{ name: 'v' }] } } } };
    const { object, applied } = withApiServerDefaults(d);
    expect(applied.map((a) => a.field)).toEqual(['spec.template.spec.containers[0].ports[0].protocol', 'spec.template.spec.volumes[0].emptyDir']);
    expect(object.spec.template.spec.volumes[0]).toEqual({ name: 'v', emptyDir: {} });
    expect(d.spec.template.spec.volumes[0]).toEqual({ name: 'v' });
  });
});
