/** Cycles in the graph of rules referring to rules, reported with the cycle spelled out. */

/**
 * The first cycle through `self` when `self` refers to `refs` and every other rule refers to
 * what `dependencies` says, e.g. ["a", "b", "a"]; undefined when there is none.
 */
export function findCycleThrough(
  self: string,
  refs: Iterable<string>,
  dependencies: ReadonlyMap<string, readonly string[]>,
): string[] | undefined {
  const visited = new Set<string>();
  const path: string[] = [self];
  const walk = (name: string): boolean => {
    path.push(name);
    if (name === self) return true;
    if (!visited.has(name)) {
      visited.add(name);
      for (const next of dependencies.get(name) ?? []) if (walk(next)) return true;
    }
    path.pop();
    return false;
  };
  for (const ref of refs) if (walk(ref)) return path;
  return undefined;
}

/** Every cycle-member set in a whole rule set (strongly connected components of size > 1 or self-loops). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative so a long chain of rules cannot overflow the stack.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  for (const start of graph.keys()) {
    if (indexOf.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    indexOf.set(start, index);
    low.set(start, index);
    index += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (!frame) break;
      const edges = (graph.get(frame.node) ?? []).filter((n) => graph.has(n));
      if (frame.next < edges.length) {
        const to = edges[frame.next] as string;
        frame.next += 1;
        if (!indexOf.has(to)) {
          indexOf.set(to, index);
          low.set(to, index);
          index += 1;
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, indexOf.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === indexOf.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}

/** "a → b → a" for a cycle's members, following the graph from the first member. */
export function describeCycle(
  members: readonly string[],
  graph: ReadonlyMap<string, readonly string[]>,
): string {
  const first = members[0];
  if (first === undefined) return "";
  const inCycle = new Set(members);
  const path = findCycleThrough(
    first,
    (graph.get(first) ?? []).filter((n) => inCycle.has(n)),
    new Map([...graph].map(([k, v]) => [k, v.filter((n) => inCycle.has(n))])),
  );
  return (path ?? [first, first]).join(" → ");
}
