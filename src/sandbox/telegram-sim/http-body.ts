import type { IncomingMessage } from 'node:http';
import { badRequest } from './errors.js';
import type { UploadedFile } from './types.js';

export interface RequestParams {
  params: Record<string, unknown>;
  /** Uploaded files by part name, with their bytes. */
  files: Map<string, UploadedFile & { data: Buffer }>;
  /** True when values came as strings (query string, urlencoded, multipart) and need decoding. */
  form: boolean;
}

/** Reads a Bot API request's parameters the ways Telegram accepts them: query string, JSON, urlencoded, multipart. */
export async function readParams(req: IncomingMessage, url: URL): Promise<RequestParams> {
  const body = await readBody(req);
  const query = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const files = new Map<string, UploadedFile & { data: Buffer }>();
  if (body.length === 0) return { params: query, files, form: true };
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('the request body must be a JSON object');
    }
    if (Object.keys(query).length > 0) throw badRequest('fake-telegram: parameters both in the URL and in a JSON body');
    return { params: parsed as Record<string, unknown>, files, form: false };
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    const marker = boundary?.[1] ?? boundary?.[2];
    if (!marker) throw badRequest('fake-telegram: multipart/form-data without a boundary');
    const params: Record<string, unknown> = { ...query };
    for (const part of parseMultipart(body, marker.trim())) {
      if (part.filename === undefined) params[part.name] = part.data.toString('utf8');
      else files.set(part.name, { name: part.name, filename: part.filename, size: part.data.length, data: part.data });
    }
    return { params, files, form: true };
  }
  // application/x-www-form-urlencoded, or no content type at all
  return { params: { ...query, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) }, files, form: true };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Part {
  name: string;
  filename?: string;
  data: Buffer;
}

/**
 * A lenient multipart/form-data reader: grammY writes `content-disposition:form-data;name="x";filename=y`
 * (no spaces, unquoted file name), browsers and curl write the usual quoted form.
 */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // "--": the end
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd === -1) throw badRequest('fake-telegram: malformed multipart body (part without headers)');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next === -1) throw badRequest('fake-telegram: malformed multipart body (no closing boundary)');
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const disposition = /^content-disposition\s*:(.*)$/im.exec(headers)?.[1] ?? '';
    const name = attribute(disposition, 'name');
    if (name === undefined) throw badRequest('fake-telegram: multipart part without a name');
    const filename = attribute(disposition, 'filename');
    parts.push({ name, ...(filename !== undefined ? { filename } : {}), data: body.subarray(headerEnd + 4, next) });
    pos = next + 2;
  }
  return parts;
}

function attribute(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"([^"]*)"|([^;\\r\\n]*))`, 'i').exec(disposition);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').trim();
}
