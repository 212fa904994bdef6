// Small helpers shared by the per-cloud providerID parsers.

const QUOTE_LIMIT = 256;

/**
 * Quotes untrusted text for an error message: cut short so a huge input cannot flood logs, and with everything but
 * printable ASCII escaped, so control and bidirectional-override characters cannot disguise what a user sees.
 */
export function quote(text: string): string {
  const shown = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}...` : text;
  return JSON.stringify(shown).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Lowercase letters and digits in dash-separated groups: AWS zones, simulated regions and zones. */
export const LOWERCASE_TOKEN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The path segments of a "scheme:///a/b" providerID, given the part after "scheme://". Undefined when that part does
 * not start with "/", i.e. the providerID has a URL host where the format has none.
 */
export function tripleSlashSegments(rest: string): string[] | undefined {
  return rest.startsWith('/') ? rest.slice(1).split('/') : undefined;
}

export function segmentCountMismatch(format: string, expected: number, found: number): string {
  return `expected ${format} (${expected} path segments), found ${found}`;
}
