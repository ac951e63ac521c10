/**
 * `${VAR}` placeholders in an object: the mark of a manifest meant for `envsubst` or Flux's post-build
 * substitution (`spec.postBuild.substitute`, which also knows `${VAR:=default}` and `${VAR:-default}`), not yet
 * what the cluster will hold. Kubernetes itself expands only `$(VAR)`, and only in a container's command, args and
 * env, so a `${VAR}` the API server stores stays literal (a pool named `${POOL_NAME}` is refused by name rules, an
 * image tag `${EPP_TAG}` fails to pull). Shell text is data, not a placeholder: multi-line strings, a command or
 * argument with spaces (`sh -c "echo ${HOME}"`), and ConfigMap/Secret data. `$${VAR}` is Flux's escape for a
 * literal `${VAR}`. Pure.
 */

/** `${NAME}`, `${NAME:=default}`, `${NAME:-default}` (envsubst and Flux's drone/envsubst syntax), not `$${NAME}`. */
const PLACEHOLDER = /(?<!\$)\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[=-][^}]*)?\}/;

/** Where a placeholder was found: the field's path and the placeholder. */
export interface VariablePlaceholder {
  readonly field: string;
  readonly placeholder: string;
}

const DATA_FIELDS = new Set(['data', 'stringData', 'binaryData']);
const SHELL_FIELDS = new Set(['command', 'args']);

/** The first `${VAR}` placeholder of an object's string values (keys too), in document order, or undefined. */
export function findVariablePlaceholder(value: any): VariablePlaceholder | undefined {
  const dataKind = value?.kind === 'ConfigMap' || value?.kind === 'Secret';
  return walk(value, '', { dataKind, inShell: false });
}

interface WalkState {
  readonly dataKind: boolean;
  readonly inShell: boolean;
}

function walk(value: any, field: string, state: WalkState): VariablePlaceholder | undefined {
  if (typeof value === 'string') return placeholderIn(value, field, state.inShell);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = walk(item, `${field}[${i}]`, state);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const path = field === '' ? key : `${field}.${key}`;
    if (field === '' && state.dataKind && DATA_FIELDS.has(key)) continue;
    const keyFound = placeholderIn(key, path, false);
    if (keyFound) return keyFound;
    const found = walk(item, path, { ...state, inShell: state.inShell || SHELL_FIELDS.has(key) });
    if (found) return found;
  }
  return undefined;
}

function placeholderIn(text: string, field: string, inShell: boolean): VariablePlaceholder | undefined {
  if (text.includes('\n') || (inShell && /\s/.test(text.trim()))) return undefined;
  const m = PLACEHOLDER.exec(text);
  return m ? { field, placeholder: m[0] } : undefined;
}

/** The skip reason of a document with a placeholder, as scan and plan print it. */
export function placeholderReason(found: VariablePlaceholder): string {
  return `template (${found.placeholder} in ${found.field}), not yaml until rendered: render it (envsubst, or the Flux Kustomization's postBuild substitution) and read the output`;
}
