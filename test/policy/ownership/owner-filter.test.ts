import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeDockerFilters, parseDockerFilters } from '../../../src/policy/ownership/docker-filters.js';
import { addFilterValues, injectOwnerFilter } from '../../../src/policy/ownership/owner-filter.js';

const enc = encodeURIComponent;
const KEY = 'com.sockguard.owner';

function filtersOf(rawQuery: string): unknown {
  const values = new URLSearchParams(rawQuery).getAll('filters');
  assert.equal(values.length, 1, `exactly one filters parameter in ${rawQuery}`);
  return JSON.parse(values[0]!);
}

function inject(rawQuery: string | undefined, filterKey: 'label' | 'node.label' = 'label'): string {
  const result = injectOwnerFilter(rawQuery, KEY, 'alice', filterKey);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.rawQuery;
}

describe('parseDockerFilters', () => {
  const cases: [string, string, Record<string, string[]>][] = [
    [
      'the map-of-bools form',
      '{"label":{"a=b":true,"c":true},"status":{"running":true}}',
      { label: ['a=b', 'c'], status: ['running'] },
    ],
    [
      'the legacy map-of-arrays form',
      '{"label":["a=b","c"],"status":["running"]}',
      { label: ['a=b', 'c'], status: ['running'] },
    ],
    ['false still filters (dockerd ignores the bool)', '{"label":{"a=b":false}}', { label: ['a=b'] }],
    ['null means no filters', 'null', {}],
    ['an empty string means no filters', '', {}],
    ['an empty object', '{}', {}],
    ['a null filter is an empty one', '{"label":null}', { label: [] }],
    ['surrounding whitespace', ' {"label":["a"]} ', { label: ['a'] }],
    ['filter names keep their case', '{"Label":["a"]}', { Label: ['a'] }],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const parsed = parseDockerFilters(text);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
      assert.deepEqual(Object.fromEntries([...parsed.filters].map(([k, v]) => [k, [...v]])), expected);
    });
  }

  const refused: [string, string][] = [
    ['the two forms mixed (dockerd answers 500)', '{"label":{"a":true},"name":["x"]}'],
    ['an array document', '[]'],
    ['a string document', '"x"'],
    ['non-string array values', '{"label":["a",1]}'],
    ['non-bool map values', '{"label":{"a":"yes"}}'],
    ['a scalar filter', '{"label":"a=b"}'],
    ['invalid JSON', '{"label":['],
    ['a repeated filter name (dockerd keeps the last; we refuse)', '{"label":["owner=alice"],"label":["owner=bob"]}'],
  ];
  for (const [name, text] of refused) {
    it(`refuses ${name}`, () => assert.equal(parseDockerFilters(text).ok, false));
  }

  it('encodes in the map-of-bools form, __proto__ as an ordinary filter name', () => {
    const parsed = parseDockerFilters('{"__proto__":["x"],"label":["a=b"]}');
    assert.ok(parsed.ok);
    assert.equal(encodeDockerFilters(parsed.filters), '{"__proto__":{"x":true},"label":{"a=b":true}}');
  });
});

describe('injectOwnerFilter', () => {
  it('adds a filters parameter when there is none', () => {
    assert.equal(inject(undefined), `filters=${enc('{"label":{"com.sockguard.owner=alice":true}}')}`);
    assert.equal(inject('all=1'), `all=1&filters=${enc('{"label":{"com.sockguard.owner=alice":true}}')}`);
  });

  it('keeps every other parameter byte for byte and in place', () => {
    const out = inject(`all=1&filters=${enc('{"status":["exited"]}')}&limit=%32&x=a+b&flag`);
    assert.ok(out.startsWith('all=1&filters='));
    assert.ok(out.endsWith('&limit=%32&x=a+b&flag'));
    assert.deepEqual(filtersOf(out), { status: { exited: true }, label: { 'com.sockguard.owner=alice': true } });
  });

  it('round-trips both encodings dockerd accepts, ANDing with the client labels', () => {
    for (const given of [
      '{"label":["app=web"],"status":["running"]}',
      '{"label":{"app=web":true},"status":{"running":true}}',
    ]) {
      assert.deepEqual(filtersOf(inject(`filters=${enc(given)}`)), {
        label: { 'app=web': true, 'com.sockguard.owner=alice': true },
        status: { running: true },
      });
    }
  });

  it('keeps a client filter on the owner key: dockerd ANDs it, so it can only narrow', () => {
    assert.deepEqual(filtersOf(inject(`filters=${enc('{"label":["com.sockguard.owner=bob"]}')}`)), {
      label: { 'com.sockguard.owner=bob': true, 'com.sockguard.owner=alice': true },
    });
  });

  it('finds a filters parameter however its name is encoded (no second, unfiltered one is left first)', () => {
    const out = inject(`filter%73=${enc('{"status":["exited"]}')}`);
    assert.equal(out.split('&').length, 1);
    assert.deepEqual(filtersOf(out), { status: { exited: true }, label: { 'com.sockguard.owner=alice': true } });
  });

  it('treats an empty or null filters parameter as no filters', () => {
    for (const q of ['filters=', 'filters=null']) {
      assert.deepEqual(filtersOf(inject(q)), { label: { 'com.sockguard.owner=alice': true } });
    }
  });

  it('uses node.label for nodes', () => {
    assert.deepEqual(filtersOf(inject(`filters=${enc('{"role":["manager"]}')}`, 'node.label')), {
      role: { manager: true },
      'node.label': { 'com.sockguard.owner=alice': true },
    });
  });

  const malformed: [string, string][] = [
    [
      'a repeated filters parameter (dockerd reads the first)',
      `filters=${enc('{}')}&filters=${enc('{"label":["x"]}')}`,
    ],
    ['a repeated filters parameter spelled differently', `filters=${enc('{}')}&filter%73=${enc('{}')}`],
    ['malformed filter JSON', `filters=${enc('{"label":')}`],
    ['mixed filter forms', `filters=${enc('{"label":["a"],"status":{"running":true}}')}`],
    ['a ";" separator (Go refuses the query)', 'all=1;filters=x'],
    ['a bad percent escape', 'filters=%zz'],
    ['invalid UTF-8 once decoded', 'filters=%ff'],
  ];
  for (const [name, query] of malformed) {
    it(`answers 400 owner_request_invalid for ${name}`, () => {
      const result = injectOwnerFilter(query, KEY, 'alice');
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.deepEqual([result.status, result.reasonCode], [400, 'owner_request_invalid']);
    });
  }

  it('addFilterValues adds visibility selectors the same way', () => {
    const result = addFilterValues('filters=' + enc('{"label":["a"]}'), 'label', ['team', 'env=prod']);
    assert.ok(result.ok);
    assert.deepEqual(filtersOf(result.rawQuery), { label: { a: true, team: true, 'env=prod': true } });
  });
});
