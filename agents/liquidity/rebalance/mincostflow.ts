/**
 * Min-cost max-flow by successive shortest paths (Bellman-Ford on the residual graph), for the small
 * networks the planner builds (tens of nodes). Capacities and costs are real numbers (dollars).
 *
 * Why this and not a greedy pass: with several pools short at once, "give each pool its cheapest
 * source" can hand a shared cheap source to a pool that had another option and leave a pool that had
 * no other option short. Successive shortest paths re-routes earlier flow through residual edges, so
 * the result is a min-cost flow among all maximum flows (the textbook optimality: no negative-cost
 * cycle in the residual graph). Convex costs enter as parallel edges of increasing cost.
 */

const EPS = 1e-9;

interface Edge {
  from: number;
  to: number;
  capacity: number;
  cost: number;
  flow: number;
  /** Index of the reverse edge in `edges`. */
  reverse: number;
}

export interface FlowPath {
  /** Forward edge ids (as returned by addEdge) from source to sink. */
  edges: number[];
  amount: number;
}

export class FlowNetwork {
  private readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  private readonly edges: Edge[] = [];
  private readonly adjacency: number[][] = [];

  node(name: string): number {
    const existing = this.byName.get(name);
    if (existing !== undefined) return existing;
    const id = this.names.length;
    this.names.push(name);
    this.byName.set(name, id);
    this.adjacency.push([]);
    return id;
  }

  nameOf(node: number): string {
    return this.names[node]!;
  }

  /** Adds an edge; returns its id. Zero or negative capacities are allowed and simply carry nothing. */
  edge(from: number, to: number, capacity: number, cost: number): number {
    if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`edge cost must be a finite number ≥ 0, got ${cost}`);
    const id = this.edges.length;
    this.edges.push({ from, to, capacity: Math.max(0, capacity), cost, flow: 0, reverse: id + 1 });
    this.edges.push({ from: to, to: from, capacity: 0, cost: -cost, flow: 0, reverse: id });
    this.adjacency[from]!.push(id);
    this.adjacency[to]!.push(id + 1);
    return id;
  }

  flowOn(edgeId: number): number {
    return this.edges[edgeId]!.flow;
  }

  endpoints(edgeId: number): { from: number; to: number; cost: number } {
    const e = this.edges[edgeId]!;
    return { from: e.from, to: e.to, cost: e.cost };
  }

  /** Pushes as much flow as possible from `source` to `sink` at least total cost. */
  solve(source: number, sink: number): { flow: number; cost: number } {
    let totalFlow = 0;
    let totalCost = 0;
    const n = this.names.length;
    for (;;) {
      const distance = new Array<number>(n).fill(Infinity);
      const via = new Array<number>(n).fill(-1);
      distance[source] = 0;
      // Bellman-Ford: residual costs can be negative (reverse edges), never in a cycle.
      for (let round = 0; round < n; round++) {
        let changed = false;
        for (let id = 0; id < this.edges.length; id++) {
          const e = this.edges[id]!;
          if (e.capacity - e.flow <= EPS || distance[e.from] === Infinity) continue;
          const d = distance[e.from]! + e.cost;
          if (d < distance[e.to]! - 1e-15) {
            distance[e.to] = d;
            via[e.to] = id;
            changed = true;
          }
        }
        if (!changed) break;
      }
      if (distance[sink] === Infinity) break;
      let push = Infinity;
      for (let v = sink; v !== source; v = this.edges[via[v]!]!.from) {
        const e = this.edges[via[v]!]!;
        push = Math.min(push, e.capacity - e.flow);
      }
      if (push <= EPS) break;
      for (let v = sink; v !== source; v = this.edges[via[v]!]!.from) {
        const e = this.edges[via[v]!]!;
        e.flow += push;
        this.edges[e.reverse]!.flow -= push;
      }
      totalFlow += push;
      totalCost += push * distance[sink]!;
    }
    return { flow: totalFlow, cost: totalCost };
  }

  /** Splits the solved flow into source-to-sink paths over forward edges (a flow decomposition). */
  paths(source: number, sink: number): FlowPath[] {
    const remaining = this.edges.map((e, id) => (id % 2 === 0 ? Math.max(0, e.flow) : 0));
    const result: FlowPath[] = [];
    for (;;) {
      const path = this.findPath(source, sink, remaining);
      if (!path) break;
      const amount = Math.min(...path.map((id) => remaining[id]!));
      if (amount <= EPS) break;
      for (const id of path) remaining[id] = remaining[id]! - amount;
      result.push({ edges: path, amount });
    }
    return result;
  }

  private findPath(source: number, sink: number, remaining: number[]): number[] | undefined {
    const seen = new Set<number>([source]);
    const stack: { node: number; path: number[] }[] = [{ node: source, path: [] }];
    while (stack.length > 0) {
      const { node, path } = stack.pop()!;
      if (node === sink) return path;
      // Reverse order so that the first-added edge is explored first: deterministic, readable paths.
      const out = this.adjacency[node]!.filter((id) => id % 2 === 0 && remaining[id]! > EPS);
      for (let k = out.length - 1; k >= 0; k--) {
        const id = out[k]!;
        const next = this.edges[id]!.to;
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push({ node: next, path: [...path, id] });
      }
    }
    return undefined;
  }
}
