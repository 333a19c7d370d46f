// Golden files of the TypeScript emitter: what `switchboard-gen --lang ts` writes for the fixture models
// (models/project, with the module `shop` = models/shop) must equal, file for file and byte for byte, what is
// committed under golden/. Run by run-tests.mjs (ctest's codegen.ts), before the models are compiled and run.
//
//   node golden.mjs [--gen BIN]            compare; exit 1 with a diff of the first differing lines
//   node golden.mjs [--gen BIN] --update   write the current output over golden/ (stale files removed)
//
// BIN defaults to $SWITCHBOARD_GEN. After an intended change to the emitter (or to the fixture models):
//   make update-goldens            (this script with --update, plus the C++ goldens; see the Makefile)
// and review `git diff tests/codegen-ts/golden/` before committing.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const goldenDir = join(here, 'golden');

// The exact switchboard-gen invocation the goldens are made from (paths relative to this folder, so that no
// absolute path of the machine that wrote them can leak into the output).
const genArgs = (out) => ['--lang', 'ts', '--out', out, '--module', 'shop=models/shop', 'models/project'];

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(dir, p));
    }
  };
  walk(dir);
  return files.sort();
}

function firstDifference(expected, actual) {
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) {
      const from = Math.max(0, i - 2);
      const show = (lines, sign) => lines.slice(from, i + 3).map((l, k) => `${sign}${from + k + 1}: ${l ?? '<end of file>'}`);
      return [`first difference at line ${i + 1}:`, ...show(e, '  golden  '), ...show(a, '  actual  ')].join('\n');
    }
  }
  return 'files differ (line endings?)';
}

function main(argv) {
  let gen = process.env.SWITCHBOARD_GEN;
  let update = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--gen') gen = argv[++i];
    else if (argv[i] === '--update') update = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!gen) throw new Error('set SWITCHBOARD_GEN (or --gen) to the switchboard-gen binary');
  if (gen.includes('/')) gen = resolve(gen);  // switchboard-gen runs in this folder; a bare name is looked up in PATH

  const out = mkdtempSync(join(tmpdir(), 'switchboard-ts-golden-'));
  try {
    const r = spawnSync(gen, genArgs(out), { cwd: here, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (r.error) throw r.error;
    if (r.status !== 0) {
      process.stderr.write(r.stderr ?? '');
      throw new Error(`switchboard-gen exited with ${r.status}`);
    }
    const actual = listFiles(out);
    if (actual.length === 0) throw new Error('switchboard-gen wrote no files');

    if (update) {
      rmSync(goldenDir, { recursive: true, force: true });
      for (const f of actual) {
        mkdirSync(dirname(join(goldenDir, f)), { recursive: true });
        writeFileSync(join(goldenDir, f), readFileSync(join(out, f)));
      }
      console.log(`golden.mjs: wrote ${actual.length} files to ${relative(process.cwd(), goldenDir) || '.'}: ${actual.join(', ')}`);
      return 0;
    }

    const expected = listFiles(goldenDir);
    const problems = [];
    for (const f of expected.filter((f) => !actual.includes(f))) problems.push(`golden/${f}: no longer generated`);
    for (const f of actual.filter((f) => !expected.includes(f))) problems.push(`${f}: generated but not in golden/`);
    for (const f of actual.filter((f) => expected.includes(f))) {
      const e = readFileSync(join(goldenDir, f), 'utf8');
      const a = readFileSync(join(out, f), 'utf8');
      if (e !== a) problems.push(`golden/${f} differs from the generated file\n${firstDifference(e, a)}`);
    }
    if (problems.length > 0) {
      console.error(`golden.mjs: the TypeScript output differs from tests/codegen-ts/golden/:\n\n${problems.join('\n\n')}\n\n` +
                    'If the change is intended: `make update-goldens` (or `node tests/codegen-ts/golden.mjs --update` with ' +
                    'SWITCHBOARD_GEN set), then review and commit the diff of tests/codegen-ts/golden/.');
      return 1;
    }
    console.log(`golden.mjs: ${actual.length} files match tests/codegen-ts/golden/`);
    return 0;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

process.exit(main(process.argv.slice(2)));
