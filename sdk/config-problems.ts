/**
 * Configuration from the environment is read whole, and every missing or malformed variable is
 * reported at once: `read(parse, fallback)` runs one parser, keeps its error message and goes on
 * with the fallback, so one start-up names every problem instead of the first.
 */
export function problemCollector() {
  const problems: string[] = [];
  const read = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  };
  return { problems, read };
}
