// consent.test.mjs: the analytics-cookie consent in headless Chromium,
// through nginx and sealform-fcgi, in each locale, with JavaScript enabled
// and disabled.
//
// The end-to-end config (tests/e2e/lib.sh) points analytics_script_url at
// http://127.0.0.1:$ANALYTICS_PORT/analytics.js; this script serves a stub
// there that counts every request it receives. Checks:
//   - first visit: the banner shows, its two buttons are equal (same
//     element, class and size), it is in the page flow (no overlay), and no
//     cookie is set;
//   - reject hides the banner, sets the consent cookie (HttpOnly,
//     SameSite=Lax) and no request ever reaches the analytics origin, on
//     this page or the next ones;
//   - accept makes the next page load the analytics script (the stub counts
//     it), and the choice can be changed from the cookie policy page;
//   - the same flows without JavaScript (plain form posts, 303 back; the
//     page then carries the script tag, which a browser without JavaScript
//     does not fetch);
//   - the language switcher keeps the visitor on the same page;
//   - on the enquiry form, typed into or re-shown after a 422, the banner
//     follows the form and a choice keeps the typed text: without
//     JavaScript (or when the script's fetch fails) the buttons post the
//     form's fields along and the answer shows the form again; with it,
//     only the consent fields are posted; Enter in a field still sends the
//     enquiry, not a consent;
//   - every page, in every locale, in every consent state (none, rejected,
//     accepted): the Nu Html Checker reports no error, axe-core no violation;
//     the analytics script and origin only after an accept, and never on the
//     thanks page (its address carries the enquiry's reference).
// Prints check names only; the consent cookie's value is never printed.
import http from 'node:http';
import {
  firstLine, fillEnquiry, submitEnquiry, suffix, waitFillTime, BASE_URL, Suite, checkAxe, checkHtml,
  launch,
} from './lib.mjs';

const suite = new Suite('consent');
const LOCALES = ['en-us', 'zh-cn', 'zh-tw'];
const PAGES = ['enquiry', 'privacy', 'cookies', 'enquiry/thanks', 'no-such-page'];
const ANALYTICS_PORT = Number(process.env.ANALYTICS_PORT || 0);
const ANALYTICS_ORIGIN = `http://127.0.0.1:${ANALYTICS_PORT}`;
const COOKIE = 'sealform_consent';

// The counting stub on the analytics origin.
let stubHits = 0;
const stub = http.createServer((request, response) => {
  stubHits += 1;
  response.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' });
  response.end('/* analytics stub */\n');
});

// Requests a page made to the analytics origin, counted in the browser too
// (a blocked request never reaches the stub, but the browser still tries).
function watchAnalytics(page) {
  const seen = { count: 0 };
  page.on('request', (request) => {
    if (request.url().startsWith(ANALYTICS_ORIGIN)) seen.count += 1;
  });
  return seen;
}

async function bannerShown(page) {
  return (await page.locator('#consent-banner').count()) === 1 && page.locator('#consent-banner').isVisible();
}

async function consentCookie(context) {
  return (await context.cookies()).find((c) => c.name === COOKIE);
}

// Clicks a consent button and waits until the choice took effect: with JS
// the banner hides without a reload, without JS the 303 leads back.
async function choose(page, js, selector) {
  if (js) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/consent'),
      page.click(selector),
    ]);
    return response.status();
  }
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.click(selector),
  ]);
  return response ? response.status() : 0;
}

async function firstVisitAndReject(browser, locale, js) {
  const tag = `${locale} ${js ? 'JS' : 'no-JS'}`;
  const context = await browser.newContext({ javaScriptEnabled: js });
  try {
    const page = await context.newPage();
    const seen = watchAnalytics(page);
    const hitsBefore = stubHits;
    const url = `${BASE_URL}/${locale}/enquiry`;
    await page.goto(url);
    suite.check(`${tag}: banner shows on the first visit`, await bannerShown(page));
    suite.check(`${tag}: no cookie before a choice`, (await context.cookies()).length === 0);
    const buttons = page.locator('#consent-banner button');
    const shapes = await buttons.evaluateAll((list) => list.map((b) => {
      const box = b.getBoundingClientRect();
      const style = getComputedStyle(b);
      return {
        tag: b.tagName, cls: b.className, h: Math.round(box.height), w: Math.round(box.width),
        font: style.fontSize + style.fontWeight, bg: style.backgroundColor,
      };
    }));
    suite.check(`${tag}: two consent buttons`, shapes.length === 2);
    if (shapes.length === 2) {
      const [a, b] = shapes;
      suite.check(`${tag}: the buttons have equal weight`, a.tag === b.tag && a.cls === b.cls
        && a.h === b.h && Math.abs(a.w - b.w) <= 1 && a.font === b.font && a.bg === b.bg,
      JSON.stringify(shapes));
    }
    const position = await page.locator('#consent-banner').evaluate((e) => getComputedStyle(e).position);
    suite.check(`${tag}: the banner is in the page flow, not an overlay`, position === 'static', position);
    suite.check(`${tag}: the form is usable with the banner shown`,
      await page.locator('form.enquiry #name').isVisible() && await page.locator('form.enquiry #name').isEditable());
    suite.check(`${tag}: the banner links the cookie policy`,
      (await page.locator(`#consent-banner a[href="/${locale}/cookies"]`).count()) === 1);

    const status = await choose(page, js, '#consent-banner button[value=reject]');
    suite.check(`${tag}: reject succeeds`, status === 200, `status ${status}`);
    if (js) {
      await page.waitForFunction(() => document.getElementById('consent-banner').hidden);
      suite.check(`${tag}: the keyboard focus moves to the main content, not lost`,
        await page.evaluate(() => document.activeElement && document.activeElement.id === 'main'));
    }
    suite.check(`${tag}: reject stays on the page`, new URL(page.url()).pathname === `/${locale}/enquiry`);
    suite.check(`${tag}: reject hides the banner`, !(await page.locator('#consent-banner').isVisible().catch(() => false)));
    const cookie = await consentCookie(context);
    suite.check(`${tag}: reject sets the consent cookie`, Boolean(cookie));
    if (cookie) {
      suite.check(`${tag}: the cookie is HttpOnly and SameSite=Lax`, cookie.httpOnly && cookie.sameSite === 'Lax');
      suite.check(`${tag}: the cookie lives about 180 days`,
        Math.abs(cookie.expires - (Date.now() / 1000 + 180 * 86400)) < 3600, String(cookie.expires));
    }
    for (const next of ['enquiry', 'privacy', 'cookies']) {
      await page.goto(`${BASE_URL}/${locale}/${next}`);
      suite.check(`${tag}: after reject, ${next} has no banner`, (await page.locator('#consent-banner').count()) === 0);
      suite.check(`${tag}: after reject, ${next} has no analytics script`,
        (await page.locator(`script[src^="${ANALYTICS_ORIGIN}"]`).count()) === 0);
    }
    const current = page.locator('#consent-current');
    suite.check(`${tag}: the cookie policy shows "rejected"`,
      (await current.textContent()) === (await current.getAttribute('data-reject')));
    suite.check(`${tag}: no request reached the analytics origin`, stubHits === hitsBefore && seen.count === 0,
      `stub ${stubHits - hitsBefore}, browser ${seen.count}`);

    // Change the choice from the cookie policy page: accept.
    await page.goto(`${BASE_URL}/${locale}/cookies#preferences`);
    const accepted = await choose(page, js, 'main form.consent-form button[value=accept]');
    suite.check(`${tag}: accept on the cookie policy page answers`, accepted === 200, `status ${accepted}`);
    if (js) {
      suite.check(`${tag}: the shown choice changes without a reload`,
        (await current.textContent()) === (await current.getAttribute('data-accept')));
      await page.reload();
    }
    await page.waitForLoadState('load');
    suite.check(`${tag}: after accept the page includes the analytics script`,
      (await page.locator(`script[src="${ANALYTICS_ORIGIN}/analytics.js"]`).count()) === 1);
    // A browser with JavaScript off fetches no script at all: the tag is the check there.
    if (js) {
      suite.check(`${tag}: after accept the analytics script is loaded`, stubHits > hitsBefore,
        `stub ${stubHits - hitsBefore}`);
    }
    suite.check(`${tag}: the cookie policy shows "accepted"`,
      (await current.textContent()) === (await current.getAttribute('data-accept')));

    // And back to reject: no further analytics requests.
    await choose(page, js, 'main form.consent-form button[value=reject]');
    const afterReject = stubHits;
    const seenAfter = seen.count;
    await page.goto(`${BASE_URL}/${locale}/enquiry`);
    await page.goto(`${BASE_URL}/${locale}/privacy`);
    suite.check(`${tag}: rejecting again stops the analytics script`,
      stubHits === afterReject && seen.count === seenAfter, `stub ${stubHits - afterReject}`);
  } finally {
    await context.close();
  }
}

async function acceptFromBanner(browser, locale, js) {
  const tag = `${locale} ${js ? 'JS' : 'no-JS'}`;
  const context = await browser.newContext({ javaScriptEnabled: js });
  try {
    const page = await context.newPage();
    const before = stubHits;
    await page.goto(`${BASE_URL}/${locale}/privacy`);
    suite.check(`${tag}: no analytics before a choice`, stubHits === before);
    const status = await choose(page, js, '#consent-banner button[value=accept]');
    suite.check(`${tag}: accept from the banner answers`, status === 200, `status ${status}`);
    suite.check(`${tag}: accept stays on the page`, new URL(page.url()).pathname === `/${locale}/privacy`);
    suite.check(`${tag}: accept hides the banner`, !(await page.locator('#consent-banner').isVisible().catch(() => false)));
    if (js) await page.reload();
    await page.waitForLoadState('load');
    suite.check(`${tag}: after accept the page includes the analytics script`,
      (await page.locator(`script[src="${ANALYTICS_ORIGIN}/analytics.js"]`).count()) === 1);
    if (js) suite.check(`${tag}: after accept the analytics script loads`, stubHits > before, `stub ${stubHits - before}`);
  } finally {
    await context.close();
  }
}

// A 422 form in `page`: every field typed, but a message of spaces only
// (the browser's `required` lets it through; the server trims it and
// refuses). Returns the typed values (registered as secrets).
async function reshownForm(page, locale) {
  const values = await typedForm(page, locale, '   ');
  const status = await submitEnquiry(page, `${BASE_URL}/${locale}/enquiry`);
  if (status !== 422) throw new Error(`the form answered ${status}, not 422`);
  return values;
}

// The form typed into (`message` as given), not sent; waits until it may
// be sent (the minimum fill time). Returns the values (registered as
// secrets).
async function typedForm(page, locale, message) {
  const s = suffix();
  const values = {
    name: suite.secret(`Oriel Fenwright-${s}`),
    company: suite.secret(`Fenwright Lanterns ${s}`),
    job_title: suite.secret(`Lamplighter ${s}`),
    email: suite.secret(`oriel.${s}@example.com`),
    category: 'media',
    message: message.trim() ? suite.secret(message) : message,
  };
  await waitFillTime(await fillEnquiry(page, `${BASE_URL}/${locale}/enquiry`, values));
  return values;
}

async function typedTextKept(tag, page, values) {
  for (const field of ['name', 'company', 'job_title', 'email']) {
    suite.check(`${tag}: typed ${field} kept`, (await page.inputValue(`#${field}`)) === values[field]);
  }
  suite.check(`${tag}: chosen category kept`, (await page.inputValue('#category')) === values.category);
  suite.check(`${tag}: age confirmation kept`, await page.isChecked('#age_confirm'));
}

// A consent choice on the form page keeps what the visitor typed, on a
// form re-shown after a 422 (`reshown`) or on a fresh one typed into.
// `mode`: 'no-JS'; 'JS'; or 'JS fallback', where the script's fetch fails
// and it submits the button the ordinary way.
async function choiceKeepsTypedText(browser, locale, mode, reshown) {
  const js = mode !== 'no-JS';
  const tag = `${locale} ${mode} ${reshown ? 're-shown' : 'fresh'} form`;
  const context = await browser.newContext({ javaScriptEnabled: js });
  try {
    const page = await context.newPage();
    const values = reshown ? await reshownForm(page, locale)
      : await typedForm(page, locale, `Lanterns, please ${suffix()}`);
    suite.check(`${tag}: the banner shows`, await bannerShown(page));
    suite.check(`${tag}: the banner follows the form`, await page.evaluate(() => {
      const form = document.querySelector('form.enquiry');
      const banner = document.getElementById('consent-banner');
      // eslint-disable-next-line no-bitwise
      return Boolean(form && banner && (form.compareDocumentPosition(banner) & Node.DOCUMENT_POSITION_FOLLOWING));
    }));

    // The form's token is the one shown last; the enquiry may be sent once
    // the minimum fill time has passed since.
    let shownAt = Date.now();
    if (reshown) {
      // Enter in a text field sends the enquiry (its own button is the
      // default one), never a consent choice.
      const [request] = await Promise.all([
        page.waitForRequest((r) => r.method() === 'POST'),
        page.press('#company', 'Enter'),
      ]);
      suite.check(`${tag}: Enter in a field posts the enquiry`,
        new URL(request.url()).pathname === `/${locale}/enquiry`, new URL(request.url()).pathname);
      await page.waitForLoadState('load');
      shownAt = Date.now();
      suite.check(`${tag}: no consent cookie after Enter`, !(await consentCookie(context)));
    }

    const posted = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/consent') posted.push(r.postData() || '');
    });
    if (mode === 'JS fallback') {
      let aborted = false;
      await page.route('**/consent', (route) => {
        if (aborted) return route.continue();
        aborted = true;
        return route.abort();
      });
    }
    const status = await choose(page, mode === 'JS', '#consent-banner button[value=accept]');
    suite.check(`${tag}: accept answers 200`, status === 200, `status ${status}`);
    suite.check(`${tag}: accept sets the consent cookie`, Boolean(await consentCookie(context)));
    suite.check(`${tag}: the banner is gone`, !(await page.locator('#consent-banner').isVisible().catch(() => false)));
    await typedTextKept(tag, page, values);
    const keys = posted.map((body) => [...new URLSearchParams(body).keys()].sort().join(','));
    if (js) {
      suite.check(`${tag}: the script posts the consent fields only`, keys[0] === 'choice,consent_token,return', keys[0]);
    }
    if (mode !== 'JS') {
      suite.check(`${tag}: the page says the enquiry is not sent yet`,
        (await page.locator('#notice').count()) === 1);
      const native = keys[keys.length - 1] || '';
      suite.check(`${tag}: the form's fields went along to be shown again`,
        keys.length === (js ? 2 : 1) && native.includes('name') && native.includes('choice'));
    }
    // The enquiry can still be sent from here.
    if (reshown) await page.fill('#message', suite.secret(`Lanterns, please ${suffix()}`));
    await waitFillTime(shownAt);
    const sent = await submitEnquiry(page, `${BASE_URL}/${locale}/enquiry`);
    suite.check(`${tag}: the enquiry is then sent`, sent === 303, `status ${sent}`);
    suite.check(`${tag}: on to the thanks page`, new URL(page.url()).pathname === `/${locale}/enquiry/thanks`);
  } finally {
    await context.close();
  }
}

// The re-shown form with the banner: valid HTML, no axe violations.
async function reshownFormValid(browser) {
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    const documents = [];
    for (const locale of LOCALES) {
      await reshownForm(page, locale);
      await suite.step(`axe: re-shown ${locale}/enquiry runs`, async () => {
        const violations = await checkAxe(page);
        suite.check(`axe: re-shown ${locale}/enquiry has no violations`, violations.length === 0,
          violations.slice(0, 3).join(' | '));
      });
    }
    // The HTML as sealform sent it (not the browser's DOM): from a plain post.
    for (const locale of LOCALES) {
      const form = await fetch(`${BASE_URL}/${locale}/enquiry`);
      const token = ((await form.text()).match(/name="token" value="([^"]*)"/) || [])[1] || '';
      await waitFillTime(Date.now());
      const response = await fetch(`${BASE_URL}/${locale}/enquiry`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL },
        body: new URLSearchParams({ token, name: 'A', email: 'not-an-address', category: 'media', message: 'x' }).toString(),
      });
      suite.check(`fetch: re-shown ${locale}/enquiry answers 422`, response.status === 422, `status ${response.status}`);
      documents.push({ label: `re-shown ${locale}/enquiry`, html: await response.text() });
    }
    const errors = checkHtml(documents);
    for (const doc of documents) {
      const mine = errors.filter((e) => e.label === doc.label);
      suite.check(`vnu: ${doc.label} has no errors`, mine.length === 0,
        mine.slice(0, 3).map((e) => `${e.line}:${e.column} ${e.message}`).join(' | '));
    }
  } finally {
    await context.close();
  }
}

async function languageSwitcher(browser, locale) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    for (const path of ['enquiry', 'privacy', 'cookies']) {
      for (const other of LOCALES.filter((l) => l !== locale)) {
        await page.goto(`${BASE_URL}/${locale}/${path}`);
        await Promise.all([page.waitForNavigation(), page.click(`nav.languages a[href="/${other}/${path}"]`)]);
        suite.check(`switcher: ${locale} ${path} -> ${other} keeps the page`,
          new URL(page.url()).pathname === `/${other}/${path}`);
        const alternates = await page.locator('link[rel=alternate][hreflang]').count();
        suite.check(`switcher: ${other} ${path} has hreflang alternates`, alternates === 3);
      }
    }
  } finally {
    await context.close();
  }
}

// A consent cookie for `choice`, from a real POST /consent.
async function cookieFor(choice) {
  const html = await (await fetch(`${BASE_URL}/en-us/cookies`)).text();
  const token = (html.match(/name="consent_token" value="([^"]*)"/) || [])[1] || '';
  const response = await fetch(`${BASE_URL}/consent`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL },
    body: new URLSearchParams({ consent_token: token, choice, return: '/en-us/cookies' }).toString(),
  });
  const set = response.headers.get('set-cookie') || '';
  suite.check(`fetch: ${choice} answers 303 with a cookie`, response.status === 303 && set.startsWith(`${COOKIE}=`));
  return set.split(';')[0];
}

async function everyPageValid(browser) {
  const states = [['none', ''], ['rejected', await cookieFor('reject')], ['accepted', await cookieFor('accept')]];
  const documents = [];
  for (const [state, cookie] of states) {
    for (const locale of LOCALES) {
      for (const path of PAGES) {
        const response = await fetch(`${BASE_URL}/${locale}/${path}`, { headers: cookie ? { Cookie: cookie } : {} });
        const html = await response.text();
        const label = `${state} ${locale}/${path}`;
        documents.push({ label, html });
        const csp = response.headers.get('content-security-policy') || '';
        const allows = csp.includes(ANALYTICS_ORIGIN);
        // Never on the thanks page: its address carries the enquiry's reference.
        const expected = state === 'accepted' && path !== 'enquiry/thanks';
        suite.check(`csp: ${label} ${expected ? 'allows' : 'does not allow'} the analytics origin`,
          allows === expected);
        suite.check(`html: ${label} ${expected ? 'loads' : 'does not load'} the analytics script`,
          html.includes(`src="${ANALYTICS_ORIGIN}/analytics.js"`) === expected);
        suite.check(`fetch: ${label} sets no cookie`, !response.headers.get('set-cookie'));
      }
    }
  }
  const errors = checkHtml(documents);
  for (const doc of documents) {
    const mine = errors.filter((e) => e.label === doc.label);
    suite.check(`vnu: ${doc.label} has no errors`, mine.length === 0,
      mine.slice(0, 3).map((e) => `${e.line}:${e.column} ${e.message}`).join(' | '));
  }
  for (const [state, cookie] of states) {
    const context = await browser.newContext({ bypassCSP: true });
    try {
      if (cookie) {
        const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
        await context.addCookies([{ name, value, url: BASE_URL }]);
      }
      const page = await context.newPage();
      for (const locale of LOCALES) {
        for (const path of PAGES) {
          const label = `${state} ${locale}/${path}`;
          await suite.step(`axe: ${label} runs`, async () => {
            await page.goto(`${BASE_URL}/${locale}/${path}`);
            const violations = await checkAxe(page);
            suite.check(`axe: ${label} has no violations`, violations.length === 0, violations.slice(0, 3).join(' | '));
          });
        }
      }
    } finally {
      await context.close();
    }
  }
}

let browser = null;
try {
  if (!suite.check('ANALYTICS_PORT is set by the e2e config', ANALYTICS_PORT > 0)) throw new Error('no analytics port');
  await new Promise((resolve, reject) => {
    stub.once('error', reject);
    stub.listen(ANALYTICS_PORT, '127.0.0.1', resolve);
  });
  browser = await launch();
  for (const locale of LOCALES) {
    for (const js of [true, false]) {
      await suite.step(`${locale} ${js ? 'JS' : 'no-JS'}: reject flow runs`, () => firstVisitAndReject(browser, locale, js));
      await suite.step(`${locale} ${js ? 'JS' : 'no-JS'}: accept flow runs`, () => acceptFromBanner(browser, locale, js));
    }
    await suite.step(`switcher: ${locale} runs`, () => languageSwitcher(browser, locale));
  }
  for (const [locale, mode, reshown] of [
    ['en-us', 'no-JS', true], ['en-us', 'JS', true], ['en-us', 'JS fallback', true],
    ['en-us', 'no-JS', false], ['en-us', 'JS fallback', false],
    ['zh-cn', 'no-JS', true], ['zh-tw', 'JS', true], ['zh-tw', 'no-JS', false],
  ]) {
    await suite.step(`${locale} ${mode} ${reshown ? 're-shown' : 'fresh'} form flow runs`,
      () => choiceKeepsTypedText(browser, locale, mode, reshown));
  }
  await suite.step('re-shown forms are valid', () => reshownFormValid(browser));
  await suite.step('every page in every state runs', () => everyPageValid(browser));
} catch (error) {
  suite.check('consent tests run', false, firstLine(error));
} finally {
  if (browser) await browser.close();
  stub.close();
}
suite.finish();
