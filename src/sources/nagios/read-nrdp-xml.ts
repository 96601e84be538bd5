import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One `<checkresult>`: its attributes and its child elements' text (null for an element that is not text). */
export interface NrdpXmlRecord {
  attributes: Record<string, string>;
  fields: Map<string, string | null>;
}

export type NrdpXmlRead =
  | { ok: true; records: NrdpXmlRecord[] }
  | { ok: false; reason: string; detail: string; location: string | null };

type XmlNode = Record<string, unknown>;

/**
 * Reads an NRDP `<checkresults>` document safely: any DOCTYPE is refused (so no entity can be declared, and
 * no billion-laughs or external entity is possible), the parser's entity processing is off (the five XML
 * entities and character references are decoded here, CDATA kept verbatim), and nesting is bounded.
 */
export function readNrdpXml(text: string, maxDepth: number): NrdpXmlRead {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    return {
      ok: false,
      reason: 'xml-doctype-forbidden',
      detail: 'DOCTYPE and ENTITY declarations are not accepted',
      location: null,
    };
  }
  let nodes: XmlNode[];
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      const { msg, line, col } = valid.err;
      return { ok: false, reason: 'invalid-xml', detail: msg, location: `line ${line} column ${col}` };
    }
    const parser = new XMLParser({
      preserveOrder: true,
      cdataPropName: '#cdata',
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: false,
      htmlEntities: false,
      maxNestedTags: maxDepth,
    });
    nodes = parser.parse(text) as XmlNode[];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: /nested/i.test(detail) ? 'xml-too-deep' : 'invalid-xml',
      detail,
      location: null,
    };
  }
  const root = nodes.find((node) => elementName(node) !== null && elementName(node) !== '?xml');
  if (!root || elementName(root) !== 'checkresults') {
    return {
      ok: false,
      reason: 'missing-checkresults',
      detail: 'the root element is not <checkresults>',
      location: null,
    };
  }
  const records: NrdpXmlRecord[] = [];
  for (const child of childrenOf(root)) {
    if (elementName(child) !== 'checkresult') continue;
    const fields = new Map<string, string | null>();
    for (const field of childrenOf(child)) {
      const name = elementName(field);
      if (name !== null) fields.set(name, textOf(childrenOf(field)));
    }
    records.push({ attributes: attributesOf(child), fields });
  }
  return { ok: true, records };
}

function elementName(node: XmlNode): string | null {
  const key = Object.keys(node).find((k) => k !== ':@');
  return key === undefined || key === '#text' || key === '#cdata' ? null : key;
}

function childrenOf(node: XmlNode): XmlNode[] {
  const name = elementName(node);
  const children = name === null ? undefined : node[name];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

function attributesOf(node: XmlNode): Record<string, string> {
  const raw = node[':@'];
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = decodeXmlText(v);
  }
  return out;
}

/** Text content in document order: text decoded, CDATA verbatim; null when it holds elements. */
function textOf(children: XmlNode[]): string | null {
  let text = '';
  for (const child of children) {
    if (typeof child['#text'] === 'string') text += decodeXmlText(child['#text']);
    else if (Array.isArray(child['#cdata'])) text += cdataText(child['#cdata'] as XmlNode[]);
    else if (elementName(child) !== null) return null;
  }
  return text;
}

function cdataText(parts: XmlNode[]): string {
  return parts.map((part) => (typeof part['#text'] === 'string' ? part['#text'] : '')).join('');
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references; anything else is left as written. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g,
    (whole, name, dec, hex) => {
      if (typeof name === 'string') return NAMED[name] ?? whole;
      const code = typeof dec === 'string' ? Number(dec) : Number.parseInt(String(hex), 16);
      const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
      return valid ? String.fromCodePoint(code) : whole;
    },
  );
}
