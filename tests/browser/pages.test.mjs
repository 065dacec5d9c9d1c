// pages.test.mjs: every page sealform serves is valid HTML5 (the Nu Html
// Checker reports no error) and has no axe-core violation (WCAG 2.1 AA).
//
// The Nu Html Checker reads each page's raw HTML as fetched from nginx by
// node's fetch; axe-core runs in headless Chromium on each page as a
// visitor gets it (a context with bypassCSP, so the axe script can be
// injected despite sealform's Content-Security-Policy). Each error and each
// violation is one failed check with its message; typed values are never
// printed.
import { readFileSync } from 'node:fs';
import {
  firstLine, fillEnquiry, submitEnquiry, BASE_URL, Suite, checkAxe, checkHtml, launch, sleep,
  suffix, waitFillTime, FILL_MS,
} from './lib.mjs';

const suite = new Suite('pages');
const FORM_URL = `${BASE_URL}/en-us/enquiry`;
const s = suffix();
const LOCALES = ['en-us', 'zh-cn', 'zh-tw'];
// The pages a visitor reaches with a plain GET: [label, URL].
const GET_PAGES = LOCALES.flatMap((locale) => [
  [`form ${locale}`, `${BASE_URL}/${locale}/enquiry`],
  [`privacy policy ${locale}`, `${BASE_URL}/${locale}/privacy`],
  [`cookie policy ${locale}`, `${BASE_URL}/${locale}/cookies`],
]);
const VALUES = {
  name: suite.secret(`Test Visitor ${s}`),
  company: suite.secret(`Test Company ${s}`),
  job_title: suite.secret(`Tester ${s}`),
  email: suite.secret(`visitor.${s}@example.com`),
  category: 'general',
  message: suite.secret(`A test enquiry ${s}.`),
  age_confirm: 'yes',
};

async function tokenFrom(url) {
  const html = await (await fetch(url)).text();
  const match = html.match(/name="token" value="([^"]*)"/);
  if (!match) throw new Error(`no token in ${new URL(url).pathname}`);
  return match[1];
}

async function post(fields, extra = {}) {
  return fetch(FORM_URL, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL, ...(extra.headers || {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

// The raw HTML of each page, fetched from nginx, with the status expected.
async function fetchPages() {
  const pages = [];
  const add = async (label, expected, response) => {
    const html = await response.text();
    suite.check(`fetch: ${label} answers ${expected}`, response.status === expected, `status ${response.status}`);
    pages.push({ label, html, status: response.status, url: response.url, headers: response.headers });
  };
  for (const [label, url] of GET_PAGES) await add(label, 200, await fetch(url));
  const tokens = [await tokenFrom(FORM_URL), await tokenFrom(FORM_URL)];
  await sleep(FILL_MS);
  await add('form with errors (422)', 422, await post({ ...VALUES, email: 'not-an-email', token: tokens[0] }));
  await add('form refused (403)', 403, await post({ ...VALUES, token: 'forged-token' }));
  const stored = await post({ ...VALUES, token: tokens[1] });
  suite.check('fetch: valid post answers 303', stored.status === 303, `status ${stored.status}`);
  const thanksUrl = new URL(stored.headers.get('location') || '/en-us/enquiry/thanks', BASE_URL).href;
  await add('thanks', 200, await fetch(thanksUrl));
  await add('not found (404)', 404, await fetch(`${BASE_URL}/no-such-page`));
  await add('unknown locale (404)', 404, await fetch(`${BASE_URL}/fr-fr/enquiry`));
  await add('method not allowed (405)', 405, await fetch(FORM_URL, { method: 'PUT' }));
  const multipart = new FormData();
  multipart.append('name', 'x');
  await add('unsupported media type (415)', 415, await fetch(FORM_URL, { method: 'POST', body: multipart }));
  // The web server's own pages (etc/nginx/sealform.conf): a body far over
  // client_max_body_size, and the page for sealform-fcgi being down, read
  // from the tree since stopping it here would stop the other scripts' server.
  await add("web server's 413", 413, await fetch(FORM_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `message=${'a'.repeat(256 * 1024)}`,
  }));
  pages.push({
    label: "web server's 502",
    html: readFileSync(new URL('../../www/errors/unavailable.html', import.meta.url), 'utf8'),
    status: 502,
    headers: new Headers({ 'content-type': 'text/html; charset=utf-8' }),
  });
  return { pages, thanksUrl };
}

function validate(pages) {
  const errors = checkHtml(pages.map((p) => ({ label: p.label, html: p.html })));
  for (const p of pages) {
    const mine = errors.filter((e) => e.label === p.label);
    if (mine.length === 0) suite.check(`vnu: ${p.label} has no errors`, true);
    for (const e of mine) suite.check(`vnu: ${p.label} line ${e.line}:${e.column}: ${e.message}`, false);
  }
  for (const e of errors.filter((x) => !pages.some((p) => p.label === x.label))) {
    suite.check(`vnu: ${e.message}`, false);
  }
}

async function axe(label, page) {
  const violations = await checkAxe(page);
  if (violations.length === 0) suite.check(`axe: ${label} has no violations`, true);
  for (const v of violations) suite.check(`axe: ${label}: ${v}`, false);
}

const fillForm = (page) => fillEnquiry(page, FORM_URL, VALUES);
const submit = (page) => submitEnquiry(page, FORM_URL);

async function accessibility(browser, fetched) {
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    for (const [label, url] of GET_PAGES) {
      await suite.step(`axe: ${label} runs`, async () => {
        const response = await page.goto(url);
        const status = response ? response.status() : 0;
        if (suite.check(`browser: ${label} answers 200`, status === 200, `status ${status}`)) await axe(label, page);
      });
    }
    await suite.step('axe: form with errors (422) runs', async () => {
      // The browser's type=email check would stop the post; the form's
      // novalidate attribute lets it through to the server's 422.
      const loadedAt = await fillForm(page);
      await page.fill('#email', 'not-an-email');
      await page.locator('form.enquiry').evaluate((form) => { form.setAttribute('novalidate', ''); });
      await waitFillTime(loadedAt);
      const status = await submit(page);
      suite.check('browser: the form with an invalid email answers 422', status === 422, `status ${status}`);
      await axe('form with errors (422)', page);
    });
    await suite.step('axe: form refused (403) runs', async () => {
      const loadedAt = await fillForm(page);
      await page.locator('input[name=token]').evaluate((input) => { input.value = 'forged-token'; });
      await waitFillTime(loadedAt);
      const status = await submit(page);
      suite.check('browser: the form with a forged token answers 403', status === 403, `status ${status}`);
      await axe('form refused (403)', page);
    });
    await suite.step('axe: thanks runs', async () => {
      const loadedAt = await fillForm(page);
      await waitFillTime(loadedAt);
      const status = await submit(page);
      suite.check('browser: a valid enquiry reaches the thanks page', status === 303
        && new URL(page.url()).pathname === '/en-us/enquiry/thanks', `status ${status}`);
      await axe('thanks', page);
    });
    for (const [label, path] of [['not found (404)', '/no-such-page'], ['unknown locale (404)', '/fr-fr/enquiry']]) {
      await suite.step(`axe: ${label} runs`, async () => {
        const response = await page.goto(`${BASE_URL}${path}`);
        const status = response ? response.status() : 0;
        if (suite.check(`browser: ${label} answers 404`, status === 404, `status ${status}`)) await axe(label, page);
      });
    }
    // Error pages a browser does not reach by navigating (another method,
    // another encoding, a huge body, a stopped server): the bytes fetched
    // above, served to the browser at the form's address (the stylesheet
    // still comes from nginx).
    for (const p of fetched.filter((x) => [405, 413, 415, 502].includes(x.status))) {
      await suite.step(`axe: ${p.label} runs`, async () => {
        const handler = (route) => route.fulfill({
          status: p.status, contentType: p.headers.get('content-type') || 'text/html; charset=utf-8', body: p.html,
        });
        await page.route(FORM_URL, handler);
        try {
          await page.goto(FORM_URL);
          await axe(p.label, page);
        } finally {
          await page.unroute(FORM_URL, handler);
        }
      });
    }
  } finally {
    await context.close();
  }
}

let browser = null;
try {
  let fetched = { pages: [] };
  await suite.step('fetch: every page', async () => { fetched = await fetchPages(); });
  await suite.step('vnu: the Nu Html Checker runs', () => validate(fetched.pages));
  browser = await launch();
  await accessibility(browser, fetched.pages);
} catch (error) {
  suite.check('page tests run', false, firstLine(error));
} finally {
  if (browser) await browser.close();
}
suite.finish();
