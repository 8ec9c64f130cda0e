/**
 * A canonical written relative ("Library/x") is a URL relative to this
 * server's base (RFC 3986), and R4's own examples write them so
 * (ActivityDefinition.library, relatedArtifact.resource): a reference search
 * with the value as written, Type/id (http://hl7.org/fhir/R4/search.html#reference),
 * finds it, as does the bare id and the type modifier; an absolute canonical
 * is still found by its url only.
 */
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope } from '../support/search.js';

forEachBackend('search: relative canonical references', (server) => {
  test('a relative canonical is found by Type/id as written, by its bare id and with the type modifier', async () => {
    const s = newScope();
    const definition = (library: string) => server().create(s.mark({ resourceType: 'ActivityDefinition', status: 'draft', library: [library] }));
    const relative = await definition(`Library/logique-${s.u}`);
    const absolute = await definition(`http://socle.example.org/Library/logique-${s.u}`);

    await expectIds(server(), `ActivityDefinition?depends-on=Library/logique-${s.u}&${s.q}`, [relative]);
    await expectIds(server(), `ActivityDefinition?depends-on=logique-${s.u}&${s.q}`, [relative]);
    await expectIds(server(), `ActivityDefinition?depends-on:Library=logique-${s.u}&${s.q}`, [relative]);
    await expectIds(server(), `ActivityDefinition?depends-on=${encodeURIComponent(`http://socle.example.org/Library/logique-${s.u}`)}&${s.q}`, [absolute]);
    await expectIds(server(), `ActivityDefinition?depends-on=Library/autre-${s.u}&${s.q}`, []);
  });
});
