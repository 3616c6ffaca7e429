// What the emulation year's browser tests share: signed-in pages (one
// Chromium profile each, closed together), screenshots, the emulation
// service's calls as a person through the dashboard, and the year's page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchBrowser, outputDir, signedIn } from './stack.mjs';

export async function shot(page, name) {
  const out = outputDir();
  fs.mkdirSync(out, { recursive: true });
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
}

// Browsers signed in as one person each; close() ends them and their profiles.
export class Pages {
  constructor(stack) {
    this.stack = stack;
    this.browsers = [];
    this.profiles = [];
  }

  async logIn(token, { acceptDownloads = false } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fed-chromium-'));
    this.profiles.push(dir);
    const browser = await launchBrowser(dir, { caFile: this.stack.caFile, acceptDownloads });
    this.browsers.push(browser);
    const page = await browser.newPage();
    page.on('dialog', (d) => d.dismiss());
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${this.stack.baseUrl}/login#token=${encodeURIComponent(token)}`);
    await page.waitForURL((u) => u.pathname === '/');
    await signedIn(page);
    return page;
  }

  async close() {
    for (const b of this.browsers) await b.close().catch(() => undefined);
    for (const d of this.profiles) fs.rmSync(d, { recursive: true, force: true });
  }
}

// The emulation service's methods as `role` of `org`, through /api/call.
export async function emulationAs(stack, role, org, subject) {
  const call = await stack.apiSession(stack.token(role, org, subject));
  return (method, body) => call('emulation', method, body);
}

// The year's page at `hash` drawn afresh (the same address is no
// navigation); how long it took, in ms.
export async function openYear(stack, page, hash) {
  const started = Date.now();
  await page.goto(`${stack.baseUrl}/${hash}`);
  await page.reload();
  try {
    await page.getByTestId('year-page').waitFor();
  } catch (e) {
    throw new Error(`no year page: ${(await page.locator('body').innerText()).slice(0, 500)}`, { cause: e });
  }
  return Date.now() - started;
}

export async function revision(page) {
  return page.getByTestId('year-page').getAttribute('data-revision');
}

// Waits for the year's page drawn after a change (its revision moves on);
// what the page said instead (a refusal) makes a failure readable.
export async function changed(page, before) {
  try {
    await page.locator(`[data-testid="year-page"]:not([data-revision="${before}"])`).waitFor({ timeout: 15000 });
  } catch (e) {
    const said = await page.locator('[role="status"], .field-error').evaluateAll((n) => n.map((x) => x.textContent).filter(Boolean));
    throw new Error(`the year did not change: ${JSON.stringify(said)}`, { cause: e });
  }
}
