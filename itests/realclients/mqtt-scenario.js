// One MQTT scenario, run by MQTT.js in node (mqtt-node.js) and in Chromium (mqtt-chromium.js, page mqtt.html):
// subscribe, publish QoS 0, 1 and 2, a 256 KiB message, then a retained message seen by a new connection.
// Every connection goes through the websocksy listener at `url` (subprotocol mqtt) to mosquitto's TCP port.
'use strict';
(function (root) {
  async function mqttScenario(mqtt, url, tag) {
    const opts = { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 20000, clean: true };
    const connect = id => new Promise((resolve, reject) => {
      const c = mqtt.connect(url, Object.assign({ clientId: tag + '-' + id }, opts));
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });
    const big = new Uint8Array(256 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    const sub = await connect('sub');
    const got = {};
    const all = new Promise(resolve => {
      sub.on('message', (topic, payload, packet) => {
        got[topic] = { bytes: payload.length, qos: packet.qos, payload };
        if (Object.keys(got).length === 4) resolve();
      });
    });
    await new Promise((res, rej) => sub.subscribe(tag + '/t/#', { qos: 2 }, e => e ? rej(e) : res()));
    const pub = await connect('pub');
    const publish = (topic, msg, o) => new Promise((res, rej) => pub.publish(topic, msg, o, e => e ? rej(e) : res()));
    await publish(tag + '/t/q0', 'qos zero', { qos: 0 });
    await publish(tag + '/t/q1', 'qos one', { qos: 1 });
    await publish(tag + '/t/q2', 'qos two', { qos: 2 });
    await publish(tag + '/t/big', big, { qos: 1 });
    await Promise.race([all, new Promise((_, rej) => setTimeout(() => rej(new Error('messages missing: got '
        + Object.keys(got).join(','))), 30000))]);
    const text = t => new TextDecoder().decode(got[t].payload);
    const out = {
      q0: text(tag + '/t/q0'), q1: text(tag + '/t/q1'), q2: text(tag + '/t/q2'),
      q2qos: got[tag + '/t/q2'].qos, q1qos: got[tag + '/t/q1'].qos,
      bigBytes: got[tag + '/t/big'].bytes,
      bigSame: got[tag + '/t/big'].payload.every((b, i) => b === big[i]),
    };
    // retained: published, then a new connection subscribes and gets it with the retain flag
    await publish(tag + '/r/kept', 'retained value', { qos: 1, retain: true });
    await new Promise(res => sub.end(false, {}, res));
    const again = await connect('again');
    const retained = await new Promise((resolve, reject) => {
      again.on('message', (topic, payload, packet) => resolve({ text: new TextDecoder().decode(payload),
        retain: packet.retain }));
      again.subscribe(tag + '/r/kept', { qos: 1 }, e => e && reject(e));
      setTimeout(() => reject(new Error('no retained message')), 20000);
    });
    out.retained = retained.text;
    out.retainFlag = retained.retain;
    await publish(tag + '/r/kept', '', { qos: 1, retain: true }); // clear it
    await new Promise(res => again.end(false, {}, res));
    await new Promise(res => pub.end(false, {}, res));
    return out;
  }
  if (typeof module !== 'undefined') module.exports = mqttScenario; else root.mqttScenario = mqttScenario;
})(typeof window !== 'undefined' ? window : globalThis);
