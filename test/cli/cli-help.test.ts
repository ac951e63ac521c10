/**
 * The help of every command, as commander renders it from the command definitions: each default is said once
 * (in the option's own words, or as commander's "(default: ...)", never both), and the short flags kubectl and
 * helm users type are there.
 */
import { Command, Help } from 'commander';
import { buildProgram } from '../../src/cli/main';

const program = buildProgram({ io: { stdout: () => undefined, stderr: () => undefined }, version: '0.0.0', exitCode: 0 });
const commands = (c: Command): Command[] => [c, ...c.commands.flatMap(commands)];
const fullName = (c: Command): string => (c.parent ? `${fullName(c.parent)} ${c.name()}` : c.name());

describe('the help', () => {
  const help = new Help();
  const options = commands(program).flatMap((c) => c.options.map((o) => ({ command: fullName(c), flags: o.flags, text: help.optionDescription(o) })));

  test('given every option of every command, then its help says its default at most once', () => {
    const twice = options.filter((o) => (o.text.match(/\(default[: ]/g) ?? []).length + (o.text.match(/; default: /g) ?? []).length > 1);
    expect(twice).toEqual([]);
    expect(options.length).toBeGreaterThan(50);
  });

  test.each([
    ['inference-migrate plan', ['-f, --from <path>', '-o, --out <dir>', '-n, --namespace <name>']],
    ['inference-migrate plan-kserve', ['-f, --from <path>', '-o, --out <dir>', '-n, --namespace <namespace>']],
    ['inference-migrate scan', ['-n, --namespace <name>']],
    ['inference-migrate example', ['-o, --out <dir>']],
    ['inference-migrate convert llamastack', ['-o, --out <dir>', '-n, --namespace <namespace>']],
  ])('given %s, then it takes the short flags', (command, flags) => {
    expect(options.filter((o) => o.command === command).map((o) => o.flags)).toEqual(expect.arrayContaining(flags));
  });
});
