// intake.test.mjs: a visitor's enquiry in headless Chromium, through nginx
// and sealform-fcgi, with JavaScript enabled and disabled.
//
// Run by tests/e2e/browser.test with SEALFORM_URL (the nginx origin),
// SEALFORM_DB (the database file), SEALFORM_ADMIN (sealform-admin, with
// SEALFORM_CONFIG) and SEALFORM_LOG (sealform-fcgi's stderr). Prints check
// names and counts only: every typed value is registered with
// suite.secret() and never printed.
//
// How the invalid-email flow reaches the server. The form mirrors the
// server's rules as HTML attributes (type=email, required, maxlength) and
// the browser's email check and the server's share the WHATWG grammar, so
// a visitor's browser blocks "not-an-email" before sending it. The tests
// check exactly that (nothing is posted), and then, to see the server's
// own answer (422, message next to the field, values kept), the test
// driver turns the browser's constraint validation off with the form's
// novalidate attribute, as a browser without it (or a page whose theme
// sets novalidate) would post. The driver sets it over the DevTools
// protocol, which still works in a context with javaScriptEnabled: false:
// the page's own scripts stay disabled and the post itself is the
// browser's native form submission. The no-JS flow also takes a 422 path
// that a visitor reaches with validation on: a message of only spaces
// passes the browser's `required` (the value is not empty), and the
// server trims it and answers 422 "required".
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  firstLine, fillEnquiry, submitEnquiry, BASE_URL, DB_PATH, Suite, launch, suffix, waitFillTime,
} from './lib.mjs';

const suite = new Suite('intake');
const FORM_URL = `${BASE_URL}/en-us/enquiry`;
const REFERENCE = /^ENQ-[0-9A-Z]{5}-[0-9A-Z]{5}$/;

// Distinctive values for one visitor; every one is kept out of the output.
function visitor() {
  const s = suffix();
  return {
    name: suite.secret(`Zephyrine Quillfeather-${s}`),
    company: suite.secret(`Quillfeather Orrery Works ${s}`),
    job_title: suite.secret(`Chief Astrolabe Officer ${s}`),
    email: suite.secret(`zephyrine.${s}@example.com`),
    category: 'media',
    message: suite.secret(`Please tell me about your orreries, reference ${s}.\nThank you.`),
  };
}

function fileBytes(file) {
  return existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
}

// Opens the form and types every field of `v` (with `overrides`), ticks
// the age confirmation; returns the time the form was loaded.
const openAndFill = (page, v, overrides = {}) => fillEnquiry(page, FORM_URL, { ...v, ...overrides });
const submit = (page) => submitEnquiry(page, FORM_URL);

// The re-shown form keeps what was typed (`expected` holds the values the
// server was sent) and shows the error for `field` next to it.
async function checkReshown(label, page, field, expected) {
  const errorId = `${field}-error`;
  const error = page.locator(`#${errorId}`);
  suite.check(`${label}: #${errorId} is shown`, (await error.count()) === 1 && (await error.isVisible()));
  suite.check(`${label}: #${errorId} has a message`, ((await error.textContent()) || '').trim().length > 0);
  const sameField = page.locator('.field', { has: page.locator(`#${field}`) }).locator(`#${errorId}`);
  suite.check(`${label}: the message is next to #${field}`, (await sameField.count()) === 1);
  const describedBy = ((await page.getAttribute(`#${field}`, 'aria-describedby')) || '').split(/\s+/);
  suite.check(`${label}: #${field} aria-describedby names #${errorId}`, describedBy.includes(errorId));
  suite.check(`${label}: #${field} aria-invalid=true`, (await page.getAttribute(`#${field}`, 'aria-invalid')) === 'true');
  suite.check(`${label}: error summary links to #${field}`,
    (await page.locator(`.error-summary a[href="#${field}"]`).count()) === 1);
  for (const name of ['name', 'company', 'job_title', 'email']) {
    suite.check(`${label}: typed ${name} kept`, (await page.inputValue(`#${name}`)) === expected[name]);
  }
  if (field !== 'message') {
    // The server keeps the message as sent after its newline rule (CRLF
    // from the browser becomes LF; a textarea's value uses LF).
    suite.check(`${label}: typed message kept`, (await page.inputValue('#message')) === expected.message);
  }
  suite.check(`${label}: chosen category kept`, (await page.inputValue('#category')) === expected.category);
  suite.check(`${label}: age confirmation kept`, await page.isChecked('#age_confirm'));
  suite.check(`${label}: retention opt-in still unticked`, !(await page.isChecked('#retain')));
}

async function validEnquiry(label, page) {
  const v = visitor();
  const loadedAt = await openAndFill(page, v);
  await waitFillTime(loadedAt);
  const status = await submit(page);
  suite.check(`${label}: valid enquiry is answered 303 to the thanks page`,
    status === 303 && new URL(page.url()).pathname === '/en-us/enquiry/thanks', `status ${status}`);
  const ref = new URL(page.url()).searchParams.get('ref') || '';
  suite.check(`${label}: the thanks URL has a reference ENQ-XXXXX-XXXXX`, REFERENCE.test(ref));
  const shown = ((await page.locator('.reference strong').textContent().catch(() => '')) || '').trim();
  suite.check(`${label}: the thanks page shows the reference`, shown === ref && REFERENCE.test(shown));
  if (!REFERENCE.test(ref)) return;

  // Stored exactly once (ref is checked against REFERENCE: safe in SQL).
  const count = execFileSync('sqlite3', [DB_PATH, `select count(*) from enquiries where reference='${ref}'`],
    { encoding: 'utf8' }).trim();
  suite.check(`${label}: the enquiry is stored once`, count === '1', `count ${count}`);

  // Encrypted at rest: no personal field in the database or its WAL.
  const bytes = Buffer.concat([fileBytes(DB_PATH), fileBytes(`${DB_PATH}-wal`)]);
  suite.check(`${label}: database and WAL have bytes to search`, bytes.length > 0);
  for (const field of ['name', 'company', 'job_title', 'email', 'message']) {
    suite.check(`${label}: database and WAL do not contain the typed ${field} (UTF-8)`,
      bytes.indexOf(Buffer.from(v[field], 'utf8')) === -1);
  }
  const messageLine = v.message.split('\n')[0];
  suite.check(`${label}: database and WAL do not contain the message's first line`,
    bytes.indexOf(Buffer.from(messageLine, 'utf8')) === -1);

  // Logs carry no field values.
  if (process.env.SEALFORM_LOG) {
    const log = fileBytes(process.env.SEALFORM_LOG);
    suite.check(`${label}: sealform-fcgi's log has no typed name or email`,
      log.indexOf(Buffer.from(v.name)) === -1 && log.indexOf(Buffer.from(v.email)) === -1);
  }

  // And what is stored is what was typed: only the admin tool, holding
  // the private key, can open it.
  if (process.env.SEALFORM_ADMIN && process.env.SEALFORM_CONFIG) {
    let out = '';
    let detail = '';
    try {
      out = execFileSync(process.env.SEALFORM_ADMIN, ['--config', process.env.SEALFORM_CONFIG, 'show', ref],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      detail = `exit ${error.status}: ${firstLine(error.stderr || '')}`;  // redacted by check()
    }
    suite.check(`${label}: sealform-admin show opens the stored name and email`,
      out.includes(v.name) && out.includes(v.email), detail);
  }
}

async function invalidEmail(label, page) {
  const v = visitor();
  const invalid = 'not-an-email';

  // With the browser's own validation on, the invalid address is not sent.
  let posted = 0;
  const count = (request) => { if (request.method() === 'POST') posted += 1; };
  page.on('request', count);
  const loadedAt = await openAndFill(page, v, { email: invalid });
  await waitFillTime(loadedAt);
  await page.click('form.enquiry button[type=submit]');
  await page.waitForTimeout(500);
  page.off('request', count);
  suite.check(`${label}: the browser itself blocks an invalid email (type=email)`,
    posted === 0 && new URL(page.url()).pathname === '/en-us/enquiry');

  // With it off (see the top of the file), the server answers.
  await page.locator('form.enquiry').evaluate((form) => { form.setAttribute('novalidate', ''); });
  const status = await submit(page);
  suite.check(`${label}: the server answers an invalid email with 422`, status === 422, `status ${status}`);
  await checkReshown(`${label}: invalid email`, page, 'email', { ...v, email: invalid });
}

async function blankMessage(label, page) {
  const v = visitor();
  const loadedAt = await openAndFill(page, v, { message: '   ' });
  await waitFillTime(loadedAt);
  const status = await submit(page);
  suite.check(`${label}: a message of only spaces passes the browser and gets 422`, status === 422,
    `status ${status}`);
  await checkReshown(`${label}: blank message`, page, 'message', v);
}

async function phoneWidth(browser) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  });
  try {
    const page = await context.newPage();
    const fits = async (what) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      suite.check(`phone 390x844: ${what} has no horizontal scrolling`, width <= 390, `scrollWidth ${width}`);
      const button = page.locator('form.enquiry button[type=submit]');
      await button.scrollIntoViewIfNeeded();
      const box = await button.boundingBox();
      suite.check(`phone 390x844: ${what} submit button visible and inside the width`,
        (await button.isVisible()) && box !== null && box.x >= 0 && box.x + box.width <= 390);
    };
    await page.goto(FORM_URL);
    await fits('the form');
    // The re-shown form with every error message and the summary.
    await page.locator('form.enquiry').evaluate((form) => { form.setAttribute('novalidate', ''); });
    await page.waitForTimeout(2200);
    const status = await submit(page);
    suite.check('phone 390x844: an empty form posted without validation gets 422', status === 422,
      `status ${status}`);
    await fits('the form with errors');
  } finally {
    await context.close();
  }
}

const browser = await launch();
try {
  for (const javaScriptEnabled of [true, false]) {
    const label = javaScriptEnabled ? 'js' : 'no-js';
    const context = await browser.newContext({ javaScriptEnabled });
    try {
      const page = await context.newPage();
      if (!javaScriptEnabled) {
        await page.setContent('<title>off</title><script>document.title = "on"</script>');
        suite.check('no-js: page scripts really are disabled', (await page.title()) === 'off');
      }
      await suite.step(`${label}: valid enquiry`, () => validEnquiry(label, page));
      await suite.step(`${label}: invalid email`, () => invalidEmail(label, page));
      await suite.step(`${label}: blank message`, () => blankMessage(label, page));
    } finally {
      await context.close();
    }
  }
  await suite.step('phone width', () => phoneWidth(browser));
} catch (error) {
  suite.check('browser tests run', false, firstLine(error));
} finally {
  await browser.close();
}
suite.finish();
