import { createVitest } from 'vitest/node';
const t0 = Date.now();
const v = await createVitest('test', { watch: false, reporters: [], config: '/work/main/vitest.config.ts', root: '/work/main' } as never);
const r = await v.collect();
for (const m of r.testModules) {
  for (const tc of m.children.allTests()) console.log(m.project.name, m.moduleId, tc.fullName, JSON.stringify(tc.meta()), tc.location);
}
console.log('errors', r.unhandledErrors.length, r.testModules.map(m=>m.errors()));
await v.close();
console.log('ms', Date.now()-t0);
