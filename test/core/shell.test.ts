import { spawnSync } from 'child_process';
import * as fc from 'fast-check';
import { hostileText } from './hostile-text';
import { shellOperands, shellQuote, shellWords } from '../../src/core/shell';
import { fcOptions } from '../property/arbitraries';

/** The words a POSIX shell (`sh`, then `bash`) reads from `text` as the arguments of a command. */
function wordsOf(shell: string, text: string): string[] {
  const r = spawnSync(shell, ['-c', `set -- ${text}; printf '%s' "$#"; for w in "$@"; do printf '\\0%s' "$w"; done`], { encoding: 'buffer' });
  if (r.status !== 0) throw new Error(`${shell} failed on ${JSON.stringify(text)}: ${r.stderr.toString()}`);
  const [count, ...words] = r.stdout.toString('utf8').split('\0');
  expect(words).toHaveLength(Number(count));
  return words;
}

describe('shellQuote', () => {
  test.each([
    ['vllm-llama3-8b-instruct', 'vllm-llama3-8b-instruct'],
    ['https://github.com/x/y/raw/v1.0.2/a_b.yaml', 'https://github.com/x/y/raw/v1.0.2/a_b.yaml'],
    ['x; touch pwned #', '\'x; touch pwned #\''],
    ['it\'s', '\'it\'\\\'\'s\''],
    ['', '\'\''],
    ['$(id)', '\'$(id)\''],
    ['~/x', '\'~/x\''],
  ])('given %p, then it is written as %p', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });

  test('given a NUL, then it is written as U+FFFD (no argument can hold a NUL)', () => {
    expect(shellQuote('a\0b')).toBe('\'a\uFFFDb\'');
  });

  test('property: sh and bash read each quoted text back as exactly one word, equal to the text', () => {
    // Several values per shell run keep the number of processes down; a value read as two words shifts the rest.
    fc.assert(fc.property(fc.array(hostileText, { minLength: 1, maxLength: 8 }), (values) => {
      for (const shell of ['sh', 'bash']) expect(wordsOf(shell, shellWords(values))).toEqual(values);
    }), { ...fcOptions, numRuns: 60 });
  });
});

describe('shellOperands', () => {
  test('given names that look like options, then they come after --, so no name is read as an option', () => {
    expect(shellOperands(['food-review', '--all'])).toBe('-- food-review --all');
    expect(shellOperands(['food-review', 'base-model'])).toBe('food-review base-model');
  });
});
