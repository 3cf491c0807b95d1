/** Prometheus text exposition format (version 0.0.4) of a list of metric families. */

/** One sample of a family; `suffix` names the `_sum`/`_count` series of a summary. */
export interface Sample {
  readonly value: number;
  readonly labels?: Readonly<Record<string, string | number>>;
  readonly suffix?: "_sum" | "_count";
}

/** A metric family: name, help text, type and samples. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "summary";
  readonly samples: readonly Sample[];
}

/** Content type of the exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

/**
 * Render families as Prometheus text.
 * @throws {RangeError} on a metric or label name that Prometheus does not accept.
 */
export function renderPrometheus(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(f.name)) throw new RangeError(`invalid metric name ${f.name}`);
    out.push(`# HELP ${f.name} ${f.help.replace(/\n/g, " ")}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      for (const [k] of labels) if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) throw new RangeError(`invalid label name ${k}`);
      const l = labels.length === 0 ? "" : `{${labels.map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(",")}}`;
      out.push(`${f.name}${s.suffix ?? ""}${l} ${formatValue(s.value)}`);
    }
  }
  return `${out.join("\n")}\n`;
}
