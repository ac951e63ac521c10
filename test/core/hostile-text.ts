import * as fc from 'fast-check';

/** Characters shells treat specially, and the ones Markdown does, to mix into random text. */
const SPECIAL = [...' \t\n\r\'"`$\\;&|<>()[]{}*?!#~^%=,:@+-./', '\u00a0', '\u2028', 'é', '日', '😀', '$(', '${', '`id`', '\'\\\'\'', '&&', '||', '\\n'];

/** Random text without NUL (no command argument can hold one), weighted towards special characters. */
export const hostileText: fc.Arbitrary<string> = fc.array(
  fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 6 })),
  { maxLength: 12 },
).map((parts) => parts.join('').replace(/\0/g, ''));
