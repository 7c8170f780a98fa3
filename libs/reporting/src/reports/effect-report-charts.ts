import { escapeHtml } from './effect-report-format';

/** Inline SVG charts for the printable effect report: this term against the previous one, month by month. Pure: data in, markup out. */

export interface MonthlyChart {
  readonly title: string;
  /** One label per month of term (index 0 = the first month). */
  readonly labels: readonly string[];
  readonly current: readonly (number | null)[];
  readonly previous: readonly (number | null)[];
  /** Axis and tooltip text of a value. */
  readonly format: (value: number) => string;
}

const WIDTH = 340;
const HEIGHT = 180;
const LEFT = 46;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 24;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const TICKS = 4;

/** The smallest 1, 2 or 5 × 10^k step that fits the maximum in TICKS steps. */
const niceStep = (max: number): number => {
  if (max <= 0) return 1;
  const raw = max / TICKS;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
};

const n = (value: number): string => String(Math.round(value * 10) / 10);

interface Frame {
  readonly slots: number;
  readonly top: number;
  readonly y: (value: number) => number;
  readonly slotX: (index: number) => number;
  readonly slotW: number;
}

const frameOf = (chart: MonthlyChart): Frame => {
  const slots = Math.max(chart.labels.length, 1);
  const values = [...chart.current, ...chart.previous].filter((value): value is number => value !== null);
  const top = niceStep(Math.max(0, ...values)) * TICKS;
  const slotW = PLOT_W / slots;
  return { slots, top, slotW, y: (value) => TOP + PLOT_H - (value / top) * PLOT_H, slotX: (index) => LEFT + index * slotW };
};

const axes = (chart: MonthlyChart, frame: Frame): string => {
  const grid = Array.from({ length: TICKS + 1 }, (_, i) => {
    const value = (frame.top / TICKS) * i;
    const y = n(frame.y(value));
    return `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}"/><text class="tick" x="${LEFT - 4}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(chart.format(value))}</text>`;
  });
  const every = Math.ceil(frame.slots / 12);
  const labels = chart.labels.map((label, i) =>
    i % every === 0 ? `<text class="tick" x="${n(frame.slotX(i) + frame.slotW / 2)}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(label)}</text>` : '',
  );
  return grid.join('') + labels.join('');
};

const open = (chart: MonthlyChart): string =>
  `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escapeHtml(chart.title)}" xmlns="http://www.w3.org/2000/svg">`;

const tooltip = (chart: MonthlyChart, index: number, which: string, value: number): string =>
  `<title>${escapeHtml(`${chart.labels[index] ?? ''} ${which}: ${chart.format(value)}`)}</title>`;

/** Side-by-side bars per month: previous term (grey) then this term (blue). */
export const barChart = (chart: MonthlyChart): string => {
  const frame = frameOf(chart);
  const barW = frame.slotW * 0.36;
  const bars = (values: readonly (number | null)[], offset: number, css: string, which: string) =>
    values
      .map((value, i) => {
        if (value === null) return '';
        const y = frame.y(value);
        const x = frame.slotX(i) + frame.slotW * 0.12 + offset;
        return `<rect class="${css}" x="${n(x)}" y="${n(y)}" width="${n(barW)}" height="${n(TOP + PLOT_H - y)}">${tooltip(chart, i, which, value)}</rect>`;
      })
      .join('');
  return `${open(chart)}${axes(chart, frame)}${bars(chart.previous, 0, 'previous', 'previous term')}${bars(chart.current, barW, 'current', 'this term')}</svg>`;
};

/** A line per term; a month without a value breaks the line. */
export const lineChart = (chart: MonthlyChart): string => {
  const frame = frameOf(chart);
  const line = (values: readonly (number | null)[], css: string, which: string) => {
    const segments: string[][] = [[]];
    const dots: string[] = [];
    values.forEach((value, i) => {
      if (value === null) {
        segments.push([]);
        return;
      }
      const x = n(frame.slotX(i) + frame.slotW / 2);
      const y = n(frame.y(value));
      segments[segments.length - 1]!.push(`${x},${y}`);
      dots.push(`<circle class="${css}" cx="${x}" cy="${y}" r="2.5">${tooltip(chart, i, which, value)}</circle>`);
    });
    const lines = segments.filter((points) => points.length > 1).map((points) => `<polyline class="${css}" fill="none" points="${points.join(' ')}"/>`);
    return lines.join('') + dots.join('');
  };
  return `${open(chart)}${axes(chart, frame)}${line(chart.previous, 'previous', 'previous term')}${line(chart.current, 'current', 'this term')}</svg>`;
};
