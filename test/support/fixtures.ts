import { call, TestApp } from './test-app';

export const signBody = (customerId: string, serviceRepId = 'rep-1', over: Record<string, unknown> = {}) => ({
  customerId,
  companyName: `Company ${customerId}`,
  contact: { name: 'Li Wei', phone: '+86 571 8888 0000', email: 'li.wei@example.com' },
  industry: 'machinery',
  product: 'bidding',
  contractAmount: 12000.5,
  term: { start: '2026-01-01', end: '2026-12-31' },
  salesRepId: 'sales-1',
  serviceRepId,
  grade: 'B',
  ...over,
});

export const visitBody = (visitId: string, over: Record<string, unknown> = {}) => ({
  visitId,
  level: 1,
  channel: 'phone',
  purpose: 'care',
  reached: true,
  contactRole: 'decision_maker',
  summary: 'Asked about inquiry volume',
  satisfaction: 4,
  ...over,
});

/** Groups g1 and g2; service reps rep-1 (g1) and rep-2 (g2); supervisors sup-1 (g1), sup-2 (g2); sales-1; customers c-1 (rep-1), c-2 (rep-2). */
export const seedTeam = async (t: TestApp): Promise<void> => {
  const manager = t.token('mgr-1', 'manager');
  const ok = async (url: string, body: unknown) => {
    const response = await call(t, 'POST', url, { token: manager, body });
    if (response.status !== 201) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  await ok('/groups', { groupId: 'g1', name: 'Bidding group 1', kind: 'bidding' });
  await ok('/groups', { groupId: 'g2', name: 'Bidding group 2', kind: 'bidding' });
  await ok('/groups', { groupId: 'sales', name: 'Sales department 1', kind: 'sales' });
  await ok('/reps', { repId: 'rep-1', name: 'Zhang San', role: 'service', groupId: 'g1' });
  await ok('/reps', { repId: 'rep-2', name: 'Li Si', role: 'service', groupId: 'g2' });
  await ok('/reps', { repId: 'sup-1', name: 'Wang Wu', role: 'supervisor', groupId: 'g1' });
  await ok('/reps', { repId: 'sup-2', name: 'Zhao Liu', role: 'supervisor', groupId: 'g2' });
  await ok('/reps', { repId: 'sales-1', name: 'Sun Qi', role: 'sales', groupId: 'sales' });
  await ok('/customers', signBody('c-1', 'rep-1'));
  await ok('/customers', signBody('c-2', 'rep-2'));
};

export const historyOf = async (t: TestApp, customerId: string) =>
  (await call(t, 'GET', `/admin/customers/${customerId}/history?limit=1000`, { token: t.token('admin-1', 'admin') })).body;
