// Starts and stops the switchboard binary for the end-to-end tests, and talks plain HTTP to it.
// Works on Node 18.19+ (Debian 12) and later: only node: built-ins, no fetch.

import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';

// The line the server prints on stdout once it accepts connections.
export const LISTENING_RE = /listening on http:\/\/([\d.]+):(\d+)/;

const STARTUP_TIMEOUT_MS = 20_000;
const TERM_GRACE_MS = 5_000;
const KILL_WAIT_MS = 5_000;
const MAX_CAPTURE_BYTES = 1 << 20; // keep at most the last 1 MiB of each stream

// Servers still running when this process exits are killed, so a crashed test run leaves no orphans.
const running = new Set();
process.on('exit', () => {
  for (const proc of running) {
    try {
      proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Resolves with `promise`'s value, or with `fallback` after `ms` (the timer never outlives the race).
function within(promise, ms, fallback) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function serverBinary() {
  const bin = process.env.SWITCHBOARD_BIN;
  if (!bin) {
    throw new Error(
      'SWITCHBOARD_BIN is not set. Point it at the server binary, e.g.\n' +
        '  SWITCHBOARD_BIN=$PWD/build/asan/switchboard node --test tests/e2e/',
    );
  }
  try {
    accessSync(bin, fsConstants.X_OK);
  } catch (err) {
    throw new Error(`SWITCHBOARD_BIN=${bin} is not an executable file (${err.code ?? err.message})`);
  }
  return bin;
}

class Capture {
  constructor() {
    this.text = '';
  }
  append(chunk) {
    this.text += chunk;
    if (this.text.length > MAX_CAPTURE_BYTES) this.text = this.text.slice(-MAX_CAPTURE_BYTES);
  }
  tail(chars = 8000) {
    return this.text.length <= chars ? this.text : `[...]\n${this.text.slice(-chars)}`;
  }
}

export class ServerProcess {
  constructor(proc, bin, args) {
    this.proc = proc;
    this.bin = bin;
    this.args = args;
    this.host = null;
    this.port = null;
    this.stdout = new Capture();
    this.stderr = new Capture();
    this.exitInfo = null; // {code, signal} once the process has exited
    this.sigkilled = false;
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        running.delete(proc);
        resolve(this.exitInfo);
      });
    });
  }

  get httpBase() {
    return `http://${this.host}:${this.port}`;
  }

  wsUrl(pathAndQuery) {
    return `ws://${this.host}:${this.port}${pathAndQuery}`;
  }

  describeExit() {
    if (!this.exitInfo) return 'still running';
    const { code, signal } = this.exitInfo;
    return signal ? `killed by ${signal}` : `exited with code ${code}`;
  }

  // SIGTERM, then SIGKILL if still running after 5 s. Idempotent. Resolves with what happened; never throws.
  async stop() {
    if (this.proc.pid === undefined) return { exited: true, code: null, signal: null, sigkilled: false }; // never started
    if (!this.exitInfo && !this.stopping) {
      this.stopping = (async () => {
        this.proc.kill('SIGTERM');
        if ((await within(this.exited, TERM_GRACE_MS, null)) === null) {
          this.sigkilled = true;
          this.proc.kill('SIGKILL');
          await within(this.exited, KILL_WAIT_MS, null);
        }
      })();
    }
    if (this.stopping) await this.stopping;
    this.saveLogs();
    return { exited: this.exitInfo !== null, ...this.exitInfo, sigkilled: this.sigkilled };
  }

  // Leaves the last run's server output in tests/e2e/artifacts/ (gitignored) for post-mortems.
  saveLogs() {
    try {
      const dir = new URL('./artifacts/', import.meta.url);
      mkdirSync(dir, { recursive: true });
      writeFileSync(new URL('server.stdout.log', dir), this.stdout.text);
      writeFileSync(new URL('server.stderr.log', dir), this.stderr.text);
    } catch {
      // logs are a convenience only
    }
  }

  // A sanitizer (ASan/UBSan/LSan/TSan) report in the server's stderr, or null.
  sanitizerReport() {
    const m = this.stderr.text.match(/(==\d+==\s*)?ERROR: \w+Sanitizer[^\n]*|^.*runtime error:[^\n]*|WARNING: ThreadSanitizer[^\n]*/m);
    return m ? m[0] : null;
  }
}

// Spawns `$SWITCHBOARD_BIN --port 0 --threads 2` and resolves once it printed its listening line.
export async function startServer({ args = ['--port', '0', '--threads', '2'], env = process.env } = {}) {
  const bin = serverBinary();
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  running.add(proc);
  const server = new ServerProcess(proc, bin, args);
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => server.stderr.append(chunk));

  const lines = createInterface({ input: proc.stdout, crlfDelay: Infinity });
  const listening = new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      server.stdout.append(`${line}\n`);
      const m = LISTENING_RE.exec(line);
      if (m && server.port === null) {
        server.host = m[1];
        server.port = Number(m[2]);
        resolve();
      }
    });
    proc.once('error', (err) => reject(new Error(`cannot start ${bin}: ${err.message}`)));
    server.exited.then(() => reject(new Error(`server ${server.describeExit()} before printing its listening line`)));
  });
  // The readline interface keeps consuming stdout after startup, so the pipe never fills up.

  const timedOut = Symbol('timeout');
  let failure = null;
  try {
    if ((await within(listening, STARTUP_TIMEOUT_MS, timedOut)) === timedOut) {
      failure = new Error(`server printed no line matching ${LISTENING_RE} within ${STARTUP_TIMEOUT_MS / 1000} s`);
    }
  } catch (err) {
    failure = err;
  }
  if (failure) {
    await server.stop();
    failure.message +=
      `\ncommand: ${bin} ${args.join(' ')}` +
      `\nserver ${server.describeExit()}` +
      `\n--- server stdout ---\n${server.stdout.tail()}` +
      `\n--- server stderr ---\n${server.stderr.tail()}`;
    throw failure;
  }
  return server;
}

// GET with a fresh connection (no keep-alive agent, so no idle connection outlives the request).
export function httpGet(url, { timeoutMs = 5_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { Connection: 'close' }, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export async function getJson(url) {
  const res = await httpGet(url);
  if (res.status !== 200) throw new Error(`GET ${url}: status ${res.status}, body ${JSON.stringify(res.body)}`);
  try {
    return JSON.parse(res.body);
  } catch (err) {
    throw new Error(`GET ${url}: body is not JSON (${err.message}): ${JSON.stringify(res.body)}`);
  }
}

// Polls `probe` (async, returns a value; truthy `ok(value)` ends the wait) until it holds or `timeoutMs` passed.
// Resolves with the last value either way, so the caller's assertion shows what was seen.
export async function pollUntil(probe, ok, { timeoutMs = 3_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    value = await probe();
    if (ok(value) || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}
