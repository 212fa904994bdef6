// JSON merge patch (RFC 7386), the patch type kube-apiserver applies to any JSON object: an object merges key by
// key, null removes a key, anything else replaces the value.
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MERGE_PATCH_MEDIA_TYPE = 'application/merge-patch+json';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** The request's media type is a merge patch. */
export function isMergePatch(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === MERGE_PATCH_MEDIA_TYPE;
}
