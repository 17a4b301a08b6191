/**
 * A small Prometheus registry: counters, gauges and histograms with labels, written in the text
 * exposition format (version 0.0.4). Label sets per metric are bounded: past the bound new ones
 * are counted under `other` values, so a client cannot grow memory by sending new model names.
 * @module
 */

/** Label values by label name. */
export type Labels = Readonly<Record<string, string>>;

/** Most distinct label sets one metric keeps; further ones share one `other` series. */
export const MAX_SERIES = 500;

/** The content type of the exposition format. */
export const EXPOSITION_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
}

function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function labelText(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return "";
  return "{" + names.map((n, i) => `${n}="${escapeLabel(values[i] ?? "")}"`).join(",") + "}";
}

function number(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

abstract class Metric<S> {
  #series = new Map<string, { values: string[]; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected abstract fresh(): S;
  abstract readonly type: "counter" | "gauge" | "histogram";
  protected abstract lines(prefix: string, labels: string, state: S): string[];

  protected series(labels: Labels): S {
    let values = this.labelNames.map((n) => labels[n] ?? "");
    let key = values.join("\u0000");
    let entry = this.#series.get(key);
    if (entry === undefined && this.#series.size >= MAX_SERIES) {
      values = this.labelNames.map(() => "other");
      key = values.join("\u0000");
      entry = this.#series.get(key);
    }
    if (entry === undefined) {
      entry = { values, state: this.fresh() };
      this.#series.set(key, entry);
    }
    return entry.state;
  }

  /** The metric in the exposition format (HELP, TYPE, one line per sample). */
  expose(): string {
    const out = [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
    for (const { values, state } of this.#series.values()) {
      out.push(...this.lines(this.name, labelText(this.labelNames, values), state));
    }
    return out.join("\n") + "\n";
  }
}

/**
 * A counter (only goes up).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = new Counter("hotpatch_x_total", "Things.", ["kind"]);
 * c.inc({ kind: "a" });
 * assert.match(c.expose(), /^hotpatch_x_total\{kind="a"\} 1$/m);
 * ```
 */
export class Counter extends Metric<{ value: number }> {
  readonly type = "counter";
  protected fresh() {
    return { value: 0 };
  }
  /** Adds `n` (default 1) to the series of `labels`. */
  inc(labels: Labels = {}, n = 1): void {
    this.series(labels).value += n;
  }
  protected lines(name: string, labels: string, s: { value: number }): string[] {
    return [`${name}${labels} ${number(s.value)}`];
  }
}

/**
 * A value read when the metrics are exposed: a gauge, or a counter kept elsewhere.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const live = { active: 3 };
 * const g = new Gauge("hotpatch_active_streams", "Streams open.", () => live.active);
 * assert.match(g.expose(), /^hotpatch_active_streams 3$/m);
 * ```
 */
export class Gauge extends Metric<null> {
  readonly type: "gauge" | "counter";
  constructor(
    name: string,
    help: string,
    readonly read: () => number,
    type: "gauge" | "counter" = "gauge",
  ) {
    super(name, help, []);
    this.type = type;
    this.series({});
  }
  protected fresh() {
    return null;
  }
  protected lines(name: string): string[] {
    return [`${name} ${number(this.read())}`];
  }
}

interface Buckets {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * A histogram with fixed upper bounds (in the metric's unit, e.g. seconds).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const h = new Histogram("hotpatch_request_duration_seconds", "Time.", ["route"], [0.1, 1, 10]);
 * h.observe({ route: "ollama_chat" }, 0.42);
 * assert.match(
 *   h.expose(),
 *   /^hotpatch_request_duration_seconds_bucket\{route="ollama_chat",le="1"\} 1$/m,
 * );
 * ```
 */
export class Histogram extends Metric<Buckets> {
  readonly type = "histogram";
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly bounds: readonly number[],
  ) {
    super(name, help, labelNames);
  }
  protected fresh(): Buckets {
    return { counts: this.bounds.map(() => 0), sum: 0, count: 0 };
  }
  /** Records one value. */
  observe(labels: Labels, value: number): void {
    const s = this.series(labels);
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]!) s.counts[i]!++;
    }
    s.sum += value;
    s.count++;
  }
  protected lines(name: string, labels: string, s: Buckets): string[] {
    const le = (bound: string) =>
      labels === "" ? `{le="${bound}"}` : `${labels.slice(0, -1)},le="${bound}"}`;
    const out = this.bounds.map((b, i) => `${name}_bucket${le(number(b))} ${s.counts[i]}`);
    out.push(`${name}_bucket${le("+Inf")} ${s.count}`);
    out.push(`${name}_sum${labels} ${number(s.sum)}`, `${name}_count${labels} ${s.count}`);
    return out;
  }
}

/**
 * All metrics of a registry in the exposition format.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const counter = new Counter("hotpatch_x_total", "Things.", []);
 * const gauge = new Gauge("hotpatch_y", "Level.", () => 2);
 * counter.inc();
 * assert.match(
 *   exposition([counter, gauge]),
 *   /^# TYPE hotpatch_x_total counter\n.*\n# HELP hotpatch_y/m,
 * );
 * ```
 */
export function exposition(metrics: readonly { expose(): string }[]): string {
  return metrics.map((m) => m.expose()).join("");
}
