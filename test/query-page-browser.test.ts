// The query page in a real browser (Debian's chromium, headless, driven by playwright-core): GraphiQL
// loads, fetches the schema for its docs, runs a query with the X-Province and bearer headers typed
// into its headers editor, and every request the page made, workers and WebSocket included, went to
// this server. Without Chromium this test fails: .ci/run installs it.
import { chromium, type Browser } from 'playwright-core';
import { startTestApi, type TestApi } from './support/api';
import { province } from './support/fixtures';

const CHROMIUM = '/usr/bin/chromium';
const canTho = province('can-tho');
let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi();
  // playwright starts it with a fresh profile of its own; and no background traffic of Chromium's own: only the page's requests remain.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

/** Replaces an editor's text: insertText types no auto-closed brackets. */
async function replaceText(page: import('playwright-core').Page, editor: string, text: string) {
  await page.locator(editor).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Waits (a while) for the response pane to show the text; the assertion after it says what it shows. */
const responseShows = (page: import('playwright-core').Page, text: string) =>
  page
    // (a function, not a string: the page's CSP forbids eval)
    .waitForFunction((wanted) => (globalThis as any).document.querySelector('.graphiql-response')?.textContent?.includes(wanted), text, { timeout: 30_000 })
    .catch(() => undefined);

test('GraphiQL runs a query with the province and token headers, asking nothing of any other host', async () => {
  const origin = new URL(api.url).origin;
  const context = await browser.newContext();
  const page = await context.newPage();
  const requested: string[] = [];
  const introspections: string[] = [];
  const subscriptionsOverHttp: string[] = [];
  page.on('request', (request) => {
    requested.push(request.url());
    if ((request.postData() ?? '').includes('__schema')) introspections.push(request.url());
    if ((request.postData() ?? '').includes('dossierStatusChanged')) subscriptionsOverHttp.push(request.url());
  });
  page.on('websocket', (socket) => requested.push(socket.url()));
  page.on('worker', (worker) => requested.push(worker.url()));
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));

  const response = await page.goto(`${origin}/graphql`);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
  await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor({ timeout: 30_000 });

  const token = await api.token({ province: canTho.id, roles: ['official'] });
  await page.getByText('Headers', { exact: true }).click();
  await replaceText(page, '.monaco-editor[data-uri$="headers.json"]', JSON.stringify({ 'X-Province': canTho.slug, Authorization: `Bearer ${token}` }));
  await replaceText(page, '.graphiql-query-editor .monaco-editor', '{ province { name } me { kind roles } }');
  await page.locator('.graphiql-execute-button').click();

  // Monaco draws spaces as no-break spaces.
  const resultText = async () => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
  await responseShows(page, 'official');
  const shown = await resultText();
  expect(shown).toContain('Thành phố Cần Thơ');
  expect(shown).toContain('"kind": "official"'); // the bearer token reached the server
  expect(introspections.length).toBeGreaterThan(0); // the docs explorer and autocomplete have a schema

  // A subscription goes over the WebSocket, with the province from the headers as a connection parameter.
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await replaceText(page, '.graphiql-query-editor .monaco-editor', 'subscription { dossierStatusChanged(code: "000.00.00.H13-260101-0001", secret: "ABCDEFGH") { status } }');
  await page.locator('.graphiql-execute-button').click();
  await responseShows(page, 'DOSSIER_NOT_FOUND');
  expect(await resultText()).toContain('DOSSIER_NOT_FOUND');
  expect(sockets).toEqual([`${origin.replace('http', 'ws')}/graphql`]);
  expect(subscriptionsOverHttp).toEqual([]);

  expect(requested).toContain(`${origin}/graphql/assets/graphql.worker.js`); // Monaco's workers run, from here
  const elsewhere = requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`${origin.replace('http', 'ws')}/`) && !url.startsWith('data:'));
  expect(elsewhere).toEqual([]);
  expect(problems.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
  await context.close();
}, 120_000);
