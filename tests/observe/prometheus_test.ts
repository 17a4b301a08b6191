import assert from "node:assert/strict";
import parsePrometheus from "npm:parse-prometheus-text-format@1.1.1";
import { Counter, exposition, Gauge, Histogram, MAX_SERIES } from "../../src/observe/prometheus.ts";

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }[];
}
const parse = (text: string) => parsePrometheus(text) as Family[];

Deno.test("prometheus: counters, gauges and histograms expose text a Prometheus parser reads back", () => {
  const c = new Counter("t_requests_total", "Requests.", ["route", "status"]);
  c.inc({ route: "ollama_chat", status: "200" });
  c.inc({ route: "ollama_chat", status: "200" }, 2);
  c.inc({ route: "other", status: "502" });
  const g = new Gauge("t_active", "Active.", () => 7);
  const h = new Histogram("t_seconds", "Time.", ["route"], [0.1, 1]);
  h.observe({ route: "a" }, 0.05);
  h.observe({ route: "a" }, 0.5);
  h.observe({ route: "a" }, 5);
  const families = parse(exposition([c, g, h]));
  assert.deepEqual(families.map((f) => [f.name, f.type]), [
    ["t_requests_total", "COUNTER"],
    ["t_active", "GAUGE"],
    ["t_seconds", "HISTOGRAM"],
  ]);
  assert.deepEqual(families[0]!.metrics, [
    { value: "3", labels: { route: "ollama_chat", status: "200" } },
    { value: "1", labels: { route: "other", status: "502" } },
  ]);
  assert.equal(families[1]!.metrics[0]!.value, "7");
  assert.deepEqual(families[2]!.metrics[0]!.buckets, { "0.1": "1", "1": "2", "+Inf": "3" });
});

Deno.test("prometheus: label values with quotes, backslashes and newlines are escaped", () => {
  const c = new Counter("t_total", "Help with \\ and\nnewline.", ["model"]);
  c.inc({ model: 'a"b\\c\nd' });
  const text = exposition([c]);
  assert.match(text, /t_total\{model="a\\"b\\\\c\\nd"\} 1/);
  assert.equal(parse(text)[0]!.metrics[0]!.labels!.model, 'a"b\\c\nd');
});

Deno.test("prometheus: past the series bound, new label sets share one 'other' series (bounded memory)", () => {
  const c = new Counter("t_total", "x", ["model"]);
  for (let i = 0; i < MAX_SERIES + 100; i++) c.inc({ model: `m${i}` });
  const metrics = parse(exposition([c]))[0]!.metrics;
  assert.equal(metrics.length, MAX_SERIES + 1);
  assert.equal(metrics.at(-1)!.labels!.model, "other");
  assert.equal(metrics.at(-1)!.value, "100");
});
