// The writers under structured output, on hand-built trees: libxo's compact JSON separators
// (`,` before a value, `, ` before an object, a list or an instance), pretty JSON and XML
// indentation, escaping, the seconds.microseconds timestamp and the oformat value parser.
// Run: node --import tsx --test test/unit/consume-oformat-writers.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionSet } from '../../server/src/analyze/options/optionSet.ts';
import { parseOutputFormat } from '../../server/src/analyze/options/outputFormat.ts';
import { structuredDocument } from '../../server/src/consume/structured/document.ts';
import { compactJson, jsonString, lineJson, prettyJson } from '../../server/src/consume/structured/jsonText.ts';
import { list, num, obj, secondsMicros, str } from '../../server/src/consume/structured/tree.ts';
import { xmlField, xmlFields } from '../../server/src/consume/structured/xmlText.ts';

// A leaf, an object after it, a leaf after that, a list of instances, a list of values.
const TREE = obj(
  ['city', str('Oslo')],
  ['zip', num(150)],
  ['geo', obj(['lat', num(59)], ['lon', num(10)])],
  ['mayor', str('')],
  ['streets', list([obj(['name', str('A')]), obj(['name', str('B')], ['len', num(-3)])])],
  ['tags', list([str('x'), num(2n ** 64n - 1n)])],
);

describe('libxo compact JSON', () => {
  it('separates values with "," and objects, lists and instances with ", "', () => {
    assert.equal(
      compactJson(TREE),
      '{"city":"Oslo","zip":150, "geo": {"lat":59,"lon":10},"mayor":"", "streets": [{"name":"A"}, {"name":"B","len":-3}], "tags": ["x",18446744073709551615]}',
    );
  });

  it('frames the instances with the dtrace container, the probes list and libxo\'s closing brace', () => {
    const doc = structuredDocument(parseOutputFormat('json')!)!;
    const text = doc.begin() + doc.probe(obj(['a', num(1)])) + doc.probe(obj(['b', num(2)])) + doc.end();
    assert.equal(text, '{"dtrace": {"probes": [{"a":1}, {"b":2}]}\n}\n');
    assert.deepEqual(JSON.parse(text), { dtrace: { probes: [{ a: 1 }, { b: 2 }] } });
  });
});

describe('libxo pretty JSON', () => {
  it('puts one item per line, indents each level, and "name": value', () => {
    assert.equal(
      prettyJson(obj(['a', num(1)], ['b', obj(['c', str('d')])], ['e', list([num(1), obj(['f', num(2)])])]), 0, 2),
      '{\n  "a": 1,\n  "b": {\n    "c": "d"\n  },\n  "e": [\n    1,\n    {\n      "f": 2\n    }\n  ]\n}',
    );
  });

  it('frames the document with the outer braces on their own lines', () => {
    const doc = structuredDocument(parseOutputFormat('json,pretty')!)!;
    assert.equal(doc.begin() + doc.probe(obj(['a', num(1)])) + doc.end(), '{\n  "dtrace": {\n    "probes": [\n      {\n        "a": 1\n      }\n    ]\n  }\n}\n');
  });
});

describe('one-line JSON (ndjson)', () => {
  it('has no spaces at all', () => {
    assert.equal(lineJson(TREE), '{"city":"Oslo","zip":150,"geo":{"lat":59,"lon":10},"mayor":"","streets":[{"name":"A"},{"name":"B","len":-3}],"tags":["x",18446744073709551615]}');
  });
});

describe('JSON strings', () => {
  it('escape quotes, backslashes and every control character', () => {
    assert.equal(jsonString('a"b\\c\n\r\t\b\f\u0001\u007f é'), '"a\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u007f é"');
    assert.equal(JSON.parse(jsonString('x\u0000y')), 'x\u0000y');
  });
});

describe('XML', () => {
  it('names list instances after the list and writes both tags of an empty value', () => {
    assert.equal(
      xmlFields(TREE.fields, 0, false, 0),
      '<city>Oslo</city><zip>150</zip><geo><lat>59</lat><lon>10</lon></geo><mayor></mayor><streets><name>A</name></streets><streets><name>B</name><len>-3</len></streets><tags>x</tags><tags>18446744073709551615</tags>',
    );
  });

  it('indents pretty XML by element depth only', () => {
    assert.equal(xmlField('geo', obj(['lat', num(59)], ['p', list([obj(['q', num(1)])])]), 1, true, 2), '  <geo>\n    <lat>59</lat>\n    <p>\n      <q>1</q>\n    </p>\n  </geo>\n');
  });

  it('escapes markup and replaces characters XML cannot hold', () => {
    assert.equal(xmlField('m', str('<a & b>\u0001'), 0, false, 0), '<m>&lt;a &amp; b&gt;\ufffd</m>');
  });
});

describe('timestamps', () => {
  it('are seconds and six digits of microseconds', () => {
    assert.equal(secondsMicros(1_700_000_000_000_001_999n).text, '1700000000.000001');
    assert.equal(secondsMicros(0n).text, '0.000000');
    assert.equal(secondsMicros(-1_500_000n).text, '-0.001500');
  });
});

describe('the oformat value', () => {
  it('takes a style and libxo modifiers in any order', () => {
    assert.deepEqual(parseOutputFormat('pretty,xml,indent=4'), { style: 'xml', pretty: true, indent: 4, underscores: false });
    assert.deepEqual(parseOutputFormat('json'), { style: 'json', pretty: false, indent: 2, underscores: false });
    assert.deepEqual(parseOutputFormat('NDJSON,underscores,flush'), { style: 'ndjson', pretty: false, indent: 2, underscores: true });
  });

  it('refuses unknown words and a bad indent', () => {
    for (const bad of ['yaml', 'json,sparkly', 'json,indent=x', 'json,indent=']) assert.equal(parseOutputFormat(bad), undefined, bad);
  });

  it('skips empty words as libxo does: an empty value is the classic text', () => {
    assert.deepEqual(parseOutputFormat(''), { style: 'text', pretty: false, indent: 2, underscores: false });
    assert.equal(parseOutputFormat('json,,pretty')?.pretty, true);
  });

  it('is checked when the option is set: no value or a refused word is EDT_BADOPTVAL', () => {
    const options = new OptionSet();
    assert.deepEqual(options.set('oformat', 'xml,pretty'), { ok: true });
    assert.equal(options.text('oformat'), 'xml,pretty');
    for (const bad of [undefined, 'yaml']) {
      const r = options.set('oformat', bad);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.code, 'EDT_BADOPTVAL');
    }
    assert.equal(options.text('oformat'), 'xml,pretty');
  });

  it('has no writer for the classic text', () => {
    assert.equal(structuredDocument(parseOutputFormat('text')!), undefined);
  });
});
