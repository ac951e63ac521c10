/**
 * What reading manifests yields: objects with their file and line, skipped documents with the reason,
 * and problems, each placed at a file and line. Pure.
 */
import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, Node } from 'yaml';
import { UserError } from '../core/errors';

/** Where a document or object starts. */
export interface SourceLocation {
  /** Path relative to the directory that was read, with `/` separators. */
  readonly file: string;
  /** 1-based line of the document's (or list item's) first content line; 0 when not known. */
  readonly line: number;
}

/** A Kubernetes object read from the directory. */
export interface SourceObject extends SourceLocation {
  /** The object as plain JSON. */
  readonly object: any;
  /**
   * Namespace a kustomization.yaml next to (or above) the file sets for it (`namespace:` of a
   * kustomization that lists the file under `resources`), used when the object has none.
   */
  readonly namespaceHint?: string;
  /** The YAML node of the object, to find the line of a field. */
  readonly node?: Node;
  /** Line counter of the file, to turn node offsets into lines. */
  readonly lines?: LineCounter;
  /** True when the file is in a directory this tool (or the library's GitOpsWriter) wrote. */
  readonly generated?: boolean;
  /**
   * The text of the object's YAML document (comments before it included), for carrying it byte for byte;
   * none for an item of a list document or an object that was not read from YAML.
   */
  readonly text?: string;
  /**
   * Permission bits of the file the object was read from (for carried objects that hold secrets, which
   * are written with the same bits); none for standard input and objects not read from a file.
   */
  readonly fileMode?: number;
}

/** A document (or file, or directory) that is not read as a Kubernetes object, and why. */
export interface SkippedDocument {
  /** Path relative to the directory that was read, with `/` separators (a directory ends with `/`). */
  readonly file: string;
  /** 1-based line, or 0 for a whole file or directory. */
  readonly line: number;
  /** Why it was skipped, lower-case. */
  readonly reason: string;
  /**
   * True when the user must hear of it even without --verbose: something that looks like input but
   * cannot be read as such (a symbolic link, a template, a Helm chart, a special file). Routine skips
   * (kustomizations, values files, tool configuration, hidden directories) are listed only on request.
   */
  readonly notable?: boolean;
  /** For a Helm chart template: the lines that name the alpha API group (the template holds alpha objects or references). */
  readonly alphaLines?: number[];
}

/** One problem in the input, with its place. */
export interface InputProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Bad input: one or more problems, each `file:line: message` (file as displayed). */
export class InputError extends UserError {
  public readonly problems: InputProblem[];
  public constructor(problems: InputProblem[], displayRoot: string) {
    super(problems.map((p) => `${displayLocation(displayRoot, p.file, p.line)}: ${p.message}`).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** The path of a file as shown to people: the root as given, then the relative path. */
export function displayPath(root: string, file: string): string {
  const joined = root === '' ? file : path.join(root, file);
  return joined.split(path.sep).join('/');
}

/** `path:line`, or the path alone when the line is not known (0). */
export function displayLocation(root: string, file: string, line: number): string {
  return line > 0 ? `${displayPath(root, file)}:${line}` : displayPath(root, file);
}

/**
 * `Kind namespace/name` (or `Kind name` for an object without namespace), for messages. A part with
 * spaces, control characters or quotes is shown JSON-quoted, so a name can never break a message into
 * lines or pass for something else.
 */
export function objectRef(obj: any, namespace?: string): string {
  const ns = obj?.metadata?.namespace ?? namespace;
  return `${plain(obj?.kind)} ${typeof ns === 'string' && ns !== '' ? `${plain(ns)}/` : ''}${plain(obj?.metadata?.name)}`;
}

function plain(value: unknown): string {
  return typeof value === 'string' && /^[\x21-\x7e]*$/.test(value) && !/["'`\\]/.test(value) ? value : JSON.stringify(value) ?? String(value);
}

/**
 * The line of a field of an object, from a validation field path such as
 * `spec.rules[0].backendRefs[1].weight` or `metadata.labels[app]`: the deepest part of the path that
 * exists in the YAML. Falls back to the object's line.
 */
export function fieldLine(source: SourceObject, field: string): number {
  if (!source.node || !source.lines || field === '') return source.line;
  let node: any = source.node;
  let line = source.line;
  for (const segment of splitFieldPath(field)) {
    let next: any;
    if (isMap(node)) next = node.items.find((p: any) => isScalar(p.key) && String(p.key.value) === segment)?.value;
    else if (isSeq(node) && /^\d+$/.test(segment)) next = node.items[Number(segment)];
    if (!next || !next.range) break;
    node = next;
    line = source.lines.linePos(next.range[0]).line;
  }
  return line;
}

/** `a.b[0][key.x]` -> ['a', 'b', '0', 'key.x']. */
export function splitFieldPath(field: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < field.length) {
    if (field[i] === '.') {
      i++;
    } else if (field[i] === '[') {
      const end = field.indexOf(']', i);
      const stop = end < 0 ? field.length : end;
      out.push(field.slice(i + 1, stop));
      i = stop + 1;
    } else {
      let j = i;
      while (j < field.length && field[j] !== '.' && field[j] !== '[') j++;
      out.push(field.slice(i, j));
      i = j;
    }
  }
  return out;
}
