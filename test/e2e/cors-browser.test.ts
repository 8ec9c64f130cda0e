/**
 * A browser app on another origin uses the FHIR API, as a SMART on FHIR web
 * app does: real Chromium, a page served from its own port, fetch() with a
 * bearer token — so the browser itself sends the preflight and enforces the
 * answer. It reads a search, creates a resource and reads the Location and
 * ETag headers; with CORS off, the browser refuses the same call.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { backendNames } from '../support/backends.js';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import { freePort } from '../support/child-process.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const skip = chromiumAvailable() ? false : `no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`;
const backend = backendNames()[0]!;

interface PageResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly location?: string | null;
  readonly etag?: string | null;
  readonly total?: number;
  readonly error?: string;
}

interface AppWindow {
  createAndSearch(base: string, bearer: string): Promise<{ created: PageResult; searched: PageResult }>;
}

/** The web app: a page whose script creates a Patient, then searches, reporting what the browser let it read. */
const APP_PAGE = `<!doctype html><title>app</title><script>
async function attempt(run) {
  try { return await run(); } catch (error) { return { ok: false, error: String(error) }; }
}
window.createAndSearch = async (base, bearer) => {
  const created = await attempt(async () => {
    const response = await fetch(base + '/Patient', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + bearer, 'content-type': 'application/fhir+json', prefer: 'return=minimal' },
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Navigateur' }] }),
    });
    return { ok: true, status: response.status, location: response.headers.get('location'), etag: response.headers.get('etag') };
  });
  const searched = await attempt(async () => {
    const response = await fetch(base + '/Patient?family=Navigateur&_total=accurate', { headers: { authorization: 'Bearer ' + bearer } });
    const bundle = await response.json();
    return { ok: true, status: response.status, total: bundle.total };
  });
  return { created, searched };
};
</script>`;

describe(`a web app on another origin calls the FHIR API from Chromium [${backend}]`, { skip }, () => {
  let browser: Browser;
  let page: Server;
  let pageUrl: string;
  const servers: TestServer[] = [];

  before(async () => {
    const port = await freePort();
    pageUrl = `http://127.0.0.1:${port}/app`;
    page = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP_PAGE));
    await new Promise<void>((resolve) => page.listen(port, '127.0.0.1', resolve));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.close(resolve));
    for (const server of servers) await server.close();
  });

  /** Runs, in the page, a create then a search against `fhirBase` with the token. */
  async function createAndSearch(fhirBase: string, token: string): Promise<{ created: PageResult; searched: PageResult }> {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(pageUrl);
      // The app's own script (in APP_PAGE) does the calls: the browser, not the test, sends them.
      return await tab.evaluate((args) => (globalThis as unknown as AppWindow).createAndSearch(args.base, args.bearer), { base: fhirBase, bearer: token });
    } finally {
      await context.close();
    }
  }

  test('with CORS on (the default), the page creates, reads Location and ETag, and searches', async () => {
    const server = await startTestServer(backend);
    servers.push(server);
    const { created, searched } = await createAndSearch(server.base, (await server.tokenFor({ kind: 'operator', subject: 'web-app', scopes: ['system/*.cruds'] })));
    assert.equal(created.ok, true, created.error);
    assert.equal(created.status, 201);
    assert.match(created.location ?? '', /\/fhir\/Patient\/[^/]+\/_history\/1$/);
    assert.equal(created.etag, 'W/"1"');
    assert.equal(searched.status, 200);
    assert.equal(searched.total, 1);
  });

  test('with CORS off, the browser refuses the cross-origin call', async () => {
    const server = await startTestServer(backend, { corsOrigins: 'off' });
    servers.push(server);
    const { created } = await createAndSearch(server.base, await server.tokenFor({ kind: 'operator', subject: 'web-app', scopes: ['system/*.cruds'] }));
    assert.equal(created.ok, false);
    assert.match(created.error ?? '', /Failed to fetch|TypeError/);
    const listed = await server.get('Patient?family=Navigateur&_total=accurate');
    assert.equal(listed.body.total, 0, 'the preflight failed, so the POST never left the browser');
  });
});
