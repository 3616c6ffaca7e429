// dashboard_bench: figures for the national dashboard, printed against
// baselines measured in the same run (not a pass/fail test).
//  1. Time to first meaningful paint of the board (every province's cell on
//     screen) in headless Chromium, cold page loads; baseline: the login page.
//  2. JSON API latency (p50/p99) under 100 concurrent viewers, each also
//     holding a live-update stream, while the 63 provinces push their
//     half-year reports and the office accepts them; baseline: one viewer,
//     no pushes.
//  3. Time from an accepted report to its live event on a dashboard stream
//     (the aggregator's WatchChanges stream, then the dashboard's server-sent
//     events); baseline: the AcceptReport call itself. Measured alone on a
//     quiet board, and again for every acceptance during the storm of 2.
// Runs its own stack over a fresh database (see
// services/dashboard/tests/browser/stack.mjs), over HTTPS: `tools/dev bench`.
// Each viewer has a session of its own (a session holds at most 4 streams).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { launchBrowser, SOURCE_DIR, Stack } from '../../services/dashboard/tests/browser/stack.mjs';

const run = promisify(execFile);
const PERIOD = '2025H1';  // 63 provinces expected; no reports in this scratch database
const VIEWERS = 100;
const LOADS = 7;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function paint(browser, url, selector, expectCount) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length >= n, [selector, expectCount]);
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return ms;
}

// A GET, sent again once when the server had closed the kept-alive
// connection it went out on (as a browser does): with 100 TLS viewers and 100
// streams in this one Node process on a busy machine, the client can reuse a
// connection just as the server's 5 s keep-alive ends. Counted in `retries`.
async function getOnce(url, headers, retries) {
  try {
    return await fetch(url, { headers });
  } catch (e) {
    if (e.cause?.code !== 'UND_ERR_SOCKET') throw e;
    retries.count++;
    return fetch(url, { headers });
  }
}

async function viewerLoop(base, cookie, until, samples, retries = { count: 0 }) {
  const headers = { Cookie: cookie };
  const paths = [`/api/board?period=${PERIOD}`, `/api/totals?period=${PERIOD}`, `/api/coverage?period=${PERIOD}`];
  while (!until()) {
    for (const p of paths) {
      const t0 = performance.now();
      const res = await getOnce(base + p, headers, retries);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${p}: ${res.status}`);
      samples.push(performance.now() - t0);
    }
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

async function main() {
  const stack = new Stack({ name: 'dash_bench', demoReports: false, contests: false, rankings: false });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-bench-chromium-'));
  let browser;
  try {
    await stack.start();
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
    const liveController = new AbortController();
    // A session of its own: the page loads above each held a stream of the
    // first session until the server noticed them gone (at most 4 a session).
    await watchAccepts(stack.baseUrl, await login(stack.baseUrl, token), liveController, arrivals);
    await new Promise((r) => setTimeout(r, 300));
    const liveMs = [], acceptMs = [];
    for (const code of provinces.slice(0, 21)) {
      const args = [`--aggregator=${stack.aggregator}`, `--issuer_key=${stack.issuerKey}`, ...stack.tlsArgs, `--org=${code}`, `--period=${LIVE_PERIOD}`, '--revision=1'];
      await run(stack.tool, ['push', ...args]);
      const { stderr } = await run(stack.tool, ['accept', ...args]);
      const acceptedAt = Number(/accepted_at_unix_ms=([0-9.]+)/.exec(stderr)[1]);
      acceptMs.push(Number(/call_ms=([0-9.]+)/.exec(stderr)[1]));
      const key = `${code}/${LIVE_PERIOD}`;
      const until = Date.now() + 5000;
      while (!arrivals.has(key) && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
      if (arrivals.has(key)) liveMs.push(arrivals.get(key) - acceptedAt);
    }
    liveController.abort();
    console.log('dashboard_bench: accepted report -> its live event on the board (one at a time, quiet board):');
    console.log(`    ${liveMs.length} of 21 reports  median ${fmt(pct(liveMs, 50))}  p90 ${fmt(pct(liveMs, 90))}  max ${fmt(Math.max(...liveMs))}`);
    console.log(`    baseline (the AcceptReport call itself)  median ${fmt(pct(acceptMs, 50))}  max ${fmt(Math.max(...acceptMs))}`);

    // 2a. Baseline: one viewer, nothing else going on.
    const baseline = [];
    const baselineEnd = Date.now() + 3000;
    await viewerLoop(stack.baseUrl, cookie, () => Date.now() >= baselineEnd, baseline);

    // 2b. 100 viewers with live streams while 63 provinces push and get accepted.
    const controller = new AbortController();
    const received = { bytes: 0, changes: 0 };
    const cookies = [];
    for (let i = 0; i < VIEWERS; i++) cookies.push(await login(stack.baseUrl, token));
    for (const viewer of cookies) await openStream(stack.baseUrl, viewer, controller, received);
    // One more stream notes when each acceptance of the storm arrives.
    const stormArrivals = new Map();
    const stormAccepted = new Map();
    await watchAccepts(stack.baseUrl, await login(stack.baseUrl, token), controller, stormArrivals);
    const loaded = [];
    const retries = { count: 0 };
    const pushing = (async () => {
      const t0 = performance.now();
      const queue = [...provinces];
      const worker = async () => {
        for (let code; (code = queue.shift());) {
          const args = [`--aggregator=${stack.aggregator}`, `--issuer_key=${stack.issuerKey}`, ...stack.tlsArgs, `--org=${code}`, `--period=${PERIOD}`, '--revision=1'];
          await run(stack.tool, ['push', ...args]);
          const { stderr } = await run(stack.tool, ['accept', ...args]);
          stormAccepted.set(`${code}/${PERIOD}`, Number(/accepted_at_unix_ms=([0-9.]+)/.exec(stderr)[1]));
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      return performance.now() - t0;
    })();
    let stopped = false;
    const viewers = cookies.map((viewer) => viewerLoop(stack.baseUrl, viewer, () => stopped, loaded, retries));
    const pushMs = await pushing;
    // Keep the viewers going briefly after the last push, then stop them.
    await new Promise((r) => setTimeout(r, 1000));
    stopped = true;
    await Promise.all(viewers);
    await new Promise((r) => setTimeout(r, 1500));
    controller.abort();

    console.log('dashboard_bench');
    console.log(`  first meaningful paint of the board (${provinces.length} cells), ${LOADS} cold loads:`);
    console.log(`    board  median ${fmt(pct(boardMs, 50))}  max ${fmt(Math.max(...boardMs))}`);
    console.log(`    baseline (login page)  median ${fmt(pct(loginMs, 50))}  max ${fmt(Math.max(...loginMs))}`);
    console.log(`  JSON API latency (board, totals, coverage for ${PERIOD}):`);
    console.log(`    baseline 1 viewer: ${baseline.length} requests  p50 ${fmt(pct(baseline, 50))}  p99 ${fmt(pct(baseline, 99))}`);
    console.log(`    ${VIEWERS} viewers + live streams while ${provinces.length} provinces push and are accepted (${(pushMs / 1000).toFixed(1)} s):`);
    console.log(`      ${loaded.length} requests  p50 ${fmt(pct(loaded, 50))}  p99 ${fmt(pct(loaded, 99))}  max ${fmt(Math.max(...loaded))}  (${retries.count} sent again on a fresh connection)`);
    const stormLiveMs = [...stormAccepted].filter(([k]) => stormArrivals.has(k)).map(([k, at]) => stormArrivals.get(k) - at);
    console.log(`  accepted report -> its live event during the storm: ${stormLiveMs.length} of ${stormAccepted.size}  median ${fmt(pct(stormLiveMs, 50))}  p99 ${fmt(pct(stormLiveMs, 99))}  max ${fmt(Math.max(...stormLiveMs))}`);
    console.log(`    live-update events delivered: ${received.changes} (${provinces.length * 2} changes x ${VIEWERS} streams = ${provinces.length * 2 * VIEWERS} expected)`);
  } finally {
    if (browser) await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await stack.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
