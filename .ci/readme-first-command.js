#!/usr/bin/env node
// Prints the README's first command: the first line of its first ```bash block (a trailing `# comment`
// removed). .ci/run runs it on the fresh clone before anything else is built, so the command a newcomer
// types first is the command CI proves. Exits 1, naming the file, when the README has no bash block.
// Usage: node .ci/readme-first-command.js [README.md]
'use strict';
const fs = require('fs');
const path = require('path');

const file = process.argv[2] || path.join(__dirname, '..', 'README.md');
const text = fs.readFileSync(file, 'utf8');
const block = /^```bash\n([\s\S]*?)^```/m.exec(text);
const first = block && block[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).find((l) => l !== '' && !l.startsWith('#'));
if (!first) {
  process.stderr.write(`${file}: no command in a \`\`\`bash block\n`);
  process.exit(1);
}
process.stdout.write(`${first}\n`);
