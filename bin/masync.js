#!/usr/bin/env node
'use strict';
// Thin launcher: all logic lives in the compiled CLI, which never calls process.exit itself.
const { main } = require('../dist/src/cli/main.js');
main(process.argv).then((code) => { process.exitCode = code; });
