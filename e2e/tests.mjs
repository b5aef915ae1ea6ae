// Browser tests for kehoach: playwright-core driving Debian's /usr/bin/chromium.
//
// Usage: node e2e/tests.mjs BASE_URL   (e2e/run starts the server and calls this)
//
// A tiny runner, no framework: each test is an async function run in order,
// sharing one browser; each prints `ok - name` or `not ok - name: error`, and the
// last line is `N passed, M failed`. Exit code 1 if anything failed.
// Screenshots go to e2e/screenshots/NAME-1280.png and NAME-360.png (full page).

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.argv[2] || '').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]+$/.test(BASE)) {
  console.error('usage: node e2e/tests.mjs BASE_URL   (e.g. http://127.0.0.1:8080)');
  process.exit(2);
}

const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(HERE, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PERIOD = '2025-09';
const NO_DATA = 'Chưa có số liệu';
const STATUSES = ['Vượt', 'Đạt', 'Không đạt', 'Ước đạt', 'Có nguy cơ không đạt', NO_DATA];
const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 360, height: 800 },
];
const TEST_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;

const url = (path) => BASE + path;

// ---------------------------------------------------------------- helpers

class AssertionError extends Error {}

function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

function oneLine(s) {
  return String(s).replace(/\s+/g, ' ').trim();
}

// Each test gets its own context (own cookies). Page errors, failed
// sub-resources (e.g. a missing /assets/vendor/htmx.min.js, or a CDN
// reference the closed network cannot reach) are collected and fail the test.
// The runner hands each test a fresh `t`; t.context() opens a browser context
// that the runner closes after the test, whatever happened.
function makeT(browser) {
  const contexts = [];
  const problems = [];
  return {
    contexts,
    problems,
    async context() {
      const context = await browser.newContext({ viewport: WIDTHS[0], locale: 'vi-VN' });
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
      context.on('page', (page) => watch(page, problems));
      contexts.push(context);
      return context;
    },
  };
}

function watch(page, problems) {
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${oneLine(err.message)}`));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText || 'failed';
    // Aborted loads are superseded navigations, or 4xx/5xx sub-resources that
    // the 'response' listener below already reports.
    if (failure.includes('ERR_ABORTED')) return;
    problems.push(`request failed: ${req.method()} ${req.url()} (${failure})`);
  });
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (['script', 'stylesheet', 'image', 'font'].includes(type) && res.status() >= 400) {
      problems.push(`${type} ${res.url()} answered ${res.status()}`);
    }
  });
}

async function login(context, username, password) {
  const page = await context.newPage();
  await page.goto(url('/login'));
  await page.locator('input#username').fill(username);
  await page.locator('input#password').fill(password);
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator('button[type=submit]').first().click(),
  ]);
  await page.waitForURL((u) => !u.pathname.startsWith('/login')).catch(() => {
    throw new AssertionError(`logging in as ${username} failed: POST answered ${posted.status()}, still at ${page.url()}`);
  });
  const path = new URL(page.url()).pathname;
  assert(path === '/', `after logging in as ${username} expected to land on /, got ${page.url()}`);
  const logout = page.locator('form[action="/logout"]');
  assert((await logout.count()) > 0, `no form[action="/logout"] after logging in as ${username}`);
  assert(
    (await logout.locator('button[type=submit], input[type=submit], button:not([type])').count()) > 0,
    'the logout form has no submit button',
  );
  return page;
}

// Full-page screenshots at both widths, then back to the first width.
async function screenshots(page, name) {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), fullPage: true });
    if (size.width === 360) {
      // On a phone the status of every measure shown must still be visible.
      const hidden = await page
        .locator('tr[data-measure] .chip')
        .evaluateAll((els) => els.filter((e) => e.offsetParent === null).length);
      assert(hidden === 0, `${name}: ${hidden} status chip(s) hidden at 360px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      if (overflow > size.width + 1) {
        // Not a failure: reported so a person looks at the 360 px screenshot.
        console.log(`# warning: ${name} is ${overflow}px wide at a 360px viewport (horizontal scrolling)`);
      }
    }
  }
  await page.setViewportSize(WIDTHS[0]);
}

async function chipText(page, row) {
  const chip = page.locator(`${row} .chip`).first();
  await chip.waitFor({ state: 'visible' });
  return oneLine(await chip.innerText());
}

function assertStatusWithData(text, where) {
  assert(STATUSES.includes(text), `${where}: chip text "${text}" is not one of the known statuses`);
  assert(text !== NO_DATA, `${where}: chip still says "${NO_DATA}" after the approved submission`);
}

// ---------------------------------------------------------------- tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('reporter enters a value with a Vietnamese decimal comma', async (t) => {
  const context = await t.context();
  const page = await login(context, 'reporter1', 'reporter-pass-1');
  const res = await page.goto(url(`/entry?period=${PERIOD}`));
  assert(res && res.status() === 200, `GET /entry?period=${PERIOD} answered ${res && res.status()}`);

  const c1 = page.locator('input[name="v.c.1"]');
  assert((await c1.count()) === 1, 'no input[name="v.c.1"] on the entry form');
  // The Sở Công Thương answers for one measure (c.1): the bad text goes into
  // c.1 itself first, with a note typed beside it that must also survive.
  const note = page.locator('input[name="n.c.1"]');
  assert((await note.count()) === 1, 'no note input n.c.1 beside v.c.1');
  const unlabelled = await page.locator('input[name^="v."]:not([type=hidden])').evaluateAll((els) =>
    els
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
      .map((e) => e.name),
  );
  assert(unlabelled.length === 0, `value inputs without a label: ${unlabelled.join(', ')}`);
  assert((await page.locator('button[name=action][value=draft]').count()) === 1, 'no draft button');
  const submit = page.locator('button[name=action][value=submit]');
  assert((await submit.count()) === 1, 'no submit button');
  assert(
    (await page.locator('form:has(input[name="v.c.1"]) input[type=hidden][name=csrf]').count()) === 1,
    'the entry form carries no hidden input[name=csrf]',
  );

  await c1.fill('1.850,5');
  await screenshots(page, 'entry');
  await c1.fill('1.850,5 abc');
  await note.fill('Ước tính của Sở Công Thương');

  // Submit with one bad field: the form comes back with 422, text kept, error shown.
  const [rejected] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    submit.click(),
  ]);
  assert(rejected.status() === 422, `submitting "1.850,5 abc" answered ${rejected.status()}, expected 422`);
  await page.waitForLoadState('domcontentloaded');
  const fieldError = page.locator('.field-error').first();
  await fieldError.waitFor({ state: 'visible' });
  const errorText = oneLine(await fieldError.innerText());
  assert(errorText.length > 0, '.field-error is empty');
  assert(
    (await page.locator('input[name="v.c.1"]').inputValue()) === '1.850,5 abc',
    'after the 422 the input v.c.1 no longer holds what was typed',
  );
  assert(
    (await page.locator('input[name="n.c.1"]').inputValue()) === 'Ước tính của Sở Công Thương',
    'after the 422 the note n.c.1 no longer holds what was typed',
  );

  // Correct the value with a Vietnamese decimal comma and submit again:
  // redirect, flash "Đã gửi".
  await page.locator('input[name="v.c.1"]').fill('1.850,5');
  const [accepted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator('button[name=action][value=submit]').click(),
  ]);
  assert(accepted.status() < 400, `the corrected submission answered ${accepted.status()}`);
  const flash = page.locator('.flash').first();
  await flash.waitFor({ state: 'visible' });
  const flashText = oneLine(await flash.innerText());
  assert(flashText.includes('Đã gửi'), `.flash says "${flashText}", expected it to contain "Đã gửi"`);
});

test("reporter cannot open another agency's entry form", async (t) => {
  const context = await t.context();
  const page = await login(context, 'reporter1', 'reporter-pass-1');
  const res = await page.goto(url(`/entry?period=${PERIOD}&agency=SYT`));
  assert(res, 'no response');
  assert(res.status() === 403, `reporter1 (SCT) GET /entry?agency=SYT answered ${res.status()}, expected 403`);
  assert((await page.locator('input[name^="v."]').count()) === 0, 'the 403 page shows value inputs');
});

test('the public cannot open any entry page', async (t) => {
  const context = await t.context();
  const page = await context.newPage();
  for (const path of [`/entry?period=${PERIOD}`, `/entry?period=${PERIOD}&agency=SYT`, '/approvals', '/']) {
    await page.goto(url(path));
    assert(page.url().includes('/login'), `anonymous GET ${path} ended at ${page.url()}, expected /login`);
    assert((await page.locator('input[name^="v."]').count()) === 0, `anonymous GET ${path} shows value inputs`);
  }
});

test('approver approves', async (t) => {
  const context = await t.context();
  const page = await login(context, 'approver1', 'approver-pass-1');
  const res = await page.goto(url('/approvals'));
  assert(res && res.status() === 200, `GET /approvals answered ${res && res.status()}`);
  const row = page.locator(`tr[data-submission="SCT/${PERIOD}"]`);
  await row.first().waitFor({ state: 'visible' });
  assert((await row.count()) === 1, `expected one row tr[data-submission="SCT/${PERIOD}"], found ${await row.count()}`);
  const comment = row.locator('textarea[name=comment]');
  assert((await comment.count()) === 1, 'the approval row has no textarea[name=comment]');
  assert((await row.locator('button[name=decision][value=return]').count()) === 1, 'no return button');
  assert((await row.locator('input[type=hidden][name=csrf]').count()) >= 1, 'the approval form has no csrf input');
  await comment.fill('Số liệu hợp lệ.');
  await screenshots(page, 'approvals');
  await row.locator('button[name=decision][value=approve]').click();
  // Full reload or an htmx swap: either way the row must come to say "Đã duyệt".
  await page
    .locator(`tr[data-submission="SCT/${PERIOD}"]`, { hasText: 'Đã duyệt' })
    .first()
    .waitFor({ state: 'visible' })
    .catch(async () => {
      const now = await page.locator(`tr[data-submission="SCT/${PERIOD}"]`).allInnerTexts();
      throw new AssertionError(`after approve the row does not say "Đã duyệt": ${oneLine(now.join(' | ')) || '(row gone)'}`);
    });
});

test('overview shows the new status', async (t) => {
  const context = await t.context();
  const page = await login(context, 'approver1', 'approver-pass-1');
  const res = await page.goto(url(`/?period=${PERIOD}`));
  assert(res && res.status() === 200, `GET /?period=${PERIOD} answered ${res && res.status()}`);
  const select = page.locator('form select[name=period]');
  assert((await select.count()) === 1, 'no select[name=period] inside a form');
  const method = await select.evaluate((s) => (s.form.getAttribute('method') || 'get').toLowerCase());
  assert(method === 'get', `the period form's method is ${method}, expected get`);
  const chosen = await select.inputValue();
  assert(chosen === PERIOD, `select[name=period] shows ${chosen}, expected ${PERIOD}`);
  // September alone, with the months before it missing and no profile of
  // last year, cannot be carried to the year: the approved figure is shown,
  // and the verdict says there is not yet enough to judge.
  const row = oneLine(await page.locator('tr[data-measure="c.1"]').first().innerText());
  assert(row.includes('1.850,5'), `the overview's exports row does not show the approved 1.850,5: ${row}`);
  await screenshots(page, 'overview');
  for (const width of [1024, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    const hidden = await page.locator('.count').evaluateAll((cards) =>
      cards.filter((c) => {
        const n = c.querySelector('strong');
        const box = c.getBoundingClientRect();
        const inner = n.getBoundingClientRect();
        return inner.right > box.right + 1 || inner.left < box.left - 1;
      }).length,
    );
    assert(hidden === 0, `${hidden} verdict card(s) push their number out at ${width}px`);
  }
  await page.setViewportSize(WIDTHS[0]);

  const m = await page.goto(url('/measures/c.1'));
  assert(m && m.status() === 200, `GET /measures/c.1 answered ${m && m.status()}`);
  await page.locator('svg.chart').first().waitFor({ state: 'visible' });
  const source = page.locator('blockquote.source').first();
  await source.waitFor({ state: 'visible' });
  assert(oneLine(await source.innerText()).length > 0, 'blockquote.source is empty');
  await page.locator('table.history').first().waitFor({ state: 'visible' });
  await screenshots(page, 'measure');
});

test('the public portal shows it', async (t) => {
  const context = await t.context();
  const page = await context.newPage();
  const res = await page.goto(url(`/public?period=${PERIOD}`));
  assert(res && res.status() === 200, `GET /public?period=${PERIOD} answered ${res && res.status()}`);
  assert(!page.url().includes('/login'), `the public portal redirected to ${page.url()}`);
  const row = oneLine(await page.locator('tr[data-measure="c.1"]').first().innerText());
  assert(row.includes('1.850,5'), `the public portal's exports row does not show the approved 1.850,5: ${row}`);
  assert((await page.locator('input[name^="v."]').count()) === 0, 'the public portal shows value inputs');
  await screenshots(page, 'public');

  const csv = await context.request.get(url('/public/figures.csv'));
  assert(csv.status() === 200, `GET /public/figures.csv answered ${csv.status()}`);
  const type = csv.headers()['content-type'] || '';
  assert(type.includes('text/csv'), `GET /public/figures.csv has content-type "${type}", expected text/csv`);
  const body = await csv.text();
  assert(body.trim().length > 0, '/public/figures.csv is empty');
});

test('a planner sees every plan, the one followed marked', async (t) => {
  const context = await t.context();
  const page = await login(context, 'planner1', 'planner-pass-1');
  const res = await page.goto(url('/plans'));
  assert(res && res.status() === 200, `GET /plans answered ${res && res.status()}`);
  const followed = page.locator('tr.followed');
  assert((await followed.count()) === 1, 'one plan is marked as followed');
  const text = oneLine(await followed.innerText());
  assert(text.includes('Bến Tre') && text.includes('01/01/2025 – 31/12/2025'), `the followed plan reads "${text}"`);
  await screenshots(page, 'plans');
});

test('switching plan from the header changes every page, and the address keeps it', async (t) => {
  const context = await t.context();
  const page = await login(context, 'planner1', 'planner-pass-1');
  await page.goto(url('/'));
  const bar = () => page.locator('.plan-bar span').innerText().then(oneLine);
  assert((await bar()).startsWith('Kế hoạch 1: Bến Tre'), `the header names "${await bar()}"`);
  await Promise.all([page.waitForURL(/\/plans$/), page.locator('.plan-bar a').click()]);
  await Promise.all([page.waitForURL(/\/plans\/2$/), page.locator('tr[data-plan="2"] a').click()]);
  assert((await bar()).startsWith('Kế hoạch 2: Nghệ An, 2026'), `after switching the header names "${await bar()}"`);
  assert(oneLine(await page.locator('h1').innerText()).includes('2026'), 'the overview is of 2026');
  for (const [label, path] of [['Nhiệm vụ', '/plans/2/tasks'], ['Báo cáo', '/plans/2/reports'], ['Kế hoạch', '/plans/2/plan']]) {
    await Promise.all([page.waitForURL(new RegExp(path + '$')), page.locator('nav a', { hasText: new RegExp('^' + label + '$') }).click()]);
    assert((await bar()).startsWith('Kế hoạch 2'), `${path} names "${await bar()}"`);
  }
  assert((await page.locator('h1').innerText()).includes('Nghệ An'), 'the plan page is of Nghệ An');
  // A bookmark keeps the plan; the built-in plan is where it was.
  await page.goto(url('/plans/2/tasks'));
  assert((await bar()).startsWith('Kế hoạch 2'), 'a bookmark keeps the plan');
  await page.goto(url('/'));
  assert((await bar()).startsWith('Kế hoạch 1: Bến Tre'), 'the plain address is still the plan followed');
  await page.goto(url('/plans/2'));
  await screenshots(page, 'plan-2');
});

test('a planner reads a resolution and reviews it beside its text', async (t) => {
  const context = await t.context();
  const page = await login(context, 'planner1', 'planner-pass-1');
  const res = await page.goto(url('/plan/import'));
  assert(res && res.status() === 200, `GET /plan/import answered ${res && res.status()}`);
  await page.locator('input#file').setInputFiles('crates/import/tests/data/ben-tre-2025-nghi-quyet.txt');
  await Promise.all([page.waitForURL(/\/plan\/drafts\/\d+/), page.locator('form[action="/plan/import"] button[type=submit]').click()]);
  await page.locator('tr[data-measure="c.1"]').waitFor({ state: 'visible' });
  const line = page.locator('#L10');
  assert((await line.getAttribute('class')) === 'marked', 'the source line of c.1 is not marked');
  assert(oneLine(await line.innerText()).includes('Kim ngạch xuất khẩu'), 'line 10 is not the exports sentence');
  await screenshots(page, 'draft');
});

test('a planner confirms another resolution and the plan followed keeps every figure', async (t) => {
  const context = await t.context();
  const page = await login(context, 'planner1', 'planner-pass-1');
  await page.goto(url(`/?period=${PERIOD}`));
  const before = oneLine(await page.locator('tr[data-measure="c.1"]').first().innerText());
  assert(before.includes('1.850,5'), `before: the exports row reads "${before}"`);
  await page.goto(url('/plan/import'));
  await page.locator('input#file').setInputFiles('crates/import/tests/data/genre/table.txt');
  await Promise.all([page.waitForURL(/\/plan\/drafts\/\d+/), page.locator('form[action="/plan/import"] button[type=submit]').click()]);
  await Promise.all([page.waitForURL(/\/plan\?added=\d+/), page.locator('button[name=action][value=confirm]').click()]);
  const flash = oneLine(await page.locator('.flash').innerText());
  assert(flash.includes('bên cạnh các kế hoạch khác') && flash.includes('theo dõi kế hoạch số 1'), `the flash says "${flash}"`);
  // The plan followed: the approved figure, the tasks, the header, all as before.
  await page.goto(url(`/?period=${PERIOD}`));
  const after = oneLine(await page.locator('tr[data-measure="c.1"]').first().innerText());
  assert(after === before, `after: the exports row reads "${after}", before "${before}"`);
  assert(oneLine(await page.locator('.plan-bar span').innerText()).startsWith('Kế hoạch 1: Bến Tre'), 'still plan 1');
  const res = await page.goto(url('/tasks'));
  assert(res && res.status() === 200, 'the tasks of the plan followed still open');
  // The new plan is listed, with its own pages.
  await page.goto(url('/plans'));
  const rows = await page.locator('table.plans tbody tr').count();
  assert(rows === 3, `/plans lists ${rows} plans, expected 3`);
  await screenshots(page, 'plans-after-confirm');
});

test('a reporter downloads the report and the template, and uploads the template filled', async (t) => {
  const context = await t.context();
  const page = await login(context, 'reporter1', 'reporter-pass-1');
  const res = await page.goto(url('/reports'));
  assert(res && res.status() === 200, `GET /reports answered ${res && res.status()}`);
  await page.locator('select#period').selectOption('2025-H1');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('button[name=format][value=docx]').click(),
  ]);
  assert(download.suggestedFilename() === 'bao-cao-2025-H1.docx', `the report downloads as ${download.suggestedFilename()}`);
  const [template] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('form[action="/reports/template"][method=get] button[type=submit]').click(),
  ]);
  assert(template.suggestedFilename().endsWith('.xlsx'), `the template downloads as ${template.suggestedFilename()}`);
  // Uploaded as it came (nothing typed): accepted, nothing stored.
  const path = await template.path();
  await page.locator('input#file').setInputFiles({ name: 'bieu.xlsx', mimeType: 'application/octet-stream', buffer: readFileSync(path) });
  await Promise.all([page.waitForLoadState('load'), page.locator('form[enctype="multipart/form-data"] button[name=action][value=draft]').click()]);
  const flash = oneLine(await page.locator('.flash').innerText());
  assert(flash.includes('không có ô số liệu nào được điền'), `after the upload the page says "${flash}"`);
  await screenshots(page, 'reports');
});

// ------------------------------------------- which figures count (issue 12)

// The status chip of exports (c.1) on the overview of a period, as the approver sees it.
async function exportsChip(context, period) {
  const page = await login(context, 'approver1', 'approver-pass-1');
  const res = await page.goto(url(`/?period=${period}`));
  assert(res && res.status() === 200, `GET /?period=${period} answered ${res && res.status()}`);
  const chip = await chipText(page, 'tr[data-measure="c.1"]');
  const row = oneLine(await page.locator('tr[data-measure="c.1"]').first().innerText());
  await page.close();
  return { chip, row };
}

// Fills exports on the entry page of a period and presses a button.
async function enterExports(page, period, typed, action) {
  await page.goto(url(`/entry?period=${period}`));
  await page.locator('input[name="v.c.1"]').fill(typed);
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator(`button[name=action][value=${action}]`).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return posted.status();
}

// Decides on SCT's submission of a period from the approvals page.
async function decide(page, period, decision, comment = '') {
  await page.goto(url('/approvals'));
  const row = page.locator(`tr[data-submission="SCT/${period}"]`).first();
  await row.waitFor({ state: 'visible' });
  if (comment) await row.locator('[name=comment]').fill(comment);
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    row.locator(`button[name=decision][value=${decision}]`).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return posted.status();
}

test('a draft is not judged, and the form keeps 1.900,4567 exactly', async (t) => {
  const context = await t.context();
  const page = await login(context, 'reporter1', 'reporter-pass-1');
  assert((await enterExports(page, '2025-10', '1.900,4567', 'draft')) < 400, 'the draft was refused');
  const flash = oneLine(await page.locator('.flash').innerText());
  assert(flash.includes('Đã lưu nháp'), `after saving a draft the page says "${flash}"`);
  await page.goto(url('/entry?period=2025-10'));
  const shown = await page.locator('input[name="v.c.1"]').inputValue();
  assert(shown === '1.900,4567', `the entry form shows the stored 1900.4567 as "${shown}"`);
  await screenshots(page, 'entry-draft');
  // Saved again unchanged: still one version, still 1.900,4567.
  const [again] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator('button[name=action][value=draft]').click(),
  ]);
  assert(again.status() < 400, `saving the unchanged form answered ${again.status()}`);
  await page.goto(url('/entry?period=2025-10'));
  assert((await page.locator('input[name="v.c.1"]').inputValue()) === '1.900,4567', 'changed by saving it again');
  assert((await page.locator('input[name="ver.c.1"]').inputValue()) === '1', 'an unchanged save made a new version');
  const { chip, row } = await exportsChip(await t.context(), '2025-10');
  assert(chip === NO_DATA && !row.includes('1.900'), `a draft is judged on the overview: "${chip}", ${row}`);
});

test('a returned figure is not judged', async (t) => {
  const reporter = await login(await t.context(), 'reporter1', 'reporter-pass-1');
  assert((await enterExports(reporter, '2025-10', '1.900,4567', 'submit')) < 400, 'the submission was refused');
  const approver = await login(await t.context(), 'approver1', 'approver-pass-1');
  assert((await decide(approver, '2025-10', 'return', 'Đề nghị kiểm tra lại')) < 400, 'the return was refused');
  const returned = approver.locator('tr[data-submission="SCT/2025-10"]', { hasText: 'Trả lại' });
  await returned.first().waitFor({ state: 'visible' });
  const { chip, row } = await exportsChip(await t.context(), '2025-10');
  assert(chip === NO_DATA && !row.includes('1.900'), `a returned figure is judged on the overview: "${chip}", ${row}`);
});

test('an approval after the figure changed is refused; the approved figure is judged', async (t) => {
  const reporter = await login(await t.context(), 'reporter1', 'reporter-pass-1');
  assert((await enterExports(reporter, '2025-10', '1.900,4568', 'submit')) < 400, 'the corrected submission was refused');
  // The approver opens the queue and looks at 1.900,4568 ...
  const first = await login(await t.context(), 'approver1', 'approver-pass-1');
  await first.goto(url('/approvals'));
  const row = first.locator('tr[data-submission="SCT/2025-10"]').first();
  await row.waitFor({ state: 'visible' });
  assert(oneLine(await row.innerText()).includes('1.900,4568'), 'the queue does not show 1.900,4568');
  // ... while it is sent back and corrected again elsewhere.
  const second = await login(await t.context(), 'approver1', 'approver-pass-1');
  assert((await decide(second, '2025-10', 'return', 'Sửa lại số liệu')) < 400, 'the second return was refused');
  assert((await enterExports(reporter, '2025-10', '1.900,4569', 'submit')) < 400, 'the third submission was refused');
  const [stale] = await Promise.all([
    first.waitForResponse((r) => r.request().method() === 'POST'),
    row.locator('button[name=decision][value=approve]').click(),
  ]);
  assert(stale.status() === 409, `approving what was shown before answered ${stale.status()}, expected 409`);
  const problem = oneLine(await first.locator('.problem').innerText());
  assert(problem.length > 0, 'the refusal says nothing');
  assert(!(await exportsChip(await t.context(), '2025-10')).row.includes('1.900'), 'judged after a refused approval');
  // Approved as it stands now: judged.
  assert((await decide(first, '2025-10', 'approve')) < 400, 'the approval of what is shown was refused');
  const { row: approvedRow } = await exportsChip(await t.context(), '2025-10');
  assert(approvedRow.includes('1.900,46'), `the approved figure is not on the overview: ${approvedRow}`);
  const measure = await login(await t.context(), 'approver1', 'approver-pass-1');
  await measure.goto(url('/measures/c.1?period=2025-10'));
  const history = oneLine(await measure.locator('table.history').innerText());
  assert(history.includes('1.900,4569') && history.includes('Đã duyệt'), `the history does not show 1.900,4569 approved: ${history}`);
  await screenshots(measure, 'measure-approved');
});

// Downloads SCT's template of a period from the Báo cáo page.
async function downloadTemplate(page, period) {
  await page.goto(url('/reports'));
  await page.locator('select#tperiod').selectOption(period);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('form[action="/reports/template"][method=get] button[type=submit]').click(),
  ]);
  return download.path();
}

// Edits a workbook's cells (e2e/xlsx_edit.py) and gives the new file's path.
function editWorkbook(path, edits) {
  const out = join(mkdtempSync(join(tmpdir(), 'kehoach-xlsx-')), 'bieu.xlsx');
  execFileSync('python3', [join(HERE, 'xlsx_edit.py'), path, out, ...edits.flat()]);
  return out;
}

async function uploadTemplate(page, file, action) {
  await page.goto(url('/reports'));
  await page.locator('input#file').setInputFiles({ name: 'bieu.xlsx', mimeType: 'application/octet-stream', buffer: readFileSync(file) });
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator(`form[enctype="multipart/form-data"] button[name=action][value=${action}]`).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return posted.status();
}

test('a template uploaded by a reporter awaits approval and counts once approved', async (t) => {
  const reporter = await login(await t.context(), 'reporter1', 'reporter-pass-1');
  const blank = await downloadTemplate(reporter, '2025-Q1');
  // Exports are the Department's only measure: row 6 of the sheet.
  const filled = editWorkbook(blank, [['xl/worksheets/sheet1.xml', 'G6', 'n:437.25']]);
  assert((await uploadTemplate(reporter, filled, 'submit')) === 200, 'the filled template was refused');
  const flash = oneLine(await reporter.locator('.flash').innerText());
  assert(flash.includes('đã gửi lãnh đạo duyệt'), `after the upload the page says "${flash}"`);
  assert((await exportsChip(await t.context(), '2025-Q1')).chip === NO_DATA, 'judged before approval');
  const approver = await login(await t.context(), 'approver1', 'approver-pass-1');
  await approver.goto(url('/approvals'));
  const row = approver.locator('tr[data-submission="SCT/2025-Q1"]').first();
  await row.waitFor({ state: 'visible' });
  assert(oneLine(await row.innerText()).includes('437,25'), 'the queue does not show the uploaded 437,25');
  await screenshots(approver, 'approvals-template');
  assert((await decide(approver, '2025-Q1', 'approve')) < 400, 'the approval was refused');
  assertStatusWithData((await exportsChip(await t.context(), '2025-Q1')).chip, 'overview after approving the template');
});

test("a workbook whose hidden sheet names another agency's measures is refused", async (t) => {
  const reporter = await login(await t.context(), 'reporter1', 'reporter-pass-1');
  const blank = await downloadTemplate(reporter, '2025-Q2');
  // The hidden sheet rewritten: another agency, a measure of the Department of Health.
  const forged = editWorkbook(blank, [
    ['xl/worksheets/sheet2.xml', 'B4', 's:SYT'],
    ['xl/worksheets/sheet2.xml', 'A7', 's:g.1'],
    ['xl/worksheets/sheet1.xml', 'G6', 'n:99'],
  ]);
  const status = await uploadTemplate(reporter, forged, 'submit');
  assert(status === 422, `the forged workbook answered ${status}, expected 422`);
  const said = oneLine(await reporter.locator('.problem').allInnerTexts().then((t) => t.join(' ')));
  assert(said.includes('_kehoach') && said.includes('B4') && said.includes('A7'), `the refusal does not name the cells: ${said}`);
  assert((await exportsChip(await t.context(), '2025-Q2')).chip === NO_DATA, 'something of the forged workbook counts');
});

// ---------------------------------------------------------------- runner

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Distinct problems, the first few of them, on one line.
function summarise(problems) {
  const distinct = [...new Set(problems)];
  const shown = distinct.slice(0, 4).join('; ');
  return distinct.length > 4 ? `${shown}; and ${distinct.length - 4} more` : shown;
}

let passed = 0;
let failed = 0;
let browser;
try {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
} catch (err) {
  console.log(`not ok - launch chromium: ${oneLine(err.message)}`);
  console.log(`0 passed, ${tests.length + 1} failed`);
  process.exit(1);
}

for (const { name, fn } of tests) {
  const t = makeT(browser);
  try {
    await withTimeout(fn(t), TEST_TIMEOUT_MS, name);
    if (t.problems.length) throw new AssertionError(summarise(t.problems));
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    const message = err instanceof AssertionError ? err.message : `${err.name}: ${err.message}`;
    const problems = summarise(t.problems);
    const extra = problems && !message.includes(problems) ? ` (also: ${problems})` : '';
    console.log(`not ok - ${name}: ${oneLine(message + extra)}`);
  } finally {
    await Promise.all(t.contexts.map((c) => c.close().catch(() => {})));
  }
}

await browser.close().catch(() => {});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
