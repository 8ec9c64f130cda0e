/**
 * String search parameters (http://hl7.org/fhir/R4/search.html#string):
 * by default a case-, accent- and punctuation-insensitive "starts with",
 * :exact on the whole value as written, :contains anywhere; HumanName and
 * Address match on any of their parts, family and given names on each of
 * their words too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBackend } from '../support/test-server.js';
import { expectIds, newScope, orderedIds, search } from '../support/search.js';

const q = encodeURIComponent;

forEachBackend('search: string parameters', (server) => {
  async function people() {
    const s = newScope();
    const create = (resource: Record<string, unknown>) => server().create(s.mark({ resourceType: 'Patient', ...resource }));
    const dupont = await create({ name: [{ family: 'Dupont', given: ['Jean', 'Pierre'] }] });
    const eloise = await create({ name: [{ family: 'Lefèvre', given: ['Éloïse'] }] });
    const muller = await create({ name: [{ family: 'Müller', given: ['Hans'], prefix: ['Dr'], suffix: ['Junior'] }] });
    const martin = await create({ name: [{ family: 'Martin', given: ['Adupont'], text: 'Madame Sophie Martin' }] });
    const nameless = await create({ gender: 'other' });
    return { s, dupont, eloise, muller, martin, nameless };
  }

  test('family: a prefix, whatever the case and the accents', async () => {
    const { s, dupont, muller, eloise } = await people();
    await expectIds(server(), `Patient?family=dup&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?family=DUP&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?family=Dupont&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?family=mul&${s.q}`, [muller]);
    await expectIds(server(), `Patient?family=${encodeURIComponent('MÜLL')}&${s.q}`, [muller]);
    await expectIds(server(), `Patient?family=lefevre&${s.q}`, [eloise]);
    // Not a prefix: "pont" is inside "Dupont" only.
    await expectIds(server(), `Patient?family=pont&${s.q}`, []);
    // Longer than the value: no match.
    await expectIds(server(), `Patient?family=duponte&${s.q}`, []);
  });

  test('given: accents and case folded on both sides ("eloise" finds "Éloïse")', async () => {
    const { s, eloise, dupont } = await people();
    await expectIds(server(), `Patient?given=eloise&${s.q}`, [eloise]);
    await expectIds(server(), `Patient?given=${encodeURIComponent('ÉLOÏ')}&${s.q}`, [eloise]);
    await expectIds(server(), `Patient?given=pierre&${s.q}`, [dupont]);
  });

  test('name: any part of the HumanName (family, given, prefix, suffix, text)', async () => {
    const { s, dupont, eloise, muller, martin } = await people();
    await expectIds(server(), `Patient?name=dup&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?name=eloise&${s.q}`, [eloise]);
    await expectIds(server(), `Patient?name=jean&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?name=dr&${s.q}`, [muller]);
    await expectIds(server(), `Patient?name=junior&${s.q}`, [muller]);
    await expectIds(server(), `Patient?name=madame%20sophie&${s.q}`, [martin]);
    // "Adupont" starts with "a", not with "dup".
    await expectIds(server(), `Patient?name=adup&${s.q}`, [martin]);
    await expectIds(server(), `Patient?name=m&${s.q}`, [muller, martin]);
  });

  test(':exact compares the whole value, case and accents included', async () => {
    const { s, dupont, eloise, muller } = await people();
    await expectIds(server(), `Patient?family:exact=Dupont&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?family:exact=dupont&${s.q}`, []);
    await expectIds(server(), `Patient?family:exact=Dupon&${s.q}`, []);
    await expectIds(server(), `Patient?family:exact=${encodeURIComponent('Müller')}&${s.q}`, [muller]);
    await expectIds(server(), `Patient?family:exact=Muller&${s.q}`, []);
    await expectIds(server(), `Patient?given:exact=${encodeURIComponent('Éloïse')}&${s.q}`, [eloise]);
    await expectIds(server(), `Patient?given:exact=Eloise&${s.q}`, []);
    await expectIds(server(), `Patient?name:exact=Pierre&${s.q}`, [dupont]);
  });

  test(':text on a string (as the Annuaire Santé guide offers it on names) finds each word anywhere, in any order', async () => {
    const s = newScope();
    const hopital = await server().create(s.mark({ resourceType: 'Organization', name: `Centre hospitalier Louis-Pasteur ${s.u}` }));
    await server().create(s.mark({ resourceType: 'Organization', name: `Clinique du Parc ${s.u}` }));
    await expectIds(server(), `Organization?name:text=pasteur&${s.q}`, [hopital]);
    await expectIds(server(), `Organization?name:text=${encodeURIComponent('PASTEUR centre')}&${s.q}`, [hopital]);
    await expectIds(server(), `Organization?name:text=${encodeURIComponent('pasteur parc')}&${s.q}`, []);
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family: `Saint-Éloi${s.u}`, given: ['Anne-Sophie'] }] }));
    await expectIds(server(), `Patient?name:text=${encodeURIComponent(`sophie eloi${s.u}`)}&${s.q}`, [patient]);
  });

  test(':contains matches anywhere in the value, case- and accent-insensitive', async () => {
    const { s, dupont, muller, martin, eloise } = await people();
    await expectIds(server(), `Patient?family:contains=pon&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?family:contains=ULL&${s.q}`, [muller]);
    await expectIds(server(), `Patient?family:contains=EVR&${s.q}`, [eloise]);
    await expectIds(server(), `Patient?name:contains=upon&${s.q}`, [dupont, martin]);
    await expectIds(server(), `Patient?given:contains=oise&${s.q}`, [eloise]);
    await expectIds(server(), `Patient?family:contains=xyz&${s.q}`, []);
  });

  test('OR of several values, and AND of repeated parameters', async () => {
    const { s, dupont, muller, martin } = await people();
    await expectIds(server(), `Patient?family=dup,mul&${s.q}`, [dupont, muller]);
    await expectIds(server(), `Patient?given=jean&given=pierre&${s.q}`, [dupont]);
    await expectIds(server(), `Patient?given=jean&given=hans&${s.q}`, []);
    await expectIds(server(), `Patient?name=martin&given=adup&${s.q}`, [martin]);
  });

  test('Address: address matches any part, address-city and address-postalcode one part each', async () => {
    const s = newScope();
    const create = (resource: Record<string, unknown>) => server().create(s.mark({ resourceType: 'Patient', ...resource }));
    const stEtienne = await create({
      address: [{ line: ['12 rue de la Paix', 'Bâtiment B'], city: 'Saint-Étienne', postalCode: '42000', country: 'France' }],
    });
    const lyon = await create({ address: [{ line: ['3 place Bellecour'], city: 'Lyon', postalCode: '69002', country: 'France' }] });
    const paris = await create({ address: [{ text: '8 avenue Foch, 75116 Paris', city: 'Paris', postalCode: '75116' }] });
    await create({ name: [{ family: 'Sans adresse' }] });

    await expectIds(server(), `Patient?address=12%20rue&${s.q}`, [stEtienne]);
    await expectIds(server(), `Patient?address=batiment&${s.q}`, [stEtienne]);
    await expectIds(server(), `Patient?address=saint-etienne&${s.q}`, [stEtienne]);
    await expectIds(server(), `Patient?address=france&${s.q}`, [stEtienne, lyon]);
    await expectIds(server(), `Patient?address=8%20avenue%20foch&${s.q}`, [paris]);
    // "rue" is inside the line, not at its start.
    await expectIds(server(), `Patient?address=rue&${s.q}`, []);
    await expectIds(server(), `Patient?address:contains=rue%20de%20la&${s.q}`, [stEtienne]);

    await expectIds(server(), `Patient?address-city=saint&${s.q}`, [stEtienne]);
    await expectIds(server(), `Patient?address-city=LY&${s.q}`, [lyon]);
    await expectIds(server(), `Patient?address-city:exact=${encodeURIComponent('Saint-Étienne')}&${s.q}`, [stEtienne]);
    await expectIds(server(), `Patient?address-city:exact=Saint-Etienne&${s.q}`, []);
    await expectIds(server(), `Patient?address-city:contains=etien&${s.q}`, [stEtienne]);
    // The city parameter does not look at the other parts of the address.
    await expectIds(server(), `Patient?address-city=france&${s.q}`, []);

    await expectIds(server(), `Patient?address-postalcode=420&${s.q}`, [stEtienne]);
    await expectIds(server(), `Patient?address-postalcode=75116&${s.q}`, [paris]);
    await expectIds(server(), `Patient?address-postalcode=6,75&${s.q}`, [lyon, paris]);
    await expectIds(server(), `Patient?address-postalcode:exact=4200&${s.q}`, []);
  });

  // Index rows keep 1,024 characters (indexing/README.md): search compares long values on that part.
  test('values longer than 1,024 characters match :exact and long prefixes', async () => {
    const s = newScope();
    const family = `Long${'y'.repeat(1_500)}`;
    const patient = await server().create(s.mark({ resourceType: 'Patient', name: [{ family }] }));
    const post = (form: string) => server().request('POST', 'Patient/_search', { rawBody: `${form}&${s.q}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    for (const form of [`family:exact=${family}`, `family=${family.slice(0, 1_200)}`]) {
      const result = await post(form);
      assert.deepEqual(result.body.entry?.map((e: any) => e.resource.id) ?? [], [patient.id], form.slice(0, 40));
    }
  });

  // search.html#string: "Punctuation and non-significant whitespace (e.g. repeated space characters, tab vs space) should also be ignored."
  test('punctuation and spaces are ignored on both sides: o\'brien, obrien and o brien find O\'Brien', async () => {
    const s = newScope();
    const create = (resource: Record<string, unknown>) => server().create(s.mark({ resourceType: 'Patient', ...resource }));
    const obrien = await create({ name: [{ family: "O'Brien-Zyx", given: ['Jean-Pierre'] }] });
    const almeida = await create({ name: [{ family: 'D’Almeida', given: ['Anne Marie'] }] });
    const jeanPierre = await create({ name: [{ family: 'Martin', given: ['Jean Pierre'] }] });

    for (const family of ['obrien', "o'brien", 'o brien', 'O’BRIEN', 'obrien-zyx', 'o brien zyx', 'OBrienZyx']) {
      await expectIds(server(), `Patient?family=${q(family)}&${s.q}`, [obrien], family);
    }
    for (const given of ['jeanpierre', 'jean pierre', 'jean-pierre', 'Jean  Pierre', 'jean-p']) {
      await expectIds(server(), `Patient?given=${q(given)}&${s.q}`, [obrien, jeanPierre], given);
    }
    for (const family of ['dalmeida', "d'almeida", 'D almeida']) await expectIds(server(), `Patient?family=${q(family)}&${s.q}`, [almeida], family);
    await expectIds(server(), `Patient?name=${q('anne-marie')}&${s.q}`, [almeida]);
    await expectIds(server(), `Patient?family:contains=${q('brien z')}&${s.q}`, [obrien]);
    await expectIds(server(), `Patient?family:contains=${q("'alm")}&${s.q}`, [almeida]);
    // Only punctuation: nothing to search for.
    assert.equal((await server().get(`Patient?family=${q("'-")}&${s.q}`)).status, 400);
  });

  // search.html#string: "servers should search the parts of a family name independently. E.g. searching either
  // "Carreno" or "Quinones" should match a family name of "Carreno Quinones"".
  test('each word of a family or given name is found on its own, by prefix; :exact keeps the whole name', async () => {
    const s = newScope();
    const create = (resource: Record<string, unknown>) => server().create(s.mark({ resourceType: 'Patient', ...resource }));
    const carreno = await create({ name: [{ family: 'Carreno Quinones', given: ['Inès'] }] });
    const obrien = await create({ name: [{ family: "O'Brien-Zyx", given: ['Jean-Pierre'] }] });
    const legoff = await create({ name: [{ family: 'Le Goff' }], address: [{ line: ['3 rue Le Goff'], city: 'Saint-Omer' }] });

    await expectIds(server(), `Patient?family=carreno&${s.q}`, [carreno]);
    await expectIds(server(), `Patient?family=quinones&${s.q}`, [carreno]);
    await expectIds(server(), `Patient?family=QUIN&${s.q}`, [carreno]);
    await expectIds(server(), `Patient?family=${q('carreno quinones')}&${s.q}`, [carreno]);
    await expectIds(server(), `Patient?family=brien&${s.q}`, [obrien]);
    await expectIds(server(), `Patient?family=zyx&${s.q}`, [obrien]);
    await expectIds(server(), `Patient?family=goff&${s.q}`, [legoff]);
    await expectIds(server(), `Patient?given=pierre&${s.q}`, [obrien]);
    // name reads the rows family and given hold.
    await expectIds(server(), `Patient?name=quinones&${s.q}`, [carreno]);
    await expectIds(server(), `Patient?name=pierre&${s.q}`, [obrien]);
    // A part is found from its start only, and never across the end of the name.
    await expectIds(server(), `Patient?family=inones&${s.q}`, []);
    await expectIds(server(), `Patient?family=${q('quinones carreno')}&${s.q}`, []);
    // Address parts are matched whole: the city is not split, nor the line.
    await expectIds(server(), `Patient?address-city=omer&${s.q}`, []);
    await expectIds(server(), `Patient?address=goff&${s.q}`, []);
    await expectIds(server(), `Patient?address-city=${q('saint omer')}&${s.q}`, [legoff]);
    // :exact is the name as written, never one of its words.
    await expectIds(server(), `Patient?family:exact=${q('Carreno Quinones')}&${s.q}`, [carreno]);
    await expectIds(server(), `Patient?family:exact=Quinones&${s.q}`, []);
    await expectIds(server(), `Patient?family:exact=${q('OBrien-Zyx')}&${s.q}`, []);
    await expectIds(server(), `Patient?given:exact=Pierre&${s.q}`, []);
  });

  test('_sort by family reads whole names, not their later words', async () => {
    const s = newScope();
    const create = (family: string) => server().create(s.mark({ resourceType: 'Patient', name: [{ family }] }));
    const zorro = await create('Zorro Alpha');
    const bernard = await create('Bernard');
    const legoff = await create('Le Goff');
    const ordered = async (query: string) => orderedIds((await search(server(), query)).body);
    assert.deepEqual(await ordered(`Patient?_sort=family&${s.q}`), [bernard.id, legoff.id, zorro.id]);
    assert.deepEqual(await ordered(`Patient?_sort=-family&${s.q}`), [zorro.id, legoff.id, bernard.id]);
    assert.deepEqual(await ordered(`Patient?_sort=name&${s.q}`), [bernard.id, legoff.id, zorro.id]);
  });

  test('Practitioner names are searched the same way (shared definition)', async () => {
    const s = newScope();
    const practitioner = await server().create(s.mark({ resourceType: 'Practitioner', name: [{ family: 'Bénédicte-Œuvray', given: ['Zoé'] }] }));
    await expectIds(server(), `Practitioner?family=benedicte&${s.q}`, [practitioner]);
    await expectIds(server(), `Practitioner?family:contains=oeuvray&${s.q}`, [practitioner]);
    await expectIds(server(), `Practitioner?given=zoe&${s.q}`, [practitioner]);
    await expectIds(server(), `Practitioner?family=oeuvray&${s.q}`, [practitioner]);
    await expectIds(server(), `Practitioner?family=${q('benedicte oeuvray')}&${s.q}`, [practitioner]);
  });
});
