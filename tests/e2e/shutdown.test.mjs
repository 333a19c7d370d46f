// Graceful shutdown of the switchboard binary (docs/protocol.md, "Close codes"): with 1,000 sessions open,
// SIGTERM closes every one with 1001 after what was queued for it, and the process exits 0 within the
// shutdown timeout. Also: the settings file is validated at start-up with a clear error.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';

import { httpGet, startServer } from './server.mjs';

const SESSIONS = 1000;
const SHUTDOWN_TIMEOUT_MS = 4000;

function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames = [];
    const closed = new Promise((done) => ws.once('close', (code, reason) => done({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      frames.push(frame);
      if (frames.length === 1) resolve({ ws, frames, closed });
    });
    ws.once('error', reject);
  });
}

function request(ws, frame, frames) {
  return new Promise((resolve) => {
    const before = frames.length;
    const check = () => {
      const reply = frames.slice(before).find((f) => f.id === frame.id);
      if (reply) {
        ws.off('message', check);
        resolve(reply);
      }
    };
    ws.on('message', check);
    ws.send(JSON.stringify(frame));
  });
}

test('SIGTERM with 1,000 sessions: every one gets its messages, then 1001, and the process exits 0 in time', async () => {
  const server = await startServer({
    args: ['--port', '0', '--threads', '2', '--shutdown-timeout-ms', String(SHUTDOWN_TIMEOUT_MS)],
  });
  try {
    const clients = [];
    for (let i = 0; i < SESSIONS; i++) clients.push(await open(server.wsUrl(`/ws?user=u${i}`)));
    for (const c of clients) assert.equal(c.frames[0].type, 'welcome');

    // Half follow the chat; one message is published and acknowledged before the signal.
    const followers = clients.filter((_, i) => i % 2 === 0);
    for (const [i, c] of followers.entries()) {
      const ack = await request(c.ws, { type: 'subscribe', id: i + 1, channel: 'chat' }, c.frames);
      assert.equal(ack.type, 'ack');
    }
    const publisher = followers[0];
    const published = await request(publisher.ws, {
      type: 'publish', id: 9000, channel: 'chat',
      message: { className: 'ChatMessage', data: { text: 'last words', sender: 'u0' } },
    }, publisher.frames);
    assert.equal(published.type, 'ack', JSON.stringify(published));

    const metrics = await httpGet(`${server.httpBase}/metrics`);
    assert.match(metrics.body, new RegExp(`^switchboard_sessions ${SESSIONS}$`, 'm'));

    const started = Date.now();
    server.proc.kill('SIGTERM');
    const closes = await Promise.all(clients.map((c) => c.closed));
    const exit = await server.exited;
    const took = Date.now() - started;

    for (const [i, close] of closes.entries()) {
      assert.deepEqual(close, { code: 1001, reason: 'server shutting down' }, `client ${i}`);
    }
    for (const [i, c] of followers.entries()) {
      const got = c.frames.filter((f) => f.type === 'message' && f.channel === 'chat');
      assert.equal(got.length, 1, `follower ${i} got ${JSON.stringify(got)}`);
      assert.equal(got[0].message.data.text, 'last words');
    }
    assert.deepEqual(exit, { code: 0, signal: null }, server.stderr.tail());
    assert.ok(took < SHUTDOWN_TIMEOUT_MS, `exited after ${took} ms, timeout ${SHUTDOWN_TIMEOUT_MS} ms`);
    assert.match(server.stdout.text, /SIGTERM received, closing sessions/);
    assert.match(server.stdout.text, /stopped \(0 sessions did not finish closing/);
    assert.equal(server.sanitizerReport(), null, server.stderr.tail());
  } finally {
    await server.stop();
  }
});

test('a bad settings file stops the binary at start-up with FILE:LINE:COLUMN and exit status 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
  try {
    const file = join(dir, 'switchboard.yaml');
    writeFileSync(file, 'port: 0\nmax-connections: -1\n');
    const r = spawnSync(process.env.SWITCHBOARD_BIN, ['--config', file], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^switchboard: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:1: max-connections must be at least 0 \\(got -1\\)$`, 'm'));
    assert.equal(r.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
