/*
 * Our own copy of a tree-sitter syntax tree: plain objects, no wasm handles. Produced by
 * treesitter.ts and consumed by lower.ts; nothing outside core/c sees a tree-sitter node.
 */

export interface SNode {
  type: string;
  /** Field name under which the parent holds this node ('condition', 'body', ...), or null. */
  field: string | null;
  /** Operator token for binary/unary/assignment/update expressions ("&&", "!", "=", "++"). */
  op: string | null;
  /** 0-based row of the first and last character in the parsed text. */
  startRow: number;
  endRow: number;
  /** Character offsets into SyntaxTree.text. */
  start: number;
  end: number;
  isError: boolean;
  isMissing: boolean;
  /** Named children only. */
  children: SNode[];
}

export interface SyntaxTree {
  text: string;
  root: SNode;
  /** Count of ERROR and MISSING nodes. */
  errors: number;
}

export function textOf(t: SyntaxTree | string, n: SNode): string {
  const s = typeof t === 'string' ? t : t.text;
  return s.slice(n.start, n.end);
}

export function childByField(n: SNode, field: string): SNode | null {
  for (const c of n.children) if (c.field === field) return c;
  return null;
}

export function childrenByField(n: SNode, field: string): SNode[] {
  return n.children.filter((c) => c.field === field);
}

/** Count ERROR / MISSING nodes at or under n (an ERROR node counts once; its inside is not counted again). */
export function countErrors(n: SNode): number {
  if (n.isError) return 1;
  let k = n.isMissing ? 1 : 0;
  for (const c of n.children) k += countErrors(c);
  return k;
}

/** Characters covered by ERROR nodes at or under n. */
export function errorSpan(n: SNode): number {
  if (n.isError) return n.end - n.start;
  let k = 0;
  for (const c of n.children) k += errorSpan(c);
  return k;
}
