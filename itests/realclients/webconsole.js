// The Felix Web Console in Chromium, logged in with HTTP Basic (the test's websocksy.console.cfg).
// Usage:
//   node webconsole.js close  CONSOLE_URL USER PASSWORD PATH CODE REASON
//     opens the websocksy page, finds the live connection whose path is PATH, picks CODE, types REASON and clicks
//     its Close button; prints the row's cells, the page's status and the message shown after the action.
//   node webconsole.js config CONSOLE_URL USER PASSWORD PID KEY VALUE
//     opens the configuration page's editor of PID (configMgr/PID), sets the field KEY to VALUE and clicks Save.
//   node webconsole.js form   CONSOLE_URL USER PASSWORD LISTENER FORMCLASS FIELDS_JSON
//     on the websocksy page, fills the form of class FORMCLASS (drain, resume, dryrun; in the row of LISTENER
//     unless LISTENER is empty) with FIELDS_JSON ({"name": "value"}) and submits it; prints the message shown.
'use strict';
const { launch } = require('./chromium');

async function main() {
  const [mode, base, username, password, a, b, c] = process.argv.slice(2);
  const out = { ok: false };
  let browser;
  try {
    browser = await launch();
    const context = await browser.newContext({ httpCredentials: { username, password } });
    const page = await context.newPage();
    page.on('pageerror', e => process.stderr.write('[page error] ' + e + '\n'));
    page.on('response', r => process.stderr.write('[response] ' + r.status() + ' ' + r.request().method() + ' ' + r.url() + '\n'));
    if (mode === 'close') {
      const resp = await page.goto(base + '/websocksy');
      out.status = resp.status();
      const row = page.locator('#connections tbody tr').filter({ has: page.locator('td', { hasText: a }) });
      out.rows = await row.count();
      if (out.rows !== 1) throw new Error('expected one row with path ' + a + ', got ' + out.rows + ': '
          + await page.locator('#connections').innerText());
      out.cells = await row.locator('td').allInnerTexts();
      await row.locator('select[name=code]').selectOption(b);
      await row.locator('input[name=reason]').fill(c);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), row.locator('button', { hasText: 'Close' }).click()]);
      out.flash = await page.locator('#flash').innerText();
      out.after = page.url();
    } else if (mode === 'form') {
      const resp = await page.goto(base + '/websocksy');
      out.status = resp.status();
      const scope = a ? page.locator('#listeners tr[data-listener="' + a + '"]') : page.locator('#websocksy');
      const form = scope.locator('form.' + b);
      if (await form.count() !== 1) throw new Error('no form ' + b + ' for ' + a + ': ' + await page.locator('#websocksy').innerText());
      for (const [name, value] of Object.entries(JSON.parse(c))) {
        const field = form.locator('[name="' + name + '"]');
        if (await field.evaluate(e => e.tagName) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type=submit]').click()]);
      out.flash = await page.locator('#flash').innerText();
      out.state = a ? await page.locator('#listeners tr[data-listener="' + a + '"] td.state').innerText() : '';
    } else if (mode === 'config') {
      const resp = await page.goto(base + '/configMgr/' + encodeURIComponent(a));
      out.status = resp.status();
      const field = page.locator('#editorForm [name="' + b + '"]').first();
      await field.waitFor({ state: 'visible', timeout: 60000 });
      out.before = await field.inputValue();
      await field.fill(c);
      const save = page.locator('.ui-dialog-buttonpane button').filter({ hasText: /^Save$/ });
      const posted = page.waitForResponse(r => r.request().method() === 'POST' && r.url().includes('/configMgr/'));
      await save.click();
      const r = await posted;
      out.saveStatus = r.status();
      await page.waitForLoadState('load');
    } else {
      throw new Error('unknown mode ' + mode);
    }
    out.ok = true;
  } catch (e) {
    out.error = String(e && e.stack || e);
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(out.ok ? 0 : 1);
}
main();
