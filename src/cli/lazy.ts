/**
 * Run-time loading of the modules a command needs, so that starting the CLI (and `--help`) loads only
 * commander and the command definitions. Ids are relative to this directory (`src/cli`, `lib/cli`).
 */

const cache = new Map<string, unknown>();

/** Loads a module of this package once, by id relative to `src/cli`. */
export function load<T>(id: string): T {
  let mod = cache.get(id);
  if (mod === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
    mod = require(id);
    cache.set(id, mod);
  }
  return mod as T;
}
