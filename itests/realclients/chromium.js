// Shared by the drivers: Debian's Chromium through playwright-core (no browser download).
'use strict';
const { chromium } = require('playwright-core');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS });
}

// Runs fn(page) and prints one JSON line: {"ok":true,...result} or {"ok":false,"error":...}.
async function run(fn) {
  let browser;
  const out = { ok: false };
  try {
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', m => process.stderr.write('[page ' + m.type() + '] ' + m.text() + '\n'));
    page.on('pageerror', e => process.stderr.write('[page error] ' + e + '\n'));
    Object.assign(out, await fn(page));
    out.ok = true;
  } catch (e) {
    out.error = String(e && e.stack || e);
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(out.ok ? 0 : 1);
}

module.exports = { launch, run };
