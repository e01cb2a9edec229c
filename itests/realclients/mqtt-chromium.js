// MQTT.js in Chromium through websocksy: the page mqtt.html (served by the listener's `web` option, with
// mqtt.min.js and mqtt-scenario.js beside it) runs the scenario against ws://<its own host>/mqtt.
// Usage: node mqtt-chromium.js http://127.0.0.1:PORT/mqtt.html
'use strict';
const { run } = require('./chromium');

run(async page => {
  await page.goto(process.argv[2]);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 120000 });
  const r = await page.evaluate(() => window.result);
  if (r.error) throw new Error('in the page: ' + r.error);
  return r;
});
