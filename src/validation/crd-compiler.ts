// Build time: compiles the pinned CRDs (imports/crds.lock.json, fetched into imports/crds) into imports/compiled,
// the form crd-store.ts reads at run time. Run by scripts/compile-crds.js after every compile; never at run time.
//
// Each CRD version becomes one gzipped JSON file, named by a hash of its content (versions with the same schema, in
// one CRD or in two bundles, share it): the openAPIV3Schema without its descriptions, from which the structural
// schema is built at run time exactly as from the full one, and the code ajv's standaloneCode writes for
// rootJsonSchema of it, the validator compileRootValidator would generate at run time. index.json lists each file's
// group, kind, scope and versions, and the sha256 of the YAML it was compiled from.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { COMPILED_FORMAT, CompiledFile, CompiledIndex, CompiledVersionFile, crdDocumentHeader, crdDocumentVersions, loadCrd } from './crd-store';
import { loadModule } from './lazy';
import { newAjv, rootJsonSchema } from './openapi';
import { LockEntry } from './package-files';
import { isPlainObject } from './paths';

const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'];

/**
 * A copy of a Kubernetes OpenAPI v3 schema without the `description` of any schema node (a property that is named
 * `description` stays). Nothing the validator reads is in a description: the structural schema, the draft-07 schema
 * and the CEL rules of the copy are those of the original.
 */
export function compactSchema(schema: unknown): unknown {
  if (!isPlainObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (key === 'properties' && isPlainObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, compactSchema(sub)]));
    } else if ((key === 'additionalProperties' || key === 'items' || key === 'not') && isPlainObject(value)) {
      out[key] = compactSchema(value);
    } else if (key === 'items' && Array.isArray(value)) {
      out[key] = value.map(compactSchema);
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(compactSchema);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** One version compiled: the compact schema and the standalone code of its validator. */
export function compileCrdVersion(openApiSchema: unknown): CompiledVersionFile {
  const schema = compactSchema(openApiSchema);
  // A fresh ajv instance per version, so the generated names (validate10, schema3, ...) do not depend on what was
  // compiled before: the same CRD always gives the same bytes.
  const ajv = newAjv(true);
  const validate = ajv.compile(rootJsonSchema(schema));
  const standaloneCode = loadModule('ajv/dist/standalone').default;
  return { schema, validator: standaloneCode(ajv, validate) };
}

/** What compileCrds wrote. */
export interface CompileSummary {
  readonly files: number;
  readonly versions: number;
  /** Distinct compiled versions (files besides index.json). */
  readonly compiledFiles: number;
  readonly bytes: number;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Compiles every CRD file of `entries` (read from `crdDir`) into `outDir`, which is emptied first. `fingerprint`
 * is recorded in index.json (scripts/compile-crds.js skips the work when it has not changed).
 */
export function compileCrds(entries: readonly LockEntry[], crdDir: string, outDir: string, fingerprint = ''): CompileSummary {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const files: Record<string, CompiledFile> = {};
  const written = new Set<string>();
  let bytes = 0;
  let versions = 0;
  for (const entry of entries) {
    const absolute = path.join(crdDir, entry.file);
    const text = fs.readFileSync(absolute);
    if (sha256(text) !== entry.sha256) {
      throw new Error(`crd file ${absolute} does not have the sha256 pinned in imports/crds.lock.json: run \`npx projen fetch-crds\``);
    }
    const crd = loadCrd(absolute);
    const header = crdDocumentHeader(crd);
    if (!header) throw new Error(`crd file ${absolute} has no spec.group or spec.names.kind`);
    const compiledVersions = crdDocumentVersions(crd).map(({ name, served, schema }) => {
      versions++;
      const content = JSON.stringify(compileCrdVersion(schema));
      const compiled = `${sha256(content).slice(0, 16)}.json.gz`;
      if (!written.has(compiled)) {
        const gz = gzipSync(content, { level: 9 });
        fs.writeFileSync(path.join(outDir, compiled), gz);
        written.add(compiled);
        bytes += gz.length;
      }
      return { name, served, compiled };
    });
    files[entry.file] = { sha256: entry.sha256, ...header, versions: compiledVersions };
  }
  const index: CompiledIndex & { '//': string; 'fingerprint': string } = {
    '//': 'Generated by scripts/compile-crds.js from imports/crds.lock.json and the files in imports/crds; do not edit.',
    'format': COMPILED_FORMAT,
    'fingerprint': fingerprint,
    'files': files,
  };
  const indexText = `${JSON.stringify(index, null, 1)}\n`;
  fs.writeFileSync(path.join(outDir, 'index.json'), indexText);
  bytes += indexText.length;
  return { files: entries.length, versions, compiledFiles: written.size, bytes };
}
