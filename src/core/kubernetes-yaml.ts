/**
 * YAML as Kubernetes reads it. The API server, kubectl, Argo CD and Flux turn YAML into JSON with
 * sigs.k8s.io/yaml (`YAMLToJSON`), which decodes with go-yaml v2 (go.yaml.in/yaml/v2 v2.4.2 under
 * sigs.k8s.io/yaml v1.6.0; the same rules as gopkg.in/yaml.v2 v2.4.0). Its `resolve.go` decides what
 * an unquoted scalar is, and it differs from YAML 1.1 and from the `yaml` package's schemas:
 *
 * - `_` is removed, then `strconv.ParseInt(s, 0, 64)` (or ParseUint) decides integers: `0o12`, `012`,
 *   `0b1010`, `0x_1F` and `1_000` are integers; `08` is not, and becomes the float 8.
 * - floats match `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` after the same removal, and
 *   must be finite: `1e400` stays a string; `.inf` and `.nan` are floats JSON cannot hold (an error).
 * - `y`, `yes`, `on` (and `n`, `no`, `off`) in three spellings each are booleans; `~`, `null` and the
 *   empty scalar are null.
 * - timestamps (`2024-01-01`) stay strings when decoded into an interface, as YAMLToJSON does.
 * - map keys become strings: integers in decimal, floats as Go's `FormatFloat(f, 'g', -1, 32)`,
 *   booleans as `true`/`false`; a null key is an error.
 *
 * test/fixtures/yaml-scalars.json holds the cases with the JSON value sigs.k8s.io/yaml gives; the
 * real-cluster tests run the same rows through sigs.k8s.io/yaml itself. Pure: no file system.
 */
import { CollectionTag, Document, isScalar, Scalar, ScalarTag, Tags, visit } from 'yaml';

/** What go-yaml v2 makes of an unquoted scalar. */
export type GoScalar =
  | { readonly kind: 'null'; readonly value: null }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: number; readonly exact: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string };

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: { readonly [s: string]: number } = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
/** The first characters for which go-yaml looks further (resolveTable); any other makes a string. */
const HINTED = /^[-+0-9yYnNtTfFoO~.]/;
/** Go's strconv syntax of integers in base 0 (underscores removed already). */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
/** resolve.go's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat accepts of a scalar that starts with `.` (Go's float syntax: `_` only between digits). */
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** What go-yaml v2's `resolve` makes of the unquoted scalar `s` (resolve.go at v2.4.0). */
export function goScalar(s: string): GoScalar {
  if (!HINTED.test(s)) return NULL.has(s) ? { kind: 'null', value: null } : { kind: 'str', value: s };
  if (NULL.has(s)) return { kind: 'null', value: null };
  if (TRUE.has(s)) return { kind: 'bool', value: true };
  if (FALSE.has(s)) return { kind: 'bool', value: false };
  if (s in SPECIAL_FLOATS) return { kind: 'float', value: SPECIAL_FLOATS[s] };
  if (s.startsWith('.')) return DOT_FLOAT.test(s) ? finiteFloat(s.replace(/_/g, ''), s) : { kind: 'str', value: s };
  if (!/^[-+0-9]/.test(s)) return { kind: 'str', value: s };
  // Timestamps would come here first: decoded into an interface, they stay the string they are.
  const plain = s.replace(/_/g, '');
  const int = goInt(plain);
  if (int !== undefined) return { kind: 'int', value: Number(int), exact: int };
  if (YAML_STYLE_FLOAT.test(plain)) return finiteFloat(plain, s);
  return { kind: 'str', value: s };
}

/** The integer ParseInt or ParseUint (base 0, 64 bits) reads from `plain`, or undefined. */
function goInt(plain: string): bigint | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const digits = m[2];
  let magnitude: bigint;
  if (/^0[xXbBoO]/.test(digits)) magnitude = BigInt(`0${digits[1].toLowerCase()}${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith('0')) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  const value = m[1] === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  // ParseUint takes no sign.
  return m[1] === '' && value <= UINT64_MAX ? value : undefined;
}

/** The float ParseFloat reads from `text`; a string (`original`) when it overflows, as ParseFloat then fails. */
function finiteFloat(text: string, original = text): GoScalar {
  const value = Number(text);
  return Number.isFinite(value) ? { kind: 'float', value } : { kind: 'str', value: original };
}

/** A scalar tag of the schema whose plain-scalar test is go-yaml's resolution; it writes as `writer` does. */
function goTag(kind: GoScalar['kind'], tag: string, identify: (v: unknown) => boolean, writer: ScalarTag | undefined): ScalarTag {
  return {
    tag,
    default: true,
    identify,
    // The yaml package calls only `test.test(string)`: an object with that method stands in for a RegExp.
    test: { test: (s: string) => goScalar(s).kind === kind } as unknown as RegExp,
    resolve: (s: string, onError: (message: string) => void) => {
      const read = goScalar(s);
      if (read.kind === kind) return read.value;
      // An explicit tag (`!!int abc`) that go-yaml cannot decode either.
      onError(`cannot decode ${JSON.stringify(s)} as ${tag.replace('tag:yaml.org,2002:', '!!')}`);
      return s;
    },
    ...(writer?.stringify ? { stringify: writer.stringify } : {}),
  };
}

/** The scalar tags of YAML 1.1 that go-yaml resolves otherwise (or not at all): replaced or left out. */
const REPLACED = /^tag:yaml\.org,2002:(null|bool|int|float|timestamp|binary)$/;

/**
 * The `customTags` option of the `yaml` package (with `version: '1.1'`) that reads and writes scalars
 * as sigs.k8s.io/yaml does: collections, strings, merge keys and the 1.1 collection types stay; null,
 * bool, int and float follow goScalar; timestamps stay strings.
 */
export function kubernetesTags(tags: Tags): Tags {
  const objects = tags.filter((t): t is ScalarTag | CollectionTag => typeof t !== 'string');
  // Values are written as YAML 1.1 writes them (decimal integers, `true`, `null`); only reading changes.
  const writer = (name: string) => objects.find((t): t is ScalarTag => t.tag === `tag:yaml.org,2002:${name}` && !t.format && 'stringify' in t && !!t.stringify);
  return [
    goTag('null', 'tag:yaml.org,2002:null', (v) => v === null || v === undefined, writer('null')),
    goTag('bool', 'tag:yaml.org,2002:bool', (v) => typeof v === 'boolean', writer('bool')),
    goTag('int', 'tag:yaml.org,2002:int', (v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)), writer('int')),
    goTag('float', 'tag:yaml.org,2002:float', (v) => typeof v === 'number', writer('float')),
    ...objects.filter((t) => !REPLACED.test(t.tag)),
  ];
}

/** Options of the `yaml` package (Composer, parseDocument, stringify) that read and write YAML as Kubernetes does. */
export const KUBERNETES_YAML = { version: '1.1', customTags: kubernetesTags, merge: true } as const;

/** A problem of a document that YAMLToJSON refuses, with the offset of the node. */
export interface YamlJsonProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * Makes a composed document what YAMLToJSON gives: every scalar map key becomes the string
 * sigs.k8s.io/yaml makes of it (`0x10` -> `16`, `yes` -> `true`, `1.5` -> `1.5`). Returns what JSON
 * cannot hold: a null key, `.inf` or `.nan` as a value.
 */
export function toKubernetesJsonKeys(doc: Document): YamlJsonProblem[] {
  const problems: YamlJsonProblem[] = [];
  visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key)) return;
      const key = pair.key as Scalar;
      const offset = key.range?.[0] ?? 0;
      if (key.value === null || key.value === undefined) {
        problems.push({ offset, message: 'a map key that is null (~, null or empty): JSON keys are strings; quote it' });
      } else if (typeof key.value === 'number' || typeof key.value === 'bigint' || typeof key.value === 'boolean') {
        key.value = goKeyString(key);
      }
    },
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'number' || Number.isFinite(node.value)) return;
      problems.push({ offset: node.range?.[0] ?? 0, message: `${node.source ?? String(node.value)} is not a number JSON can hold: the API server and kubectl refuse it; quote it to keep the text` });
    },
  });
  return problems;
}

/** The string sigs.k8s.io/yaml makes of a non-string map key (yaml.go, convertToJSONableObject). */
function goKeyString(key: Scalar): string {
  const v = key.value;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const read = typeof key.source === 'string' && key.type === 'PLAIN' ? goScalar(key.source) : undefined;
  if (read?.kind === 'int') return read.exact.toString();
  if (typeof v === 'bigint') return v.toString();
  return formatFloat32(v as number);
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 32)`, with `.inf`, `-.inf` and `.nan` as go-yaml writes them. */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const single = Math.fround(f);
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  // The shortest decimal that reads back as the same float32.
  let digits = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const [mantissa, exp] = single.toExponential(precision - 1).split('e');
    if (Math.fround(Number(`${mantissa}e${exp}`)) === single) {
      digits = mantissa.replace('-', '').replace('.', '');
      exponent = Number(exp);
      break;
    }
  }
  const sign = single < 0 ? '-' : '';
  // %e when the exponent is below -4 or at least 6 (the precision Go's 'g' decides with for the shortest form).
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.padEnd(exponent + 1, '0');
  return `${sign}${whole.slice(0, exponent + 1)}${whole.length > exponent + 1 ? `.${whole.slice(exponent + 1)}` : ''}`;
}
