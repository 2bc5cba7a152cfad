// Preloaded (node --require) into a process whose peak memory a benchmark measures: at exit,
// writes its maximum resident set (KiB) and run time to the file BENCH_PEAK_FILE names.
const { writeFileSync } = require('node:fs');
const start = performance.now();
process.on('exit', () => {
  const file = process.env.BENCH_PEAK_FILE;
  if (file) writeFileSync(file, JSON.stringify({ maxRss: process.resourceUsage().maxRSS, seconds: (performance.now() - start) / 1000 }));
});
