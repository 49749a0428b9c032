// The computation graph of mean((w·x + b − y)²), read from the gradFn links autograd records.
import { Node } from "@x/autograd";
import type { Tensor } from "@x/tensor";

export interface GraphNode {
  id: number;
  tensor: Tensor;
  /** The gradFn name (`MulBackward0`), or null for a leaf. */
  op: string | null;
  /** Ids of the inputs the op read, in order. */
  inputs: number[];
  /** Layout: row from the top (inputs first) and column. */
  row: number;
  col: number;
}

/**
 * Walks back from `output` through each tensor's `gradFn` (an autograd `Node`) and its recorded
 * inputs, and lays the graph out in rows: an op one row below its deepest input, a leaf one row
 * above its first consumer.
 */
export function traceGraph(output: Tensor): GraphNode[] {
  const nodes = new Map<Tensor, GraphNode>();
  const visit = (t: Tensor): GraphNode => {
    const known = nodes.get(t);
    if (known) return known;
    const fn = t.gradFn instanceof Node ? t.gradFn : null;
    const node: GraphNode = {
      id: nodes.size,
      tensor: t,
      op: fn?.name ?? null,
      inputs: [],
      row: 0,
      col: 0,
    };
    nodes.set(t, node);
    node.inputs = (fn?.inputs ?? []).map((input) => visit(input).id);
    return node;
  };
  visit(output);
  const list = [...nodes.values()];
  const byId = (id: number) => list[id] as GraphNode;
  const depth = new Map<number, number>();
  const depthOf = (n: GraphNode): number => {
    if (!depth.has(n.id)) {
      depth.set(
        n.id,
        n.op === null ? 0 : 1 + Math.max(0, ...n.inputs.map((i) => depthOf(byId(i)))),
      );
    }
    return depth.get(n.id) as number;
  };
  for (const n of list) if (n.op !== null) n.row = depthOf(n);
  // Leaves sit just above the first op that reads them.
  for (const n of list) {
    if (n.op !== null) continue;
    const consumers = list.filter((c) => c.inputs.includes(n.id)).map((c) => c.row);
    n.row = Math.max(0, Math.min(...consumers) - 1);
  }
  // Columns: ops first, then leaves in the order their consumers read them.
  const rows = new Map<number, GraphNode[]>();
  const readOrder = list.flatMap((c) => c.inputs);
  const ordered = [
    ...list.filter((n) => n.op !== null),
    ...list
      .filter((n) => n.op === null)
      .sort((x, y) => readOrder.indexOf(x.id) - readOrder.indexOf(y.id)),
  ];
  for (const n of ordered) {
    const row = rows.get(n.row) ?? [];
    n.col = row.length;
    row.push(n);
    rows.set(n.row, row);
  }
  return list;
}
