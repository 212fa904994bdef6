// Shell completion of `kubectl restart`, through kubectl's plugin completion
// (k8s.io/kubectl/pkg/cmd/plugin/plugin_completion.go): kubectl runs `kubectl_complete-restart` with the words typed
// after `restart`, the last being the word to complete ("" for a new one), and reads one candidate a line, then
// `:DIRECTIVE` (Cobra's ShellCompDirective). Flags and their values are completed here; node names are read from
// our nodes, with the connection flags already typed.
import { parseArgs } from 'node:util';
import { connectionFlags, type ConnectionFlags } from './connection-flags.js';
import { MODES, ON_DRAIN_TIMEOUT, OPTION_SPECS, OUTPUTS } from './options.js';

/** cobra.ShellCompDirectiveNoFileComp: no file names when nothing matches. */
const NO_FILE_COMPLETION = 4;

const VALUES: Readonly<Record<string, readonly string[]>> = {
  mode: MODES,
  output: OUTPUTS,
  'dry-run': ['none', 'server'],
  'on-drain-timeout': ON_DRAIN_TIMEOUT,
};

type Spec = { type: 'string' | 'boolean'; short?: string };
const SPECS = OPTION_SPECS as Readonly<Record<string, Spec>>;

/** The long name of `--name` or `-x`. */
function flagName(word: string): string | undefined {
  if (word.startsWith('--')) return word.slice(2);
  if (/^-[a-zA-Z]$/.test(word)) return Object.keys(SPECS).find((k) => SPECS[k]!.short === word.slice(1));
  return undefined;
}

/** The connection flags among the words typed so far; anything unparseable is left out. */
function typedConnection(words: string[]): ConnectionFlags {
  try {
    const { values } = parseArgs({
      args: words,
      options: OPTION_SPECS,
      strict: false,
      allowPositionals: true,
    });
    return connectionFlags(values as Parameters<typeof connectionFlags>[0]);
  } catch {
    return {};
  }
}

/** The candidates for the last of `args`, and the directive; `nodeNames` lists the nodes. */
export async function completions(
  args: string[],
  nodeNames: (connection: ConnectionFlags) => Promise<string[]>,
): Promise<string[]> {
  const typed = args.slice(0, -1);
  const word = args.at(-1) ?? '';
  const previous = flagName(typed.at(-1) ?? '');
  const done = (candidates: readonly string[]) => [
    ...candidates.filter((c) => c.startsWith(word)),
    `:${NO_FILE_COMPLETION}`,
  ];
  if (previous !== undefined && SPECS[previous]?.type === 'string' && !typed.at(-1)!.includes('=')) {
    return done(VALUES[previous] ?? []);
  }
  const assigned = /^--([^=]+)=/.exec(word);
  if (assigned) return done((VALUES[assigned[1]!] ?? []).map((v) => `--${assigned[1]}=${v}`));
  if (word.startsWith('-')) return done(Object.keys(SPECS).map((k) => `--${k}`));
  const names = await nodeNames(typedConnection(typed)).catch(() => []);
  return done(names.filter((n) => !typed.includes(n)));
}
