/**
 * uri search parameters on canonical values and by path
 * (http://hl7.org/fhir/R4/search.html#uri, #versions): a canonical written
 * with its version ("url|1.0", meta.profile) is found by its url alone, which
 * matches every version, and by "url|1.0", which matches that version only;
 * :below takes the URLs under a path and :above those a path lies under, on
 * path segment boundaries; neither applies to a URN.
 */
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, expectOutcome, newScope, type Scope } from '../support/search.js';

const q = encodeURIComponent;

forEachBackend('search: uri parameters on canonicals and paths', (server) => {
  const profiled = (s: Scope, ...profile: string[]) => server().create(s.mark({
    resourceType: 'Basic', code: { text: 'profilé' }, meta: { profile },
  }));
  const valueSet = (s: Scope, url: string) => server().create(s.mark({ resourceType: 'ValueSet', status: 'active', url }));

  test('_profile: the url alone finds every version, url|version that version only', async () => {
    const s = newScope();
    const url = `http://socle.example.org/fhir/StructureDefinition/profil-${s.u}`;
    const v1 = await profiled(s, `${url}|1.0`);
    const v2 = await profiled(s, `${url}|2.0`);
    const unversioned = await profiled(s, url);
    const longer = await profiled(s, `${url}-bis|1.0`);

    await expectIds(server(), `Basic?_profile=${q(url)}&${s.q}`, [v1, v2, unversioned]);
    await expectIds(server(), `Basic?_profile=${q(`${url}|1.0`)}&${s.q}`, [v1]);
    await expectIds(server(), `Basic?_profile=${q(`${url}|3.0`)}&${s.q}`, []);
    await expectIds(server(), `Basic?_profile=${q(`${url}-bis`)}&${s.q}`, [longer]);
    await expectIds(server(), `Basic?_profile=${q(url)},${q(`${url}-bis|1.0`)}&${s.q}`, [v1, v2, unversioned, longer]);
    // A search across all types reads the same rows (_profile is a parameter of Resource).
    await expectIds(server(), `?_profile=${q(url)}&${s.q}`, [v1, v2, unversioned]);
  });

  test('_profile:below: the profiles under a path, and a version with those below it', async () => {
    const s = newScope();
    const base = `http://socle.example.org/fhir/${s.u}/StructureDefinition`;
    const a = await profiled(s, `${base}/a|1.0`);
    const a11 = await profiled(s, `${base}/a|1.1`);
    const a2 = await profiled(s, `${base}/a|2.0`);
    const ab = await profiled(s, `${base}/ab`);
    await profiled(s, `http://socle.example.org/fhir/${s.u}/ValueSet/a`);

    await expectIds(server(), `Basic?_profile:below=${q(base)}&${s.q}`, [a, a11, a2, ab]);
    await expectIds(server(), `Basic?_profile:below=${q(`${base}/`)}&${s.q}`, [a, a11, a2, ab]);
    await expectIds(server(), `Basic?_profile:below=${q(`${base}/a`)}&${s.q}`, [a, a11, a2]);
    await expectIds(server(), `Basic?_profile:below=${q(`${base}/a|1`)}&${s.q}`, [a, a11]);
  });

  test(':below stops at path segments: /fhir does not reach /fhirx', async () => {
    const s = newScope();
    const root = `http://socle.example.org/${s.u}/fhir`;
    const top = await valueSet(s, root);
    const child = await valueSet(s, `${root}/ValueSet/a`);
    const slash = await valueSet(s, `${root}/`);
    await valueSet(s, `${root}x/ValueSet/a`);
    await valueSet(s, `${root}-bis`);

    await expectIds(server(), `ValueSet?url:below=${q(root)}&${s.q}`, [top, child, slash]);
    await expectIds(server(), `ValueSet?url:below=${q(`${root}/`)}&${s.q}`, [child, slash]);
    await expectIds(server(), `ValueSet?url:below=${q(`${root}/ValueSet/a`)}&${s.q}`, [child]);
  });

  test(':above takes the URLs the value lies under, on segment boundaries (search.html#uri)', async () => {
    const s = newScope();
    const host = `http://${s.u}.socle.example.org`;
    const hostOnly = await valueSet(s, host);
    const fhir = await valueSet(s, `${host}/fhir`);
    const fhirSlash = await valueSet(s, `${host}/fhir/`);
    const exact = await valueSet(s, `${host}/fhir/ValueSet/123`);
    await valueSet(s, `${host}/fh`);
    await valueSet(s, `${host}/fhir/ValueSet/12`);
    await valueSet(s, `${host}/fhir/ValueSet/123/autre`);

    await expectIds(server(), `ValueSet?url:above=${q(`${host}/fhir/ValueSet/123/_history/5`)}&${s.q}`, [hostOnly, fhir, fhirSlash, exact]);
    await expectIds(server(), `ValueSet?url:above=${q(`${host}/fhir/ValueSet/123`)}&${s.q}`, [hostOnly, fhir, fhirSlash, exact]);
    await expectIds(server(), `ValueSet?url:above=${q(`${host}/fhir`)}&${s.q}`, [hostOnly, fhir]);
  });

  test(':above and :below apply to URLs, not URNs: a URN is refused (400)', async () => {
    const s = newScope();
    await expectOutcome(server(), `ValueSet?url:below=${q('urn:oid:1.2.250.1.213')}&${s.q}`, 400);
    await expectOutcome(server(), `ValueSet?url:above=${q('urn:oid:1.2.250.1.213.1.1')}&${s.q}`, 400);
    const oid = await valueSet(s, `urn:oid:1.2.250.1.213.${Date.now()}`);
    await expectIds(server(), `ValueSet?url=${q(oid.url)}&${s.q}`, [oid]);
  });
});
