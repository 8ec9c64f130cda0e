/**
 * Requests Node's HTTP parser refuses before any route runs (a URL or headers
 * past its size limit, a request line it cannot read) are answered with an
 * OperationOutcome, like every other error; they were Fastify's own JSON.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';

/** Sends raw bytes and returns everything the server writes before it closes. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString('utf8'); });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

forEachBackend('HTTP requests refused by the parser', (server) => {
  test('a search URL past the header limit is a 431 OperationOutcome request.headers-too-large', async () => {
    const result = await server().get(`Patient?name=${'a'.repeat(20000)}`);
    assert.equal(result.status, 431);
    assert.match(result.headers.get('content-type') ?? '', /^application\/fhir\+json/);
    assert.equal(result.body.resourceType, 'OperationOutcome');
    assert.equal(result.body.issue[0].details.coding[0].code, 'request.headers-too-large');
    assert.equal(result.body.issue[0].code, 'too-long');
  });

  test('a header past the limit is a 431 OperationOutcome', async () => {
    const result = await server().get('Patient', { 'x-padding': 'b'.repeat(20000) });
    assert.equal(result.status, 431);
    assert.equal(result.body.issue[0].details.coding[0].code, 'request.headers-too-large');
  });

  test('a request line the parser cannot read is a 400 OperationOutcome request.malformed', async () => {
    const answer = await rawExchange(server().url, 'GET /fhir/Patient HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 400 /);
    assert.match(head, /content-type: application\/fhir\+json/i);
    const outcome = JSON.parse(body);
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.equal(outcome.issue[0].details.coding[0].code, 'request.malformed');
  });
});
