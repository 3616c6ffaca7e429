// A private federation stack for the browser tests and the benchmark: a fresh
// database on the PostgreSQL that `tools/dev test` runs (FED_TEST_PG_URL),
// registry + aggregator + ranking + competition + reporting + dashboard processes from the
// build tree (FED_TEST_BUILD_DIR) on spare loopback ports, the demo data
// (registry, reports, ranking scheme, contests) loaded with fed-demo. stop() ends every process it
// started and drops the database, also when the test run is interrupted.
//
// The dashboard speaks HTTPS with the test run's authority, and everything
// here trusts that authority rather than ignoring certificate errors: Node
// through NODE_EXTRA_CA_CERTS (with_test_ca.mjs starts it so), Chromium
// through an NSS database holding the authority (launchBrowser).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const WEB_DIR = path.join(SOURCE_DIR, 'services/dashboard/web');

// Where a test leaves its screenshots (and the benchmark its figures) for a
// person to look at.
export function outputDir() {
  return process.env.FED_DASHBOARD_OUTPUT_DIR ||
    path.join(process.env.FED_TEST_BUILD_DIR || '.', 'test-output/dashboard');
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`tools/dev test\``);
  return value;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The test run's TLS directory (as tests/support/test_tls.h): FED_TEST_TLS_DIR,
// else test-tls/ in the build tree; tools/tls-certs makes what is missing
// (a certificate per service of deploy/topology.txt, "operator" for fedctl,
// fed-demo and the e2e tool, "test").
export function testTlsDir(buildDir) {
  const dir = process.env.FED_TEST_TLS_DIR || path.join(buildDir, 'test-tls');
  const services = fs.readFileSync(path.join(SOURCE_DIR, 'deploy/topology.txt'), 'utf8').split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(/\s+/)[0]).filter(Boolean);
  execFileSync(path.join(SOURCE_DIR, 'tools/tls-certs'), [dir, ...services, 'operator', 'test'], { stdio: 'pipe' });
  return dir;
}

function psqlBinary() {
  for (const dir of fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort().reverse() : []) {
    const candidate = `/usr/lib/postgresql/${dir}/bin/psql`;
    if (fs.existsSync(candidate)) return candidate;
  }
  return 'psql';
}

const live = new Set();
function killAllSync() {
  for (const child of live) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}
process.once('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { killAllSync(); process.exit(130); });
}

export class Stack {
  // `emulation`: start the emulation service (it needs `rankings`) and run
  // `fed-demo emulation` with that value as --stop_at ('awarded' carries the
  // demo year through); false: no emulation service. `metrics`: the
  // dashboard serves its Prometheus metrics at `this.dashboardMetricsUrl`.
  constructor({ name = 'dash_e2e', demoReports = true, contests = true, rankings = true, emulation = false, metrics = false } = {}) {
    this.emulation = emulation;
    this.metrics = metrics;
    this.demoReports = demoReports;
    this.contests = contests;
    this.rankings = rankings;
    this.buildDir = required('FED_TEST_BUILD_DIR');
    this.adminUrl = required('FED_TEST_PG_URL');
    this.dbName = `${name}_${process.pid}_${Date.now() % 100000}`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-dashboard-'));
    // The token issuer's key pair: the private half for fedctl, fed-demo and
    // the e2e tool, the public half for the services.
    this.issuerKey = path.join(this.dir, 'issuer', 'e2e.key');
    this.keysDir = path.join(this.dir, 'token-keys');
    this.children = [];
    this.fedctl = path.join(this.buildDir, 'tools/fedctl/fedctl');
    this.fedDemo = path.join(this.buildDir, 'tools/demo/fed-demo');
    this.tool = path.join(this.buildDir, 'services/dashboard/dashboard_e2e_tool');
    this.tlsDir = testTlsDir(this.buildDir);
    if (process.env.NODE_EXTRA_CA_CERTS !== this.caFile) {
      throw new Error(`Node does not trust ${this.caFile}: run through services/dashboard/tests/browser/with_test_ca.mjs`);
    }
  }

  // Every process of the stack speaks TLS, each with its own certificate.
  get tlsArgs() {
    return [`--tls_dir=${this.tlsDir}`];
  }

  get caFile() {
    return path.join(this.tlsDir, 'ca.crt');
  }

  psql(sql) {
    execFileSync(psqlBinary(), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', this.adminUrl, '-c', sql], { stdio: 'pipe' });
  }

  get dbUrl() {
    const url = new URL(this.adminUrl);
    url.pathname = `/${this.dbName}`;
    return url.toString();
  }

  spawnService(name, args) {
    const bin = path.join(this.buildDir, `services/${name}/${name}_server`);
    if (!fs.existsSync(bin)) throw new Error(`missing ${bin}: build first (tools/dev build)`);
    const log = fs.openSync(path.join(this.dir, `${name}.log`), 'w');
    const child = spawn(bin, [...args, ...this.tlsArgs], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child.serviceName = name;
    this.children.push(child);
    live.add(child);
    child.once('exit', () => live.delete(child));
    return child;
  }

  logTail(name) {
    try {
      return fs.readFileSync(path.join(this.dir, `${name}.log`), 'utf8').split('\n').slice(-30).join('\n');
    } catch { return ''; }
  }

  async waitGrpc(name, child, address) {
    for (let i = 0; i < 120; i++) {
      if (child.exitCode !== null) throw new Error(`${name} exited:\n${this.logTail(name)}`);
      try {
        execFileSync(this.fedctl, [`--target=${address}`, ...this.tlsArgs, 'health'], { stdio: 'pipe', timeout: 5000 });
        return;
      } catch { await sleep(250); }
    }
    throw new Error(`${name} not healthy:\n${this.logTail(name)}`);
  }

  async waitHttp(child) {
    for (let i = 0; i < 120; i++) {
      if (child.exitCode !== null) throw new Error(`dashboard exited:\n${this.logTail('dashboard')}`);
      try {
        const res = await fetch(`${this.baseUrl}/healthz`);
        if (res.ok && (await res.json()).changeFeedReady) return;
      } catch { /* not yet */ }
      await sleep(250);
    }
    throw new Error(`dashboard not healthy:\n${this.logTail('dashboard')}`);
  }

  fedctlRun(args) {
    return this.run(this.fedctl, args);
  }

  // fed-demo (tools/demo) takes fedctl's global options.
  demoRun(args) {
    return this.run(this.fedDemo, args);
  }

  run(binary, args) {
    return execFileSync(binary, [`--target=${this.registry}`, `--issuer_key=${this.issuerKey}`, ...this.tlsArgs, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
  }

  async start() {
    execFileSync(this.fedctl, ['token', 'new-key', '--kid=e2e', `--issuer_dir=${path.dirname(this.issuerKey)}`,
      `--keys_dir=${this.keysDir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.psql(`create database ${this.dbName}`);
    this.dbCreated = true;
    const [r, a, d, c, k, p, e] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(),
      await freePort(), await freePort()];
    this.registry = `127.0.0.1:${r}`;
    this.ranking = `127.0.0.1:${k}`;
    this.aggregator = `127.0.0.1:${a}`;
    this.competition = `127.0.0.1:${c}`;
    this.reporting = `127.0.0.1:${p}`;
    this.emulationAddress = `127.0.0.1:${e}`;
    this.baseUrl = `https://127.0.0.1:${d}`;
    const common = [`--db=${this.dbUrl}`, `--token_keys_dir=${this.keysDir}`];
    const registry = this.spawnService('registry', [`--listen=${this.registry}`, ...common]);
    await this.waitGrpc('registry', registry, this.registry);
    this.demoRun(['load', `--provinces_csv=${path.join(SOURCE_DIR, 'deploy/demo/provinces.csv')}`]);
    const aggregator = this.spawnService('aggregator', [`--listen=${this.aggregator}`, `--registry_target=${this.registry}`, ...common]);
    await this.waitGrpc('aggregator', aggregator, this.aggregator);
    if (this.demoReports) this.demoRun(['reports', `--aggregator=${this.aggregator}`]);
    if (this.rankings) {
      // After the reports: it follows the aggregator's change feed from there.
      const ranking = this.spawnService('ranking', [`--listen=${this.ranking}`, `--registry_target=${this.registry}`,
        `--aggregator_target=${this.aggregator}`, ...common]);
      await this.waitGrpc('ranking', ranking, this.ranking);
      this.demoRun(['ranking', `--ranking=${this.ranking}`]);
    }
    if (this.contests) {
      const competition = this.spawnService('competition', [`--listen=${this.competition}`, `--registry_target=${this.registry}`, ...common]);
      await this.waitGrpc('competition', competition, this.competition);
      this.demoRun(['contests', `--provinces_csv=${path.join(SOURCE_DIR, 'deploy/demo/provinces.csv')}`, `--competition=${this.competition}`]);
    }
    if (this.emulation) {
      // The clusters' emulation year, from the ranking's scheme and the registry's clusters.
      const emulation = this.spawnService('emulation', [`--listen=${this.emulationAddress}`, `--registry_target=${this.registry}`,
        `--ranking_target=${this.ranking}`, ...common]);
      await this.waitGrpc('emulation', emulation, this.emulationAddress);
      const started = Date.now();
      this.demoRun(['emulation', `--emulation=${this.emulationAddress}`, `--stop_at=${this.emulation}`]);
      console.log(`fed-demo emulation --stop_at=${this.emulation}: ${Date.now() - started} ms`);
    }
    // The provinces' reporting service: drafts and submissions made on the
    // page; its forwarder pushes them to the aggregator, decisions come back.
    const reporting = this.spawnService('reporting', [`--listen=${this.reporting}`, `--registry_target=${this.registry}`,
      `--aggregator_target=${this.aggregator}`, `--competition_target=${this.competition}`,
      `--emulation_target=${this.emulation ? this.emulationAddress : ''}`, ...common]);
    await this.waitGrpc('reporting', reporting, this.reporting);
    const metricsPort = this.metrics ? await freePort() : 0;
    if (this.metrics) this.dashboardMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const dashboard = this.spawnService('dashboard', [
      `--listen=127.0.0.1:${d}`,
      ...(this.metrics ? [`--metrics_listen=127.0.0.1:${metricsPort}`] : []),
      `--token_keys_dir=${this.keysDir}`,
      `--registry_target=${this.registry}`,
      `--aggregator_target=${this.aggregator}`,
      ...(this.contests ? [`--competition_target=${this.competition}`] : ['--competition_target=']),
      ...(this.rankings ? [`--ranking_target=${this.ranking}`] : ['--ranking_target=']),
      `--reporting_target=${this.reporting}`,
      `--emulation_target=${this.emulation ? this.emulationAddress : ''}`,
      `--web_root=${path.join(WEB_DIR, 'dist')}`,
    ]);
    await this.waitHttp(dashboard);
  }

  // A session of the dashboard's JSON API as a script would use it, as the
  // token's person: call(service, method, body) -> { status, body }.
  async apiSession(token) {
    const login = await fetch(`${this.baseUrl}/api/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status}`);
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const me = await (await fetch(`${this.baseUrl}/api/me`, { headers: { Cookie: cookie } })).json();
    if (!me.csrfToken) throw new Error('/api/me carries no CSRF token');
    return async (service, method, body) => {
      const res = await fetch(`${this.baseUrl}/api/call/${service}/${method}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
  }

  token(role, org, subject = `e2e-${role}`) {
    return this.fedctlRun(['token', 'issue', `--subject=${subject}`, `--org=${org}`, `--role=${role}`, '--ttl=2h']).trim();
  }

  completeness(period) {
    return JSON.parse(this.fedctlRun(['completeness', `--aggregator=${this.aggregator}`, `--period=${period}`, '--board', '--json']));
  }

  // The competition service's statistics of `year` (`fedctl contest stats
  // --json`: proto field names, zero values left out).
  contestStats(year, org = '') {
    const args = ['contest', 'stats', `--competition=${this.competition}`, `--year=${year}`, '--json'];
    if (org) args.push(`--org=${org}`);
    return JSON.parse(this.fedctlRun(args));
  }

  // The ranking service's rankings of `period` (`fedctl ranking show --json`:
  // proto field names, zero values left out).
  rankingShow(period, cluster = 0) {
    const args = ['ranking', 'show', `--ranking=${this.ranking}`, `--period=${period}`, '--json'];
    if (cluster) args.push(`--cluster=${cluster}`);
    return JSON.parse(this.fedctlRun(args));
  }

  // Stops one service (e.g. to see how the dashboard copes without it).
  async stopService(name) {
    for (const child of this.children) {
      if (child.serviceName !== name || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }

  // Push a report (as a provincial system would) / accept it (as a reviewer).
  push(org, period, revision, achievements = 'Hoàn thành kế hoạch.') {
    return execFileSync(this.tool, ['push', `--aggregator=${this.aggregator}`, `--issuer_key=${this.issuerKey}`, ...this.tlsArgs,
      `--org=${org}`, `--period=${period}`, `--revision=${revision}`, `--achievements=${achievements}`], { encoding: 'utf8' });
  }

  accept(org, period, revision) {
    return execFileSync(this.tool, ['accept', `--aggregator=${this.aggregator}`, `--issuer_key=${this.issuerKey}`, ...this.tlsArgs,
      `--org=${org}`, `--period=${period}`, `--revision=${revision}`], { encoding: 'utf8' });
  }

  async stop() {
    // Dashboard first (it follows the others), then competition, ranking, aggregator, registry.
    for (const child of [...this.children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) {
        // Stopped on purpose (stopService) or died: its log says which.
        console.error(`${child.serviceName} had exited (${child.signalCode ?? child.exitCode}):\n${this.logTail(child.serviceName)}`);
        continue;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    }
    if (this.dbCreated) {
      try { this.psql(`drop database if exists ${this.dbName} with (force)`); } catch (e) { console.error(`could not drop ${this.dbName}: ${e}`); }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// A HOME for Chromium whose NSS database (~/.pki/nssdb, where Chromium on
// Linux looks for the user's own authorities) trusts `caFile` for servers.
function homeTrusting(caFile, dir) {
  const nssdb = path.join(dir, '.pki/nssdb');
  fs.mkdirSync(nssdb, { recursive: true });
  try {
    execFileSync('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password'], { stdio: 'pipe' });
    execFileSync('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'federation test CA', '-i', caFile], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`cannot give Chromium the test authority (certutil, from libnss3-tools: tools/dev deps): ${e.message}`);
  }
  return dir;
}

// Headless Debian Chromium through playwright-core, with a fresh profile,
// trusting the authority `caFile` (and no other private one).
export async function launchBrowser(profileDir, { caFile, ...options }) {
  const { createRequire } = await import('node:module');
  const require = createRequire(path.join(WEB_DIR, 'package.json'));
  const { chromium } = require('playwright-core');
  const home = homeTrusting(caFile, path.join(profileDir, 'home'));
  return chromium.launchPersistentContext(path.join(profileDir, 'chromium'), {
    executablePath: process.env.FED_CHROMIUM || '/usr/bin/chromium',
    env: { ...process.env, HOME: home },
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 900 },
    locale: 'vi-VN',
    ...options,
  });
}

// The page has asked who is signed in and routed: its header shows the
// logout button. Before that the page may still move its own address (a
// province's `/` becomes `#/reports`), and Playwright's `goto` to another
// `#/…` of the same document returns on the first in-document navigation it
// sees, which can be the page's own move: a `reload()` then reopened the
// province's reports instead of the year asked for (a CI failure).
export async function signedIn(page) {
  await page.getByTestId('logout').waitFor();
}
