// Database ids and GraphQL node ids. Every kind of object draws from its own range, far from
// the small numbers issues and pull requests carry, so passing an issue number (or the id
// of the wrong kind of object) where GitHub wants a database id fails as it would there.

const BASES = {
  user: 10_000_000,
  bot: 140_000_000,
  app: 900_000,
  installation: 50_000_000,
  repo: 600_000_000,
  issue: 3_000_000_000,
  pull: 2_200_000_000,
  comment: 2_800_000_000,
  reaction: 300_000_000,
  label: 7_000_000_000,
  workflow: 120_000_000,
  run: 15_000_000_000,
  checkSuite: 35_000_000_000,
} as const;

export type IdKind = keyof typeof BASES;

const NODE_PREFIX: Record<IdKind, string> = {
  user: "U",
  bot: "BOT",
  app: "A",
  installation: "MDEy",
  repo: "R",
  issue: "I",
  pull: "PR",
  comment: "IC",
  reaction: "REA",
  label: "LA",
  workflow: "W",
  run: "WFR",
  checkSuite: "CS",
};

export class IdAllocator {
  private readonly next = new Map<IdKind, number>();

  allocate(kind: IdKind): number {
    const id = (this.next.get(kind) ?? BASES[kind]) + 1;
    this.next.set(kind, id);
    return id;
  }
}

export function nodeId(kind: IdKind, id: number | string): string {
  return `${NODE_PREFIX[kind]}_kw${Buffer.from(`${kind}:${id}`).toString("base64url")}`;
}

/** GitHub timestamps: ISO 8601, second precision, `Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
