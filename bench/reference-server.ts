/**
 * The references of `bun run bench`, each a bare Bun.serve answering every request with the same
 * answer bytes the service gave:
 *   static    nothing else (the ceiling of this HTTP stack on this box)
 *   old-way   the old portal's request: the employee's evidence from memory, then every rule
 *             compiled (`new Function`) and run, on every request
 *   per-rule  the old team's fix: rules compiled once, each run as its own function per request
 * The rules are the benchmark's realistic mix (test/support/rule-fixtures.ts), the evidence
 * generated employees held in memory (warm, like the service's cache in the warm scenario).
 *
 *   bun run bench/reference-server.ts <static|old-way|per-rule> <port> <answer file> [rules]
 */
import { readFileSync } from "node:fs";
import { compileRuleset } from "../src/rules/index.ts";
import { generateEmployees, generateRules } from "../test/support/rule-fixtures.ts";
import { plainRules } from "./plain-rules.ts";

const [mode = "static", port = "0", answerFile = "", count = "100"] = process.argv.slice(2);
const answer = readFileSync(answerFile);
const headers = { "content-type": "application/json" };

let respond: (token: string) => Response = () => new Response(answer, { headers });
if (mode !== "static") {
  const rules = generateRules(Number(count));
  const plain = plainRules(compileRuleset(rules), rules);
  const employees = generateEmployees(1000);
  const evidenceOf = (token: string) => employees[Number(token.slice(7)) % employees.length];
  const cached = plain.compile();
  respond = (token) => {
    const evidence = evidenceOf(token);
    if (!evidence) return new Response("no such employee", { status: 404 });
    plain.evaluate(mode === "old-way" ? plain.compile() : cached, evidence);
    return new Response(answer, { headers });
  };
}

const server = Bun.serve({
  port: Number(port),
  reusePort: false,
  fetch: (request) => respond(request.headers.get("authorization") ?? ""),
});
console.log(`ready ${server.port}`);
