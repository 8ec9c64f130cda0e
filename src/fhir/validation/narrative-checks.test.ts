import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from './test-fixtures.js';
import { divForTxt1, hasNarrativeContent } from './narrative-checks.js';

const XHTML = 'xmlns="http://www.w3.org/1999/xhtml"';

function narrativeKeys(div: string): unknown[] {
  const resource = { resourceType: 'Basic', code: { text: 'n' }, text: { status: 'generated', div } };
  return validate(resource).issues.filter((i) => i.type === 'invariant').map((i) => i.params?.key).sort();
}

test('attributes R4\'s txt-1 allows on any element are accepted (ol start, li value, a rel, td bgcolor, xml:lang…)', () => {
  for (const div of [
    `<div ${XHTML}><ol start="2"><li value="3">x</li></ol></div>`,
    `<div ${XHTML}><a href="https://ans.example.fr" rel="next" rev="prev" type="text/html" charset="utf-8" hreflang="fr">lien</a></div>`,
    `<div ${XHTML}><img src="#photo" alt="photo" hspace="2" vspace="2"/></div>`,
    `<div ${XHTML}><table bgcolor="#fff" border="1"><tr><td>x</td></tr></table><ul compact="compact"><li>y</li></ul></div>`,
    `<div ${XHTML} xml:lang="fr" lang="fr"><p>Bonjour</p></div>`,
  ]) assert.deepEqual(narrativeKeys(div), [], div);
});

test('what txt-1 refuses still fails txt-1 alone: other elements, other attributes, no XHTML namespace, a script', () => {
  for (const div of [
    `<div ${XHTML}><p onclick="alert(1)">x</p></div>`,
    `<div ${XHTML}><form>x</form></div>`,
    `<div ${XHTML}><p data-x="1">x</p></div>`,
    `<div xmlns="http://example.org/other"><p>x</p></div>`,
  ]) assert.deepEqual(narrativeKeys(div), ['txt-1'], div);
});

test('a narrative without content fails txt-2 alone; text, a character reference or an image is content', () => {
  assert.deepEqual(narrativeKeys(`<div ${XHTML}>  <p> </p> </div>`), ['txt-2']);
  assert.equal(hasNarrativeContent(`<div ${XHTML}/>`), false);
  assert.equal(hasNarrativeContent(`<div ${XHTML}><p>&#160;</p></div>`), true);
  assert.equal(hasNarrativeContent(`<div ${XHTML}><img src="#a"/></div>`), true);
  assert.equal(hasNarrativeContent(`<div ${XHTML}><!-- rien --></div>`), false);
});

test('the div given to htmlChecks() for txt-1 keeps its structure: only the R4-only attributes go, text is added first', () => {
  assert.equal(divForTxt1(`<div ${XHTML}><ol start="2" class="c"><li value='3'>x</li></ol></div>`), `<div ${XHTML}>x<ol class="c"><li>x</li></ol></div>`);
  assert.equal(divForTxt1(`<div ${XHTML}/>`), `<div ${XHTML}>x</div>`);
  // An attribute-like text outside a tag is left alone.
  assert.equal(divForTxt1(`<div ${XHTML}>start="2"</div>`), `<div ${XHTML}>xstart="2"</div>`);
});
