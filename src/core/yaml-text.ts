/**
 * The text of YAML documents as users wrote them: each document's own text, and the one-line change a
 * carried object may need (its namespace). Pure.
 */
import { Composer, CST, isMap, isScalar, Parser, parseDocument, stringify } from 'yaml';
import { KUBERNETES_YAML } from './kubernetes-yaml';
import { sameJson } from './manifest-objects';

/** YAML 1.1 as Kubernetes reads it, with timestamps kept as the strings they are in the text. */
export function manifestComposer(): Composer {
  return new Composer(KUBERNETES_YAML);
}

/**
 * The text of each document of `text` (whose parser tokens are `tokens`), in order: from the end of the
 * previous document (comments before it included) to its end (its `...` marker included).
 */
export function documentTexts(text: string, tokens: CST.Token[]): string[] {
  // The parser's tokens cover the text without gaps: a document ends where the token after it (or after
  // its `...` marker) starts. No recursion into the tokens: the depth of a document is not known here.
  const texts: string[] = [];
  let start = 0;
  tokens.forEach((token, i) => {
    if (token.type !== 'document') return;
    const after = tokens[i + 1]?.type === 'doc-end' ? i + 2 : i + 1;
    const end = tokens[after]?.offset ?? text.length;
    texts.push(text.slice(start, end));
    start = end;
  });
  return texts;
}

/**
 * `text` with `namespace: <namespace>` as a line of its own right after the `name:` line of a block-style
 * `metadata` map, indented as `name`; undefined when the text has no such line, or when the result would
 * not read back as exactly `expected`.
 */
export function withNamespaceLine(text: string, namespace: string, expected: unknown): string | undefined {
  const doc = parseDocument(text, KUBERNETES_YAML);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const metadata = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'metadata')?.value;
  if (!isMap(metadata) || metadata.flow) return undefined;
  const name = metadata.items.find((p) => isScalar(p.key) && p.key.value === 'name');
  if (!name || !isScalar(name.key) || !isScalar(name.value) || !name.key.range || !name.value.range) return undefined;
  const keyStart = name.key.range[0];
  const indent = text.slice(text.lastIndexOf('\n', keyStart - 1) + 1, keyStart);
  if (!/^[ ]*$/.test(indent)) return undefined;
  const lineEnd = text.indexOf('\n', name.value.range[1]);
  const at = lineEnd < 0 ? text.length : (text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
  const eol = text[lineEnd - 1] === '\r' ? '\r\n' : '\n';
  const value = stringify(namespace, KUBERNETES_YAML).trimEnd();
  const out = `${text.slice(0, at)}${eol}${indent}namespace: ${value}${text.slice(at)}`;
  const back = [...manifestComposer().compose(new Parser().parse(out))];
  if (back.length !== 1 || back[0].errors.length > 0 || !sameJson(back[0].toJS(), expected)) return undefined;
  return out;
}
