// MQTT.js in node through websocksy. Usage: node mqtt-node.js ws://127.0.0.1:PORT/mqtt
'use strict';
const mqtt = require('mqtt');
const mqttScenario = require('./mqtt-scenario');

mqttScenario(mqtt, process.argv[2], 'node').then(r => {
  process.stdout.write(JSON.stringify(Object.assign({ ok: true }, r)) + '\n');
  process.exit(0);
}, e => {
  process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.stack || e) }) + '\n');
  process.exit(1);
});
