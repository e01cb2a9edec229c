// noVNC's own page (vnc.html, served by the websocksy listener's `web` option) in headless Chromium:
// connects, waits for the framebuffer, reads a pixel of the X root window (xsetroot -solid),
// clicks into the xterm and types a line (the test checks that it reached the X server).
// Usage: node novnc.js URL ROOT_X ROOT_Y R,G,B CLICK_X CLICK_Y TEXT
'use strict';
const zlib = require('zlib');
const { run } = require('./chromium');

// The colour the user sees: a 1x1 screenshot of the page at (x, y), decoded from the PNG (one pixel: the
// bytes after the row's filter byte are the raw colour whatever the filter).
async function seen(page, x, y) {
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  const idat = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off);
    const type = png.toString('ascii', off + 4, off + 8);
    if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  return [raw[1], raw[2], raw[3]];
}

const [url, rx, ry, rgb, cx, cy, text] = process.argv.slice(2);
const want = rgb.split(',').map(Number);

run(async page => {
  await page.goto(url);
  await page.waitForFunction(() => {
    const c = document.querySelector('#noVNC_container canvas');
    return c && c.width > 100 && c.height > 100;
  }, null, { timeout: 60000 });
  const size = await page.evaluate(() => {
    const c = document.querySelector('#noVNC_container canvas');
    return [c.width, c.height];
  });
  const box = await page.locator('#noVNC_container canvas').boundingBox();
  // the framebuffer arrives in updates: poll the pixel
  let pixel = null;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    pixel = await seen(page, box.x + Number(rx), box.y + Number(ry));
    if (pixel.every((v, i) => Math.abs(v - want[i]) <= 8)) break;
    await page.waitForTimeout(250);
  }
  const status = await page.evaluate(() => {
    const s = document.getElementById('noVNC_status');
    return s ? s.textContent : '';
  });
  // a click moves the X pointer over the xterm (focus follows the pointer without a window manager)
  await page.mouse.click(box.x + Number(cx), box.y + Number(cy));
  await page.waitForTimeout(500);
  await page.keyboard.type(text, { delay: 30 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  return { size, pixel, status };
});
