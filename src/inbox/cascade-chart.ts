import { Resvg } from '@resvg/resvg-js';
import type { ShownCascadeLine } from './cascade.js';
import type { Cell } from './stats.js';

const WIDTH = 800;
const ROW = 64;
const TOP = 70;
const LABEL = 190;
const BAR_MAX = WIDTH - LABEL - 90;
const COLORS = { issued: '#6fb9f0', redeemed: '#3f8f5f', ok: '#f0b84f' };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A funnel per type (issued → redeemed → "it was OK"), as an SVG drawn here: three bars per type,
 * scaled to the largest number issued. Texts from content are escaped for XML.
 */
export function cascadeSvg(lines: readonly ShownCascadeLine[], title: string, legend: { issued: string; redeemed: string; ok: string }): string {
  const types = lines.filter((l) => l.place === '*');
  // A "<5" cell is drawn as a sliver labelled "<5": its size would tell the number.
  const value = (c: Cell | undefined) => (typeof c === 'number' ? c : 0);
  const max = Math.max(1, ...types.map((l) => value(l.issued)));
  const height = TOP + Math.max(1, types.length) * ROW + 30;
  const bar = (y: number, shown: Cell | undefined, color: string) => {
    const n = value(shown);
    const w = shown === '<5' ? 2 : Math.max(n > 0 ? 2 : 0, Math.round((n / max) * BAR_MAX));
    return `<rect x="${LABEL}" y="${y}" width="${w}" height="16" fill="${color}"/><text x="${LABEL + w + 6}" y="${y + 13}" font-size="13">${escapeXml(String(shown ?? 0))}</text>`;
  };
  const rows = types.map((l, i) => {
    const y = TOP + i * ROW;
    return [
      `<text x="10" y="${y + 30}" font-size="15">${escapeXml(l.type)}</text>`,
      bar(y, l.issued, COLORS.issued),
      bar(y + 19, l.redeemed, COLORS.redeemed),
      bar(y + 38, l.answers.ok, COLORS.ok),
    ].join('');
  });
  const key = Object.entries(COLORS)
    .map(([k, color], i) => `<rect x="${10 + i * 200}" y="38" width="14" height="14" fill="${color}"/><text x="${30 + i * 200}" y="50" font-size="13">${escapeXml(legend[k as keyof typeof legend])}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="18" font-weight="bold">${escapeXml(title)}</text>`,
    key,
    ...rows,
    '</svg>',
  ].join('');
}

/** Renders the SVG to PNG with the system's fonts (DejaVu in the Docker image: fonts-dejavu-core). */
export function renderPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
}
