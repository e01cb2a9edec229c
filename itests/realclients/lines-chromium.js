// The page lines.html (served by the listener's `web` option) in Chromium, through the newline framer.
// Usage: node lines-chromium.js http://127.0.0.1:PORT/lines.html
'use strict';
const { run } = require('./chromium');

run(async page => {
  await page.goto(process.argv[2]);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
  const r = await page.evaluate(() => window.result);
  if (r.error) throw new Error('in the page: ' + r.error + ' ' + JSON.stringify(r.got));
  return r;
});
