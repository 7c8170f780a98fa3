import type { VisitChannel } from '#customer';
import { barChart, lineChart, type MonthlyChart } from './effect-report-charts';
import type { FigureKey, MonthPoint } from './effect-report-figures';
import { escapeHtml as esc, formatCny, formatCount, formatFen, formatPercent, signed } from './effect-report-format';
import { FIGURE_LABELS, formatFigure, showsSpend, type ComparedFigure, type EffectReport } from './effect-report';

/**
 * The effect report as one self-contained printable A4 page (服务效果统计文档, "speak with documents"): inline CSS
 * with print rules, inline SVG charts, no scripts, no external assets. Every text that comes from data is escaped.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Lower is better for these: a fall is shown as good news. */
const LOWER_IS_BETTER: ReadonlySet<FigureKey> = new Set(['cpc']);

const FONTS = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

const CSS = `
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef0f3; color: #1b1f24; font: 10.5pt/1.45 ${FONTS}; }
main { max-width: 210mm; margin: 8mm auto; background: #fff; padding: 12mm 13mm; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
header { border-bottom: 2px solid #1f6feb; padding-bottom: 3mm; margin-bottom: 4mm; }
h1 { font-size: 17pt; margin: 0; }
h1 small { font-size: 10pt; color: #57606a; font-weight: normal; margin-left: 2mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; color: #0b3d91; }
.company { font-size: 14pt; font-weight: 600; margin: 1mm 0 2mm; }
dl.meta { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 0.5mm 4mm; margin: 0; }
dl.meta dt { color: #57606a; }
dl.meta dd { margin: 0; }
.headline { background: #f0f6ff; border-left: 4px solid #1f6feb; padding: 2mm 4mm; margin: 0 0 3mm; }
.headline ul { margin: 1mm 0; padding-left: 5mm; }
.headline li { font-size: 11pt; }
.note { color: #57606a; font-size: 9pt; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm 6mm; }
figure { margin: 0; }
figcaption { font-weight: 600; font-size: 9.5pt; }
.legend { font-size: 8.5pt; color: #57606a; }
.swatch { display: inline-block; width: 3mm; height: 3mm; vertical-align: middle; margin: 0 1mm 0 2mm; }
svg.chart { display: block; }
svg .grid { stroke: #d8dee4; stroke-width: 0.6; }
svg .tick { font-size: 8px; fill: #57606a; font-family: ${FONTS}; }
svg rect.current, .swatch.current { fill: #1f6feb; background: #1f6feb; }
svg rect.previous, .swatch.previous { fill: #afb8c1; background: #afb8c1; }
svg polyline.current { stroke: #1f6feb; stroke-width: 2; }
svg polyline.previous { stroke: #afb8c1; stroke-width: 2; stroke-dasharray: 4 2; }
svg circle.current { fill: #1f6feb; }
svg circle.previous { fill: #afb8c1; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
th, td { padding: 1mm 2mm; border-bottom: 1px solid #d8dee4; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.sub { padding-left: 6mm; color: #57606a; }
thead th { background: #f6f8fa; font-weight: 600; }
td.good { color: #1a7f37; }
td.bad { color: #cf222e; }
footer { margin-top: 5mm; color: #57606a; font-size: 8.5pt; border-top: 1px solid #d8dee4; padding-top: 2mm; }
@media print {
  body { background: none; }
  main { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  section, figure, table, .headline { break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;

interface Row {
  readonly label: string;
  readonly figure: ComparedFigure;
  readonly format: (value: number | null) => string;
  readonly lowerIsBetter?: boolean;
  /** A breakdown line of the row above. */
  readonly sub?: boolean;
}

const rowOf = (report: EffectReport, key: FigureKey): Row => ({
  label: FIGURE_LABELS[key],
  figure: report.figures[key],
  format: (value) => formatFigure(key, value),
  lowerIsBetter: LOWER_IS_BETTER.has(key),
});

const changeClass = (row: Row, change: number | null): string => {
  if (change === null || change === 0) return '';
  return change > 0 !== Boolean(row.lowerIsBetter) ? ' class="good"' : ' class="bad"';
};

const table = (report: EffectReport, title: string, rows: readonly Row[]): string => {
  const previous = report.previousTerm;
  const head =
    report.basis === 'none'
      ? '<th>Figure</th><th>This term</th>'
      : report.basis === 'same_days'
        ? `<th>Figure</th><th>This term<br>(${report.term.counted.days} days)</th><th>Previous term<br>(first ${previous!.compared.days} days)</th><th>Change</th><th>Change %</th><th>Previous term<br>(whole)</th>`
        : '<th>Figure</th><th>This term</th><th>Previous term</th><th>Change</th><th>Change %</th>';
  const body = rows.map((row) => {
    const { current, previous: before, change, changePercent, previousTerm } = row.figure;
    const cells = [`<td${row.sub ? ' class="sub"' : ''}>${esc(row.label)}</td>`, `<td>${esc(row.format(current))}</td>`];
    if (report.basis !== 'none') {
      cells.push(
        `<td>${esc(row.format(before))}</td>`,
        `<td${changeClass(row, change)}>${esc(change === null ? '—' : signed(row.format(change), change))}</td>`,
        `<td${changeClass(row, changePercent)}>${esc(formatPercent(changePercent))}</td>`,
      );
    }
    if (report.basis === 'same_days') cells.push(`<td>${esc(row.format(previousTerm))}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<section><h2>${esc(title)}</h2><table><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
};

const CHANNEL_LABELS: Readonly<Record<VisitChannel, string>> = { phone: 'by phone', onsite: 'on site', email: 'by e-mail', sms: 'by SMS', chat: 'by chat', meeting: 'in meetings' };

const serviceRows = (report: EffectReport): Row[] => [
  rowOf(report, 'visits'),
  ...report.visitsByChannel
    .filter((channel) => channel.current !== 0 || (channel.previousTerm ?? 0) !== 0)
    .map((channel) => ({ label: CHANNEL_LABELS[channel.channel], figure: channel, format: formatCount, sub: true })),
  rowOf(report, 'contacts'),
  { label: 'Supervisor verification visits (level 2)', figure: report.visitsByLevel.find((level) => level.level === 2)!, format: formatCount },
  rowOf(report, 'issuesRaised'),
  rowOf(report, 'issuesResolved'),
  rowOf(report, 'issuesCommunicated'),
  rowOf(report, 'buyerIntroductions'),
  rowOf(report, 'renewalReminders'),
];

const monthLabel = (point: MonthPoint | undefined): string => (point ? MONTHS[Number(point.month.slice(5, 7)) - 1]! : '');

const charts = (report: EffectReport, withSpend: boolean): string => {
  const { current, previous } = report.months;
  const slots = Math.max(current.length, previous.length);
  const labels = Array.from({ length: slots }, (_, i) => monthLabel(current[i] ?? previous[i]));
  const series = (pick: (point: MonthPoint) => number | null) => ({ current: current.map(pick), previous: previous.map(pick) });
  const figure = (chart: MonthlyChart, draw: (chart: MonthlyChart) => string): string => `<figure><figcaption>${esc(chart.title)}</figcaption>${draw(chart)}</figure>`;
  const all = [
    figure({ title: 'Inquiries received per month', labels, ...series((p) => p.inquiriesReceived), format: formatCount }, barChart),
    figure({ title: 'Logins per month', labels, ...series((p) => p.logins), format: formatCount }, barChart),
  ];
  if (withSpend) {
    all.push(
      figure({ title: 'Spend per month (CNY)', labels, ...series((p) => p.spendFen), format: (fen) => formatCount(Math.round(fen / 100)) }, barChart),
      figure({ title: 'Average cost per click per month (CNY)', labels, ...series((p) => p.cpc), format: formatCny }, lineChart),
    );
  }
  const legend =
    `<p class="legend"><span class="swatch current"></span>This term (term ${report.term.number})` +
    (report.previousTerm ? `<span class="swatch previous"></span>Previous term (term ${report.previousTerm.number}, whole)` : '') +
    (report.term.complete ? '' : ` · the last month of this term counts up to ${esc(report.term.counted.to)}`) +
    '</p>';
  return `<section><h2>Month by month</h2>${legend}<div class="charts">${all.join('')}</div></section>`;
};

const monthlyTable = (report: EffectReport, withSpend: boolean): string => {
  const head = ['Month', 'Days', 'Logins', 'Inquiries', ...(withSpend ? ['Spend (CNY)', 'Clicks', 'CPC (CNY)'] : [])];
  const rows = report.months.current.map((p) => {
    const cells = [p.month, formatCount(p.days), formatCount(p.logins), formatCount(p.inquiriesReceived), ...(withSpend ? [formatFen(p.spendFen), formatCount(p.clicks), formatCny(p.cpc)] : [])];
    return `<tr>${cells.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`;
  });
  return `<section><h2>This term by month</h2><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
};

const termLine = (report: EffectReport): string => {
  const { term } = report;
  const span = `Term ${term.number}: ${term.start} – ${term.end}`;
  return term.complete ? `${span} (${term.days} days, ended)` : `${span} (running: ${term.counted.days} of ${term.days} days counted, up to ${term.counted.to})`;
};

/** The printable page of an effect report. */
export const effectReportHtml = (report: EffectReport): string => {
  const withSpend = showsSpend(report.product, report.figures);
  const rep = report.serviceRep ? `${report.serviceRep.name} (${report.serviceRep.id})` : '—';
  const meta: [string, string][] = [
    ['Customer', report.customerId],
    ['Industry', report.industry],
    ['Product', report.product === 'bidding' ? 'bidding (ad spend)' : 'membership'],
    ['Grade', `${report.grade}${report.keyAccount ? ' · key account' : ''}`],
    ['Term', termLine(report)],
    ['Service rep', rep],
    ['Prepared for', report.asOf],
    ['Compared with', report.previousTerm ? `term ${report.previousTerm.number}: ${report.previousTerm.start} – ${report.previousTerm.end}` : 'no previous term'],
  ];
  const sections = [
    table(report, 'Platform usage', (['logins', 'shopViews', 'adClicks', 'inquiriesReceived'] as const).map((key) => rowOf(report, key))),
    table(report, 'Results the customer reported in visits', (['reportedCalls', 'reportedInquiries', 'reportedDeals'] as const).map((key) => rowOf(report, key))),
    ...(withSpend
      ? [table(report, 'Bidding', (['spendFen', 'clicks', 'cpc', 'keywordsAtStart', 'keywordsAtEnd', 'keywordsAverage'] as const).map((key) => rowOf(report, key)))]
      : []),
    table(report, 'Service we gave', serviceRows(report)),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Service effect report · ${report.companyName} · term ${report.term.number}`)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>Service effect report<small>服务效果统计</small></h1>
<div class="company">${esc(report.companyName)}</div>
<dl class="meta">${meta.map(([label, value]) => `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`).join('')}</dl>
</header>
<section class="headline"><h2>In short</h2><ul>${report.headline.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>
<p class="note">${esc(report.comparisonNote)}</p></section>
${charts(report, withSpend)}
${sections.join('\n')}
${monthlyTable(report, withSpend)}
<footer>Usage, inquiries, spend and clicks are the platform's daily reports; calls, inquiries and deals "reported" are what the customer told us in visits.
Cost per click = spend ÷ clicks. Active keywords are read on the first and last day with a spend report. Nothing dated after ${esc(report.asOf)} is counted.</footer>
</main>
</body>
</html>
`;
};
