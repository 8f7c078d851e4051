#!/usr/bin/env node
'use strict';
// Thin launcher: all logic lives in the compiled CLI, which never calls process.exit itself.
// A reader that stops early (`masync findings --json | head`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
const { main } = require('../dist/src/cli/main.js');
main(process.argv).then((code) => { process.exitCode = code; });
