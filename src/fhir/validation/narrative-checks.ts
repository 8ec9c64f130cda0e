/**
 * The narrative invariants txt-1 and txt-2 (narrative.html#Narrative), which
 * R4 expresses both as `htmlChecks()`. fhirpath.js's htmlChecks() does the
 * XHTML work (well-formedness, elements, the namespace) but answers one
 * boolean for both rules, and its attribute allow-list is narrower than R4's
 * own txt-1 XPath, which allows, on any element, every attribute of
 * ATTRIBUTES_R4 below (`<ol start>`, `<li value>`, `<a rel>`, `<td bgcolor>`…);
 * the reference validator also takes `xml:lang`. So, before fhirpath.js sees
 * a div:
 *
 * - for txt-1, the attributes R4 allows and fhirpath.js does not are taken
 *   out of the start tags, and a character of text is put in the root div,
 *   so that a failure is about elements and attributes, not content;
 * - txt-2 (some non-whitespace content) is read here: text or an image.
 */

/** The attribute names of R4's txt-1 XPath (narrative, profiles-types.xml), plus xml:lang. */
const ATTRIBUTES_R4 = [
  'abbr', 'accesskey', 'align', 'alt', 'axis', 'bgcolor', 'border', 'cellhalign', 'cellpadding', 'cellspacing', 'cellvalign', 'char',
  'charoff', 'charset', 'cite', 'class', 'colspan', 'compact', 'coords', 'dir', 'frame', 'headers', 'height', 'href', 'hreflang',
  'hspace', 'id', 'lang', 'longdesc', 'name', 'rel', 'rev', 'rowspan', 'rules', 'scope', 'shape', 'span', 'src', 'start', 'style',
  'summary', 'tabindex', 'title', 'type', 'valign', 'value', 'vspace', 'width', 'xml:lang',
];

/**
 * Those fhirpath.js 5 refuses, or accepts on some elements only: taken out
 * before its check. Names it accepts everywhere stay (and are checked by it).
 */
const TAKEN_OUT = new Set(['alt', 'bgcolor', 'border', 'cellhalign', 'cellpadding', 'cellspacing', 'cellvalign', 'charset', 'cite', 'compact',
  'coords', 'frame', 'height', 'href', 'hreflang', 'hspace', 'longdesc', 'name', 'rel', 'rev', 'rules', 'shape', 'src', 'start', 'summary',
  'type', 'value', 'vspace', 'width', 'xml:lang']);

// Each name must be one R4 allows.
for (const name of TAKEN_OUT) if (!ATTRIBUTES_R4.includes(name)) throw new Error(`narrative-checks: ${name} is not an R4 narrative attribute`);

/** One attribute with its quoted value, inside a start tag. */
const ATTRIBUTE = /(\s+)([A-Za-z_:][-A-Za-z0-9_:.]*)(\s*=\s*(?:"[^"]*"|'[^']*'))/g;

/** The start tags of the div (outside comments and CDATA), with the attributes of TAKEN_OUT removed. */
function withoutR4Attributes(div: string): string {
  let out = '';
  let i = 0;
  while (i < div.length) {
    const lt = div.indexOf('<', i);
    if (lt < 0) break;
    out += div.slice(i, lt);
    if (div.startsWith('<!--', lt) || div.startsWith('<![CDATA[', lt) || div.startsWith('<?', lt) || div.startsWith('</', lt) || div.startsWith('<!', lt)) {
      out += '<';
      i = lt + 1;
      continue;
    }
    const end = tagEnd(div, lt);
    if (end < 0) {
      out += div.slice(lt);
      return out;
    }
    const tag = div.slice(lt, end + 1);
    out += tag.replace(ATTRIBUTE, (whole, _space: string, name: string) => (TAKEN_OUT.has(name) ? '' : whole));
    i = end + 1;
  }
  return out + div.slice(i);
}

/** The index of the `>` ending the tag that starts at `start`, quotes respected; -1 if none. */
function tagEnd(text: string, start: number): number {
  let quote: string | undefined;
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return -1;
}

/** The div with a character of text first in its root element, so that txt-1's check does not fail on content. */
function withContent(div: string): string {
  const start = div.indexOf('<');
  const end = start < 0 ? -1 : tagEnd(div, start);
  if (end < 0) return div;
  if (div[end - 1] === '/') return `${div.slice(0, end - 1)}>x</div>${div.slice(end + 1)}`;
  return `${div.slice(0, end + 1)}x${div.slice(end + 1)}`;
}

/** The div to give htmlChecks() for txt-1. */
export function divForTxt1(div: string): string {
  return withContent(withoutR4Attributes(div));
}

/** txt-2: "The narrative SHALL have some non-whitespace content": text (a character reference counts) or an image. */
export function hasNarrativeContent(div: string): boolean {
  if (/<img[\s/>]/i.test(div)) return true;
  const text = div.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '');
  return /[^\s]/.test(text);
}
