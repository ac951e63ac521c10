/**
 * jsonSyntaxProblem: why a file is not JSON, said by line and column, never by quoting the file (V8's own
 * message quotes its first bytes, which echoed a hard-linked file of secrets into an error).
 */
import { jsonSyntaxProblem } from '../../src/core/json';

function problemOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return jsonSyntaxProblem(err, text);
  }
  throw new Error(`${JSON.stringify(text)} parsed`);
}

describe('jsonSyntaxProblem', () => {
  test.each([
    ['password=hunter2\n', 'not valid JSON: a character where none of that kind may stand'],
    ['{"token": "s3cr3t",\n  }', 'not valid JSON at line 2, column 3: expected double-quoted property name'],
    ['{"token": "s3cr3t"', "not valid JSON at line 1, column 19: expected ',' or '}' after property value"],
    ['', 'not valid JSON: it ends before the value does'],
    ['{} TOKEN=s3cr3t', 'not valid JSON at line 1, column 4: unexpected non-whitespace character after JSON'],
    ['\n\n  {"a": "s3cr3t', 'not valid JSON at line 3, column 16: unterminated string'],
  ])('given %j, then the problem is %j, with nothing of the text', (text, problem) => {
    const said = problemOf(text);

    expect(said).toBe(problem);
    expect(said).not.toMatch(/hunter2|s3cr3t|token|password/i);
  });
});
