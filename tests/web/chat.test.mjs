// The demo chat page in a real browser: Debian's Chromium (/usr/bin/chromium, never a downloaded one) driven by
// playwright-core, against the switchboard binary ($SWITCHBOARD_BIN) serving the page built beside it
// (build/<preset>/web, see demo/web/build.mjs). Two browser contexts are two users; the server is SIGKILLed and
// restarted on the same port in the middle, and both pages must get back to chatting on their own.
// Then bob leaves (ada hears of it) and his name is still filled in on his next visit. Screenshots of both pages
// land in tests/web/artifacts/ (gitignored). Runs on Node 18.
//
//   SWITCHBOARD_BIN=$PWD/build/asan/switchboard node --test tests/web/

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { httpGet, startServer } from '../e2e/server.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const artifacts = joinPath(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const WAIT_MS = 10_000;
// From the SIGKILL to the restart: long enough for both pages to notice and wait (the client's first backoff
// delays are 250 ms and 500 ms, with jitter), short enough to keep the run quick.
const DOWN_MS = 1_500;

// The page the binary serves by default: the `web` folder beside it.
function webDir() {
  const dir = joinPath(dirname(process.env.SWITCHBOARD_BIN ?? '.'), 'web');
  if (!existsSync(joinPath(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the demo (its web page is part of the default build)`);
  }
  return dir;
}

function serverArgs(port) {
  return ['--host', '127.0.0.1', '--port', String(port), '--threads', '2', '--web', webDir()];
}

// Records every state and text the status line shows, so that short-lived states are not missed by polling.
function recordStatus(page) {
  return page.evaluate(() => {
    const status = document.getElementById('status');
    window.statusLog = [];
    new MutationObserver(() => window.statusLog.push(`${status.dataset.state}: ${status.textContent}`))
      .observe(status, { attributes: true, childList: true, characterData: true, subtree: true });
  });
}

function statusLog(page) {
  return page.evaluate(() => window.statusLog);
}

async function waitForState(page, state, timeout = WAIT_MS) {
  await page.waitForFunction((s) => document.getElementById('status').dataset.state === s, state, { timeout });
}

// Resolves once a line of `kind` (message, notice, note) containing `text` is in the page's list.
async function waitForLine(page, kind, text) {
  const item = page.getByTestId('messages').getByTestId(kind).filter({ hasText: text });
  await item.first().waitFor({ timeout: WAIT_MS });
  return item.first();
}

async function join(page, baseUrl, name, channel) {
  await page.goto(baseUrl);
  await recordStatus(page);
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByLabel('Channel', { exact: true }).fill(channel);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await waitForState(page, 'connected');
  assert.equal(await page.getByTestId('status').textContent(), `connected as ${name}`);
}

async function say(page, text) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

// Asserts that `page` shows a chat line by `sender` with `text`.
async function seesMessage(page, sender, text) {
  const line = await waitForLine(page, 'message', text);
  assert.equal(await line.locator('.sender').textContent(), sender);
  assert.match(await line.locator('.time').textContent(), /\d/);
}

describe('demo chat page in Chromium', () => {
  let server;
  let browser;
  const pages = {};
  const pageErrors = [];

  before(async () => {
    server = await startServer({ args: serverArgs(0) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  });

  // Saves what `page` shows as artifacts/chat-<name>.png.
  async function screenshot(page, name) {
    mkdirSync(artifacts, { recursive: true });
    const path = joinPath(artifacts, `chat-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
  }

  after(async () => {
    // The pages still open as they ended (on a failure: where they got stuck).
    for (const [name, page] of Object.entries(pages)) await screenshot(page, name).catch(() => {});
    await browser?.close();
    const stopped = await server?.stop();
    assert.equal(server?.sanitizerReport() ?? null, null, 'the server reported a sanitizer error');
    assert.equal(stopped?.sigkilled ?? false, false, 'the server did not stop on SIGTERM');
  });

  it('serves the page at / as text/html, its assets with their types, and 404 for other paths', async () => {
    const page = await httpGet(`${server.httpBase}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(page.body, /<script type="module" src="\/chat.js">/);
    const script = await httpGet(`${server.httpBase}/chat.js`);
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    const style = await httpGet(`${server.httpBase}/style.css`);
    assert.equal(style.headers['content-type'], 'text/css; charset=utf-8');
    const models = await httpGet(`${server.httpBase}/client/models/demo/index.js`);
    assert.equal(models.status, 200, 'the generated demo models are served with the client');
    for (const path of ['/nope', '/chat.ts', '/../demo/web/index.html', '/index.html/']) {
      assert.equal((await httpGet(`${server.httpBase}${path}`)).status, 404, path);
    }
  });

  it('two users chat, see each other come and go, survive a server SIGKILL and restart, and chat again',
    async () => {
      const contexts = {
        ada: await browser.newContext({ viewport: { width: 1024, height: 720 } }),
        bob: await browser.newContext({ viewport: { width: 360, height: 720 } }), // a phone
      };
      for (const [name, context] of Object.entries(contexts)) {
        pages[name] = await context.newPage();
        pages[name].on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`));
      }
      const { ada, bob } = pages;

      await join(ada, server.httpBase, 'ada', 'chat');
      // Her own message back means her subscriptions (notifications first, then chat) are acknowledged.
      await say(ada, 'hello, anyone?');
      await seesMessage(ada, 'ada', 'hello, anyone?');
      assert.equal(await ada.getByLabel('Message', { exact: true }).inputValue(), '', 'the input is cleared after sending');

      await join(bob, server.httpBase, 'bob', 'chat');
      await waitForLine(ada, 'notice', 'bob joined');
      await say(bob, 'hi ada, bob here');
      await seesMessage(ada, 'bob', 'hi ada, bob here');
      await seesMessage(bob, 'bob', 'hi ada, bob here');
      await say(ada, 'welcome bob');
      await seesMessage(bob, 'ada', 'welcome bob');
      assert.equal(await bob.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true,
        'no horizontal scrolling at 360 px');

      // The server dies without a word: both pages must see the drop and count down to the next attempt.
      const port = server.port;
      server.proc.kill('SIGKILL');
      await server.exited;
      for (const page of [ada, bob]) {
        await page.waitForFunction(() => window.statusLog.some((s) => /^waiting: .*reconnecting in \d+ s$/.test(s)),
          null, { timeout: WAIT_MS });
        assert.notEqual(await page.getByTestId('status').getAttribute('data-state'), 'connected');
      }
      await screenshot(bob, 'bob-reconnecting');
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
      server = await startServer({ args: serverArgs(port) });

      for (const [name, page] of Object.entries(pages)) {
        await waitForState(page, 'connected', 20_000);
        assert.equal(await page.getByTestId('status').textContent(), `connected as ${name}`);
        // Re-subscribed (the note comes with the acknowledgement), and honest about what it missed.
        await waitForLine(page, 'note', 'reconnected; messages sent while you were offline are not shown');
        const log = await statusLog(page);
        const drop = log.findIndex((s) => s.startsWith('waiting: '));
        assert.ok(drop > 0 && log.slice(drop).some((s) => s.startsWith('connecting: ')) && log.at(-1) === `connected: connected as ${name}`,
          `${name}: connected -> waiting -> connecting -> connected, got ${JSON.stringify(log)}`);
      }

      await say(bob, 'still there after the restart?');
      await seesMessage(ada, 'bob', 'still there after the restart?');
      await seesMessage(bob, 'bob', 'still there after the restart?');
      await say(ada, 'yes, both ways');
      await seesMessage(bob, 'ada', 'yes, both ways');
      // The sender's own copy comes back from the server too, maybe after the other page's: wait for it as well.
      await seesMessage(ada, 'ada', 'yes, both ways');
      // Only what was said before the drop and after the reconnect, in order, on each page.
      for (const page of [ada, bob]) {
        const texts = await page.getByTestId('messages').getByTestId('message').locator('.text').allTextContents();
        assert.deepEqual(texts, ['hello, anyone?', 'hi ada, bob here', 'welcome bob', 'still there after the restart?',
          'yes, both ways'].slice(page === ada ? 0 : 1));
      }

      // Leave: the page forgets the session, ada hears of it, and the name is remembered for the next visit.
      await screenshot(bob, 'bob');
      delete pages.bob;
      await bob.getByRole('button', { name: 'Leave', exact: true }).click();
      assert.equal(await bob.getByTestId('status').getAttribute('data-state'), 'idle');
      await waitForLine(ada, 'notice', 'bob left');
      await bob.reload();
      assert.equal(await bob.getByLabel('Your name', { exact: true }).inputValue(), 'bob');
      assert.deepEqual(pageErrors, [], 'uncaught errors in the pages');
    });
});
