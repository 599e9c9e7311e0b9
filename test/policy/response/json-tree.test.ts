import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isJsonObject,
  JsonNumber,
  markChanged,
  MAX_TREE_DEPTH,
  parseJsonTree,
  stringifyJsonTree,
  toJsonTree,
  type JsonNode,
} from '../../../src/policy/response/json-tree.js';

function parse(text: string): JsonNode {
  const parsed = parseJsonTree(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
  return parsed.value;
}

function markAll(node: JsonNode): void {
  if (Array.isArray(node)) node.forEach(markAll);
  else if (isJsonObject(node)) [...node.values()].forEach(markAll);
  else return;
  markChanged(node);
}

/** Parsed, every container marked changed, serialised: the rebuilt form. */
function roundTrip(text: string): string {
  const tree = parse(text);
  markAll(tree);
  return stringifyJsonTree(tree);
}

describe('parseJsonTree / stringifyJsonTree', () => {
  it('keeps number literals exactly, beyond 2^53 included', () => {
    const cases = [
      '18446744073709551615',
      '-9223372036854775808',
      '9007199254740993',
      '1.50',
      '1e400',
      '-0',
      '0.000000000000000000001',
      '12345678901234567890123456789',
    ];
    for (const literal of cases) {
      assert.equal(roundTrip(`{"Size":${literal}}`), `{"Size":${literal}}`);
      assert.equal(roundTrip(`[${literal}]`), `[${literal}]`);
    }
  });

  it('keeps key order, including integer-like keys a plain object would move first', () => {
    assert.equal(roundTrip('{"b":1,"10":2,"a":3,"2":4}'), '{"b":1,"10":2,"a":3,"2":4}');
  });

  it('treats __proto__ and constructor as ordinary keys', () => {
    const parsed = parseJsonTree('{"__proto__":{"polluted":true},"constructor":1}');
    assert.ok(parsed.ok && isJsonObject(parsed.value));
    assert.deepEqual([...parsed.value.keys()], ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(stringifyJsonTree(parsed.value), '{"__proto__":{"polluted":true},"constructor":1}');
  });

  it('decodes escapes to the same string value and re-escapes only what JSON requires', () => {
    assert.equal(roundTrip('["a\\u0041\\n\\"\\/\\\\","\\ud83d\\ude00"]'), '["aA\\n\\"/\\\\","😀"]');
    assert.equal(roundTrip('"<&>\u2028"'), '"<&>\u2028"');
  });

  it('ignores whitespace between tokens and compacts rebuilt containers', () => {
    assert.equal(roundTrip(' {\n "a" : [ 1 , true , null ] ,\t"b":{} }\r\n'), '{"a":[1,true,null],"b":{}}');
  });

  it('copies untouched containers byte for byte, and only those', () => {
    const text = '{ "changed" : { "k" : "v" } , "kept" : { "e" : "\\u00e9" , "n" : 1.0 } }';
    const tree = parse(text);
    assert.equal(stringifyJsonTree(tree), text);
    assert.ok(isJsonObject(tree));
    const changed = tree.get('changed');
    assert.ok(isJsonObject(changed));
    changed.set('k', 'w');
    markChanged(changed, tree);
    assert.equal(stringifyJsonTree(tree), '{"changed":{"k":"w"},"kept":{ "e" : "\\u00e9" , "n" : 1.0 }}');
  });

  it('accepts UTF-8 bytes', () => {
    const parsed = parseJsonTree(new TextEncoder().encode('{"name":"café"}'));
    assert.ok(parsed.ok);
    assert.equal(stringifyJsonTree(parsed.value), '{"name":"café"}');
  });

  const refused: [string, string | Uint8Array, RegExp][] = [
    ['a duplicate key', '{"a":1,"a":2}', /duplicate key "a"/],
    ['a nested duplicate key', '{"x":{"Labels":{"k":"1","k":"2"}}}', /duplicate key "k"/],
    ['trailing data', '{"a":1}{"a":2}', /unexpected data/],
    ['a trailing comma', '[1,]', /invalid value/],
    ['an unterminated string', '{"a":"b', /unterminated string/],
    ['a raw control character', '["a\u0001"]', /control character/],
    ['a raw newline in a string', '["a\nb"]', /control character/],
    ['a lone high surrogate escape', '["\\ud800"]', /lone surrogate/],
    ['a lone low surrogate escape', '["x\\udc00y"]', /lone surrogate/],
    ['an invalid escape', '["\\x41"]', /invalid escape/],
    ['a short \\u escape', '["\\u12"]', /invalid \\u escape/],
    ['a leading zero', '[01]', /expected ","/],
    ['a bare minus', '[-]', /invalid value/],
    ['NaN', '[NaN]', /invalid value/],
    ['single quotes', "{'a':1}", /expected a string object key/],
    ['an empty document', '', /unexpected end/],
    ['invalid UTF-8', Uint8Array.of(0x22, 0xff, 0x22), /not valid UTF-8/],
    ['a byte-order mark', Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d), /invalid value/],
    ['a lone surrogate in a JS string', '"\ud800"', /lone surrogate/],
  ];
  for (const [name, input, problem] of refused) {
    it(`refuses ${name}`, () => {
      const parsed = parseJsonTree(input);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.problem, problem);
    });
  }

  it(`refuses nesting deeper than ${MAX_TREE_DEPTH} levels and accepts that depth`, () => {
    assert.ok(parseJsonTree('['.repeat(MAX_TREE_DEPTH) + ']'.repeat(MAX_TREE_DEPTH)).ok);
    const deep = parseJsonTree('['.repeat(MAX_TREE_DEPTH + 2) + ']'.repeat(MAX_TREE_DEPTH + 2));
    assert.equal(deep.ok, false);
    assert.match(deep.ok ? '' : deep.problem, /nesting deeper/);
  });
});

describe('toJsonTree', () => {
  it('builds a tree from plain values', () => {
    assert.equal(stringifyJsonTree(toJsonTree({ a: [1, 'x', null, true], b: {} })), '{"a":[1,"x",null,true],"b":{}}');
    assert.ok(toJsonTree(7) instanceof JsonNumber);
  });

  it('refuses numbers it could not represent exactly', () => {
    assert.throws(() => toJsonTree(2 ** 53), RangeError);
    assert.throws(() => toJsonTree(0.5), RangeError);
  });
});
