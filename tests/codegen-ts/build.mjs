// Generates TypeScript models with switchboard-gen and compiles them with tsc --strict.
//
//   node build.mjs [--gen BIN] [--out DIR] [--module NICK[:PACKAGE]=DIR]... [MODEL_PATH...]
//
// Defaults: BIN from $SWITCHBOARD_GEN; DIR = ./build; the fixture models of this folder (models/project with
// the module `shop` = models/shop). Lays out DIR/src/models/runtime.ts (a copy of the hand-written runtime in
// clients/typescript) and DIR/src/models/generated/ (switchboard-gen's output), then compiles DIR/src to
// DIR/js (ES2020 modules). The compiled index is DIR/js/models/generated/index.js.
// Without arguments it also generates and compiles Serverpod's chat + auth models (shared/serverpod-models,
// beside the project) into DIR/chat when they are there, to prove real models compile.

import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runTool as run } from '../../scripts/run_tool.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const runtime = join(repo, 'clients/typescript/src/models/runtime.ts');
const tsc = join(here, 'node_modules/typescript/bin/tsc');

function parseArgs(argv) {
  const args = { gen: process.env.SWITCHBOARD_GEN, out: join(here, 'build'), modules: [], paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gen') args.gen = argv[++i];
    else if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--module') args.modules.push(argv[++i]);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.paths.push(resolve(a));
  }
  return args;
}

// Generates and compiles one model set into `out`.
export function buildModels({ gen, out, modules, paths }) {
  if (!gen) throw new Error('set SWITCHBOARD_GEN (or --gen) to the switchboard-gen binary');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'src/models'), { recursive: true });
  copyFileSync(runtime, join(out, 'src/models/runtime.ts'));
  run(gen, ['--lang', 'ts', '--out', join(out, 'src/models/generated'),
            ...modules.flatMap((m) => ['--module', m]), ...paths]);
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitReturns: true,
      noUnusedLocals: true,
      target: 'ES2020',
      module: 'ES2020',
      moduleResolution: 'node',
      lib: ['ES2020'],
      rootDir: 'src',
      outDir: 'js',
      declaration: true,
    },
    include: ['src'],
  }, null, 2));
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  run(process.execPath, [tsc, '-p', out]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const defaults = args.paths.length === 0;
  if (defaults) {
    args.paths.push(join(here, 'models/project'));
    args.modules.push(`shop=${join(here, 'models/shop')}`);
  }
  buildModels(args);
  const shared = resolve(repo, '../shared/serverpod-models');
  if (defaults && existsSync(join(shared, 'chat'))) {
    buildModels({ gen: args.gen, out: join(args.out, 'chat'), modules: [`auth:serverpod_auth=${join(shared, 'auth')}`],
                  paths: [join(shared, 'chat')] });
  }
  console.log(`built ${args.out}`);
}
