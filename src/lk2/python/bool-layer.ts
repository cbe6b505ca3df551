/**
 * The and/or/not layer of a Python expression, parsed again: Lezer's grammar gives `not` no
 * precedence (`not a and b` comes out as `not (a and b)`), so parse.ts flattens each run of
 * and/or/not into its tokens and this parses them with Python's precedence: or < and < not.
 */
import type { SyntaxNode } from "@lezer/common";
import type { PyNode } from "./ast.ts";
import { refuseAt } from "./refusal.ts";

export type BoolToken = { op: "and" | "or" | "not"; at: number } | { node: SyntaxNode };

/** The children that matter (comments dropped). */
export function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== "Comment") out.push(child);
  }
  return out;
}

export function isComparison(n: SyntaxNode, source: string): boolean {
  const op = kids(n)[1];
  if (!op) return false;
  return op.name === "CompareOp" || ["in", "not", "is"].includes(source.slice(op.from, op.to));
}

/** An and/or BinaryExpression or a `not` UnaryExpression. */
export function isBoolLayer(n: SyntaxNode, source: string): boolean {
  const op =
    n.name === "UnaryExpression" ? kids(n)[0] : n.name === "BinaryExpression" ? kids(n)[1] : undefined;
  if (!op) return false;
  const text = source.slice(op.from, op.to);
  if (n.name === "UnaryExpression") return text === "not";
  return text === "and" || text === "or";
}

/** or < and < not, over a flat run of operands and operators. */
export class BoolParser {
  private i = 0;
  constructor(
    private readonly tokens: BoolToken[],
    private readonly operand: (node: SyntaxNode) => PyNode,
    private readonly at: number,
  ) {}

  parse(): PyNode {
    const result = this.or();
    if (this.i !== this.tokens.length) return refuseAt(this.at, "syntax error", "misplaced and/or/not");
    return result;
  }

  private peek(): string | undefined {
    const token = this.tokens[this.i];
    return token && "op" in token ? token.op : undefined;
  }

  private or(): PyNode {
    let left = this.and();
    while (this.peek() === "or") {
      this.i += 1;
      left = { t: "boolop", op: "or", left, right: this.and(), at: left.at };
    }
    return left;
  }

  private and(): PyNode {
    let left = this.not();
    while (this.peek() === "and") {
      this.i += 1;
      left = { t: "boolop", op: "and", left, right: this.not(), at: left.at };
    }
    return left;
  }

  private not(): PyNode {
    const token = this.tokens[this.i];
    if (!token) return refuseAt(this.at, "syntax error", "missing operand");
    this.i += 1;
    if ("op" in token) {
      if (token.op !== "not") return refuseAt(token.at, "syntax error", `misplaced ${token.op}`);
      return { t: "not", operand: this.not(), at: token.at };
    }
    return this.operand(token.node);
  }
}
