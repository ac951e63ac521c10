/**
 * Quoting for POSIX shells, for every value written into a README command or a printed command line. Pure.
 */

/** Characters no POSIX shell (nor bash or zsh) treats specially anywhere in an argument word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument word for a POSIX shell: `value` itself when it holds only characters no shell treats specially
 * (letters, digits and `_@%+=:,./-`), else `value` in single quotes, each `'` written as `'\''`. Inside single
 * quotes nothing is special, so the shell reads the result back as exactly one word equal to `value`, whatever it
 * holds (spaces, `;`, `|`, `$`, backticks, quotes, newlines): `x; touch pwned #` becomes `'x; touch pwned #'`.
 * A NUL character cannot be part of any command argument; it is written as U+FFFD.
 *
 * Quoting does not stop a word that starts with `-` from being read as an option by the command: values that
 * name Kubernetes objects cannot start with `-` once validated.
 */
export function shellQuote(value: string): string {
  const text = String(value).replace(/\0/g, '\uFFFD');
  if (SAFE_WORD.test(text)) return text;
  return `'${text.replace(/'/g, '\'\\\'\'')}'`;
}

/** Each value quoted with shellQuote, joined by spaces. */
export function shellWords(values: readonly string[]): string {
  return values.map(shellQuote).join(' ');
}

/**
 * Operands that end a command line (e.g. the names after `kubectl delete <kind> -n <ns>`), quoted, and after `--`
 * when one of them starts with `-`, so that no name can be read as an option (`--all`).
 */
export function shellOperands(values: readonly string[]): string {
  const words = shellWords(values);
  return values.some((v) => String(v).startsWith('-')) ? `-- ${words}` : words;
}
