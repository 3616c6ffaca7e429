// dashboard_bench: figures for the national dashboard, printed against
// baselines measured in the same run (not a pass/fail test).
//  1. Time to first meaningful paint of the board (every province's cell on
//     screen) in headless Chromium, cold page loads; baseline: the login page.
//  2. JSON API latency (p50/p99) under 100 concurrent viewers, each also
//     holding a live-update stream, while the 63 provinces push their
//     half-year reports and the office accepts them; baseline: one viewer,
//     no pushes. Two storms: viewers reloading their three views once a
//     second, then viewers in a closed loop (the next request as soon as
//     the answer is in), which is what this machine serves with the Node
//     client and the pushing tool sharing its two cores.
//  3. Time from an accepted report to its live event on a dashboard stream
//     (the aggregator's WatchChanges stream, then the dashboard's server-sent
//     events); baseline: the AcceptReport call itself. Measured alone on a
//     quiet board, and again for every acceptance during both storms of 2.
// Runs its own stack over a fresh database (see
// services/dashboard/tests/browser/stack.mjs), over HTTPS: `tools/dev bench`.
// Each service, PostgreSQL, the pushing tool and this client run in CPU
// groups of their own with equal shares (CpuGroups), as deploy/systemd runs
// each unit, when this machine lets the benchmark make them.
// Each viewer has a session of its own (a session holds at most 4 streams).
// The viewers run on VIEWER_LOOPS worker threads, and the stream that times
// the live events on one more, each with its own event loop as each viewer's
// browser has: on one loop, a hundred viewers' callbacks queued behind each
// other and made most of what the client measured (stop 18: that loop ran
// late by p50 15 ms, p99 144 ms).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import { launchBrowser, SOURCE_DIR, Stack } from '../../services/dashboard/tests/browser/stack.mjs';

const run = promisify(execFile);
const PERIOD = '2025H1';  // 63 provinces expected; no reports in this scratch database
const VIEWERS = 100;
const VIEWER_LOOPS = 4;
const LOADS = 7;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;
// Math.max(...xs) overflows the stack for a closed loop's samples.
const max = (xs) => xs.reduce((m, x) => Math.max(m, x), -Infinity);

// CPU groups with equal shares (cgroup v1's cpu controller, as root), one
// per service, PostgreSQL, the pushing tool and this client: what systemd
// gives every unit of deploy/systemd (a cgroup each, CPUWeight=100 each).
// Without them every thread of the machine competes one by one, and the
// dashboard's hundred connection threads and this client's loops outweigh
// the intake's few: in stop 19's closed loop, pushes waited 20 s and failed.
// FED_BENCH_CPU_GROUPS=0 runs without them, for comparison.
class CpuGroups {
  static ROOT = '/sys/fs/cgroup/cpu';

  constructor() {
    this.dirs = new Map();
    this.available = process.env.FED_BENCH_CPU_GROUPS !== '0' && fs.existsSync(path.join(CpuGroups.ROOT, 'cpu.shares'));
  }

  // Moves the processes `pids` into group `name`; false if it could not.
  place(name, pids) {
    if (!this.available) return false;
    try {
      const procs = this.procsFile(name);
      for (const pid of pids) fs.writeFileSync(procs, String(pid));
      return true;
    } catch (e) {
      console.error(`dashboard_bench: no CPU group for ${name} (${e.message}); processes share one`);
      this.available = false;
      return false;
    }
  }

  // The file a process writes its pid to to enter group `name`.
  procsFile(name) {
    if (!this.dirs.has(name)) {
      const dir = path.join(CpuGroups.ROOT, `fed-bench-${process.pid}-${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'cpu.shares'), '1024');
      this.dirs.set(name, dir);
    }
    return path.join(this.dirs.get(name), 'cgroup.procs');
  }

  // Runs `bin args` in group `name` (the pid written before exec).
  command(name, bin, args) {
    if (!this.available) return [bin, args];
    return ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', this.procsFile(name), bin, ...args]];
  }

  // Everything still in a group back to the root group, and the groups gone.
  close() {
    for (const dir of this.dirs.values()) {
      try {
        for (const pid of fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
          try { fs.writeFileSync(path.join(CpuGroups.ROOT, 'cgroup.procs'), pid); } catch { /* exited */ }
        }
        fs.rmdirSync(dir);
      } catch (e) {
        console.error(`dashboard_bench: could not remove ${dir}: ${e.message}`);
      }
    }
    this.dirs.clear();
  }
}

const cpuGroups = new CpuGroups();
// dashboard_e2e_tool, in the pushing tool's group: a province's system.
const runTool = (stack, args) => run(...cpuGroups.command('tool', stack.tool, args));

async function paint(browser, url, selector, expectCount) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length >= n, [selector, expectCount]);
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return ms;
}

// A GET on the viewer's own kept-alive connection (`agent`, as a browser
// tab's); its status once the whole body is in. node:https, not fetch: with
// 100 viewers and 100 streams in this one process, fetch's own work made
// this client's event loop, not the dashboard, most of each figure.
function getBody(url, headers, agent) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { headers, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    // An answer that never comes fails the run instead of hanging it.
    req.setTimeout(60000, () => req.destroy(new Error(`no answer in 60 s: ${url}`)));
    req.on('error', reject);
  });
}

// Sent again once when the server had closed the kept-alive connection it
// went out on (as a browser does): the client can reuse a connection just as
// the server's keep-alive ends. Counted in `retries`.
async function getOnce(url, headers, retries, agent) {
  try {
    return await getBody(url, headers, agent);
  } catch (e) {
    if (e.code !== 'ECONNRESET' && e.message !== 'socket hang up') throw e;
    retries.count++;
    return getBody(url, headers, agent);
  }
}

async function openStream(base, cookie, controller, received) {
  const res = await fetch(`${base}/api/events`, { headers: { Cookie: cookie }, signal: controller.signal });
  if (!res.ok) throw new Error(`live stream: ${res.status} ${await res.text()}`);
  const reader = res.body.getReader();
  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.bytes += value.length;
        received.changes += (Buffer.from(value).toString().match(/event: change/g) || []).length;
      }
    } catch { /* aborted */ }
  })();
}

// One stream that notes when each organisation's "accepted" event arrived.
async function watchAccepts(base, cookie, controller, arrivals) {
  const res = await fetch(`${base}/api/events`, { headers: { Cookie: cookie }, signal: controller.signal });
  if (!res.ok) throw new Error(`live stream: ${res.status} ${await res.text()}`);
  const reader = res.body.getReader();
  (async () => {
    let text = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const at = performance.timeOrigin + performance.now();
        text += Buffer.from(value).toString();
        let end;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const message = text.slice(0, end);
          text = text.slice(end + 2);
          const data = message.split('\n').find((l) => l.startsWith('data: '));
          if (!message.includes('event: change') || !data) continue;
          const change = JSON.parse(data.slice(6));
          if (change.event === 'accepted') arrivals.set(`${change.organizationCode}/${change.period}`, at);
        }
      }
    } catch { /* aborted */ }
  })();
}

// A new session for `token`: its Cookie header value.
async function login(base, token) {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!res.ok) throw new Error(`login: ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

// A viewer's board, totals and coverage for `period`, `everyMs` apart (0:
// each request right after the previous answer), until `until()`.
// A viewer's connection comes from loading its page: the first load, with
// its TLS handshake, is not timed (`agent` given: opened by openViews).
async function viewerLoop(base, cookie, until, samples, { retries = { count: 0 }, everyMs = 0, period = PERIOD, agent = null } = {}) {
  const headers = { Cookie: cookie };
  const paths = viewPaths(period);
  agent ??= await openViews(base, cookie, period);
  let next = performance.now() + Math.random() * everyMs;
  while (!until()) {
    if (everyMs > 0) {
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
      next += everyMs;
      if (until()) break;
    }
    for (const p of paths) {
      const t0 = performance.now();
      const status = await getOnce(base + p, headers, retries, agent);
      if (status !== 200) throw new Error(`${p}: ${status}`);
      samples.push(performance.now() - t0);
    }
  }
  agent.destroy();
}

function viewPaths(period) {
  return [`/api/board?period=${period}`, `/api/totals?period=${period}`, `/api/coverage?period=${period}`];
}

// A viewer's kept-alive connection, opened by loading its three views once
// (as its page did when it opened).
async function openViews(base, cookie, period) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  for (const p of viewPaths(period)) {
    const status = await getBody(base + p, { Cookie: cookie }, agent);
    if (status !== 200) throw new Error(`${p}: ${status}`);
  }
  return agent;
}

// The dashboard's own count of the views' answers (board, totals,
// coverage): each bucket of fed_http_request_duration_seconds, added over
// the three routes, by upper bound in seconds.
async function serverBuckets(stack) {
  const text = await (await fetch(stack.dashboardMetricsUrl)).text();
  const buckets = new Map();
  const re = /^fed_http_request_duration_seconds_bucket\{(.*)\} ([0-9.e+]+)$/gm;
  for (const [, labels, count] of text.matchAll(re)) {
    if (!/route="\/api\/(board|totals|coverage)"/.test(labels)) continue;
    const le = /le="([^"]+)"/.exec(labels)[1];
    buckets.set(le, (buckets.get(le) ?? 0) + Number(count));
  }
  return buckets;
}

// From two scrapes, the bucket bounds under which half and 99 % of the
// answers between them were sent, as the server timed them (from routing to
// the answer written), so a slow client is told apart from a slow server.
function serverPercentiles(before, after) {
  const bounds = [...after.keys()].sort((a, b) => Number(a) - Number(b));  // "+Inf" sorts last
  const total = after.get('+Inf') - (before.get('+Inf') ?? 0);
  const at = (p) => {
    const le = bounds.find((b) => after.get(b) - (before.get(b) ?? 0) >= p * total);
    return le === '+Inf' ? 'over 10 s' : `<= ${Number(le) * 1000} ms`;
  };
  return { total, p50: at(0.5), p99: at(0.99) };
}

// Rejects once any worker fails (a viewer's request refused or unanswered):
// what waits for a worker's answer races it, so the run ends, stopping its
// stack, instead of waiting for ever.
let failWorker;
const workerFailed = new Promise((_, reject) => { failWorker = reject; });
workerFailed.catch(() => undefined);

// A worker thread running `job` (viewerWorker or watcherWorker below) with
// `data`; `onMessage` sees what it posts. Resolves once it posts "ready".
function startWorker(job, data, onMessage = () => undefined) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { job, ...data } });
  worker.on('error', (e) => failWorker(new Error(`${job} worker: ${e.stack ?? e}`)));
  const ready = new Promise((resolve) => {
    worker.on('message', (m) => (m.type === 'ready' ? resolve(worker) : onMessage(m)));
  });
  return Promise.race([ready, workerFailed]);
}

// Posts `type` to `worker` and waits for its answer of the same type
// ("close": then ends the worker).
function ask(worker, type) {
  const answer = new Promise((resolve) => {
    const listener = (m) => {
      if (m.type !== type) return;
      worker.off('message', listener);
      if (type === 'close') worker.terminate();
      resolve(m);
    };
    worker.on('message', listener);
    worker.postMessage({ type });
  });
  return Promise.race([answer, workerFailed]);
}

// A worker's viewers: each opens its live stream, then ("start") loads its
// views until "stop"; "close" ends the streams.
async function viewerWorker({ base, cookies, everyMs, period }) {
  const controller = new AbortController();
  const received = { bytes: 0, changes: 0 };
  for (const viewer of cookies) await openStream(base, viewer, controller, received);
  const agents = [];
  for (const viewer of cookies) agents.push(await openViews(base, viewer, period));
  const loaded = [];
  const retries = { count: 0 };
  const lag = monitorEventLoopDelay({ resolution: 10 });
  let stopped = false;
  let viewers = [];
  parentPort.on('message', async ({ type }) => {
    if (type === 'start') {
      lag.enable();
      viewers = cookies.map((viewer, i) => viewerLoop(base, viewer, () => stopped, loaded, { retries, everyMs, period, agent: agents[i] }));
    } else if (type === 'stop') {
      stopped = true;
      await Promise.all(viewers);
      lag.disable();
      parentPort.postMessage({ type, loaded, retries: retries.count, lagP50: lag.percentile(50) / 1e6, lagP99: lag.percentile(99) / 1e6 });
    } else if (type === 'close') {
      controller.abort();
      parentPort.postMessage({ type, changes: received.changes });
    }
  });
  parentPort.postMessage({ type: 'ready' });
}

// The stream that times each "accepted" event, posted as it arrives.
async function watcherWorker({ base, cookie }) {
  const controller = new AbortController();
  const arrivals = { set: (key, at) => parentPort.postMessage({ type: 'arrival', key, at }) };
  await watchAccepts(base, cookie, controller, arrivals);
  parentPort.on('message', ({ type }) => {
    controller.abort();
    parentPort.postMessage({ type });
  });
  parentPort.postMessage({ type: 'ready' });
}

// A watcher worker on a session of its own, filling `arrivals`.
async function startWatcher(stack, token, arrivals) {
  return startWorker('watcher', { base: stack.baseUrl, cookie: await login(stack.baseUrl, token) },
    (m) => arrivals.set(m.key, m.at));
}

// 63 provinces push revision 1 for `period` and the office accepts each, 4
// at a time (dashboard_e2e_tool, a process per call, each call with a 20 s
// deadline). Notes in `accepted` when each acceptance returned; resolves
// with the milliseconds it all took and the calls that failed: a storm that
// starves the intake is a figure to print, not a reason to stop.
async function pushAndAccept(stack, provinces, period, accepted) {
  const t0 = performance.now();
  const queue = [...provinces];
  const failures = [];
  const worker = async () => {
    for (let code; (code = queue.shift());) {
      const args = [`--aggregator=${stack.aggregator}`, `--issuer_key=${stack.issuerKey}`, ...stack.tlsArgs, `--org=${code}`, `--period=${period}`, '--revision=1'];
      try {
        await runTool(stack, ['push', ...args]);
        const { stderr } = await runTool(stack, ['accept', ...args]);
        accepted.set(`${code}/${period}`, Number(/accepted_at_unix_ms=([0-9.]+)/.exec(stderr)[1]));
      } catch (e) {
        failures.push(`${code}: ${(e.stderr ?? String(e)).trim()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { ms: performance.now() - t0, failures };
}

// One push storm for `period` (63 provinces push and are accepted, 4 at a
// time) under 100 viewers, each with a live stream and its own session,
// requesting `everyMs` apart (0: closed loop). What they saw.
async function storm(stack, token, provinces, period, everyMs) {
  const cookies = [];
  for (let i = 0; i < VIEWERS; i++) cookies.push(await login(stack.baseUrl, token));
  const workers = [];
  for (let w = 0; w < VIEWER_LOOPS; w++) {
    const mine = cookies.filter((_, i) => i % VIEWER_LOOPS === w);
    workers.push(await startWorker('viewers', { base: stack.baseUrl, cookies: mine, everyMs, period }));
  }
  // One more stream notes when each acceptance of the storm arrives.
  const arrivals = new Map();
  const accepted = new Map();
  const watcher = await startWatcher(stack, token, arrivals);
  const pushing = pushAndAccept(stack, provinces, period, accepted);
  const scraped = await serverBuckets(stack);
  const viewStart = performance.now();
  for (const w of workers) w.postMessage({ type: 'start' });
  const { ms: pushMs, failures } = await pushing;
  // Keep the viewers going briefly after the last push, then stop them.
  await new Promise((r) => setTimeout(r, 1000));
  const stops = await Promise.all(workers.map((w) => ask(w, 'stop')));
  const viewMs = performance.now() - viewStart;
  const loaded = stops.flatMap((m) => m.loaded);
  // How late the client's own event loops ran (the worst of them): every
  // request's time above includes it.
  const clientLag = { p50: Math.max(...stops.map((m) => m.lagP50)), p99: Math.max(...stops.map((m) => m.lagP99)) };
  const retries = stops.reduce((n, m) => n + m.retries, 0);
  const server = serverPercentiles(scraped, await serverBuckets(stack));
  await new Promise((r) => setTimeout(r, 1500));
  const closes = await Promise.all(workers.map((w) => ask(w, 'close')));
  await ask(watcher, 'close');
  const changes = closes.reduce((n, m) => n + m.changes, 0);
  const liveMs = [...accepted].filter(([k]) => arrivals.has(k)).map(([k, at]) => arrivals.get(k) - at);
  return { period, pushMs, failures, viewMs, loaded, server, clientLag, retries, liveMs, accepted: accepted.size, changes };
}

async function main() {
  const stack = new Stack({ name: 'dash_bench', demoReports: false, contests: false, rankings: false, metrics: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-bench-chromium-'));
  let browser;
  try {
    await stack.start();
    for (const child of stack.children) cpuGroups.place(child.serviceName, [child.pid]);
    let postgres = [];
    try { postgres = execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' }).split('\n').filter(Boolean); } catch { /* none found */ }
    cpuGroups.place('postgres', postgres);
    cpuGroups.place('client', [process.pid]);
    const token = stack.token('viewer', 'VUSTA', 'bench');
    const cookie = await login(stack.baseUrl, token);
    const provinces = fs.readFileSync(path.join(SOURCE_DIR, 'deploy/demo/provinces.csv'), 'utf8')
      .trim().split('\n').slice(1).map((l) => l.split(',')[0]);

    // 1. First meaningful paint.
    browser = await launchBrowser(profile, { caFile: stack.caFile });
    const [name, value] = cookie.split('=');
    await browser.addCookies([{ name, value, url: stack.baseUrl, httpOnly: true, secure: true, sameSite: 'Strict' }]);
    await paint(browser, `${stack.baseUrl}/?period=${PERIOD}`, '[data-testid="cell"]', provinces.length);  // warm-up
    const loginMs = [], boardMs = [];
    for (let i = 0; i < LOADS; i++) {
      loginMs.push(await paint(browser, `${stack.baseUrl}/login`, '[data-testid="login-form"]', 1));
      boardMs.push(await paint(browser, `${stack.baseUrl}/?period=${PERIOD}`, '[data-testid="cell"]', provinces.length));
    }
    await browser.close();
    browser = null;

    // 3. (measured first, while the board is quiet) Accepted report -> live event,
    // one report at a time.
    const LIVE_PERIOD = '2024H2';  // every demo province existed then
    const arrivals = new Map();
    // A session of its own: the page loads above each held a stream of the
    // first session until the server noticed them gone (at most 4 a session).
    const watcher = await startWatcher(stack, token, arrivals);
    await new Promise((r) => setTimeout(r, 300));
    const liveMs = [], acceptMs = [];
    for (const code of provinces.slice(0, 21)) {
      const args = [`--aggregator=${stack.aggregator}`, `--issuer_key=${stack.issuerKey}`, ...stack.tlsArgs, `--org=${code}`, `--period=${LIVE_PERIOD}`, '--revision=1'];
      await runTool(stack, ['push', ...args]);
      const { stderr } = await runTool(stack, ['accept', ...args]);
      const acceptedAt = Number(/accepted_at_unix_ms=([0-9.]+)/.exec(stderr)[1]);
      acceptMs.push(Number(/call_ms=([0-9.]+)/.exec(stderr)[1]));
      const key = `${code}/${LIVE_PERIOD}`;
      const until = Date.now() + 5000;
      while (!arrivals.has(key) && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
      if (arrivals.has(key)) liveMs.push(arrivals.get(key) - acceptedAt);
    }
    await ask(watcher, 'close');
    console.log('dashboard_bench: accepted report -> its live event on the board (one at a time, quiet board):');
    console.log(`    ${liveMs.length} of 21 reports  median ${fmt(pct(liveMs, 50))}  p90 ${fmt(pct(liveMs, 90))}  max ${fmt(max(liveMs))}`);
    console.log(`    baseline (the AcceptReport call itself)  median ${fmt(pct(acceptMs, 50))}  max ${fmt(max(acceptMs))}`);

    // 2a. Baseline: one viewer, nothing else going on.
    const baseline = [];
    const baselineEnd = Date.now() + 3000;
    await viewerLoop(stack.baseUrl, cookie, () => Date.now() >= baselineEnd, baseline);

    // 2b. 100 viewers with live streams while 63 provinces push and get
    // accepted: first as people would (each page reloads its three views once
    // a second, 300 requests/s in all), then as fast as each viewer can
    // (closed loop: every answer sends the next request at once), which
    // measures what the machine can serve with this Node client on it.
    const paced = await storm(stack, token, provinces, '2024H1', 1000);
    const flat = await storm(stack, token, provinces, PERIOD, 0);

    console.log('dashboard_bench');
    console.log(cpuGroups.available
      ? '  CPU: each service, PostgreSQL, the pushing tool and this client in a group of its own, equal shares (as systemd runs each unit)'
      : '  CPU: every process in one group, threads competing one by one (no CPU groups here, or FED_BENCH_CPU_GROUPS=0)');
    console.log(`  first meaningful paint of the board (${provinces.length} cells), ${LOADS} cold loads:`);
    console.log(`    board  median ${fmt(pct(boardMs, 50))}  max ${fmt(max(boardMs))}`);
    console.log(`    baseline (login page)  median ${fmt(pct(loginMs, 50))}  max ${fmt(max(loginMs))}`);
    console.log(`  JSON API latency (board, totals, coverage for ${PERIOD}):`);
    console.log(`    baseline 1 viewer: ${baseline.length} requests  p50 ${fmt(pct(baseline, 50))}  p99 ${fmt(pct(baseline, 99))}`);
    for (const [name, r] of [['each reloading every second', paced], ['closed loop, as fast as each can', flat]]) {
      console.log(`    ${VIEWERS} viewers + live streams, ${name}, while ${provinces.length} provinces push and are accepted for ${r.period} (${(r.pushMs / 1000).toFixed(1)} s):`);
      console.log(`      ${r.loaded.length} requests (${(r.loaded.length / r.viewMs * 1000).toFixed(0)}/s)  p50 ${fmt(pct(r.loaded, 50))}  p99 ${fmt(pct(r.loaded, 99))}  max ${fmt(max(r.loaded))}  (${r.retries} sent again on a fresh connection)`);
      console.log(`      the same as the dashboard timed them: ${r.server.total} answers  p50 ${r.server.p50}  p99 ${r.server.p99}`);
      console.log(`      the client's event loops (${VIEWER_LOOPS}, the worst) ran late by  p50 ${fmt(r.clientLag.p50)}  p99 ${fmt(r.clientLag.p99)}`);
      console.log(`      accepted report -> its live event: ${r.liveMs.length} of ${r.accepted}  median ${fmt(pct(r.liveMs, 50))}  p99 ${fmt(pct(r.liveMs, 99))}  max ${fmt(max(r.liveMs))}`);
      if (r.failures.length > 0) console.log(`      provinces not pushed and accepted: ${r.failures.length} of ${provinces.length} (${r.failures[0]})`);
      console.log(`      live-update events delivered: ${r.changes} (${provinces.length * 2} changes x ${VIEWERS} streams = ${provinces.length * 2 * VIEWERS} expected)`);
    }
  } finally {
    if (browser) await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await stack.stop();
    cpuGroups.close();
  }
}

if (isMainThread) {
  main().catch((e) => { console.error(e); process.exit(1); });
} else {
  ({ viewers: viewerWorker, watcher: watcherWorker })[workerData.job](workerData).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
