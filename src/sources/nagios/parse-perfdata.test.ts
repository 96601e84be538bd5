import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePerfdata, type PerfdataItem } from './parse-perfdata.ts';

/** [label, value, unit, warn, crit, min, max] */
type Row = [string, number | null, string, string | null, string | null, number | null, number | null];

function rows(items: PerfdataItem[]): Row[] {
  return items.map((i) => [i.label, i.value, i.unit, i.warn, i.crit, i.min, i.max]);
}

describe('parsePerfdata', () => {
  it('reads the full item form with every guideline unit', () => {
    const { items, problems } = parsePerfdata(
      "time=0.5s;1;2;0;10 a=3ms b=4us c=50%;80;90;0;100 d=1B e=2KB f=3MB g=4GB h=5TB packets=123c 'plain'=7",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(rows(items), [
      ['time', 0.5, 's', '1', '2', 0, 10],
      ['a', 3, 'ms', null, null, null, null],
      ['b', 4, 'us', null, null, null, null],
      ['c', 50, '%', '80', '90', 0, 100],
      ['d', 1, 'B', null, null, null, null],
      ['e', 2, 'KB', null, null, null, null],
      ['f', 3, 'MB', null, null, null, null],
      ['g', 4, 'GB', null, null, null, null],
      ['h', 5, 'TB', null, null, null, null],
      ['packets', 123, 'c', null, null, null, null],
      ['plain', 7, '', null, null, null, null],
    ]);
  });

  it('keeps unknown units as written', () => {
    const { items } = parsePerfdata(
      "'/'=24455938048B;243497277849;257024904396;0;270552530944 used=3GiB free=12KiB temp=40°C",
    );
    assert.deepEqual(
      items.map((i) => [i.label, i.unit]),
      [
        ['/', 'B'],
        ['used', 'GiB'],
        ['free', 'KiB'],
        ['temp', '°C'],
      ],
    );
  });

  it('reads quoted labels with spaces and doubled quotes, and splits only outside quotes', () => {
    const { items, problems } = parsePerfdata("'disk usage /var'=10MB;;;0; 'it''s'=1 'a=b'=2");
    assert.deepEqual(problems, []);
    assert.deepEqual(
      items.map((i) => [i.label, i.value]),
      [
        ['disk usage /var', 10],
        ["it's", 1],
        ['a=b', 2],
      ],
    );
  });

  it('reads U as an undetermined value and keeps empty trailing fields empty', () => {
    const { items } = parsePerfdata('load=U;;;; x=1;;; y=2;');
    assert.deepEqual(rows(items), [
      ['load', null, '', null, null, null, null],
      ['x', 1, '', null, null, null, null],
      ['y', 2, '', null, null, null, null],
    ]);
  });

  it('keeps threshold ranges as text and parses them', () => {
    const [item] = parsePerfdata('iso.3.6.1.4.1.8072.3.2.67.16=-2;-2:;@-3:5;;').items;
    assert.ok(item);
    assert.equal(item.label, 'iso.3.6.1.4.1.8072.3.2.67.16');
    assert.equal(item.value, -2);
    assert.equal(item.warn, '-2:');
    assert.deepEqual(item.warnRange, { start: -2, end: null, inside: false });
    assert.equal(item.crit, '@-3:5');
    assert.deepEqual(item.critRange, { start: -3, end: 5, inside: true });
  });

  it('reads scientific notation and signs', () => {
    assert.deepEqual(rows(parsePerfdata('a=1.5e3 b=-2.5E-1s c=+3').items), [
      ['a', 1500, '', null, null, null, null],
      ['b', -0.25, 's', null, null, null, null],
      ['c', 3, '', null, null, null, null],
    ]);
  });

  it('reports each malformed item with a reason and keeps its neighbours', () => {
    const { items, problems } = parsePerfdata(
      "ok1=1 noequals 'unterminated=3 =4 bad=abc over=1e400 twodots=1.2.3 ok2=2 ''=5",
    );
    assert.deepEqual(
      items.map((i) => i.label),
      ['ok1', 'ok2'],
    );
    assert.deepEqual(
      problems.map((p) => [p.index, p.reason, p.kept]),
      [
        [1, 'missing-equals', false],
        [2, 'unterminated-quote', false],
        [3, 'empty-label', false],
        [4, 'bad-value', false],
        [5, 'value-out-of-range', false],
        [6, 'bad-value', false],
        [8, 'empty-label', false],
      ],
    );
    for (const p of problems) assert.ok(p.detail.length > 0);
  });

  it('keeps an item whose thresholds or bounds are unreadable, naming the bad field', () => {
    const { items, problems } = parsePerfdata('a=1;10:5;x;lo;hi;extra');
    assert.deepEqual(rows(items), [['a', 1, '', '10:5', 'x', null, null]]);
    assert.equal(items[0]?.warnRange, null);
    assert.deepEqual(
      problems.map((p) => [p.reason, p.kept]),
      [
        ['bad-threshold', true],
        ['bad-threshold', true],
        ['bad-min', true],
        ['bad-max', true],
        ['extra-fields', true],
      ],
    );
  });

  it('tolerates the comma-separated list of the Nagios docs', () => {
    const { items, problems } = parsePerfdata('percent_packet_loss=0, rta=0.80');
    assert.deepEqual(rows(items), [
      ['percent_packet_loss', 0, '', null, null, null, null],
      ['rta', 0.8, '', null, null, null, null],
    ]);
    assert.deepEqual(
      problems.map((p) => [p.reason, p.kept]),
      [['trailing-comma', true]],
    );
  });

  it('returns nothing for empty or blank perfdata', () => {
    assert.deepEqual(parsePerfdata(''), { items: [], problems: [] });
    assert.deepEqual(parsePerfdata(' \t '), { items: [], problems: [] });
  });

  it('bounds the detail of a huge label', () => {
    const label = 'x'.repeat(1024 * 1024);
    const { items, problems } = parsePerfdata(`${label}=oops ok=1`);
    assert.deepEqual(
      items.map((i) => i.label),
      ['ok'],
    );
    assert.ok((problems[0]?.detail.length ?? Infinity) < 300);
  });
});
