import { describe, expect, it } from 'vitest';
import { cascadeCsv, shownCascadeLine, summarizeCascade } from '../../src/inbox/cascade.js';
import { cascadeSvg, renderPng } from '../../src/inbox/cascade-chart.js';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 10, 3, 5); // 2026-11-03 10:00 in Almaty
const code = (type: string, place: string | null, issuedHour: number, redeemedAfterDays: number | null, outcome: string | null = null, followUpAnswer: string | null = null) => ({
  type,
  place,
  issuedHour,
  redeemedHour: redeemedAfterDays === null ? null : issuedHour + redeemedAfterDays * DAY,
  outcome,
  followUpAnswer,
});

describe('the referral cascade', () => {
  const codes = [
    code('hiv-test', 'almaty', T0, 1, 'tested', 'ok'),
    code('hiv-test', 'almaty', T0 + H, 3, 'tested'),
    code('hiv-test', 'astana', T0 + 2 * H, null, null, 'not-yet'),
    code('naloxone', null, T0, 0, 'supplies-given'),
    code('hiv-test', 'almaty', T0 + 40 * DAY, 2), // December: outside November
  ];

  it('counts issued, redeemed, median days, outcomes and answers per type and per place, in the period', () => {
    const lines = summarizeCascade(codes, { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
    expect(lines.map((l) => `${l.type}/${l.place}`)).toEqual(['hiv-test/*', 'hiv-test/almaty', 'hiv-test/astana', 'naloxone/*', 'naloxone/']);
    expect(lines[0]).toEqual({ type: 'hiv-test', place: '*', issued: 3, redeemed: 2, medianDays: 1, outcomes: { tested: 2 }, answers: { ok: 1, 'not-yet': 1 } });
    expect(lines[1]).toMatchObject({ issued: 2, redeemed: 2 });
    expect(lines[2]).toMatchObject({ issued: 1, redeemed: 0, medianDays: null });
  });

  it('writes one CSV row per month, type and place, small cells as "<5" and no rate or median from fewer than 5 codes', () => {
    const many = Array.from({ length: 6 }, (_, i) => code('naloxone', 'almaty', T0 + i * H, i < 5 ? 2 : null, i < 5 ? 'supplies-given' : null, i === 0 ? 'not-ok' : null));
    const csv = cascadeCsv([...codes, ...many], { from: 0, to: Date.UTC(2027, 0, 1) }, 'Asia/Almaty').trim().split('\n');
    expect(csv[0]).toBe('month,type,place,issued,redeemed,redeemed_percent,median_days_to_redeem,outcome_tested,outcome_treatment-started,outcome_supplies-given,outcome_counselled,outcome_referred-on,followup_ok,followup_not-ok,followup_not-yet');
    expect(csv).toContain('2026-11,hiv-test,all,<5,<5,,,<5,0,0,0,0,<5,0,<5');
    expect(csv).toContain('2026-11,naloxone,any,<5,<5,,,0,0,<5,0,0,0,0,0');
    expect(csv).toContain('2026-12,hiv-test,almaty,<5,<5,,,0,0,0,0,0,0,0,0');
    // Six naloxone codes at one place, five redeemed: the figures show, but one person's answer does not.
    expect(csv).toContain('2026-11,naloxone,almaty,6,5,83,2,0,0,5,0,0,0,<5,0');
  });

  it('shows a line only as the small-cell rule allows', () => {
    const [line] = summarizeCascade(codes, { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
    expect(shownCascadeLine(line!)).toEqual({ type: 'hiv-test', place: '*', issued: '<5', redeemed: '<5', percent: null, medianDays: null, outcomes: { tested: '<5' }, answers: { ok: '<5', 'not-yet': '<5' } });
  });

  it('draws a funnel as SVG (content escaped) and renders it to PNG with system fonts', () => {
    const lines = summarizeCascade([...codes, code('<script>', null, T0, null)], { from: 0, to: Date.UTC(2027, 0, 1) }).map(shownCascadeLine);
    const svg = cascadeSvg(lines, 'Cascade & more', { issued: 'issued', redeemed: 'redeemed', ok: 'OK' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;');
    const png = renderPng(svg);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Text is drawn (a font was found): the same chart without labels is a smaller image.
    const bare = renderPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''));
    expect(png.length).toBeGreaterThan(bare.length + 1000);
  });
});
