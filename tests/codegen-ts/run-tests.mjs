// npm test: compare the generated TypeScript with the committed goldens (golden.mjs), generate + compile the
// fixture models (build.mjs), then run test/*.test.mjs with Node's test runner.
// Needs SWITCHBOARD_GEN=/path/to/switchboard-gen.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Test files are listed explicitly: `node --test DIR` reads DIR differently across Node versions.
const tests = readdirSync(join(here, 'test')).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(here, 'test', f));
for (const argv of [[join(here, 'golden.mjs')], [join(here, 'build.mjs')], ['--test', ...tests]]) {
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
