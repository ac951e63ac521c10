import { cdk8s, javascript, JsonFile } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-inference-migration',
  packageName: 'cdk8s-inference-migration',
  description:
    'cdk8s constructs that migrate inference-serving APIs (Gateway API Inference Extension v1alpha2 to v1, KServe Ingress to Gateway API, LlamaStackDistribution v1alpha1 to v1alpha2) as staged, GitOps-ready YAML.',
  keywords: ['cdk8s', 'kubernetes', 'gateway-api', 'inference', 'gitops', 'migration'],
  author: 'cdk8s-inference-migration maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-inference-migration/cdk8s-inference-migration.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  // No cdk8s-plus in the public API, so none is a peer: an app brings the cdk8s-plus line it uses (the tests use 28).
  // jsii requires every non-jsii runtime dependency to be bundled.
  bundledDeps: [
    'ajv@^8.17.1',
    '@bufbuild/cel@^0.6.1',
    '@bufbuild/protobuf@^2.6.2',
    'yaml@^2.8.0',
    'kubernetes-models@~4.5.1',
    // The pinned GKE policy validators (imports/crds.lock.json, "validators") run on kubernetes-models' own runtime.
    '@kubernetes-models/base@^5.0.1',
    '@kubernetes-models/validate@^4.0.0',
    '@kubernetes-models/apimachinery@^2.2.0',
    '@swc/helpers@^0.5.8',
    '@kubernetes-models/istio@~2.3.0',
    'commander@^14.0.0',
    'jsonc-parser@^3.3.1',
    'safe-stable-stringify@^2.5.0',
    'semver@^7.7.3',
    // Structural diff of two objects, for the field-level changes between stages (CommonJS, no dependencies).
    'microdiff@^1.6.0',
  ],
  // undici: the CRD fetch honours HTTPS_PROXY/NO_PROXY (Node 20's fetch does not); tar: it reads npm tarballs.
  // mermaid (with jsdom for the DOM it needs in Node) parses every diagram the writer draws, in the tests;
  // commonmark parses the READMEs the writer renders, so the tests read their code blocks as GitHub would.
  devDeps: [
    'cdk8s-plus-28@^2.5.6', 'cdk8s-cli@^2.200.0', 'fast-check@^4.3.0', 'undici@^7.16.0', 'tar@^7.4.3', '@types/semver@^7.7.1',
    'mermaid@^11.12.0', 'jsdom@^29.1.1', 'commonmark@^0.31.2',
    // Mutation testing (docs/development.md, "Mutation testing"): StrykerJS 9.6 is the last line that runs on
    // Node 20 (10.x needs Node 22); the plugins pin the core's exact version.
    '@stryker-mutator/core@9.6.1', '@stryker-mutator/jest-runner@9.6.1', '@stryker-mutator/typescript-checker@9.6.1',
  ],
  bin: { 'inference-migrate': 'bin/inference-migrate' },

  // Not published yet: the API may change in any 0.x release (docs/languages.md, "Before and after publication").
  stability: 'experimental',

  // The jsii targets, named as the cdk8s-team libraries name theirs (cdk8s-team/cdk8s-projen-common,
  // src/projects/jsii.ts: Python `<name>` / `<name with _>`, Maven group org.cdk8s with the package
  // org.cdk8s.<name without the cdk8s- prefix and dashes>, Go `<repository>-go` with jsii's default package name).
  // .NET is left out: this project's machines have no .NET SDK to build and test it with.
  publishToPypi: { distName: 'cdk8s-inference-migration', module: 'cdk8s_inference_migration' },
  publishToMaven: {
    mavenGroupId: 'org.cdk8s',
    mavenArtifactId: 'cdk8s-inference-migration',
    javaPackage: 'org.cdk8s.inferencemigration',
  },
  publishToGo: { moduleName: 'github.com/cdk8s-inference-migration/cdk8s-inference-migration-go' },

  // No publishing workflow and no GitHub automation yet.
  release: false,
  github: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  package: true,
  // jsii's package artifacts go under build/, so dist/ holds only synthesized manifests.
  artifactsDirectory: 'build',

  eslintOptions: {
    dirs: ['src', 'test'],
    // test/languages/typescript/main.ts imports the package by name, as an app does: test/languages compiles it, strictly,
    // against this checkout; the type-check of test/ and the linter, which cannot resolve that name, leave it out.
    ignorePatterns: ['src/imports/**', 'test/languages/typescript/**', '*.js', '*.d.ts', 'node_modules/', 'lib/', 'build/', 'dist/', 'coverage/', '.stryker-tmp/', 'reports/'],
  },
  jestOptions: {
    // A changed snapshot must fail the test run, never be rewritten by it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // A Stryker sandbox left by a failed mutation run holds a copy of the whole project: not a module root.
      modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
      coverageReporters: ['json', 'lcov', 'clover', 'cobertura', 'text-summary'],
      maxWorkers: 2,
      // Jest force-exits a worker that is still alive 500 ms after it was told to end, and then prints "A worker
      // process has failed to exit gracefully". Ours do exit on their own: no handle is left open
      // (--detectOpenHandles finds none; at exit the IPC pipe is the worker's only resource), the 'exit' event
      // fires within about 100 ms, and then V8 unmaps the worker's heap (100-240 MB after the validator and
      // TypeScript tests), which took 270-650 ms on this project's shared 2-core machines (measured with strace:
      // hundreds of munmap/madvise calls between the 'exit' event and exit_group). A real leak keeps a worker
      // alive for good and is still reported after this longer wait.
      additionalOptions: { workerGracefulExitTimeout: 5_000 },
    },
  },
  gitignore: [
    '/test/languages/java/target/', '/test/languages/*/out/', '__pycache__/', '/imports/crds/', '/imports/charts/', '/imports/compiled/',
    '/e2e-results.json', '/build/', '/dist/', '/bench-results.json', '*.cpuprofile', '*.heapprofile',
    // Mutation testing (`npx projen mutation`): Stryker's sandboxes, its reports and the incremental file of the last run.
    '/.stryker-tmp/', '/reports/', '/stryker.log', '/tsconfig.mutation.json',
  ],
  npmignoreEnabled: true,
});

// The house (../shared/DESIGN.md, "Layout sketch"): what each folder of src/ may import. A violation is a lint
// error, so it fails the build; test/lint/house.test.ts shows each rule failing on a forbidden import.
const FS_MODULES = ['fs', 'fs/promises', 'node:fs', 'node:fs/promises'];
const CDK8S_MODULES = ['cdk8s', 'constructs'];
const CDK8S_PATTERNS = ['cdk8s-plus-*'];
// The files of src/core that adapt cdk8s objects; every other file of src/core is pure (cdk8s types at most).
const CORE_CDK8S_ADAPTORS = ['src/core/namespace.ts'];
// Pure helpers of src/validation that src/convert shares (field paths, secret redaction in messages); they import
// only src/core and each other, and no cdk8s or file system, like src/convert itself.
const SHARED_PURE = ['src/validation/paths.ts', 'src/validation/redact.ts'];
// The folders that touch the file system: src/output writes (the one writer), src/discover reads repositories
// and streams, src/validation reads the pinned CRD files.
const FS_FOLDERS = ['src/output/**', 'src/discover/**', 'src/validation/**'];
const fsMessage = 'only src/output writes to the file system (src/discover and src/validation read); go through them';
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: {
    'import/no-restricted-paths': ['error', {
      zones: [
        {
          target: './src/core',
          from: './src',
          except: ['./core'],
          message: 'src/core is the ground floor: it imports nothing else of src/.',
        },
        {
          target: './src/convert',
          from: './src',
          except: ['./convert', './core', ...SHARED_PURE.map((f) => `./${f.slice('src/'.length)}`)],
          message: 'src/convert holds pure data transforms: it imports only src/core, src/convert and the pure helpers of SHARED_PURE.',
        },
        {
          target: SHARED_PURE.map((f) => `./${f}`),
          from: './src',
          except: ['./core', ...SHARED_PURE.map((f) => `./${f.slice('src/'.length)}`)],
          message: 'this file is shared with src/convert (SHARED_PURE in .projenrc.ts): it imports only src/core and the other shared files.',
        },
        {
          target: './src/convert',
          from: CORE_CDK8S_ADAPTORS.map((f) => `./${f}`),
          message: 'this src/core file adapts cdk8s objects, and src/convert stays free of cdk8s.',
        },
        {
          target: './src/inference',
          from: './src/migration',
          message: 'src/inference never imports src/migration: migrations are built from the inference constructs.',
        },
        {
          target: ['./src/!(cli)/**', './src/*.ts'],
          from: './src/cli',
          message: 'src/cli is argument parsing and printing, run by bin/inference-migrate alone: library code never imports it.',
        },
      ],
    }],
    'no-restricted-imports': ['error', { paths: FS_MODULES.map((name) => ({ name, message: fsMessage })) }],
  },
});
project.eslint?.addOverride({
  files: FS_FOLDERS,
  rules: { 'no-restricted-imports': 'off' },
});
project.eslint?.addOverride({
  files: SHARED_PURE,
  rules: { 'no-restricted-imports': ['error', { paths: FS_MODULES.map((name) => ({ name, message: 'shared with src/convert: no file system' })) }] },
});
project.eslint?.addOverride({
  files: ['src/core/**'],
  excludedFiles: CORE_CDK8S_ADAPTORS,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      paths: CDK8S_MODULES.map((name) => ({
        name,
        allowTypeImports: true,
        message: 'src/core is pure: import cdk8s types only (`import type`), or add the file to CORE_CDK8S_ADAPTORS in .projenrc.ts.',
      })),
      patterns: [{ group: CDK8S_PATTERNS, message: 'src/core is pure: no cdk8s-plus.' }],
    }],
  },
});
project.eslint?.addOverride({
  files: ['src/convert/**', ...SHARED_PURE],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      paths: CDK8S_MODULES.map((name) => ({ name, message: 'src/convert holds pure data transforms: no cdk8s, not even its types.' })),
      patterns: [{ group: CDK8S_PATTERNS, message: 'src/convert holds pure data transforms: no cdk8s-plus.' }],
    }],
  },
});

// jsii (through @jsii/check-node) prints a 12-line end-of-life banner on Node 20, which the machines here run.
// Since Node 20's end of life the check reads JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION, a list of major
// versions to keep quiet about (node_modules/@jsii/check-node/lib/index.js); the DEPRECATED variable no longer applies.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// A real pre-release version: 0.x until the API is stable and published (docs/languages.md). projen writes 0.0.0
// when it does not release; every package (npm, PyPI, Maven, Go) takes this one.
project.package.addVersion('0.1.0');

// jsii-pacmak pins the jsii runtime every generated package requires (Python `jsii>=V`, Maven `jsii-runtime`, Go
// `jsii-runtime-go`, all at pacmak's own version V). 1.139.0 is the one version served here by all three registries:
// Maven Central's newest jsii-runtime is 1.140.0, and the Go module proxy serves jsii-runtime-go v1.139.0 and v1.141.0+
// but not v1.140.0 (docs/languages.md, "Versions").
project.deps.removeDependency('jsii-pacmak');
project.addDevDeps('jsii-pacmak@1.139.0');

// npm ci on a fresh clone fails on unrs-resolver 1.13's missing optional bindings.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// The CRD fetch step: a local mirror first, else the pinned URL; the sha256 is always checked. Every task that
// reads the CRDs fetches them first, so each works on a fresh clone (test/ci/projen-tasks.test.ts): compile
// (scripts/compile-crds.js reads them), and through it example and bench; test, test:fuzz and import-crds.
const fetchCrds = project.addTask('fetch-crds', {
  description: 'Fetch the pinned upstream CRDs (mirror directory first, then the URL) and check their sha256',
  exec: 'node scripts/fetch-crds.js',
});
project.compileTask.prependSpawn(fetchCrds);
// ts-jest runs with isolatedModules, which hides type errors in tests: type-check them first.
const typecheckTests = project.addTask('typecheck:test', {
  description: 'Type-check the tests (ts-jest runs with isolatedModules and does not)',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.tsconfigDev.addExclude('languages/typescript/**');
// The compiled library keeps its inline source maps (stack traces of a bug name src/ lines) but not a copy of every
// source file inside them: the sources doubled lib/ and took the package over its 32 MiB budget (docs/development.md).
project.tsconfig?.file.addOverride('compilerOptions.inlineSources', false);
project.testTask.prependSpawn(typecheckTests);
project.testTask.prependSpawn(fetchCrds);
for (const name of ['test:update', 'test:watch']) project.tasks.tryFind(name)?.prependSpawn(fetchCrds);

// The pinned CRDs compiled for ManifestValidator (docs/performance.md): with lib/validation's compiler, right
// after jsii, so the compiled CRDs always match the compiled library. The package ships them instead of the YAML.
project.compileTask.exec('node scripts/compile-crds.js');

// The packages of every language, built by scripts/package-language.js (docs/languages.md): one jsii-pacmak run for
// js, python and java, a second for Go with the Go bindings of the pinned npm cdk8s (the Go module proxy here does
// not serve cdk8s-core-go); downloads cached outside the repository; a language whose package is built from the
// same assembly already is skipped. Every build packages every language, in CI too: there are no per-language
// release jobs, and the tests run the apps of test/languages on these packages, so `test` packages first (and the
// build's own `package` step then finds them up to date).
for (const language of ['js', 'python', 'java', 'go']) {
  project.tasks.tryFind(`package:${language}`)!.reset(`node scripts/package-language.js ${language}`);
}
const packageAll = project.tasks.tryFind('package-all')!;
packageAll.reset('node scripts/package-language.js js python java go');
// The packed package must stay small (docs/development.md, "Package size"): jsii bundles every runtime dependency.
for (const task of [project.tasks.tryFind('package:js')!, packageAll]) task.exec('node scripts/check-package-size.js');
project.packageTask.reset();
project.packageTask.spawn(packageAll);
project.testTask.prependSpawn(packageAll);

project.addTask('import-crds', {
  description: 'Regenerate src/imports from the pinned CRDs with cdk8s import',
  steps: [{ spawn: 'fetch-crds' }, { exec: 'node scripts/import-crds.js' }],
});

project.addTask('example', {
  description: 'Synthesize every stage of the built-in examples into dist/',
  steps: [{ spawn: 'compile' }, { exec: 'node bin/inference-migrate example --out dist --force' }],
});

// docs/development.md, "EPP replay": requests through the real Endpoint Pickers of GIE's releases (test/replay, a Go
// module), on the real control plane of test/cluster's toolchain; needs the compiled CLI for the plans it replays.
// The replay alone, on the compiled CLI: the last step of the e2e task (which the test task runs), so the README's
// test command (and .ci/run) runs it after the real-cluster tests, which write e2e-results.json first. The module's
// own unit tests (launch plans, the pod network, the model-server doubles, expectations) run first, in seconds.
const eppReplay = project.addTask('e2e:replay:run', {
  description: 'The EPP replay on the already compiled CLI (lib/), after the replay module\'s unit tests; see e2e:replay',
  cwd: 'test/replay',
  steps: [{ exec: 'go test -count=1 ./...' }, { exec: 'go run ./cmd/replay' }],
});
project.addTask('e2e:replay', {
  description: 'Replay requests through the real Endpoint Pickers before, during and after each migration (E2E_ALL=1: every release; E2E_INPUT=<dir>: one more input)',
  steps: [{ spawn: 'fetch-crds' }, { spawn: 'compile' }, { spawn: eppReplay.name }],
});
// docs/performance.md: every target printed as met or MISSED, the medians in bench-results.json.
project.addTask('bench', {
  description: 'Benchmark the library against plain cdk8s and a no-cdk8s floor, the CLI\'s plan and cold start (prints the targets)',
  steps: [{ spawn: 'compile' }, { exec: 'node bench/run.js' }],
});

project.addTask('test:fuzz', {
  description: 'Run the property-based tests with 5,000 runs per property',
  env: { FC_NUM_RUNS: '5000' },
  steps: [{ spawn: 'fetch-crds' }, { exec: 'jest --testMatch "<rootDir>/test/**/*.property.test.ts" --updateSnapshot=none' }],
});

// Mutation testing (docs/development.md, "Mutation testing"): StrykerJS on the modules where a bug breaks live
// traffic or loses files. Each mutant runs only the tests that covered it (perTest coverage, measured in the dry
// run, within jest's --findRelatedTests of the mutated file), mutants that do not type-check are dropped by the
// TypeScript checker before any test runs, and incremental mode reuses the last run's results for every mutant
// whose code and covering tests did not change (reports/mutation/<group>/incremental.json, git-ignored, so a run
// never changes a committed file). scripts/mutation.js runs the groups below one after the other and prints the
// score per module. Not part of `.ci/run` or the build: it takes too long for every change.
// The modules, in groups run one after the other (small and most at risk first), each with its own tests only: the
// module's tests and the suites that drive it end to end. Every mutant runs jest anew, and a test file's module-level
// and describe-level set-up runs each time whatever tests are selected, so a group lists the files that test the
// module, not every file that happens to reach it. `npx projen mutation <group> ...` runs some groups.
const MIGRATION_TESTS = ['test/migration/**/*.test.ts'];
const MUTATION_GROUPS: { [group: string]: { mutate: string[]; tests: string[] } } = {
  'field-changes': {
    mutate: ['src/migration/field-changes.ts'],
    tests: ['test/migration/field-changes.test.ts'],
  },
  'promotion': {
    mutate: ['src/migration/promotion.ts'],
    tests: ['test/migration/promotion.test.ts'],
  },
  'epp-and-platform': {
    mutate: ['src/discover/custom-epp.ts', 'src/discover/platform-detection.ts'],
    tests: ['test/discover/custom-epp.test.ts', 'test/discover/platform-detection.test.ts', 'test/discover/inference-planner.test.ts'],
  },
  'output': {
    mutate: ['src/output/**/*.ts'],
    tests: ['test/output/**/*.test.ts', 'test/migration/gitops-writer.test.ts'],
  },
  'gitops-writer': {
    mutate: ['src/migration/gitops-writer.ts'],
    tests: MIGRATION_TESTS,
  },
  'redact-and-cel': {
    mutate: ['src/validation/redact.ts', 'src/validation/cel.ts'],
    tests: ['test/validation/**/*.test.ts', 'test/migration/field-changes.test.ts', 'test/core/carried-text.test.ts'],
  },
  'gateway-capabilities': {
    // Which strategy works on which gateway: its own tests, the migration's refusals, and the planner's choice.
    mutate: ['src/migration/gateway-capabilities.ts'],
    tests: ['test/migration/gateway-capabilities.test.ts', 'test/migration/zero-downtime-migration.test.ts', 'test/discover/inference-planner.test.ts'],
  },
  'zero-downtime': {
    mutate: ['src/migration/zero-downtime-migration.ts'],
    tests: MIGRATION_TESTS,
  },
  'convert-inference': {
    // The alpha kinds are read by the planner (test/discover) and the pool references rewritten by the migration's
    // objects (test/migration): their tests are there, not in test/convert.
    mutate: ['src/convert/**/*.ts', '!src/convert/llamastack*.ts'],
    tests: ['test/convert/**/*.test.ts', 'test/inference/**/*.test.ts', ...MIGRATION_TESTS, 'test/discover/alpha-scan.test.ts', 'test/discover/inference-planner.test.ts'],
  },
  'planner': {
    // inference-planner.ts and its phase files (its module comment lists them) but platform-choice.ts, which has its
    // own group; planner-types.ts holds types only.
    mutate: [
      'src/discover/inference-planner.ts', 'src/discover/located-objects.ts', 'src/discover/pool-attribution.ts',
      'src/discover/endpoint-picker-parts.ts', 'src/discover/pool-migration.ts',
      'src/discover/ga-endpoint-picker.ts', 'src/discover/handover-steps.ts',
    ],
    tests: ['test/discover/**/*.test.ts'],
  },
  'platform-choice': {
    // The planner's gateway, provider and strategy choice (the parallel Gateway it copies).
    mutate: ['src/discover/platform-choice.ts'],
    tests: ['test/discover/platform-choice.test.ts', 'test/discover/inference-planner.test.ts', 'test/discover/platform-detection.test.ts', 'test/discover/library-api.test.ts'],
  },
  'convert-llamastack': {
    mutate: ['src/convert/llamastack*.ts'],
    tests: ['test/convert/llamastack*.test.ts', 'test/llamastack/**/*.test.ts'],
  },
};
// Stryker warns about every option it does not know, projen's "//" marker among them: a `_comment` key instead.
const GENERATED = 'Generated by projen from .projenrc.ts: edit it there and run "npx projen".';
new JsonFile(project, 'stryker.config.json', {
  marker: false,
  obj: {
    _comment: GENERATED,
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    // StrykerJS's jest runner, but a mutant's jest run loads only the test files that hold its covering tests, the
    // cheapest first (scripts/stryker-jest-files.mjs): not every test file of the group that imports the mutated file.
    plugins: ['@stryker-mutator/jest-runner', '@stryker-mutator/typescript-checker', './scripts/stryker-jest-files.mjs'],
    testRunner: 'jest-files',
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.json',
    coverageAnalysis: 'perTest',
    incremental: true,
    incrementalFile: 'reports/mutation/stryker-incremental.json',
    mutate: Object.values(MUTATION_GROUPS).flatMap((g) => g.mutate),
    // The machine is shared (2 cores): two test runners at most (`npx projen mutation --concurrency 1` for one).
    concurrency: 2,
    // A static mutant runs while a test file loads, not in a test: a table, a regex or a constant of a module, or any
    // code a test file's describe-level set-up runs. Coverage per test cannot trace it (Stryker credits it to the
    // first test that happens to run it, or to none), so it runs without a test filter: every test of the mutated
    // module's own test files (scripts/stryker-jest-files.mjs). Left out, the gateway table and the regexes that
    // redact secrets would never be mutated, and a mutant that only the file's later tests kill would pass for a
    // survivor.
    ignoreStatic: false,
    // A mutant's run loads its test files, whose describe-level set-up (rendering a whole migration) is not in the
    // covering tests' time, and a busy machine slows that down several times: with 10 s beyond 1.5 times the tests'
    // time, the GitOps writer's run of 2026-12-07 counted 163 of its 432 mutants as timed out, that is killed; of 5
    // taken at random none looped (3 failed a test of its own test file within 11 s, 2 passed it). 60 s: a mutant
    // that loops forever still times out.
    timeoutMS: 60_000,
    // The dry run (every test of the group once, with coverage per test) takes minutes on a busy machine.
    dryRunTimeoutMinutes: 30,
    thresholds: { high: 90, low: 85, break: 85 },
    // Not needed in the sandbox: build output, reports, and the compiled library (the tests that run lib/ are left out).
    ignorePatterns: ['/lib', '/build', '/dist', '/coverage', '/test-reports', '/reports', '/bench-results.json', '*.cpuprofile', '*.heapprofile'],
    jest: {
      projectType: 'custom',
      enableFindRelatedTests: true,
      config: {
        // These run the compiled CLI or library (lib/) in a child process, which holds no mutant, or pack the
        // package: they cannot kill a mutant of src/, and in the sandbox lib/ is older than the mutated src/.
        testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cli/', '<rootDir>/test/consumer/', '<rootDir>/test/output/crash\\.test\\.ts$'],
      },
    },
    reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/mutation.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  },
});
new JsonFile(project, 'scripts/mutation-groups.json', { marker: false, obj: { _comment: GENERATED, groups: MUTATION_GROUPS } });
project.addTask('mutation', {
  description: 'Mutation testing with StrykerJS on the modules where a bug breaks traffic or loses files, group by group, incremental (docs/development.md)',
  steps: [
    { spawn: 'fetch-crds' },
    // The tests validate with imports/compiled, which compile makes.
    { spawn: 'compile' },
    { exec: 'node scripts/mutation.js', receiveArgs: true },
  ],
});

// The real-cluster tests (test/cluster, a Go module; docs/development.md, "Real-cluster tests"): real etcd,
// kube-apiserver, kube-controller-manager, kubectl and helm built from pinned Go modules into a cache outside the
// repository, every stage applied as Flux applies it. The test task (so `npx projen build`) runs them after jest
// and eslint (the build task is locked for changes); E2E_INPUT=<dir> runs them on any folder of manifests.
const e2e = project.addTask('e2e', {
  description: 'Real-cluster tests: build the pinned components when missing, then go test in test/cluster (writes e2e-results.json)',
  steps: [{ spawn: 'fetch-crds' }, { exec: 'node scripts/e2e.js' }],
});
e2e.spawn(eppReplay);
project.testTask.spawn(e2e);

// jsii-pacmak appends its outdir when missing: keep it here so a build never changes .npmignore.
project.npmignore?.addPatterns('# Exclude jsii outdir', 'build');
project.npmignore?.exclude('/bench/', '/bench-results.json', '/imports/charts/', '/e2e-results.json', '/scripts/', '/dist/', '/build/', '/test/', '/.ci/', '*.cpuprofile', '*.heapprofile',
  '/stryker.config.json', '/.stryker-tmp/', '/reports/', '/stryker.log', '/tsconfig.mutation.json');
project.npmignore?.include('/imports/crds.lock.json', '/imports/crds/', '/imports/compiled/');
// The CRD files themselves are read at build time only (the package validates with imports/compiled).
project.npmignore?.exclude('/imports/crds/**/*.yaml');

project.synth();
