/**
 * The `inference-migrate` command line: builds the commander program from the command registry, runs
 * it, and turns every outcome into an exit code. Usage errors (unknown flag, missing argument, bad
 * flag value) exit 64 with the command's usage on stderr; any other error exits 1 with a one-line
 * `error:` message per problem (the stack only with --debug). Only commander and the command
 * definitions load at start-up; each command loads what it needs when it runs.
 */
import { Command, CommanderError } from 'commander';
import { COMMAND_GROUPS, COMMANDS } from './commands';
import { CliContext, CliIo, EXIT, UsageError } from './context';
import { load } from './lazy';

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The version in the package's package.json (`lib/cli` and `src/cli` both sit two levels below it). */
export function packageVersion(): string {
  try {
    return load<{ version: string }>('../../package.json').version;
  } catch {
    return 'unknown';
  }
}

/** Builds the program: global flags, then every registered command. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('inference-migrate')
    .description('Plan the migration of inference-serving APIs as staged, GitOps-ready YAML: Gateway API Inference Extension v1alpha2 to v1, KServe Ingress to Gateway API, LlamaStackDistribution v1alpha1 to v1alpha2.')
    .version(ctx.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help for the command')
    .option('--verbose', 'list the documents that were skipped while reading, and why')
    .option('--debug', 'print stack traces of errors')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => ctx.io.stdout(text),
      writeErr: (text) => ctx.io.stderr(text),
      outputError: (text, write) => write(text),
    })
    .showHelpAfterError(true)
    .exitOverride();
  program.addHelpText('after', [
    '',
    'Start with `inference-migrate scan <dir>`, then `inference-migrate plan --from <dir> --out <dir>`.',
    'Exit codes: 0 success, 1 bad input or validation problems, 64 usage error (scan: 2 and 3, see scan --help).',
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

/** Finds the (sub)command that `argv` names, for printing its usage after a usage error. */
function commandFor(program: Command, argv: string[]): Command {
  let current = program;
  for (const word of argv) {
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) break;
    current = next;
  }
  return current;
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
      // Help and --version end with exit code 0; a missing command prints the help and is a usage error.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}\n`);
      if (program) io.stderr(`\n${commandFor(program, argv).helpInformation()}`);
      return EXIT.USAGE;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    if (debug && e.stack) {
      io.stderr(`${e.stack}\n`);
    } else {
      io.stderr(`${e.message.split('\n').filter((l) => l.trim() !== '').map((l) => (/^\s/.test(l) ? `error:${l.replace(/^\s+/, ' ')}` : `error: ${l}`)).join('\n')}\n`);
    }
    return EXIT.FAILURE;
  }
}
