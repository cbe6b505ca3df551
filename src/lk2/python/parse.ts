/**
 * Python source → our small expression tree (ast.ts), through @lezer/python.
 *
 * Why Lezer: it is a real, maintained grammar of Python 3 (the one CodeMirror ships, ~5M
 * downloads a month), pure JavaScript with no native or WebAssembly part, small, and it gives
 * every node its position, which the report needs for line:column. tree-sitter-python is as good
 * a grammar but needs a WebAssembly runtime and its .wasm file at run time; py-ast and filbert
 * are little used or unmaintained.
 *
 * What Lezer gets wrong, mended here: it gives `not` no precedence, so `not a and b` comes out
 * as `not (a and b)` and `a and not b or c` as `a and not (b or c)`. Each run of and/or/not is
 * therefore flattened back into its tokens and parsed again with Python's precedence
 * (or < and < not). It also tokenises a few things CPython refuses (`007`, `<>`, `"\x4"`): those
 * are refused (literals.ts). Lezer recovers from syntax errors with error nodes; any error node
 * refuses the whole rule.
 */
import type { SyntaxNode } from "@lezer/common";
import { parser } from "@lezer/python";
import type { BinaryOp, CompareLink, CompareOp, CompClause, Keyword, PyNode } from "./ast.ts";
import { BoolParser, type BoolToken, isBoolLayer, isComparison, kids } from "./bool-layer.ts";
import { parseNumber, parseString } from "./literals.ts";
import { refuseAt } from "./refusal.ts";

export interface Parsed {
  expression: PyNode;
  /** Every name the source mentions (NFKC-normalised, as Python reads identifiers). */
  names: Set<string>;
}

export function parsePython(source: string): Parsed {
  const tree = parser.parse(source);
  const error = firstError(tree.topNode);
  if (error) return refuseAt(error.from, "syntax error", "Python cannot parse this");
  const statements = kids(tree.topNode);
  const [statement, extra] = statements;
  if (!statement) return refuseAt(0, "empty rule", "there is no expression");
  if (extra) return refuseAt(extra.from, "more than one statement", "a rule is one expression");
  if (statement.name !== "ExpressionStatement") {
    return refuseAt(statement.from, "statement", `a ${statement.name} is not an expression`);
  }
  const parts = kids(statement);
  const [only, second] = parts;
  if (!only) return refuseAt(statement.from, "empty rule", "there is no expression");
  if (second) return refuseAt(second.from, "tuple without parentheses", "write the tuple as ( … )");
  const names = new Set<string>();
  return { expression: new TreeReader(source, names).node(only), names };
}

function firstError(node: SyntaxNode): SyntaxNode | null {
  if (node.type.isError) return node;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const found = firstError(child);
    if (found) return found;
  }
  return null;
}

const UNSUPPORTED: Readonly<Record<string, string>> = {
  LambdaExpression: "lambda",
  NamedExpression: "assignment expression (:=)",
  AwaitExpression: "await",
  YieldExpression: "yield",
  DictionaryExpression: "dict literal",
  DictionaryComprehensionExpression: "dict comprehension",
  FormatString: "f-string",
  Ellipsis: "Ellipsis (...)",
};

class TreeReader {
  constructor(
    private readonly source: string,
    private readonly names: Set<string>,
  ) {}

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  node(n: SyntaxNode): PyNode {
    const unsupported = UNSUPPORTED[n.name];
    if (unsupported) return refuseAt(n.from, unsupported, `${unsupported} is outside the subset`);
    switch (n.name) {
      case "VariableName": {
        const id = this.text(n).normalize("NFKC");
        this.names.add(id);
        return { t: "name", id, at: n.from };
      }
      case "Number": {
        const literal = parseNumber(this.text(n), n.from);
        return { t: literal.kind, value: literal.value, at: n.from };
      }
      case "String":
        return { t: "str", value: parseString(this.text(n), n.from), at: n.from };
      case "ContinuedString":
        return {
          t: "str",
          value: kids(n)
            .map((part) => this.stringPart(part))
            .join(""),
          at: n.from,
        };
      case "Boolean":
        return { t: "const", value: this.text(n) === "True", at: n.from };
      case "None":
        return { t: "const", value: null, at: n.from };
      case "ParenthesizedExpression":
        return this.parenthesized(n);
      case "TupleExpression":
        return { t: "tuple", items: this.items(n), at: n.from };
      case "ArrayExpression":
        return { t: "list", items: this.items(n), at: n.from };
      case "SetExpression":
        return { t: "set", items: this.items(n), at: n.from };
      case "ComprehensionExpression":
        return this.comprehension(n, "gen");
      case "ArrayComprehensionExpression":
        return this.comprehension(n, "list");
      case "SetComprehensionExpression":
        return this.comprehension(n, "set");
      case "BinaryExpression":
      case "UnaryExpression":
        return this.operator(n);
      case "ConditionalExpression": {
        const [body, , test, , orelse] = kids(n);
        if (!body || !test || !orelse) return refuseAt(n.from, "syntax error", "incomplete conditional");
        return {
          t: "ifexp",
          body: this.node(body),
          test: this.node(test),
          orelse: this.node(orelse),
          at: n.from,
        };
      }
      case "CallExpression":
        return this.call(n);
      case "MemberExpression":
        return this.member(n);
      default:
        return refuseAt(n.from, n.name, `${n.name} is outside the subset`);
    }
  }

  private stringPart(part: SyntaxNode): string {
    if (part.name !== "String") return refuseAt(part.from, "f-string", "f-strings are outside the subset");
    return parseString(this.text(part), part.from);
  }

  private parenthesized(n: SyntaxNode): PyNode {
    const inner = kids(n).filter((child) => child.name !== "(" && child.name !== ")");
    const [only, extra] = inner;
    if (!only || extra || only.name === "*") {
      return refuseAt(n.from, "starred expression", "*x is outside the subset");
    }
    return this.node(only);
  }

  /** Elements of a list, tuple or set display. */
  private items(n: SyntaxNode): PyNode[] {
    const items: PyNode[] = [];
    for (const child of kids(n)) {
      if (["(", ")", "[", "]", "{", "}", ","].includes(child.name)) continue;
      if (child.name === "*") return refuseAt(child.from, "starred expression", "*x is outside the subset");
      items.push(this.node(child));
    }
    return items;
  }

  private comprehension(n: SyntaxNode, kind: "gen" | "list" | "set"): PyNode {
    const inner = kids(n).filter((child) => !["(", ")", "[", "]", "{", "}"].includes(child.name));
    const [element, ...rest] = inner;
    if (!element) return refuseAt(n.from, "syntax error", "empty comprehension");
    if (element.name === "*") return refuseAt(element.from, "starred expression", "*x is outside the subset");
    return { t: "comp", kind, element: this.node(element), clauses: this.clauses(rest), at: n.from };
  }

  /** `for x in xs if c for y in ys …` as a flat run of tokens (Lezer nests nothing here). */
  private clauses(tokens: SyntaxNode[]): CompClause[] {
    const clauses: CompClause[] = [];
    let i = 0;
    const take = () => tokens[i++];
    while (i < tokens.length) {
      const keyword = take() as SyntaxNode;
      if (keyword.name === "async") return refuseAt(keyword.from, "async comprehension", "not in the subset");
      if (keyword.name === "if") {
        const test = take();
        if (!test) return refuseAt(keyword.from, "syntax error", "if without a condition");
        clauses.push({ t: "if", test: this.node(test) });
        continue;
      }
      if (keyword.name !== "for") return refuseAt(keyword.from, "syntax error", "expected for or if");
      const target = take();
      const after = take();
      if (target?.name !== "VariableName" || after?.name !== "in") {
        const where = target ?? keyword;
        return refuseAt(where.from, "unpacking in a comprehension", "only `for name in …` is in the subset");
      }
      const iter = take();
      if (!iter) return refuseAt(after.from, "syntax error", "for … in without an iterable");
      clauses.push({
        t: "for",
        target: this.text(target).normalize("NFKC"),
        targetAt: target.from,
        iter: this.node(iter),
      });
    }
    return clauses;
  }

  private operator(n: SyntaxNode): PyNode {
    if (isBoolLayer(n, this.source)) return this.boolLayer(n);
    const parts = kids(n);
    if (n.name === "UnaryExpression") {
      const [op, operand] = parts;
      if (!op || !operand) return refuseAt(n.from, "syntax error", "incomplete expression");
      const symbol = this.text(op);
      if (symbol !== "-" && symbol !== "+" && symbol !== "~")
        return refuseAt(op.from, symbol, "unknown operator");
      return { t: "unary", op: symbol, operand: this.node(operand), at: n.from };
    }
    const [left, op] = parts;
    const right = parts.at(-1);
    if (!left || !op || !right || right === op)
      return refuseAt(n.from, "syntax error", "incomplete expression");
    if (op.name === "ArithOp" || op.name === "BitOp") {
      return {
        t: "binop",
        op: this.text(op) as BinaryOp,
        left: this.node(left),
        right: this.node(right),
        at: n.from,
      };
    }
    return this.comparison(n);
  }

  /** `a < b <= c` is one chain in Python: Lezer nests it to the left, unparenthesised. */
  private comparison(n: SyntaxNode): PyNode {
    const links: CompareLink[] = [];
    let current = n;
    for (;;) {
      const parts = kids(current);
      const left = parts[0] as SyntaxNode;
      const right = parts.at(-1) as SyntaxNode;
      const op = parts
        .slice(1, -1)
        .map((part) => this.text(part))
        .join(" ") as CompareOp;
      if (op === ("<>" as CompareOp))
        return refuseAt(parts[1]?.from ?? n.from, "<>", "a SyntaxError in Python 3");
      if (isBoolLayer(right, this.source)) {
        return refuseAt(right.from, "syntax error", "`not` cannot be an operand of a comparison");
      }
      links.unshift({ op, right: this.node(right), at: parts[1]?.from ?? current.from });
      if (left.name === "BinaryExpression" && isComparison(left, this.source)) current = left;
      else return { t: "compare", first: this.node(left), links, at: n.from };
    }
  }

  private boolLayer(n: SyntaxNode): PyNode {
    const tokens: BoolToken[] = [];
    const flatten = (node: SyntaxNode) => {
      if (!isBoolLayer(node, this.source)) {
        tokens.push({ node });
        return;
      }
      const parts = kids(node);
      if (node.name === "UnaryExpression") {
        tokens.push({ op: "not", at: node.from });
        for (const part of parts.slice(1)) flatten(part);
        return;
      }
      const [left, op, right] = parts;
      if (!left || !op || !right) refuseAt(node.from, "syntax error", "incomplete expression");
      flatten(left as SyntaxNode);
      tokens.push({ op: this.text(op as SyntaxNode) as "and" | "or", at: (op as SyntaxNode).from });
      flatten(right as SyntaxNode);
    };
    flatten(n);
    return new BoolParser(tokens, (node) => this.node(node), n.from).parse();
  }

  private call(n: SyntaxNode): PyNode {
    const [callee, argList] = kids(n);
    if (!callee || !argList) return refuseAt(n.from, "syntax error", "incomplete call");
    const func = this.node(callee);
    const tokens = kids(argList).filter((child) => child.name !== "(" && child.name !== ")");
    const groups: SyntaxNode[][] = [[]];
    for (const token of tokens) {
      if (token.name === ",") groups.push([]);
      else groups.at(-1)?.push(token);
    }
    const args: PyNode[] = [];
    const keywords: Keyword[] = [];
    for (const group of groups) {
      const [first, second] = group;
      if (!first) continue;
      if (first.name === "*" || first.name === "**") {
        return refuseAt(first.from, "argument unpacking", "*args and **kwargs are outside the subset");
      }
      if (second?.name === "AssignOp") {
        const value = group[2];
        if (!value || this.text(second) !== "=")
          return refuseAt(second.from, "syntax error", "bad keyword argument");
        keywords.push({ name: this.text(first), value: this.node(value), at: first.from });
      } else if (second?.name === "for") {
        const element = this.node(first);
        args.push({ t: "comp", kind: "gen", element, clauses: this.clauses(group.slice(1)), at: first.from });
      } else if (second) {
        return refuseAt(second.from, "syntax error", "unexpected token in the arguments");
      } else {
        args.push(this.node(first));
      }
    }
    return { t: "call", func, args, keywords, at: n.from };
  }

  private member(n: SyntaxNode): PyNode {
    const [objectNode, ...rest] = kids(n);
    if (!objectNode) return refuseAt(n.from, "syntax error", "incomplete expression");
    const object = this.node(objectNode);
    const [opener] = rest;
    if (opener?.name === ".") {
      const property = rest[1];
      if (!property) return refuseAt(n.from, "syntax error", "attribute name missing");
      return { t: "attr", object, name: this.text(property).normalize("NFKC"), at: property.from };
    }
    const inner = rest.filter((child) => child.name !== "[" && child.name !== "]");
    if (inner.some((child) => child.name === ",")) {
      return refuseAt(n.from, "subscript with a tuple", "x[a, b] is outside the subset");
    }
    if (!inner.some((child) => child.name === ":")) {
      const [index] = inner;
      if (!index) return refuseAt(n.from, "syntax error", "empty subscript");
      return { t: "index", object, index: this.node(index), at: n.from };
    }
    // a[lower:upper:step], any part may be missing
    const bounds: Array<PyNode | undefined> = [undefined];
    for (const child of inner) {
      if (child.name === ":") bounds.push(undefined);
      else bounds[bounds.length - 1] = this.node(child);
    }
    const [lower, upper, step] = bounds;
    return { t: "slice", object, lower, upper, step, at: n.from };
  }
}
