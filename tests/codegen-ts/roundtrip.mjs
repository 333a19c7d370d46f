// A filter for cross-language round trips: reads model messages {"className": ..., "data": ...}, one JSON
// object per line, from stdin; decodes each with the generated TypeScript decoders and writes it re-encoded,
// one line each, to stdout. A C++ test pipes its encoder's output through this and decodes the result.
//
//   node roundtrip.mjs [--models PATH/TO/index.js] < in.jsonl > out.jsonl
//
// --models defaults to the fixture models that build.mjs compiled (build/js/models/generated/index.js); for
// other models, compile them first with `node build.mjs --out DIR ...` and pass DIR/js/models/generated/index.js.
// Exit status 0 when every line round-tripped; 1 at the first line that fails (the message, naming the line
// and the path within `data`, goes to stderr); 2 on a usage error. Blank lines are skipped.
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let modelsPath = join(here, 'build/js/models/generated/index.js');
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--models' && i + 1 < argv.length) modelsPath = resolve(argv[++i]);
  else {
    process.stderr.write('usage: node roundtrip.mjs [--models PATH/TO/index.js] < in.jsonl\n');
    process.exit(2);
  }
}
const models = await import(pathToFileURL(modelsPath).href);

let lineNo = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo++;
  if (line.trim() === '') continue;
  try {
    const { className, value } = models.decodeModel(JSON.parse(line));
    process.stdout.write(JSON.stringify(models.encodeModel(value, className)) + '\n');
  } catch (e) {
    process.stderr.write(`roundtrip.mjs: line ${lineNo}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
    break;
  }
}
