/**
 * URL of a Worker module next to the caller. In a `bun build --compile` executable every module lives
 * in one virtual root (`/$bunfs/root/`), where each worker was bundled as an extra entrypoint under its
 * path from the repository root (scripts/worker-entrypoints.txt), so the relative form does not resolve.
 */
export function workerURL(importMetaUrl: string, fileName: string, pathFromRoot: string): URL {
  if (/\/(\$bunfs|~BUN)\//.test(importMetaUrl)) return new URL(`./${pathFromRoot}`, importMetaUrl);
  return new URL(`./${fileName}`, importMetaUrl);
}
