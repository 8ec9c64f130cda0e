import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r4Schema } from '../definitions/schema.js';
import { AbsoluteAttachments } from './absolute-attachments.js';

const BASE = 'https://socle.example.fr/fhir';

test('relative Attachment URLs become absolute against the base, wherever the definitions put an Attachment', () => {
  const rewriter = new AbsoluteAttachments(r4Schema(), BASE);
  const document = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/b1' } }, { attachment: { url: 'https://ailleurs.fr/doc.pdf' } }] };
  rewriter.apply(document);
  assert.equal(document.content[0]?.attachment.url, `${BASE}/Binary/b1`);
  assert.equal(document.content[1]?.attachment.url, 'https://ailleurs.fr/doc.pdf');

  const communication = { resourceType: 'Communication', status: 'completed', payload: [{ contentAttachment: { url: 'Binary/b2' } }], extension: [{ url: 'http://example.org/piece-jointe', valueAttachment: { url: 'Binary/b5' } }] };
  rewriter.apply(communication);
  assert.equal(communication.payload[0]?.contentAttachment.url, `${BASE}/Binary/b2`);
  assert.equal(communication.extension[0]?.valueAttachment.url, `${BASE}/Binary/b5`);

  const patient = { resourceType: 'Patient', photo: [{ url: 'Binary/b3' }], contained: [{ resourceType: 'Media', status: 'completed', content: { url: 'Binary/b4' } }] };
  rewriter.apply(patient);
  assert.equal(patient.photo[0]?.url, `${BASE}/Binary/b3`);
  assert.equal(patient.contained[0]?.content.url, `${BASE}/Binary/b4`);
});

test('what is not an Attachment keeps its url: an Endpoint address, an extension url, a local fragment', () => {
  const rewriter = new AbsoluteAttachments(r4Schema(), BASE);
  const endpoint = { resourceType: 'Endpoint', status: 'active', address: 'relative/path', extension: [{ url: 'ext', valueString: 'x' }], connectionType: { code: 'x' }, payloadType: [{ text: 'x' }] };
  rewriter.apply(endpoint);
  assert.equal(endpoint.address, 'relative/path');
  assert.equal(endpoint.extension[0]?.url, 'ext');
  const document = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { url: '#inline' } }] };
  rewriter.apply(document);
  assert.equal(document.content[0]?.attachment.url, '#inline');
});
