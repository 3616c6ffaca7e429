// Runs `node ARGS...` trusting the test run's certificate authority (the
// dashboard's HTTPS): Node reads NODE_EXTRA_CA_CERTS only when it starts, and
// the authority may be made only now (tools/tls-certs, see stack.mjs).
//   node with_test_ca.mjs --test dashboard.e2e.mjs
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { testTlsDir } from './stack.mjs';

const buildDir = process.env.FED_TEST_BUILD_DIR;
if (!buildDir) throw new Error('FED_TEST_BUILD_DIR is not set: run the tests with `tools/dev test`');
const caFile = path.join(testTlsDir(buildDir), 'ca.crt');
const child = spawnSync(process.execPath, process.argv.slice(2), {
  stdio: 'inherit',
  env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
});
process.exit(child.status ?? 1);
