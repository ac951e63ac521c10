/**
 * The `inference-migrate` command line: builds the commander program from the command registry, runs
 * it, and turns every outcome into an exit code. Usage errors (unknown flag, missing argument, bad
 * flag value) exit 64 with one line on stderr and a hint (`see 'inference-migrate plan --help'`); the user's problems (a `UserError`: bad
 * input, validation problems, a refused output directory) and system errors (a full disk, a
 * permission) exit 1 with a one-line `error:` message per problem; anything else is a bug in this tool
 * and exits 70 with `internal error: ... (please report: ...)`. --debug adds the stack. Only commander
 * and the command definitions load at start-up; each command loads what it needs when it runs.
 */
import { Command, CommanderError } from 'commander';
import { COMMAND_GROUPS, COMMANDS } from './commands';
import { CliContext, CliIo, EXIT, UsageError } from './context';
import { load } from './lazy';
import { isUserError } from '../core/errors';

/**
 * Control characters other than tab and line feed (ESC sequences, carriage returns, C1 controls) and the
 * Unicode bidirectional overrides: input text (file names, values, messages) must not reach a terminal
 * raw, where it could recolour, move the cursor, rewrite lines or reorder what is shown.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unprintable character written as an escape (`\x1b`, `\u202e`). */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(escapeControlCharacters(text)),
  stderr: (text) => process.stderr.write(escapeControlCharacters(text)),
  stderrIsTerminal: process.stderr.isTTY === true,
};

/** Where to report bugs when package.json does not say. */
const ISSUES = 'https://github.com/cdk8s-inference-migration/cdk8s-inference-migration/issues';

/** The package's package.json (`lib/cli` and `src/cli` both sit two levels below it); empty when it cannot be read. */
function packageJson(): any {
  try {
    return load<any>('../../package.json');
  } catch {
    return {};
  }
}

/** The version in the package's package.json. */
export function packageVersion(): string {
  return typeof packageJson().version === 'string' ? packageJson().version : 'unknown';
}

/** Where bugs are reported: the package's `bugs` URL, else its GitHub repository's issues. */
export function issuesUrl(): string {
  const pkg = packageJson();
  if (typeof pkg.bugs?.url === 'string') return pkg.bugs.url;
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const m = typeof repo === 'string' ? /github\.com[/:]([^/]+\/[^/]+?)(\.git)?$/.exec(repo) : null;
  return m ? `https://github.com/${m[1]}/issues` : ISSUES;
}

/** A Node.js system error (a file system or network call that failed): the environment, not a bug. */
function isSystemError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  return err instanceof Error && typeof e.code === 'string' && typeof e.syscall === 'string';
}

/** `error: ...` lines of a message (continuation lines of a multi-line message keep their indentation). */
function errorLines(message: string): string {
  return `${message.split('\n').filter((l) => l.trim() !== '').map((l) => (/^\s/.test(l) ? `error:${l.replace(/^\s+/, ' ')}` : `error: ${l}`)).join('\n')}\n`;
}

/** Builds the program: global flags, then every registered command. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('inference-migrate')
    .description('Plan the migration of inference-serving APIs as staged, GitOps-ready YAML: Gateway API Inference Extension v1alpha2 to v1, KServe Ingress to Gateway API, LlamaStackDistribution v1alpha1 to v1alpha2.')
    .version(ctx.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help for the command')
    .option('--verbose', 'list every document skipped while reading, and why (links, templates and Helm charts are always listed)')
    .option('--debug', 'print stack traces of errors')
    .option('--quiet', 'print no progress on stderr (progress is printed only when stderr is a terminal)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => ctx.io.stdout(text),
      writeErr: (text) => ctx.io.stderr(text),
      outputError: (text, write) => write(text),
    })
    .showHelpAfterError(false)
    .exitOverride();
  program.addHelpText('after', [
    '',
    'Start with `inference-migrate scan <dir>`, then `inference-migrate plan --from <dir> --out <dir>`.',
    'Exit codes: 0 success, 1 bad input or validation problems, 64 usage error, 70 internal error (a bug: please report it);',
    'scan also exits 2 and 3 (see scan --help).',
  ].join('\n'));

  const groups = new Map<string, Command>();
  for (const command of COMMANDS) {
    let parent = program;
    for (const word of command.path.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) {
        group = parent.command(word).description(COMMAND_GROUPS[word] ?? '');
        groups.set(word, group);
      }
      parent = group;
    }
    command.register(parent, ctx);
  }
  return program;
}

/** Finds the (sub)command that `argv` names, for the hint after a usage error. */
function commandFor(program: Command, argv: string[]): Command {
  let current = program;
  for (const word of argv) {
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) break;
    current = next;
  }
  return current;
}

/** The hint after a usage error, as kubectl and helm give it: `see 'inference-migrate plan --help'`. */
function usageHint(program: Command, argv: string[]): string {
  const names: string[] = [];
  for (let c: Command | null = commandFor(program, argv); c; c = c.parent) names.unshift(c.name());
  return `see '${names.join(' ')} --help'\n`;
}

/**
 * Runs the CLI with `argv` (the arguments after the program name); resolves to the exit code. Never
 * throws and never calls process.exit.
 */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const ctx: CliContext = { io, version: packageVersion(), exitCode: EXIT.OK };
  const debug = argv.includes('--debug');
  let program: Command | undefined;
  try {
    program = buildProgram(ctx);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end with exit code 0; a missing command prints the help and is a usage error. Any
      // other usage error is commander's one-line message, then a hint (never the whole help).
      if (err.exitCode !== 0 && err.code !== 'commander.help' && program) io.stderr(usageHint(program, argv));
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}\n`);
      if (program) io.stderr(usageHint(program, argv));
      return EXIT.USAGE;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    const expected: boolean = isUserError(e) || isSystemError(e);
    if (expected) {
      io.stderr(debug && e.stack ? `${e.stack}\n` : errorLines(e.message));
      return EXIT.FAILURE;
    }
    // Anything else is a bug in this tool, never the user's input.
    const first = e.message.split('\n')[0] || e.name;
    io.stderr(`internal error: ${e.name === 'Error' ? '' : `${e.name}: `}${first} (please report: ${issuesUrl()}, with the command and inference-migrate ${ctx.version}` +
      `${debug ? '' : '; --debug prints the stack'})\n`);
    if (debug && e.stack) io.stderr(`${e.stack}\n`);
    return EXIT.INTERNAL;
  }
}
