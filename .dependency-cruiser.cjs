/**
 * Dependency rules checked by `npm run deps` (part of `npm test`): libs do not import each other in a circle,
 * domain code stays pure, apps are entry points that nothing imports.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A circle of imports ties modules together so that none can change alone (cycles between libs as wholes: test/layout).',
      from: { path: '^(apps|libs)/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain code imports no framework, driver, clock or source of random ids (DOMAIN.md, STYLE.md).',
      from: { path: '^libs/[^/]+/src/domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: '(^|/)node_modules/(@nestjs|@kurrent|mongodb|better-sqlite3|fastify|mercurius|rxjs|class-validator|class-transformer)/|^(crypto|node:crypto|fs|node:fs|net|node:net|http|node:http|child_process|node:child_process)$',
      },
    },
    {
      name: 'domain-imports-domain-and-kernel-only',
      severity: 'error',
      comment: 'A domain depends on its own domain files and the shared kernel, never on application or adapter code.',
      from: { path: '^libs/([^/]+)/src/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/', pathNot: ['^libs/$1/src/domain/', '^libs/shared-kernel/src/'] },
    },
    {
      name: 'apps-never-import-apps',
      severity: 'error',
      comment: 'An app is an entry point; what two apps share lives in a lib.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      comment: 'Libs are used by apps, never the other way round.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
