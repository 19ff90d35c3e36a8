/*
 * MIME bodies → decoded text lines that keep their input line: multipart (mixed, alternative,
 * signed), text/plain and text/x-patch / text/x-diff parts, quoted-printable (soft breaks join
 * physical lines; the logical line keeps the first one), base64 (each decoded line keeps the input
 * line holding its first byte), charsets via TextDecoder with a windows-1252 fallback.
 */
import type { Line } from './lines';
import { type Ctx, problem } from './context';
import { type HeaderBlock, field, headerParams, parseHeaders } from './headers';

const enc = new TextEncoder();

export function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  const cs = (charset || 'utf-8').toLowerCase();
  try {
    return new TextDecoder(cs === 'us-ascii' ? 'utf-8' : cs, { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Quoted-printable: decode `s` (one logical line without soft breaks) to bytes. */
export function qpBytes(s: string, out: number[]): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61 /* = */ && i + 2 < s.length + 0 && hex(s.charCodeAt(i + 1)) >= 0 && hex(s.charCodeAt(i + 2)) >= 0) {
      out.push(hex(s.charCodeAt(i + 1)) * 16 + hex(s.charCodeAt(i + 2)));
      i += 2;
    } else if (c < 128) out.push(c);
    else for (const b of enc.encode(s[i])) out.push(b);
  }
}

export function decodeQP(lines: Line[], charset: string | undefined): Line[] {
  const out: Line[] = [];
  let bytes: number[] = [];
  let first: number | null = null;
  for (const l of lines) {
    if (first === null) first = l.line;
    const t = l.text.replace(/[ \t]+$/, '');
    if (t.endsWith('=')) {
      qpBytes(t.slice(0, -1), bytes);
      continue;
    }
    qpBytes(t, bytes);
    out.push({ text: decodeBytes(Uint8Array.from(bytes), charset), line: first });
    bytes = [];
    first = null;
  }
  if (first !== null) out.push({ text: decodeBytes(Uint8Array.from(bytes), charset), line: first });
  return out;
}

export function decodeBase64(lines: Line[], charset: string | undefined, ctx: Ctx): Line[] {
  const chunks: Buffer[] = [];
  const owner: number[] = []; // input line of each decoded byte range start
  const starts: number[] = [];
  let total = 0;
  let carry = '';
  for (const l of lines) {
    const clean = carry + l.text.replace(/[^A-Za-z0-9+/=]/g, '');
    const usable = clean.length - (clean.length % 4);
    carry = clean.slice(usable);
    const b = Buffer.from(clean.slice(0, usable), 'base64');
    if (b.length) { chunks.push(b); owner.push(l.line); starts.push(total); total += b.length; }
  }
  if (carry.replace(/=/g, '')) problem(ctx, 'base64-truncated', 'base64 part ends with an incomplete group', lines[lines.length - 1]?.line);
  const all = Buffer.concat(chunks);
  const out: Line[] = [];
  let k = 0;
  let s = 0;
  const lineAt = (byte: number) => { while (k + 1 < starts.length && starts[k + 1] <= byte) k++; return owner[k] ?? lines[0]?.line ?? 1; };
  for (let i = 0; i <= all.length; i++) {
    if (i === all.length || all[i] === 10) {
      if (i === all.length && s === i) break;
      let e = i;
      if (e > s && all[e - 1] === 13) e--;
      out.push({ text: decodeBytes(all.subarray(s, e), charset), line: lineAt(s) });
      s = i + 1;
    }
  }
  return out;
}

/** Is this part worth reading as patch text? */
function isTextPart(type: string, params: Record<string, string>, disp: string | null): boolean {
  if (type === '' || type === 'text/plain' || type === 'text/x-patch' || type === 'text/x-diff' || type === 'text/x-log') return true;
  if (type === 'application/octet-stream' || type === 'application/x-patch') {
    const name = (params.name ?? '') + ' ' + (disp ?? '');
    return /\.(patch|diff)\b/i.test(name);
  }
  return false;
}

/** Decode one entity (headers already parsed) to text lines. Depth-bounded. */
export function decodeEntity(h: HeaderBlock, body: Line[], ctx: Ctx, depth = 0): Line[] {
  const ct = headerParams(field(h, 'content-type'));
  const cte = (field(h, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  if (ct.value.startsWith('multipart/')) {
    const boundary = ct.params.boundary;
    if (!boundary || depth > 8) {
      problem(ctx, 'mime', `multipart without usable boundary; read as plain text`, body[0]?.line);
      return body;
    }
    const parts: Line[][] = [];
    let cur: Line[] | null = null;
    const open = '--' + boundary;
    for (const l of body) {
      const t = l.text.trimEnd();
      if (t === open || t === open + '--') {
        if (cur) parts.push(cur);
        cur = t === open ? [] : null;
        if (t !== open) break;
        continue;
      }
      if (cur) cur.push(l);
    }
    if (cur) parts.push(cur);
    const out: Line[] = [];
    const decoded = parts.map((p) => {
      const ph = parseHeaders(p, 0);
      const pct = headerParams(field(ph, 'content-type'));
      return { type: pct.value || 'text/plain', ph, lines: p.slice(ph.bodyStart), params: pct.params };
    });
    let chosen = decoded;
    if (ct.value === 'multipart/alternative') {
      const plain = decoded.find((d) => d.type === 'text/plain' || d.type.startsWith('multipart/'));
      chosen = plain ? [plain] : decoded.slice(0, 1);
    } else if (ct.value === 'multipart/signed') {
      chosen = decoded.slice(0, 1);
    }
    for (const d of chosen) {
      if (d.type.startsWith('multipart/') || isTextPart(d.type, d.params, field(d.ph, 'content-disposition'))) {
        const text = decodeEntity(d.ph, d.lines, ctx, depth + 1);
        out.push(...text);
      } else if (d.type === 'text/html') {
        problem(ctx, 'mime', 'HTML-only part skipped', d.lines[0]?.line);
      }
    }
    return out;
  }
  if ((ct.params.format ?? '').toLowerCase() === 'flowed') {
    problem(ctx, 'format-flowed', 'text/plain; format=flowed: the mailer may have re-wrapped long lines; hunks that do not fit their counts are reported', body[0]?.line);
  }
  if (cte === 'quoted-printable') return decodeQP(body, ct.params.charset);
  if (cte === 'base64') return decodeBase64(body, ct.params.charset, ctx);
  return body;
}
