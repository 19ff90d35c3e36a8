// Names and addresses, including list-archive obfuscations ("dhowells at redhat.com").
import type { Person } from '../types';
import { addressParser, decodeWords } from 'postal-mime';

/** "user at example.com" → "user@example.com" (only for address-shaped text). */
export function deobfuscate(s: string): string {
  if (!s.includes(' at ')) return s;
  return s.replace(/([A-Za-z0-9._%+=-]+) at ([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g, '$1@$2');
}

/** Addresses an archive hid: "jack@xxxxxxx", "[email protected]". */
export const MANGLED_RE = /@x{3,}(?:\.x+)*\b|\[email(?:\s|\u00a0)protected\]/i;

/** Parse "Name <addr>", "addr (Name)", "Name addr", "Name". Never throws. Mangled addresses → ''. */
export function parsePerson(raw: string): Person | null {
  const p = parsePersonRaw(raw);
  if (p && MANGLED_RE.test(p.email)) p.email = '';
  if (p && /\[email(?:\s|\u00a0)protected\]/i.test(p.name)) p.name = p.name.replace(/\s*\[email(?:\s|\u00a0)protected\]\s*/i, ' ').trim();
  return p;
}

function parsePersonRaw(raw: string): Person | null {
  let s = safeWords(raw.length > 400 ? raw.slice(0, 400) : raw).replace(/\s+/g, ' ').trim();
  if (!s) return null;
  s = deobfuscate(s);
  const angle = /^(.*?)\s*<([^<>]*)>\s*$/.exec(s);
  if (angle) return { name: unq(angle[1]), email: angle[2].trim() };
  const paren = /^(\S+@\S+)\s*\((.*)\)$/.exec(s);
  if (paren) return { name: unq(paren[2]), email: paren[1] };
  const trail = /^(.*?)\s*(\S+@\S+|\[email(?:\s|\u00a0)protected\])$/.exec(s);
  if (trail) return { name: unq(trail[1]), email: trail[2].replace(/^mailto:/, '') };
  try {
    const a = addressParser(s)[0] as { name?: string; address?: string } | undefined;
    if (a && a.address) return { name: a.name ?? '', email: a.address };
  } catch {
    // fall through
  }
  return { name: unq(s), email: '' };
}

function safeWords(s: string): string {
  if (!s.includes('=?')) return s;
  try {
    return decodeWords(s);
  } catch {
    return s;
  }
}

function unq(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}
