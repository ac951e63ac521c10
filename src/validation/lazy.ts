// Heavy dependencies (ajv, the CEL engine, the YAML parser and the kubernetes-models validators) are loaded on
// first use, so that importing the library (which re-exports this module) stays cheap for code that never validates.
import type * as CelModule from '@bufbuild/cel';
import type * as CelExtModule from '@bufbuild/cel/ext';
import type * as AjvModule from 'ajv';
import type * as YamlModule from 'yaml';

/** Loads a module by id at run time; the only place this module calls `require`. */
export function loadModule(id: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load by computed id
  return require(id);
}

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

/** The ajv package (default export is the Ajv class). */
export const ajvModule = once(() => loadModule('ajv') as typeof AjvModule);

/** The @bufbuild/cel package. */
export const celModule = once(() => loadModule('@bufbuild/cel') as typeof CelModule);

/** The @bufbuild/cel extension functions (strings library). */
export const celExtModule = once(() => loadModule('@bufbuild/cel/ext') as typeof CelExtModule);

/** The yaml package. */
export const yamlModule = once(() => loadModule('yaml') as typeof YamlModule);
