import * as path from 'path';
import { ESLint, loadESLint } from 'eslint';

// The house rules of .projenrc.ts (which folder of src/ may import what) are lint errors, so they fail the
// build. Each test lints a probe file that does not exist on disk, placed in a folder of src/, with the
// project's own .eslintrc.json; only the house rules run (the others need type information for a real file).
const root = path.resolve(__dirname, '..', '..');
const HOUSE_RULES = ['import/no-restricted-paths', 'no-restricted-imports', '@typescript-eslint/no-restricted-imports'];

let eslint: Pick<ESLint, 'lintText'>;

beforeAll(async () => {
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  // Every rule the project's config sets for a file of any folder is turned off, except the house rules.
  const probe = new LegacyESLint({ cwd: root });
  const ruleNames = new Set<string>();
  for (const folder of ['core', 'convert', 'inference', 'migration', 'output', 'cli']) {
    const config = await probe.calculateConfigForFile(path.join(root, 'src', folder, 'house-probe.ts'));
    Object.keys(config.rules ?? {}).forEach((r) => ruleNames.add(r));
  }
  const off = Object.fromEntries([...ruleNames].filter((r) => !HOUSE_RULES.includes(r)).map((r) => [r, 'off' as const]));
  eslint = new LegacyESLint({
    cwd: root,
    overrideConfig: { parserOptions: { projectService: false, project: null }, rules: off },
  });
});

/** The house-rule errors of `code` as the file `file` (relative to the project root), one line each. */
async function houseErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('src/convert: pure data transforms', () => {
  test.each([
    ["import { Duration } from 'cdk8s';", /^@typescript-eslint\/no-restricted-imports: 'cdk8s' import is restricted.*src\/convert holds pure data transforms/],
    ["import type { IConstruct } from 'constructs';", /^@typescript-eslint\/no-restricted-imports: 'constructs' import is restricted/],
    ["import { Deployment } from 'cdk8s-plus-28';", /^@typescript-eslint\/no-restricted-imports: 'cdk8s-plus-28' import is restricted.*no cdk8s-plus/],
    ["import * as fs from 'fs';", /^no-restricted-imports: 'fs' import is restricted.*only src\/output writes to the file system/],
    ["import { readFile } from 'node:fs/promises';", /^no-restricted-imports: 'node:fs\/promises' import is restricted/],
    ["import { ALPHA_GROUP } from '../inference/api';", /^import\/no-restricted-paths: .*"\.\.\/inference\/api".*imports only src\/core, src\/convert and the pure helpers/],
    ["import { MigrationStage } from '../migration/migration-stage';", /^import\/no-restricted-paths: .*"\.\.\/migration\/migration-stage"/],
    ["import { ManifestValidator } from '../validation/manifest-validator';", /^import\/no-restricted-paths: .*"\.\.\/validation\/manifest-validator"/],
    ["import { resolveNamespace } from '../core/namespace';", /^import\/no-restricted-paths: .*"\.\.\/core\/namespace".*adapts cdk8s objects/],
  ])('given `%s` in src/convert, then lint fails', async (line, error) => {
    // Given a converter file with the forbidden import; When it is linted
    const errors = await houseErrors('src/convert/house-probe.ts', `${line}\n`);
    // Then exactly that import is reported
    expect(errors).toEqual([expect.stringMatching(error)]);
  });

  test('given imports of the pure parts of src/core, of src/convert and of the shared pure helpers, then lint passes', async () => {
    const code = [
      "import { parseGatewayDurationMillis } from '../core/gateway-duration';",
      "import { isPlainObject } from '../core/json';",
      "import { joinIndex } from '../validation/paths';",
      "import { showField } from '../validation/redact';",
      "import { LLSD_KIND } from './llamastack-api';",
      '',
    ].join('\n');
    expect(await houseErrors('src/convert/house-probe.ts', code)).toEqual([]);
  });
});

describe('the pure helpers of src/validation that src/convert shares', () => {
  test.each([
    ["import { ManifestValidator } from './manifest-validator';", /^import\/no-restricted-paths: .*shared with src\/convert/],
    ["import * as fs from 'fs';", /^no-restricted-imports: 'fs' import is restricted.*shared with src\/convert: no file system/],
    ["import { Duration } from 'cdk8s';", /^@typescript-eslint\/no-restricted-imports: 'cdk8s' import is restricted/],
  ])('given `%s` in src/validation/redact.ts, then lint fails', async (line, error) => {
    expect(await houseErrors('src/validation/redact.ts', `${line}\n`)).toEqual([expect.stringMatching(error)]);
  });
});

describe('src/core: the ground floor', () => {
  test('given a cdk8s value import, then lint fails; a type import passes', async () => {
    expect(await houseErrors('src/core/house-probe.ts', "import { Chart } from 'cdk8s';\n"))
      .toEqual([expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: 'cdk8s' import is restricted.*src\/core is pure/)]);
    expect(await houseErrors('src/core/house-probe.ts', "import type { Duration } from 'cdk8s';\n")).toEqual([]);
  });

  test('given an import of another folder of src, then lint fails', async () => {
    expect(await houseErrors('src/core/house-probe.ts', "import { ALPHA_GROUP } from '../inference/api';\n"))
      .toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*src\/core is the ground floor/)]);
  });
});

describe('src/inference never imports src/migration', () => {
  test('given an import of src/migration in src/inference, then lint fails', async () => {
    expect(await houseErrors('src/inference/house-probe.ts', "import { MigrationStage } from '../migration/migration-stage';\n"))
      .toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*src\/inference never imports src\/migration/)]);
  });

  test('given an import of src/inference in src/migration, then lint passes', async () => {
    expect(await houseErrors('src/migration/house-probe.ts', "import { InferencePoolGa } from '../inference/inference-pool-ga';\n")).toEqual([]);
  });
});

describe('nothing imports src/cli but the bin entry', () => {
  test.each([
    ['src/index.ts', "import { main } from './cli/main';\n"],
    ['src/migration/house-probe.ts', "import { EXIT } from '../cli/context';\n"],
    ['src/discover/house-probe.ts', "import { load } from '../cli/lazy';\n"],
  ])('given %s importing src/cli, then lint fails', async (file, code) => {
    expect(await houseErrors(file, code)).toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*library code never imports it/)]);
  });

  test('given a file of src/cli importing another, then lint passes', async () => {
    expect(await houseErrors('src/cli/house-probe.ts', "import { EXIT } from './context';\n")).toEqual([]);
  });
});

describe('only src/output writes to the file system', () => {
  test.each(['src/kserve', 'src/llamastack', 'src/inference', 'src/migration', 'src/cli', 'src/core'])(
    'given fs imported in %s, then lint fails', async (folder) => {
      expect(await houseErrors(`${folder}/house-probe.ts`, "import { writeFileSync } from 'node:fs';\n"))
        .toEqual([expect.stringMatching(/^no-restricted-imports: 'node:fs' import is restricted/)]);
    });

  test.each(['src/output', 'src/discover', 'src/validation'])('given fs imported in %s, then lint passes', async (folder) => {
    expect(await houseErrors(`${folder}/house-probe.ts`, "import * as fs from 'fs';\n")).toEqual([]);
  });
});

