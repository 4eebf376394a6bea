import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function messages(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

const sources = {
  'Date.now': 'export const t = Date.now();\n',
  'Math.random': 'export const r = Math.random();\n',
  'performance.now': 'export const p = performance.now();\n',
  'crypto.randomUUID': 'export const u = crypto.randomUUID();\n',
  setTimeout: 'setTimeout(() => undefined, 1);\n',
  setInterval: 'setInterval(() => undefined, 1);\n',
  'node:crypto randomUUID': "import { randomUUID } from 'node:crypto';\nexport const u = randomUUID();\n",
};

describe('determinism lint rule', () => {
  test.each(Object.entries(sources))('forbids %s in simulators/ and the domain core', async (_name, code) => {
    expect(await messages(code, 'simulators/src/example.ts')).not.toEqual([]);
    expect(await messages(code, 'reference-impl/src/domain/example.ts')).not.toEqual([]);
  });

  test.each(['Date.now', 'Math.random', 'performance.now', 'crypto.randomUUID', 'node:crypto randomUUID'] as const)(
    'forbids %s in real-target mode, which reads time and entropy only through the injected RealWorld',
    async (name) => {
      expect(await messages(sources[name], 'simulators/real-target/example.ts')).not.toEqual([]);
    },
  );

  test('real-target mode keeps real timers; real time enters simulators/ only in cli/system-real-world.ts', async () => {
    expect(await messages(sources.setTimeout, 'simulators/real-target/example.ts')).toEqual([]);
    expect(await messages(sources['performance.now'], 'simulators/cli/system-real-world.ts')).toEqual([]);
    expect(await messages(sources['performance.now'], 'simulators/cli/example.ts')).not.toEqual([]);
  });

  test('allows real time outside simulated code', async () => {
    expect(await messages(sources['Date.now'], 'reference-impl/src/http/example.ts')).toEqual([]);
  });
});
