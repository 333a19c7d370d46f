// Runs a build tool (switchboard-gen, tsc) for the Node build scripts (demo/web/build.mjs,
// tests/codegen-ts/build.mjs): its stdout passes through, its stderr too except switchboard-gen's `note:` lines
// (one per database-only keyword, noise here), and a failure throws with the command line.

import { spawnSync } from 'node:child_process';

export function runTool(cmd, argv) {
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  const stderr = (r.stderr ?? '').split('\n').filter((l) => l !== '' && !l.includes(': note: ')).join('\n');
  if (stderr !== '') process.stderr.write(stderr + '\n');
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited with ${r.status}`);
}
