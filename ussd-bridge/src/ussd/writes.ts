/**
 * Group commit for SQLite: writes asked for while the event loop handles one batch of I/O run
 * together in one transaction when that batch is done (setImmediate), and each caller hears its
 * own result only after the commit. Under load, hops that arrive together share one commit instead
 * of paying one each; alone, a write waits one turn of the loop. A write that fails does not take
 * the others with it: the batch is then run again one write at a time.
 */
import type BetterSqlite3 from "better-sqlite3";

interface Job {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function groupCommit(client: BetterSqlite3.Database): <T>(write: () => T) => Promise<T> {
  let queue: Job[] = [];

  function flush() {
    const jobs = queue;
    queue = [];
    let results: unknown[];
    try {
      results = client.transaction(() => jobs.map((job) => job.run()))();
    } catch {
      for (const job of jobs) {
        try {
          job.resolve(job.run());
        } catch (error) {
          job.reject(error);
        }
      }
      return;
    }
    jobs.forEach((job, i) => job.resolve(results[i]));
  }

  return <T>(run: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
    });
}
