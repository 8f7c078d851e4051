'use strict';
// Preloaded into a spawned CLI (NODE_OPTIONS=--require): a library's process warning, multi-line as the AWS SDK's Node-version notice is, once the run is under way.
setTimeout(() => process.emitWarning('ExampleSupportWarning: a library notice\nacross two lines'), Number(process.env.MASYNC_TEST_WARNING_AFTER_MS ?? 0)).unref();
