import QRCode from 'qrcode';

/** A4 at 150 dpi: 210 × 297 mm. */
export const POSTER_WIDTH = 1240;
export const POSTER_HEIGHT = 1754;
const QR_SIZE = 900;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Splits a line into lines of at most `width` characters at spaces (a longer word stands alone). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export interface PosterInput {
  botUsername: string;
  code: string;
  /** The short line from sources.yml in the chosen language. */
  line: string;
  /** A line under the link, e.g. "Open the camera and point it at the code". */
  hint: string;
  /** A sample source: SAMPLE across the poster. */
  sample?: string;
}

/** The start link a source's poster carries. */
export function sourceLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername}?start=${code}`;
}

/**
 * A printable A4 poster as SVG: the bot's @username, the QR code of the source's start link (qrcode's
 * own SVG, placed as a nested <svg>), the content's line, and the link written out. Texts are escaped.
 */
export async function posterSvg(input: PosterInput): Promise<string> {
  const link = sourceLink(input.botUsername, input.code);
  const qr = await QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  const x = (POSTER_WIDTH - QR_SIZE) / 2;
  const y = 300;
  const qrPlaced = qr.trim().replace(/^<svg /, `<svg x="${x}" y="${y}" width="${QR_SIZE}" height="${QR_SIZE}" `);
  const lines = wrap(input.line, 34).slice(0, 4);
  const text = lines.map((l, i) => `<tspan x="${POSTER_WIDTH / 2}" dy="${i === 0 ? 0 : 62}">${escapeXml(l)}</tspan>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" viewBox="0 0 ${POSTER_WIDTH} ${POSTER_HEIGHT}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${POSTER_WIDTH / 2}" y="200" font-size="84" font-weight="bold" text-anchor="middle" fill="#1d3557">@${escapeXml(input.botUsername)}</text>`,
    qrPlaced,
    `<text x="${POSTER_WIDTH / 2}" y="${y + QR_SIZE + 110}" font-size="50" text-anchor="middle" fill="#222222">${text}</text>`,
    `<text x="${POSTER_WIDTH / 2}" y="${POSTER_HEIGHT - 150}" font-size="34" text-anchor="middle" fill="#444444">${escapeXml(link.replace(/^https:\/\//, ''))}</text>`,
    `<text x="${POSTER_WIDTH / 2}" y="${POSTER_HEIGHT - 90}" font-size="30" text-anchor="middle" fill="#666666">${escapeXml(input.hint)}</text>`,
    input.sample
      ? `<text x="${POSTER_WIDTH / 2}" y="${POSTER_HEIGHT / 2}" font-size="200" font-weight="bold" text-anchor="middle" fill="#d62828" fill-opacity="0.45" transform="rotate(-35 ${POSTER_WIDTH / 2} ${POSTER_HEIGHT / 2})">${escapeXml(input.sample)}</text>`
      : '',
    '</svg>',
  ].join('');
}
