// Server-rendered charts: a line chart of one or more series over buckets, as inline SVG.
// Pure; every label goes through the html helper, so nothing in a chart runs as markup.
import { html, type SafeHtml } from './html';

export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 34 };

/** A line chart; `labels` are the x buckets (shown at most ~8 of them), series share the y axis. */
export function lineChart(title: string, labels: string[], series: ChartSeries[]): SafeHtml {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const top = niceCeiling(max);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const step = Math.max(1, Math.ceil(labels.length / 8));
  // Only whole-number ticks: a top of 5 gets 0, 5 and no 1.25.
  const gridLines = [0, 0.25, 0.5, 0.75, 1]
    .filter((f) => Number.isInteger(top * f))
    .map((f) => {
      const value = top * f;
      return html`<line
          x1="${PAD.left}"
          x2="${WIDTH - PAD.right}"
          y1="${y(value).toFixed(1)}"
          y2="${y(value).toFixed(1)}"
          stroke="#e5e7eb"
        /><text x="${PAD.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value}</text>`;
    });
  const xLabels = labels.map((label, i) =>
    i % step === 0 ? html`<text x="${x(i).toFixed(1)}" y="${HEIGHT - 12}" text-anchor="middle">${label}</text>` : null,
  );
  // One bucket has no line to draw: each series is a bar with its value, not a loose dot.
  const single = labels.length === 1;
  const barWidth = 28;
  const bars = single
    ? series.map((s, k) => {
        const left = PAD.left + plotW / 2 - (series.length * (barWidth + 6)) / 2 + k * (barWidth + 6);
        const value = s.values[0] ?? 0;
        return html`<rect
            x="${left.toFixed(1)}"
            y="${y(value).toFixed(1)}"
            width="${barWidth}"
            height="${(PAD.top + plotH - y(value)).toFixed(1)}"
            fill="${s.color}"
            ><title>${s.name} ${labels[0]}: ${value}</title></rect
          ><text x="${(left + barWidth / 2).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle">${value}</text>`;
      })
    : [];
  const lines = single
    ? []
    : series.map((s) => {
        const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
        const dots =
          s.values.length <= 60
            ? s.values.map(
                (v, i) =>
                  html`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"
                    ><title>${s.name} ${labels[i]}: ${v}</title></circle
                  >`,
              )
            : [];
        return html`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points}" />${dots}`;
      });
  const legend = series.map(
    (s) =>
      html`<span class="legend"
        ><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${s.color}" /></svg> ${s.name}</span
      >`,
  );
  return html`<figure class="chart">
    <figcaption>${title} ${legend}</figcaption>
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${title}" font-size="11" fill="#6b7280">
      ${gridLines}${xLabels}${lines}${bars}
    </svg>
  </figure>`;
}

/** 1, 2, 5 × 10^n at or above the value, so the axis reads in round numbers. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= value) return m * magnitude;
  return 10 * magnitude;
}

/**
 * A share (0–1) as a short horizontal bar beside a table row's figures. SVG attributes rather
 * than a `style` width: the admin pages' CSP allows no inline styles.
 */
export function shareBar(share: number, label: string): SafeHtml {
  const width = (Math.max(0, Math.min(1, Number.isFinite(share) ? share : 0)) * 100).toFixed(1);
  return html`<svg
    class="share-bar"
    width="120"
    height="10"
    viewBox="0 0 100 10"
    preserveAspectRatio="none"
    role="img"
    aria-label="${label}"
  >
    <rect width="100" height="10" rx="2" fill="#e5e7eb" />
    <rect width="${width}" height="10" rx="2" fill="#1d4ed8" />
  </svg>`;
}
