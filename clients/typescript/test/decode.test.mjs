// Decoding with the `decode` option: the generated demo models (switchboard-gen --lang ts demo/protocol), and a
// decode that throws: a failure is an "error" event with the channel and seq, and the session goes on.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, afterEach, before, test } from 'node:test';
import { MessageDecodeError } from '../dist/index.js';
import { buildModels } from '../../../tests/codegen-ts/build.mjs';
import { chat, closeAll, open, startServer, waitFor } from './support/harness.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const gen = process.env.SWITCHBOARD_GEN;

let server;
before(async () => { server = await startServer(); });
afterEach(() => closeAll());
after(async () => {
  await server.stop();
  assert.equal(server.sanitizerReport(), null, server.stderr.tail());
});

const url = (user) => server.wsUrl(`/ws?user=${user}`);

test('decode: a decode that throws for one message is an error event; later messages arrive', async () => {
  const decode = (envelope) => {
    if (envelope.data.text === 'boom') throw new Error('cannot read boom');
    return envelope.data.text;
  };
  const { client, events } = open(url('ada'), { decode });
  const got = [];
  const sub = await client.subscribe('room:decode', (text, meta) => got.push([meta.seq, text]));
  for (const text of ['one', 'boom', 'three']) await client.publish('room:decode', chat(text));
  assert.deepEqual(got, [[1, 'one'], [3, 'three']]);
  assert.equal(sub.lastSeq, 3);
  assert.equal(events.errors.length, 1);
  const [e] = events.errors;
  assert.ok(e instanceof MessageDecodeError);
  assert.equal(e.code, 'decode_failed');
  assert.equal(e.channel, 'room:decode');
  assert.equal(e.seq, 2);
  assert.equal(e.cause.message, 'cannot read boom');
});

test('decode: the generated decodeModel gives typed values; a bad push is a DecodeError event',
  { skip: gen ? false : 'set SWITCHBOARD_GEN to the switchboard-gen binary' }, async () => {
    const out = join(here, '.generated/demo');
    buildModels({ gen, out, modules: [], paths: [join(here, '../../../demo/protocol')] });
    const models = await import(pathToFileURL(join(out, 'js/models/generated/index.js')).href);
    const { client, events } = open(url('ada'), { decode: models.decodeModel });
    const got = [];
    await client.subscribe('chat', (m, meta) => got.push({ ...m, seq: meta.seq }));
    const time = new Date('2026-01-02T03:04:05.678Z');
    await client.publish('chat', models.encodeModel({ text: 'typed', sender: 'ada', time }, 'ChatMessage'));
    await waitFor('the message', () => got.length === 1);
    assert.equal(got[0].className, 'ChatMessage');
    assert.deepEqual(got[0].value, { __className__: 'ChatMessage', text: 'typed', sender: 'ada', time });
    assert.ok(got[0].value.time instanceof Date);

    // The demo echoes an untyped send as a push, unchecked: a ChatMessage whose text is a number.
    await client.send({ className: 'ChatMessage', data: { text: 5, sender: 'ada' } });
    await client.send(models.encodeModel({ text: 'ok', level: 'warning' }, 'Notice'));
    await waitFor('the good push', () => events.pushes.length === 1);
    assert.deepEqual(events.pushes[0].value, { className: 'Notice', value: { __className__: 'Notice', text: 'ok', level: 'warning' } });
    assert.equal(events.errors.length, 1);
    const [e] = events.errors;
    assert.ok(e instanceof MessageDecodeError);
    assert.equal(e.channel, undefined);
    assert.equal(e.cause.name, 'DecodeError');
    assert.equal(e.cause.path, 'text');
    assert.match(e.message, /cannot decode a push \(ChatMessage\): text: expected String, got number/);
  });
