/**
 * Which methods a path answers, for 405 + Allow: Elysia's router only says "no route" for a known
 * path with the wrong method. Built once, lazily, from the app's own route list (so a route added
 * anywhere is covered), each template turned into a regular expression (`:id` is one segment).
 */
export interface RouteEntry {
  method: string;
  path: string;
}

export function allowedMethodsFinder(routes: () => readonly RouteEntry[]) {
  let table: Array<{ pattern: RegExp; method: string }> | undefined;
  return (path: string): string[] => {
    table ??= routes()
      .filter((r) => r.method !== "ALL" && r.method !== "WS")
      .map((r) => ({ pattern: templatePattern(r.path), method: r.method }));
    const normalised = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
    const methods = new Set(table.filter((r) => r.pattern.test(normalised)).map((r) => r.method));
    // Bun answers HEAD for every GET route.
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}

function templatePattern(template: string): RegExp {
  const trimmed = template.length > 1 && template.endsWith("/") ? template.slice(0, -1) : template;
  const source = trimmed
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".*";
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source || "/"}$`);
}
