/** Every EMF document (one JSON line each) written to stdout while `fn` runs: Powertools Metrics writes there. */
export function emfDocuments(fn: () => void): Record<string, any>[] {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    written.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
