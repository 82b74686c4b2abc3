import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/fleet';

/**
 * AWS CDK's construct convention, held for every `FooProps` interface of stacks/: each prop is
 * readonly, and each optional prop documents its default with an `@default` tag.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Prop {
  where: string;
  line: string;
  doc: string;
}

function props(): Prop[] {
  const out: Prop[] = [];
  for (const file of sources(join(ROOT, 'stacks'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let inProps = false;
    let doc: string[] = [];
    lines.forEach((line, i) => {
      if (/^export interface \w+Props\b/.test(line)) inProps = true;
      else if (inProps && line.startsWith('}')) inProps = false;
      else if (inProps && /^ {2}\/\*\*/.test(line)) doc = [line];
      else if (inProps && doc.length > 0 && /^ {3}\*/.test(line)) doc.push(line);
      else if (inProps && /^ {2}(readonly )?\w+\??:/.test(line)) {
        out.push({ where: `${relative(ROOT, file)}:${i + 1}`, line: line.trim(), doc: doc.join(' ') });
        doc = [];
      }
    });
  }
  return out;
}

describe('construct props', () => {
  const all = props();

  it('there are props to check', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('every prop is readonly', () => {
    expect(all.filter((p) => !p.line.startsWith('readonly ')).map((p) => `${p.where} ${p.line}`)).toEqual([]);
  });

  it('every optional prop documents its default with @default', () => {
    expect(all.filter((p) => /^readonly \w+\?:/.test(p.line) && !p.doc.includes('@default')).map((p) => `${p.where} ${p.line}`)).toEqual([]);
  });
});
