import { join } from 'node:path';
import { changedStacks } from './changed-stacks';

/**
 * `npm run changed-stacks -- <base-ref>`: prints the stacks a change affects, one per line
 * (added and changed; the plan workflow plans exactly these). Removed stacks go to stderr: their
 * destruction needs a person, not an automatic plan.
 */
const baseRef = process.argv[2];
if (!baseRef) {
  console.error('usage: npm run changed-stacks -- <base-ref>');
  process.exit(2);
}
const changes = changedStacks({ repoRoot: join(__dirname, '..'), baseRef });
for (const name of [...changes.added, ...changes.changed].sort()) console.log(name);
for (const name of changes.removed) console.error(`removed: ${name} (destroy it by hand: cdktf destroy needs its old code)`);
console.error(`${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed since ${baseRef}`);
