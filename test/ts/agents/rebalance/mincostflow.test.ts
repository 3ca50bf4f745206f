/**
 * The flow solver on a transportation problem where the greedy "cheapest edge first" answer is wrong.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { FlowNetwork } from "../../../../agents/liquidity/rebalance/mincostflow.js";
import { near } from "./fixture.js";

describe("min-cost flow", () => {
  it("beats cheapest-edge-first on a two-by-two transportation problem", () => {
    // Sources P1, P2 with 100 each; sinks X, W need 100 each. Cost per unit:
    //   P1→X 1, P1→W 2, P2→X 3, P2→W 10.
    // Greedy takes P1→X (1) first and is then forced into P2→W (10): 100 + 1,000 = 1,100.
    // Optimal: P1→W (2) + P2→X (3) = 200 + 300 = 500.
    const net = new FlowNetwork();
    const [S, T, P1, P2, X, W] = ["S", "T", "P1", "P2", "X", "W"].map((n) => net.node(n)) as [number, number, number, number, number, number];
    net.edge(S, P1, 100, 0);
    net.edge(S, P2, 100, 0);
    const p1x = net.edge(P1, X, Infinity, 1);
    const p1w = net.edge(P1, W, Infinity, 2);
    const p2x = net.edge(P2, X, Infinity, 3);
    const p2w = net.edge(P2, W, Infinity, 10);
    net.edge(X, T, 100, 0);
    net.edge(W, T, 100, 0);
    const { flow, cost } = net.solve(S, T);
    assert.equal(flow, 200);
    assert.equal(cost, 500);
    assert.deepEqual([p1x, p1w, p2x, p2w].map((e) => net.flowOn(e)), [0, 100, 100, 0]);
    const paths = net.paths(S, T);
    assert.equal(paths.reduce((s, p) => s + p.amount, 0), 200);
  });

  it("uses convex segments cheapest first and stops at capacity", () => {
    // Need 150 through two segments: 100 at cost 1, then 100 at cost 4 → 100 + 50·4 = 300.
    const net = new FlowNetwork();
    const [S, A, T] = ["S", "A", "T"].map((n) => net.node(n)) as [number, number, number];
    net.edge(S, A, 100, 4); // added first on purpose: the order of edges must not matter
    net.edge(S, A, 100, 1);
    net.edge(A, T, 150, 0);
    const { flow, cost } = net.solve(S, T);
    assert.equal(flow, 150);
    assert.ok(near(cost, 300));
  });

  it("refuses negative costs", () => {
    const net = new FlowNetwork();
    assert.throws(() => net.edge(net.node("a"), net.node("b"), 1, -1), /edge cost must be a finite number ≥ 0/);
  });
});
