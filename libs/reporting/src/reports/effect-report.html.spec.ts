import { NO_SPEND, NO_USAGE } from '#testing';
import { barChart, lineChart } from './effect-report-charts';
import { escapeHtml } from './effect-report-format';
import { effectReportHtml } from './effect-report.html';
import { ASOF, customer, report } from './effect-report.spec-helper';

/** The printable page carries the figures of the report computed in effect-report.spec.ts. */
describe('effect report as a printable page', () => {
  const html = effectReportHtml(report());

  it('is a whole HTML document with print CSS for A4, a CJK-friendly font stack and no script or external asset', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@media print');
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('"PingFang SC"');
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
  });

  it('names the company, the term, the service rep and the day it was prepared for', () => {
    expect(html).toContain('<div class="company">Kangyu Air Services</div>');
    expect(html).toContain('Term 2: 2026-01-01 – 2026-12-31 (running: 69 of 365 days counted, up to 2026-03-10)');
    expect(html).toContain('<dt>Service rep</dt><dd>Zhang San (rep-1)</dd>');
    expect(html).toContain(`<dt>Prepared for</dt><dd>${ASOF}</dd>`);
  });

  it('leads with the headline and says what was compared', () => {
    expect(html).toContain('<li>Inquiries received: 207 (+50 % vs previous term)</li>');
    expect(html).toContain('are compared with the first 69 days of term 1 (2025-01-01 – 2025-03-10)');
  });

  it('tabulates each figure: this term, the same days before, change, % and the whole previous term', () => {
    expect(html).toContain('<tr><td>Inquiries received</td><td>207</td><td>138</td><td class="good">+69</td><td class="good">+50 %</td><td>168</td></tr>');
    expect(html).toContain('<tr><td>Spend (CNY)</td><td>11,900.00</td><td>6,900.00</td><td class="good">+5,000.00</td><td class="good">+72.5 %</td><td>13,100.00</td></tr>');
    // A lower cost per click is good news.
    expect(html).toContain('<tr><td>Average cost per click (CNY)</td><td>0.57</td><td>3.33</td><td class="good">-2.76</td><td class="good">-82.9 %</td><td>1.15</td></tr>');
    expect(html).toContain('<tr><td>Supervisor verification visits (level 2)</td><td>1</td><td>0</td><td class="good">+1</td><td>—</td><td>0</td></tr>');
    expect(html).toContain('<tr><td class="sub">by SMS</td><td>0</td><td>1</td><td class="bad">-1</td><td class="bad">-100 %</td><td>1</td></tr>');
    expect(html).toContain('<tr><td>2026-03</td><td>10</td><td>20</td><td>30</td><td>1,500.00</td><td>3,000</td><td>0.50</td></tr>');
  });

  it('draws the four monthly charts as inline SVG, this term against the previous', () => {
    expect(html.match(/<svg class="chart"/g)).toHaveLength(4);
    for (const title of ['Inquiries received per month', 'Logins per month', 'Spend per month (CNY)', 'Average cost per click per month (CNY)']) {
      expect(html).toContain(`<figcaption>${title}</figcaption>`);
    }
    // January of term 2: 93 inquiries; January 2025: 62.
    expect(html).toContain('<title>Jan this term: 93</title>');
    expect(html).toContain('<title>Jan previous term: 62</title>');
    expect(html).toContain('<polyline class="current"');
  });

  it('escapes every text that comes from data', () => {
    const hostile = effectReportHtml(report(customer({ companyName: '<script>alert("x")</script> & Sons', industry: '"><img src=x>' })));
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons');
    expect(hostile).toContain('&quot;&gt;&lt;img src=x&gt;');
  });

  it('leaves comparison columns and spend out for a membership customer in its first term', () => {
    const first = effectReportHtml(report(customer({ product: 'membership' }), { kind: 'number', number: 1 }, ASOF, NO_USAGE, NO_SPEND));
    expect(first).toContain('<dt>Compared with</dt><dd>no previous term</dd>');
    expect(first).toContain('<thead><tr><th>Figure</th><th>This term</th></tr></thead>');
    expect(first).not.toContain('Spend per month');
    expect(first.match(/<svg class="chart"/g)).toHaveLength(2);
  });
});

describe('monthly charts', () => {
  const chart = { title: 'T', labels: ['Jan', 'Feb', 'Mar'], current: [10, null, 30], previous: [20, 5, null], format: String };

  it('draws one bar per month with a value, scaled to a rounded axis', () => {
    const svg = barChart(chart);
    expect(svg.match(/<rect class="current"/g)).toHaveLength(2);
    expect(svg.match(/<rect class="previous"/g)).toHaveLength(2);
    // Largest value 30 → steps of 10 up to 40.
    expect(svg).toContain('>40</text>');
    expect(svg).not.toContain('>50</text>');
  });

  it('breaks a line where a month has no value', () => {
    const svg = lineChart(chart);
    // Current: Jan and Mar are not joined; previous: Jan–Feb joined.
    expect(svg.match(/<polyline class="current"/g)).toBeNull();
    expect(svg.match(/<polyline class="previous"/g)).toHaveLength(1);
    expect(svg.match(/<circle class="current"/g)).toHaveLength(2);
  });

  it('escapes quotes and angle brackets', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
