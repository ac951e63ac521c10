// Preloaded by bench/run.js (`node --require bench/peak-rss.js bin/inference-migrate ...`): writes the process's
// peak RSS in KiB to the file named by BENCH_RSS_FILE when it exits.
'use strict';

const fs = require('node:fs');

process.on('exit', () => {
  fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
