#!/usr/bin/env node
// Prints N distinct free TCP ports on 127.0.0.1, one per line, for tests and CI scripts that start
// servers on fixed ports (`node scripts/free-ports.js 3`).
//
// Why not port 0: a port found by binding 0 comes from the kernel's ephemeral range, and is free
// only until it is released. `temporal server start-dev` picks its own metrics, HTTP and internal
// service ports from that same range while it starts, so it can take the port the API was about
// to bind (CI saw EADDRINUSE on the API port this way). Ports are therefore taken below the
// ephemeral range, where nothing picks at random, from a random base so parallel runs spread out.
'use strict';
const fs = require('node:fs');
const portfinder = require('portfinder');

const LOWEST = 20000;

function ephemeralLow() {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const n = Number(low);
    return Number.isInteger(n) && n > LOWEST + 1000 ? n : 32768;
  } catch {
    return 32768; // Linux's default low bound; other systems use 49152 and up
  }
}

async function freePorts(count) {
  const highest = ephemeralLow() - 1;
  const base = LOWEST + Math.floor(Math.random() * (highest - LOWEST - 200));
  return portfinder.getPortsPromise(count, { host: '127.0.0.1', port: base, stopPort: highest });
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? '1');
  if (!Number.isInteger(count) || count < 1) {
    console.error('usage: node scripts/free-ports.js <count>');
    process.exit(2);
  }
  freePorts(count).then(
    (ports) => console.log(ports.join('\n')),
    (error) => {
      console.error(`free-ports: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

module.exports = { freePorts };
