// Builds the demo chat page into a folder the switchboard binary serves (demo/web_assets.hpp).
//
//   node build.mjs --gen BIN --out DIR [--stage DIR]
//
// Stages STAGE/src/ (default: DIR.stage beside DIR) from
//   client/                 a copy of clients/typescript/src (the TypeScript client and its models runtime)
//   client/models/demo/     switchboard-gen --lang ts demo/protocol (imports ../runtime.js = client/models/runtime)
//   chat.ts                 the page script (imports ./client/index.js and ./client/models/demo/index.js)
// compiles it with the client's tsc (clients/typescript/node_modules, from `npm ci` there) to ES2020 modules in
// DIR, and copies index.html and style.css beside them. DIR is emptied first, so that it holds exactly the page:
// the server serves every file in it.

import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runTool as run } from '../../scripts/run_tool.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const client = join(repo, 'clients/typescript');
const tsc = join(client, 'node_modules/typescript/bin/tsc');
const copied = ['index.html', 'style.css'];

function parseArgs(argv) {
  const args = { gen: undefined, out: undefined, stage: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gen') args.gen = argv[++i];
    else if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--stage') args.stage = resolve(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.gen || !args.out) throw new Error('usage: node build.mjs --gen BIN --out DIR [--stage DIR]');
  args.stage ??= `${args.out}.stage`;
  return args;
}

function build({ gen, out, stage }) {
  if (!existsSync(tsc)) {
    throw new Error(`${tsc} is missing: run \`npm ci\` in ${client} (the Makefile does it before building)`);
  }
  rmSync(stage, { recursive: true, force: true });
  cpSync(join(client, 'src'), join(stage, 'src/client'), { recursive: true });
  run(gen, ['--lang', 'ts', '--out', join(stage, 'src/client/models/demo'), join(repo, 'demo/protocol')]);
  copyFileSync(join(here, 'chat.ts'), join(stage, 'src/chat.ts'));
  writeFileSync(join(stage, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitReturns: true,
      noUnusedLocals: true,
      target: 'ES2020',
      module: 'ES2020',
      moduleResolution: 'bundler',
      lib: ['ES2020', 'DOM', 'DOM.Iterable'],
      types: [],
      rootDir: 'src',
      outDir: out,
    },
    include: ['src'],
  }, null, 2));

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  run(process.execPath, [tsc, '-p', stage]);
  for (const f of copied) copyFileSync(join(here, f), join(out, f));
}

const args = parseArgs(process.argv.slice(2));
try {
  build(args);
} catch (err) {
  // A half-written folder would be served as if it were the page: leave none.
  rmSync(args.out, { recursive: true, force: true });
  console.error(`demo/web/build.mjs: ${err.message}`);
  process.exit(1);
}
console.log(`built the chat page into ${args.out}`);
