/** Presentation of figures, shared by the headline and the printable page; locale-free so output never varies by machine. */

const grouped = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A count with thousands separators, or a dash for "no figure". */
export const formatCount = (value: number | null): string => {
  if (value === null) return '—';
  const [whole, fraction] = String(Math.abs(value)).split('.');
  return `${value < 0 ? '-' : ''}${grouped(whole!)}${fraction ? `.${fraction}` : ''}`;
};

/** Fen as CNY with 2 decimals and thousands separators. */
export const formatFen = (fen: number | null): string => {
  if (fen === null) return '—';
  const [whole, fraction] = (Math.abs(fen) / 100).toFixed(2).split('.');
  return `${fen < 0 ? '-' : ''}${grouped(whole!)}.${fraction}`;
};

/** A CNY amount (already rounded to 2 decimals) with 2 decimals. */
export const formatCny = (cny: number | null): string => (cny === null ? '—' : formatFen(Math.round(cny * 100)));

/** A change with its sign: "+35", "-4", "0". */
export const signed = (text: string, value: number): string => (value > 0 ? `+${text}` : text);

/** A percentage change with its sign and one decimal at most: "+35 %", "-12.5 %". */
export const formatPercent = (value: number | null): string => (value === null ? '—' : `${signed(formatCount(value), value)} %`);

/** Text from data made safe inside HTML elements and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
