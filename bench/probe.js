const t0 = Date.now();
const { App } = require('/work/main/node_modules/cdk8s');
const lib = require('/work/main/lib');
const N = Number(process.argv[2] || 500);
const app = new App();
for (let i = 0; i < N; i++) {
  new lib.ZeroDowntimeMigration(app, `pool-${i}`, {
    namespace: `team-${i % 10}`,
    alphaPool: { existing: { name: `pool-${i}-alpha`, namespace: `team-${i % 10}`, modelServerSelector: { app: `pool-${i}` } } },
    objectives: [{ name: 'food-review', priority: 1 }, { name: 'base-model', priority: 2 }],
    gateway: { name: 'inference-gateway' }, routeName: `route-${i}`,
  });
}
const t1 = Date.now();
const out = new lib.GitOpsWriter({ outdir: '/dev/shm/probe-out' }).writeAll(app);
const t2 = Date.now();
console.log({ build: t1 - t0, write: t2 - t1, objects: out.reduce((n, m) => n + m.objectCount, 0), rssMB: Math.round(process.resourceUsage().maxRSS / 1024) });
