// A small YAML writer for -o yaml: JSON data only (objects, arrays, strings, numbers, booleans, null), block style
// as kubectl prints it. Strings YAML would read as something else are double-quoted (JSON quoting is valid YAML).
const PLAIN = /^[A-Za-z_/.][\w ./@()+,=-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'string') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
}

const isBlock = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && Object.keys(value).length > 0;

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isBlock(item)) return [`${indent}- ${isEmpty(item) ?? scalar(item)}`];
      const [first = '', ...rest] = lines(item, `${indent}  `);
      return Array.isArray(item)
        ? [`${indent}-`, first, ...rest]
        : [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .flatMap(([key, v]) =>
      isBlock(v)
        ? [`${indent}${scalar(key)}:`, ...lines(v, Array.isArray(v) ? indent : `${indent}  `)]
        : [`${indent}${scalar(key)}: ${isEmpty(v) ?? scalar(v)}`],
    );
}

const isEmpty = (value: unknown): string | undefined =>
  Array.isArray(value) && value.length === 0
    ? '[]'
    : typeof value === 'object' && value !== null && Object.keys(value).length === 0
      ? '{}'
      : undefined;

export function toYaml(value: unknown): string {
  return isBlock(value) ? `${lines(value, '').join('\n')}\n` : `${isEmpty(value) ?? scalar(value)}\n`;
}
