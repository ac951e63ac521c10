/**
 * Reading a command's `<path>` argument: one YAML file, or every YAML file under a directory (through the
 * repository reader), as parsed Kubernetes objects.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError, parseYamlText, readRepo } from './repo-reader';

/** True when `input` names a directory (then it is read as a repository), false for a file. Throws when it is missing. */
export function isDirectoryInput(input: string): boolean {
  return fs.statSync(input).isDirectory();
}

/** The Kubernetes objects of a YAML file or of a directory; malformed YAML is an InputError with file and line. */
export function readObjectsAt(input: string): any[] {
  if (isDirectoryInput(input)) return readRepo(input).objects.map((o) => o.object);
  const parsed = parseYamlText(fs.readFileSync(input, 'utf8'), path.basename(input));
  if (parsed.problems.length > 0) throw new InputError(parsed.problems, path.dirname(input));
  return parsed.objects.map((o) => o.object);
}
