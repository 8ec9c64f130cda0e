/**
 * Chaining and _has through canonical references
 * (http://hl7.org/fhir/R4/search.html#chaining, #has, #versions): a canonical
 * "url|version" names the canonical resource whose `url` is url and, when a
 * version is given, whose `version` is version (references.html#canonical);
 * a chain or a _has follows it as it follows a literal reference.
 */
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, type Scope } from '../support/search.js';

const q = encodeURIComponent;

forEachBackend('search: chaining and _has through canonical references', (server) => {
  const questionnaire = (s: Scope, url: string, name: string, version?: string) => server().create(s.mark({
    resourceType: 'Questionnaire', status: 'active', url, name, ...(version !== undefined ? { version } : {}),
  }));
  const response = (s: Scope, canonical: string, status = 'completed') => server().create(s.mark({
    resourceType: 'QuestionnaireResponse', status, questionnaire: canonical,
  }));

  test('a chain follows a canonical to the resource with that url, and that version when one is named', async () => {
    const s = newScope();
    const url = `http://socle.example.org/fhir/Questionnaire/phq9-${s.u}`;
    await questionnaire(s, url, `Phq${s.u}Un`, '1.0');
    await questionnaire(s, url, `Phq${s.u}Deux`, '2.0');
    const other = `http://socle.example.org/fhir/Questionnaire/gad7-${s.u}`;
    await questionnaire(s, other, `Gad${s.u}`);
    const unversioned = await response(s, url);
    const v1 = await response(s, `${url}|1.0`);
    const v2 = await response(s, `${url}|2.0`);
    const gad = await response(s, other);
    await response(s, `http://ailleurs.example.org/Questionnaire/${s.u}`);

    await expectIds(server(), `QuestionnaireResponse?questionnaire.name=Phq${s.u}Un&${s.q}`, [unversioned, v1]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire.name=Phq${s.u}Deux&${s.q}`, [unversioned, v2]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire:Questionnaire.name=Gad${s.u}&${s.q}`, [gad]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire.url=${q(url)}&${s.q}`, [unversioned, v1, v2]);
    await expectIds(server(), `QuestionnaireResponse?questionnaire.version=2.0&${s.q}`, [unversioned, v2]);
  });

  test('a chain through a canonical stops at a deleted target', async () => {
    const s = newScope();
    const url = `http://socle.example.org/fhir/Questionnaire/efface-${s.u}`;
    const target = await questionnaire(s, url, `Efface${s.u}`);
    const answer = await response(s, url);
    await expectIds(server(), `QuestionnaireResponse?questionnaire.name=Efface${s.u}&${s.q}`, [answer]);
    await server().delete(`Questionnaire/${target.id}`);
    await expectIds(server(), `QuestionnaireResponse?questionnaire.name=Efface${s.u}&${s.q}`, []);
  });

  test('_has finds the canonical resources a resource names by url (and version)', async () => {
    const s = newScope();
    const url = `http://socle.example.org/fhir/Questionnaire/audit-${s.u}`;
    const v1 = await questionnaire(s, url, `Audit${s.u}`, '1.0');
    const v2 = await questionnaire(s, url, `Audit${s.u}`, '2.0');
    const unanswered = await questionnaire(s, `${url}-bis`, `Audit${s.u}Bis`);
    await response(s, `${url}|1.0`, 'completed');
    await response(s, url, 'in-progress');

    await expectIds(server(), `Questionnaire?_has:QuestionnaireResponse:questionnaire:status=completed&${s.q}`, [v1]);
    await expectIds(server(), `Questionnaire?_has:QuestionnaireResponse:questionnaire:status=in-progress&${s.q}`, [v1, v2]);
    await expectIds(server(), `Questionnaire?_has:QuestionnaireResponse:questionnaire:status=stopped&${s.q}`, []);
    void unanswered;
  });

  test('a relative canonical ("Library/x") is still followed by its id (ActivityDefinition depends-on)', async () => {
    const s = newScope();
    const library = await server().create(s.mark({ resourceType: 'Library', status: 'active', name: `Logique${s.u}`, type: { text: 'logic-library' } }));
    const byId = await server().create(s.mark({ resourceType: 'ActivityDefinition', status: 'draft', library: [`Library/${library.id}`] }));
    const libraryUrl = `http://socle.example.org/fhir/Library/logique-${s.u}`;
    await server().put(`Library/${library.id}`, { ...library, url: libraryUrl });
    const byUrl = await server().create(s.mark({ resourceType: 'ActivityDefinition', status: 'draft', library: [libraryUrl] }));

    await expectIds(server(), `ActivityDefinition?depends-on:Library.name=Logique${s.u}&${s.q}`, [byId, byUrl]);
    await expectIds(server(), `Library?_has:ActivityDefinition:depends-on:status=draft&${s.q}`, [library]);
  });
});
