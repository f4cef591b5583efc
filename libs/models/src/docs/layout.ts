/**
 * A small layered layout for the lineage DAG (pure): each node's layer is
 * the longest path from a root, nodes in a layer are ordered by the mean
 * position of their parents (one barycentre sweep), then spaced evenly.
 */
export interface LayoutInput {
  readonly ids: readonly string[];
  /** [parent, child] pairs; both ends must be in `ids`. */
  readonly edges: readonly (readonly [string, string])[];
}

export interface Placed {
  readonly id: string;
  readonly layer: number;
  readonly row: number;
  readonly x: number;
  readonly y: number;
}

export interface Layout {
  readonly nodes: ReadonlyMap<string, Placed>;
  readonly width: number;
  readonly height: number;
}

export const BOX = { width: 190, height: 40, gapX: 80, gapY: 24, margin: 20 } as const;

export function layoutDag(input: LayoutInput): Layout {
  const parents = new Map<string, string[]>(input.ids.map((id) => [id, []]));
  for (const [p, c] of input.edges) if (parents.has(p) && parents.has(c)) parents.get(c)?.push(p);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle (refused by the graph already): break it
    visiting.add(id);
    const d = Math.max(-1, ...(parents.get(id) ?? []).map(depth)) + 1;
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  input.ids.forEach(depth);
  const layers: string[][] = [];
  for (const id of [...input.ids].sort()) (layers[layer.get(id) ?? 0] ??= []).push(id);
  const row = new Map<string, number>();
  layers.forEach((ids, l) => {
    if (l > 0) {
      const score = (id: string): number => {
        const ps = parents.get(id) ?? [];
        return ps.length === 0 ? Infinity : ps.reduce((s, p) => s + (row.get(p) ?? 0), 0) / ps.length;
      };
      ids.sort((a, b) => score(a) - score(b) || a.localeCompare(b));
    }
    ids.forEach((id, i) => row.set(id, i));
  });
  const tallest = Math.max(1, ...layers.map((l) => l?.length ?? 0));
  const height = BOX.margin * 2 + tallest * BOX.height + (tallest - 1) * BOX.gapY;
  const nodes = new Map<string, Placed>();
  layers.forEach((ids, l) => {
    const span = ids.length * BOX.height + (ids.length - 1) * BOX.gapY;
    const top = (height - span) / 2;
    ids.forEach((id, i) => nodes.set(id, { id, layer: l, row: i, x: BOX.margin + l * (BOX.width + BOX.gapX), y: top + i * (BOX.height + BOX.gapY) }));
  });
  const width = BOX.margin * 2 + Math.max(1, layers.length) * BOX.width + Math.max(0, layers.length - 1) * BOX.gapX;
  return { nodes, width, height };
}
