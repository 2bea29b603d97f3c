/**
 * `npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]` — where a V8 CPU profile (from
 * `npm run bench -- --profile DIR`) spent its time: self time by package or folder, and the functions with the
 * most self time. Inclusive time of our own proxy and route code is printed too, since their cost is mostly in
 * what they call.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const ZProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = ZProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

const selfMs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
});
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const total = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);

/** node_modules/<package> (with its scope), our own apps/packages folder, node internals, or V8's own entries. */
function groupOf(url: string, name: string): string {
  if (!url) return `(${name || 'anonymous'})`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/dist\/([^/]+\/[^/]+))?/.exec(url);
  if (modules) return modules[1] === 'next' && modules[2] ? `next/${modules[2]}` : (modules[1] ?? url);
  if (url.startsWith('node:')) return url;
  const own = /(apps\/[^/]+|packages\/[^/]+)/.exec(url);
  return own?.[1] ?? url.split('/').slice(-2).join('/');
}

const print = (title: string, rows: Array<[string, number]>) => {
  console.log(`\n${title}`);
  for (const [name, ms] of rows.sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
};

const groups = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  const group = groupOf(frame.url, frame.functionName);
  groups.set(group, (groups.get(group) ?? 0) + ms);
  const key = `${frame.functionName || '(anonymous)'}  ${group}:${frame.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + ms);
}

// Inclusive time of frames whose URL names our proxy or a route: a sample counts once per distinct frame above it.
const inclusive = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
    const frame = byId.get(current)?.callFrame;
    if (!frame || !/proxy|request-id-proxy|api-route|api-handler|route\.ts/.test(frame.url)) continue;
    const key = `${frame.functionName || '(anonymous)'}  ${groupOf(frame.url, '')}:${frame.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
  }
}

console.log(`${file}: ${total.toFixed(0)} ms sampled`);
print('self time by package or folder', [...groups]);
print('functions with the most self time', [...functions]);
print('inclusive time of our proxy and route frames', [...inclusive]);
