// The bare reference of every benchmark: node:http answering a fixed Patient JSON,
// with content-length, to any request. Run in its own process.
import http from 'node:http';

const patient = JSON.stringify({
  resourceType: 'Patient',
  id: '6f1c0a52-3c4e-4b8e-9d7a-2f0e5a9b1c3d',
  meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00.000Z' },
  identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '180017512345678' }],
  name: [{ family: 'Martin42', given: ['Jean'] }],
  gender: 'male',
  birthDate: '1980-05-17',
  address: [{ line: ['1 rue Nationale'], city: 'Lille', postalCode: '59000', country: 'FR' }],
});
const length = Buffer.byteLength(patient);
const port = Number(process.argv[2] ?? 9000);

http
  .createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': length });
      response.end(patient);
    });
  })
  .listen(port, '127.0.0.1', () => process.send?.('ready'));
