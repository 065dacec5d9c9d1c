// lib.mjs: shared helpers for sealform's browser tests.
//
// launch() starts Debian's Chromium (/usr/bin/chromium) headless with the
// flags this workplace needs, through playwright-core (no browser download).
// A Suite counts checks and prints "NAME: N passed, N failed" as its last
// line. checkHtml() runs the Nu Html Checker (vnu.jar, java) on page
// sources; checkAxe() runs axe-core (WCAG 2.1 AA) in a page. Check names are
// printed, never the personal data a test typed.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
    headless: true,
  });
}

// An exception's message, first line only (Playwright appends call logs).
export function firstLine(error) {
  const text = String(error && error.message ? error.message : error);
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0].slice(0, 300);
}

export class Suite {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.failed = 0;
    this.secrets = [];
  }

  // Registers a typed test value so that it is never printed: every check
  // name and detail has it replaced by "[redacted]". Returns the value.
  secret(value) {
    if (value) this.secrets.push(String(value));
    return value;
  }

  redact(text) {
    let out = String(text);
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    // The pieces of a value can also appear encoded (a URL, a message).
    for (const s of this.secrets) out = out.split(encodeURIComponent(s)).join('[redacted]');
    return out;
  }

  check(name, condition, detail = '') {
    const shown = this.redact(name) + (detail ? ` (${this.redact(detail)})` : '');
    if (condition) {
      this.passed += 1;
      console.log(`ok   - ${shown}`);
    } else {
      this.failed += 1;
      console.log(`FAIL - ${shown}`);
    }
    return Boolean(condition);
  }

  // Runs fn; an exception counts as one failed check named `name`.
  async step(name, fn) {
    try {
      await fn();
    } catch (error) {
      this.check(name, false, firstLine(error));
    }
  }

  finish() {
    console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed === 0 ? 0 : 1;
  }
}

// The Nu Html Checker over HTML sources: returns a list of errors, each
// { label, line, column, message } (no extract: a page may echo typed
// text), empty when every document is valid. A checker that cannot run
// throws.
export function checkHtml(documents) {
  if (documents.length === 0) return [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sealform-vnu-'));
  try {
    const files = documents.map((doc, i) => {
      const file = path.join(dir, `doc${i}.html`);
      writeFileSync(file, doc.html);
      return { file, label: doc.label };
    });
    const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
    let output = '';
    try {
      output = execFileSync('java', ['-jar', jar, '--format', 'json', '--stdout', ...files.map((f) => f.file)],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      output = error.stdout || '';  // vnu exits 1 when it found errors
    }
    if (!output.trim()) throw new Error('the Nu Html Checker gave no report (is java installed?)');
    const report = JSON.parse(output);
    return report.messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => {
        const label = files.find((f) => m.url && m.url.endsWith(`/${path.basename(f.file)}`))?.label || '?';
        return { label, line: m.lastLine || 0, column: m.firstColumn || m.lastColumn || 0, message: m.message };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// axe-core violations (WCAG 2.0/2.1 A and AA) on the page as loaded. The
// page's context must be created with { bypassCSP: true } so the axe
// script can be injected despite sealform's Content-Security-Policy.
export async function checkAxe(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) =>
    `${v.id} [${v.impact}]: ${v.help}; at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

export const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// sealform refuses a form posted sooner than min_fill_seconds (2 in the
// end-to-end config) after its token was issued: a person takes longer.
// Waits until FILL_MS have passed since `loadedAt` (a Date.now() value).
export const FILL_MS = 2200;
export async function waitFillTime(loadedAt) {
  const left = FILL_MS - (Date.now() - loadedAt);
  if (left > 0) await sleep(left);
}

// A short random suffix that makes a typed value distinctive.
export function suffix() {
  return Math.random().toString(36).slice(2, 10);
}

export const BASE_URL = process.env.SEALFORM_URL || 'http://127.0.0.1:8080';
export const DB_PATH = process.env.SEALFORM_DB || '';

// Opens the enquiry form at `formUrl`, types every text field of `values`
// (name, company, job_title, email, message), picks its category and ticks
// the age confirmation; returns the time the form was loaded.
export async function fillEnquiry(page, formUrl, values) {
  const response = await page.goto(formUrl);
  const loadedAt = Date.now();
  if (!response || response.status() !== 200) throw new Error(`form answered ${response && response.status()}`);
  for (const field of ['name', 'company', 'job_title', 'email', 'message']) {
    await page.fill(`#${field}`, values[field]);
  }
  await page.selectOption('#category', values.category);
  await page.check('#age_confirm');
  return loadedAt;
}

// Clicks the form's submit button and waits for the page the post answers
// with; returns the post's own status (303 when it redirects to the thanks
// page).
export async function submitEnquiry(page, formUrl) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(formUrl)),
    page.click('form.enquiry button[type=submit]'),
  ]);
  await page.waitForLoadState('load');
  return response.status();
}
