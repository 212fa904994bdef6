// The environment our image gives the server: the ENV instructions of the Dockerfile's last stage (the
// runtime one), so the benchmark runs ours with it, as deployed. Handles `ENV NAME=VALUE …` with plain or
// double-quoted values and line continuations, which is all our Dockerfile uses; anything else is refused.

export function imageEnv(dockerfile: string): Record<string, string> {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const lastFrom = instructions.findLastIndex((line) => /^FROM\s/i.test(line));
  const env: Record<string, string> = {};
  for (const line of instructions.slice(lastFrom + 1)) {
    const m = /^ENV\s+(.*)$/i.exec(line);
    if (!m) continue;
    const pairs = m[1]!.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|[^\s"]*)(?=\s|$)/g) ?? [];
    if (pairs.join(' ') !== m[1]!.trim().replace(/\s+/g, ' ')) throw new Error(`unsupported ENV: ${line}`);
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}
