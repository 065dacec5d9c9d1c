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

export class Suite {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.failed = 0;
  }

  check(name, condition, detail = '') {
    if (condition) {
      this.passed += 1;
      console.log(`ok   - ${name}`);
    } else {
      this.failed += 1;
      console.log(`FAIL - ${name}${detail ? ` (${detail})` : ''}`);
    }
    return condition;
  }

  // Runs fn; an exception counts as one failed check named `name`.
  async step(name, fn) {
    try {
      await fn();
    } catch (error) {
      this.check(name, false, String(error && error.message ? error.message : error).slice(0, 300));
    }
  }

  finish() {
    console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed === 0 ? 0 : 1;
  }
}

// The Nu Html Checker over HTML sources: returns a list of error messages
// ("label: message"), empty when every document is valid.
export function checkHtml(documents) {
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
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      output = error.stdout || '';  // vnu exits 1 when it found errors
    }
    const report = JSON.parse(output || '{"messages":[]}');
    return report.messages
      .filter((m) => m.type === 'error')
      .map((m) => {
        const label = files.find((f) => m.url && m.url.endsWith(path.basename(f.file)))?.label || '?';
        return `${label}: ${m.message}`;
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
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}

export const BASE_URL = process.env.SEALFORM_URL || 'http://127.0.0.1:8080';
export const DB_PATH = process.env.SEALFORM_DB || '';
