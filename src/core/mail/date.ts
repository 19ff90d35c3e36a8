/*
 * Dates as mail and archives write them, normalised to ISO 8601 with the writer's own offset
 * ("2026-06-16T03:07:56-07:00"), so no clock or local time zone leaks into the output.
 * Unrecognised forms are returned unchanged (trimmed).
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360,
  PST: -480, PDT: -420, CET: 60, CEST: 120, BST: 60, IST: 330, JST: 540,
};

const p2 = (n: number) => String(n).padStart(2, '0');

function iso(y: number, mo: number, d: number, h: number, mi: number, s: number, off: number | null): string | null {
  if (mo < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const base = `${String(y).padStart(4, '0')}-${p2(mo + 1)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}`;
  if (off === null) return base;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${base}${sign}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

function zone(z: string | undefined): number | null {
  if (!z) return null;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const v = ZONES[z.replace(/[()]/g, '').toUpperCase()];
  return v === undefined ? null : v;
}

function year(y: string): number {
  const n = Number(y);
  return y.length === 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}

export function normaliseDate(raw: string): string {
  const s = raw.slice(0, 200).replace(/\s+/g, ' ').trim();
  const mon = (m: string) => MONTHS.indexOf(m.slice(0, 3).toLowerCase());
  let m: RegExpExecArray | null;
  // RFC 5322: "Mon, 9 Mar 2026 23:04:32 +0530"
  if ((m = /^(?:\w{3},? )?(\d{1,2}) (\w{3})\w* (\d{2,4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([+-]\d{4}|[A-Za-z]{1,5})?/.exec(s))) {
    const r = iso(year(m[3]), mon(m[2]), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), zone(m[7]));
    if (r) return r;
  }
  // pipermail / ctime: "Tue Jun 16 03:07:56 PDT 2026"
  if ((m = /^\w{3} (\w{3}) (\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) (?:([A-Za-z]{1,5}|[+-]\d{4}) )?(\d{4})$/.exec(s))) {
    const r = iso(Number(m[7]), mon(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), zone(m[6]));
    if (r) return r;
  }
  // git default: "Thu Mar 5 12:00:00 2026 +0100"
  if ((m = /^\w{3} (\w{3}) (\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) (\d{4}) ([+-]\d{4})$/.exec(s))) {
    const r = iso(Number(m[6]), mon(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), zone(m[7]));
    if (r) return r;
  }
  // LKML archive: "Sat Sep 29 2007 - 16:00:28 EST"
  if ((m = /^\w{3} (\w{3}) (\d{1,2}) (\d{4}) - (\d{1,2}):(\d{2}):(\d{2}) ?([A-Za-z]{1,5}|[+-]\d{4})?$/.exec(s))) {
    const r = iso(Number(m[3]), mon(m[1]), Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), zone(m[7]));
    if (r) return r;
  }
  // ISO already
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s)) return s;
  return s;
}
