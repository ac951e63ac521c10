/**
 * The registry of commands. Each command lives in its own file and registers its flags, help and
 * action on a parent commander Command; heavy modules are loaded only when its action runs. A command
 * in a group (e.g. a future `convert llamastack`) names the group in its path; the group is created
 * once, with the description given here.
 */
import type { Command } from 'commander';
import { convertLlamaStackCommand } from './convert-llamastack';
import { exampleCommand } from './example';
import { planCommand } from './plan';
import { planKServeCommand } from './plan-kserve';
import { promoteCommand } from './promote';
import { scanCommand } from './scan';
import { statusCommand } from './status';
import { validateCommand } from './validate';
import { verifyCommand } from './verify';
import type { CliContext } from '../context';

/** One command of the CLI. */
export interface CliCommand {
  /** The words that invoke it: `['plan']`, or `['convert', 'llamastack']` for a command in a group. */
  readonly path: string[];
  /** Adds the command (flags, help, action) under `parent`; returns it. */
  register(parent: Command, ctx: CliContext): Command;
}

/** Descriptions of command groups (the first words of multi-word command paths). */
export const COMMAND_GROUPS: { readonly [name: string]: string } = {
  convert: 'convert objects of other APIs to their new versions (convert llamastack)',
};

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CliCommand[] = [
  scanCommand, planCommand, planKServeCommand, statusCommand, verifyCommand, promoteCommand, convertLlamaStackCommand, validateCommand,
  exampleCommand,
];
